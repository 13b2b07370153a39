// The pure pieces of dedupe: normalisation, shingles, overlap, MinHash bands, verification.
import { describe, expect, it } from 'vitest';
import { DEFAULT_DEDUPE_OPTIONS, fingerprintSets, relatedPair, verifyPair } from '../../../shared/dedupe/index.ts';
import { hoursApart } from '../../../shared/dedupe/similarity.ts';
import { bandKeys, minhash } from '../../../shared/dedupe/minhash.ts';
import { dedupeSentences, dedupeText, normalisedTitle, overlap, shingleSet } from '../../../shared/dedupe/text.ts';

describe('dedupeText', () => {
  it.each([
    ['(서울=연합뉴스) 김하늘 기자 = 정부가 발표했다.', '정부가발표했다'],
    ['(세종=뉴스1) 조용훈 기자 = 정부가 발표했다. joyonghun@news1.kr', '정부가발표했다'],
    ['정부가  발표했다.\n저작권자 © 스마트에프엔 무단전재 및 재배포 금지', '정부가발표했다'],
    ['정부가 발표했다.\n▶ 관련기사 더보기', '정부가발표했다'],
    ['ＡＩ 반도체　１만５천장', 'ai반도체1만5천장'],
    ['DeepSeek R1, 출시!', 'deepseekr1출시'],
    [
      '정부가 발표했다.\n뉴스픽의 주요 문장 추출 기술을 사용하여 “M투데이” 기사 내용을 3줄로 요약한 결과입니다. 일부 누락된 내용이 있어 전반적인 이해를 위해서는 본문 전체 읽기를 권장합니다.',
      '정부가발표했다',
    ],
    ['정부가 발표했다.\n본 콘텐츠는 뉴스픽 파트너스에서 공유된 콘텐츠입니다.', '정부가발표했다'],
    ['정부가 발표했다. 기사 내용을 3줄로 요약한 결과입니다. 본문 보기를 권장합니다.', '정부가발표했다'],
  ])('reduces %j to the words every copy shares', (input, expected) => {
    expect(dedupeText(input)).toBe(expected);
  });

  it('makes Korean spacing differences disappear', () => {
    expect(dedupeText('국가 인공지능 컴퓨팅 센터')).toBe(dedupeText('국가인공지능 컴퓨팅센터'));
  });
});

describe('dedupeSentences', () => {
  const text = '(서울=연합뉴스) 정부가 17.4% 늘린 예산을 발표했다.장관은 “예산을 늘려 연구자 누구나 쓰게 하겠다”고 말했다.\n업계는 환영했다.';

  it('gives the same text as dedupeText, cut where each sentence ends (not inside 17.4)', () => {
    const s = dedupeSentences(text);
    expect(s.text).toBe(dedupeText(text));
    expect(s.ends.map((end, i) => s.text.slice(i === 0 ? 0 : s.ends[i - 1], end))).toEqual([
      '정부가174늘린예산을발표했다',
      '장관은예산을늘려연구자누구나쓰게하겠다고말했다',
      '업계는환영했다',
    ]);
  });

  it('marks a sentence that is mostly a quotation, not one that names something in quotes', () => {
    expect(dedupeSentences(text).quoted).toEqual([false, true, false]);
    expect(dedupeSentences("개인정보위는 '딥시크'의 국내 신규 다운로드를 잠정 중단했다고 밝혔다.").quoted).toEqual([false]);
  });

  it('finds the quotation inside a sentence that is not mostly one', () => {
    const s = dedupeSentences('대통령은 경주에서 황 CEO를 만나 “AI 수도가 목표”라고 소개하며 투자를 요청했다.');
    expect(s.quoted).toEqual([false]);
    expect(s.quotes.length).toBe(2);
    expect(s.text.slice(s.quotes[0], s.quotes[1])).toBe('ai수도가목표');
  });
});

describe('hoursApart', () => {
  it('reads 00:00 Korea time (a page that shows only the date) as the whole Korea day', () => {
    const dateOnly = { publishedAt: '2025-09-11T15:00:00.000Z' }; // 2025-09-12 00:00 KST
    expect(hoursApart(dateOnly, { publishedAt: '2025-09-12T09:00:00.000Z' })).toBe(0); // 18:00 KST that day
    expect(hoursApart(dateOnly, { publishedAt: '2025-09-12T16:00:00.000Z' })).toBe(1); // 01:00 KST the next day
    expect(hoursApart({ publishedAt: '2025-09-12T01:00:00.000Z' }, { publishedAt: '2025-09-12T09:00:00.000Z' })).toBe(8);
  });
});

describe('normalisedTitle', () => {
  it('ignores bracketed labels and punctuation the same outlet changes on a re-post', () => {
    expect(normalisedTitle('[속보] 딥시크, 국내 앱 다운로드 중단')).toBe(normalisedTitle('딥시크 국내 앱 다운로드 중단(종합)'));
    expect(normalisedTitle('딥시크 국내 앱 다운로드 중단')).not.toBe(normalisedTitle('딥시크 국내 앱 다운로드 재개'));
  });
});

describe('shingles and overlap', () => {
  it('gives sorted unique hashes, and a single shingle for text shorter than k', () => {
    const s = shingleSet('가나다가나다', 2);
    expect([...s]).toEqual([...s].sort((a, b) => a - b));
    expect(s.length).toBe(3); // 가나, 나다, 다가
    expect(shingleSet('가', 3).length).toBe(1);
    expect(shingleSet('', 3).length).toBe(0);
  });

  it('scores a trimmed copy by containment even when Jaccard is low', () => {
    const full = shingleSet(
      dedupeText('엔비디아 주가가 하루 만에 17% 급락했다. 시가총액 5890억 달러가 증발했다. 코로나19 초기 이후 최대 낙폭이다. 브로드컴도 17.4% 떨어졌다.'),
      2,
    );
    const lede = shingleSet(dedupeText('엔비디아 주가가 하루 만에 17% 급락했다.'), 2);
    const o = overlap(full, lede);
    expect(o.containment).toBe(1);
    expect(o.jaccard).toBeLessThan(0.4);
    expect(overlap(full, full)).toMatchObject({ jaccard: 1, containment: 1 });
  });
});

describe('minhash bands', () => {
  it('are stable for the same text and differ for unrelated text', () => {
    const a = shingleSet(dedupeText('과학기술정보통신부는 국가 인공지능 컴퓨팅센터 사업자로 삼성SDS 컨소시엄을 선정했다'), 2);
    const b = shingleSet(dedupeText('코스피는 외국인 순매수에 힘입어 상승 마감했다 코스닥도 올랐다'), 2);
    const ka = bandKeys(minhash(a, 128), 64, 2);
    expect(bandKeys(minhash(a, 128), 64, 2)).toEqual(ka);
    expect(ka).toHaveLength(64);
    expect(new Set(ka).size).toBe(64); // the band number is part of the key
    const kb = new Set(bandKeys(minhash(b, 128), 64, 2));
    expect(ka.filter((k) => kb.has(k)).length).toBeLessThan(3);
  });

  it('share most bands between a text and its lightly edited copy', () => {
    const text =
      '과학기술정보통신부는 국가 인공지능 컴퓨팅센터 구축 사업의 우선협상대상자로 삼성SDS 컨소시엄을 선정했다고 12일 밝혔다. 컨소시엄에는 네이버클라우드와 KT가 참여한다.';
    const a = new Set(bandKeys(minhash(shingleSet(dedupeText(text), 2), 128), 64, 2));
    const b = bandKeys(minhash(shingleSet(dedupeText(text.replace('12일', '이날')), 2), 128), 64, 2);
    expect(b.filter((k) => a.has(k)).length).toBeGreaterThan(40);
  });
});

describe('verifyPair', () => {
  const o = DEFAULT_DEDUPE_OPTIONS;
  const text =
    '과학기술정보통신부는 국가 인공지능 컴퓨팅센터 구축 사업의 우선협상대상자로 삼성SDS 컨소시엄을 선정했다고 12일 밝혔다. 컨소시엄에는 네이버클라우드와 KT, 전라남도가 참여한다.';
  const base = fingerprintSets('', text, o);
  const at = (h: number) => new Date(Date.UTC(2025, 8, 12, h)).toISOString();

  it('joins near-identical texts published hours apart', () => {
    expect(verifyPair({ ...base, publishedAt: at(1) }, { ...base, publishedAt: at(9) }, o).join).toBe(true);
  });

  it('joins a near-identical late republication but nothing published more than two days apart', () => {
    expect(verifyPair({ ...base, publishedAt: at(1) }, { ...base, publishedAt: at(30) }, o).join).toBe(true);
    expect(verifyPair({ ...base, publishedAt: at(1) }, { ...base, publishedAt: at(60) }, o)).toEqual({ join: false, similarity: 0 });
  });

  it('does not call the same event in other words a copy, but relates it', () => {
    // Another outlet's own report of the same selection: the event's vocabulary, not its sentences.
    const own = fingerprintSets(
      '',
      '삼성SDS 컨소시엄이 국가 AI 컴퓨팅센터 사업자로 뽑혔다. 네이버클라우드와 KT도 함께한다. 과기정통부는 전라남도 부지에 센터를 짓는 계획을 12일 공개했다.',
      o,
    );
    expect(verifyPair({ ...own, publishedAt: at(2) }, { ...base, publishedAt: at(1) }, o).join).toBe(false);
    expect(relatedPair({ ...own, publishedAt: at(2) }, { ...base, publishedAt: at(1) }, o).join).toBe(true);
    expect(relatedPair({ ...own, publishedAt: at(50) }, { ...base, publishedAt: at(1) }, o).join).toBe(false);
  });

  it("does not count the same quotation inside two outlets' own sentences as shared text", () => {
    // Two reports of one meeting: each frames the president's words in a sentence of its own
    // (less than half of it quoted), so the whole-sentence quotation rule does not drop them.
    const tv = fingerprintSets(
      '',
      '대통령은 31일 경주에서 젠슨 황 CEO를 만나 “아시아·태평양 지역의 AI 수도로 거듭나는 것이 대한민국의 목표”라고 소개하며 투자를 요청했다. 이어 “블랙록과 오픈AI도 한국의 AI 허브 프로젝트에 동참하기로 했다”면서 엔비디아의 참여를 당부했다.',
      o,
    );
    const paper = fingerprintSets(
      '',
      '이재명 대통령은 이날 오후 화백컨벤션센터에서 황 CEO를 접견한 자리에서 “아시아·태평양 지역의 AI 수도로 거듭나는 것이 대한민국의 목표”라고 밝혔다. 대통령은 “블랙록과 오픈AI도 한국의 AI 허브 프로젝트에 동참하기로 했다”며 협력을 거듭 요청했다.',
      o,
    );
    expect(verifyPair({ ...tv, publishedAt: at(2) }, { ...paper, publishedAt: at(1) }, o).join).toBe(false);
  });
});
