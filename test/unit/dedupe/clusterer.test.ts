// The clusterer over the in-memory index (the `newswatch dedupe` engine): leaders, members,
// exact keys, and the order-independence a user relies on.
import { describe, expect, it } from 'vitest';
import { createClusterer, createMemoryClusterIndex, type ClusterIndex, DEFAULT_DEDUPE_OPTIONS, type DedupeInput } from '../../../shared/dedupe/index.ts';
import { fingerprintSets, verifyPair } from '../../../shared/dedupe/similarity.ts';
import * as cases from '../../integration/dedupe/cases.ts';

const body =
  '중국 인공지능 스타트업 딥시크가 저비용 고성능 모델을 공개하면서 엔비디아 주가가 하루 만에 16.97% 폭락했다. 시가총액 5890억 달러가 증발해 뉴욕 증시 역사상 단일 기업 최대 감소를 기록했다. 브로드컴과 마이크론 등 반도체주도 일제히 급락했다.';
const at = '2025-01-28T00:10:00.000Z';
const item = (id: string, over: Partial<DedupeInput> = {}): DedupeInput => ({
  id,
  url: `https://n.example.kr/${id}`,
  title: `제목 ${id}`,
  body,
  outlet: `매체${id}`,
  publishedAt: at,
  ...over,
});

describe('createClusterer (memory index)', () => {
  it('makes the first copy the leader and records later copies as members', async () => {
    const index = createMemoryClusterIndex();
    const c = createClusterer(index);
    expect(await c.assign(item('a'))).toEqual({ clusterId: 'a', leader: true });
    const b = await c.assign(item('b', { body: `${body} (끝)` }));
    expect(b).toMatchObject({ clusterId: 'a', leader: false });
    await c.addMember('a', { id: 'b', outlet: '매체b', url: 'https://n.example.kr/b', title: '제목 b' });
    await c.addMember('a', { id: 'b', outlet: '매체b', url: 'https://n.example.kr/b', title: '제목 b' });
    expect(index.members('a').map((m) => m.id)).toEqual(['b']);
  });

  it('joins the same canonical URL or the same feed guid whatever the text', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(item('a', { guid: 'tag:news.example.kr,2025:777' }));
    expect(await c.assign(item('b', { url: 'https://n.example.kr/a', body: '완전히 다른 본문입니다.' }))).toMatchObject({ clusterId: 'a', similarity: 1 });
    expect(await c.assign(item('c', { url: 'https://n.example.kr/c2', body: '또 다른 본문', guid: 'tag:news.example.kr,2025:777' }))).toMatchObject({
      clusterId: 'a',
      similarity: 1,
    });
  });

  it('does not join the same headline from the same outlet a day later (a daily column)', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(item('a', { outlet: '마켓', title: '[표] 외국인 순매수 상위 종목', body: '삼성전자 1,200억 SK하이닉스 800억' }));
    const next = await c.assign(
      item('b', { outlet: '마켓', title: '[표] 외국인 순매수 상위 종목', body: '현대차 900억 네이버 300억', publishedAt: '2025-01-29T00:10:00.000Z' }),
    );
    expect(next).toMatchObject({ clusterId: 'b', leader: true });
  });

  it('does not let a story with a wrong future date take over the bands of current stories', async () => {
    const c = createClusterer(createMemoryClusterIndex(), { now: () => new Date('2025-01-28T01:00:00Z') });
    await c.assign(item('a'));
    // The same text re-listed with a bogus date years ahead: too far apart to join, and it must not own a's bands.
    expect(await c.assign(item('bogus', { title: '제목 a', publishedAt: '2031-01-01T00:00:00.000Z' }))).toMatchObject({ leader: true });
    expect(await c.assign(item('b', { body: `${body} (끝)` }))).toMatchObject({ clusterId: 'a', leader: false });
  });

  it('joins a stored closer copy rather than a weaker copy that is being assigned at the same moment', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(cases.wire);
    // Alone, the mostly-wire article joins the independent report (about 0.5) or the wire (about 0.8).
    const [independent, mostlyWire] = await Promise.all([c.assign(cases.independentSameDay), c.assign(cases.mostlyWire)]);
    expect(independent).toMatchObject({ clusterId: 'independent', leader: true });
    expect(mostlyWire).toMatchObject({ clusterId: 'wire', leader: false });
    expect(mostlyWire.similarity).toBeGreaterThan(0.7);
    // A copy of the mostly-wire article in flight with it follows it to the wire.
    const c2 = createClusterer(createMemoryClusterIndex());
    await c2.assign(cases.wire);
    const again = { ...cases.mostlyWire, id: 'again', url: 'https://other.example.kr/again', outlet: '다른매체' };
    const all = await Promise.all([c2.assign(cases.independentSameDay), c2.assign(cases.mostlyWire), c2.assign(again)]);
    expect(all.map((a) => a.clusterId)).toEqual(['independent', 'wire', 'wire']);
  });

  it('reads no candidates for copies in flight whose keys only the in-flight cluster owns', async () => {
    const inner = createMemoryClusterIndex();
    const reads: string[][] = [];
    const index: ClusterIndex = { ...inner, getFingerprints: (ids) => (reads.push(ids), inner.getFingerprints(ids)) };
    const c = createClusterer(index);
    const copies = Array.from({ length: 6 }, (_, i) => ({ ...cases.wire, id: `w${i}`, url: `https://o${i}.example.kr/w`, outlet: `매체${i}` }));
    const all = await Promise.all(copies.map((s) => c.assign(s)));
    expect(all.map((a) => a.clusterId)).toEqual(copies.map(() => 'w0'));
    expect(reads).toEqual([]);
  });

  it('keeps a short unrelated text alone', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(item('a'));
    expect(await c.assign(item('b', { title: '오늘의 날씨', body: '전국이 대체로 맑겠다.' }))).toEqual({ clusterId: 'b', leader: true });
  });
  describe('a release rewritten sentence by sentence (fewer shared sentences, the same vocabulary)', () => {
    // A made-up release; an outlet's rewrite of it (three of its five sentences kept nearly word
    // for word, 58% of the release; the others reworded); an outlet's own report that keeps three
    // of them as closely (59%) and adds four sentences of its own (competitors, an analyst, the
    // budget). Both share 37-39% of the release's shingles, under the 40% bar.
    const release = [
      '한빛반도체는 3일 차세대 인공지능 가속기 누리2의 양산을 경기 화성 공장에서 시작했다고 밝혔다.',
      '누리2는 이전 세대보다 전력 효율이 두 배 높고 초당 처리 성능은 1.8배 빨라졌다.',
      '회사는 올해 안에 국내 데이터센터 세 곳에 누리2를 공급하고 내년에는 해외 시장에 진출할 계획이다.',
      '양산 라인에는 자체 개발한 패키징 기술이 처음으로 적용돼 불량률을 크게 낮췄다.',
      '한빛반도체는 이번 양산으로 연간 매출이 지난해의 두 배 수준으로 늘어날 것으로 내다봤다.',
    ].join('\n');
    const rewrite = [
      '한빛반도체가 만든 차세대 AI 가속기 누리2가 3일부터 경기 화성 공장에서 본격적인 양산 체제에 들어갔다.',
      '누리2는 이전 세대보다 전력 효율이 두 배 높아졌고, 초당 처리 성능도 1.8배 빨라졌다는 설명이다.',
      '회사 측은 올해 국내 데이터센터 세 곳에 누리2를 공급한 뒤 내년에는 해외 시장에 진출한다는 계획이다.',
      '양산 라인에는 자체 개발한 패키징 기술이 처음 적용돼 불량률이 줄었다.',
      '연간 매출 역시 이번 양산으로 지난해의 두 배 수준까지 늘 것이라는 게 회사 전망이다.',
    ].join('\n');
    const ownReport = [
      '국내 인공지능 반도체 업계의 양산 경쟁이 본격화됐다.',
      '누리2는 이전 세대보다 전력 효율이 두 배 높고 초당 처리 성능은 1.8배 빨라졌다고 회사는 설명했다.',
      '올해 안에 국내 데이터센터 세 곳에 누리2를 공급하고 내년부터는 해외 시장 진출도 추진할 계획이라고 회사는 덧붙였다.',
      '양산 라인에는 자체 개발한 패키징 기술이 처음으로 적용됐다.',
      '증권가에서는 경쟁사인 미래칩스와 새봄테크도 하반기 신제품을 내놓을 예정이어서 가격 경쟁이 치열해질 것으로 본다.',
      '한 애널리스트는 엔비디아 의존도를 낮추려는 통신사와 포털의 수요가 변수라고 분석했다.',
      '정부도 공공 클라우드에 국산 칩을 쓰는 사업에 올해 예산 사백억 원을 배정했다.',
      '업계 관계자는 수율을 안정적으로 유지하는 것이 관건이라며 장비 조달 일정도 지켜봐야 한다고 말했다.',
    ].join('\n');
    const story = (id: string, text: string, minutes: number): DedupeInput => ({
      id,
      url: `https://${id}.example.kr/1`,
      title: '',
      body: text,
      outlet: id,
      publishedAt: new Date(Date.parse('2025-03-03T01:00:00.000Z') + minutes * 60_000).toISOString(),
    });

    it('joins the rewrite to the release (one alert) and keeps the own report apart, linked as related', async () => {
      const c = createClusterer(createMemoryClusterIndex());
      expect(await c.assign(story('release', release, 0))).toMatchObject({ clusterId: 'release', leader: true });
      expect(await c.assign(story('rewrite', rewrite, 30))).toMatchObject({ clusterId: 'release', leader: false });
      expect(await c.assign(story('own', ownReport, 60))).toMatchObject({ clusterId: 'own', leader: true, related: ['release'] });
    });

    it('joins the rewrite by the vocabulary rule: under the shingle and the 60% sentence bars', () => {
      const o = DEFAULT_DEDUPE_OPTIONS;
      const sets = (text: string) => ({ ...fingerprintSets('', text, o), publishedAt: '2025-03-03T01:00:00.000Z' });
      const [r, w, own] = [sets(release), sets(rewrite), sets(ownReport)];
      expect(verifyPair(w, r, o).join).toBe(true);
      expect(verifyPair(w, r, { ...o, closeSentenceShare: 2 }).join).toBe(false);
      // As many shared sentences, but words of its own: bigram Jaccard under the bar.
      expect(verifyPair(own, r, { ...o, closeJaccard: 0 }).join).toBe(true);
      expect(verifyPair(own, r, o).join).toBe(false);
    });
  });
});
