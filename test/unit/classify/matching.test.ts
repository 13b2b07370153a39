// Spelling, spacing, particle and token-boundary tables: what an analyst types in the
// config must find the ways Korean outlets actually write it, and nothing else.
import { describe, expect, it } from 'vitest';
import { loadConfig, parseConfig } from '../../../shared/config/load.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';

const shipped = compileClassifier(loadConfig('newswatch.config.yaml').topics);

/** A classifier over a one-topic config written as a user would write it. */
function classifierFor(yamlTopic: string) {
  return compileClassifier(parseConfig(`version: 1\ntopics:\n  t:\n    label: T\n${yamlTopic}`, 'test.yaml').topics);
}

describe('spellings of the shipped topics', () => {
  it.each([
    ['딥시크, 새 추론 모델 공개', 'deepseek'],
    ['딥씨크 앱 다운로드 중단', 'deepseek'],
    ['DeepSeek-R1 tops the app store', 'deepseek'],
    ['deepseek 쇼크', 'deepseek'],
    ['ＤｅｅｐＳｅｅｋ 충격 (full-width letters)', 'deepseek'],
    ['딥 시크 열풍 (spaced)', 'deepseek'],
    ['중국 딥식 V3.1 공개', 'deepseek'],
    ['소버린 AI 전략 발표', 'sovereign_ai'],
    ['소버린AI로 사우디 뚫었다', 'sovereign_ai'],
    ['소버린　ai 구축 (ideographic space, lower case)', 'sovereign_ai'],
    ['주권 AI 투자 확대', 'sovereign_ai'],
    ['국가대표 AI 1차 평가 결과', 'sovereign_ai'],
    ['독자 인공지능(AI) 파운데이션 모델 정예팀 추가 공모', 'sovereign_ai'],
    ['정부, 그래픽처리장치(GPU) 1만장 확보', 'gpu'],
    ['엔비디아 H20 중국 수출 재개', 'gpu'],
    ['Ｈ２０ 수출 허가 (full-width)', 'gpu'],
    ['B200 768장 지원', 'gpu'],
  ])('%s -> %s', (title, topic) => {
    expect(shipped.classify({ title, body: '' }).topics).toContain(topic);
  });

  it.each([
    ['안랩 V3 엔진 업데이트', 'deepseek'],
    ['야마하 R1 신형 출시', 'deepseek'],
    ['TPU 소재 운동화 출시', 'gpu'],
    ['국가대표 축구 명단 발표', 'sovereign_ai'],
    ['엔비디아 주가 사상 최고', 'gpu'],
  ])('does not read %s as %s', (title, topic) => {
    expect(shipped.classify({ title, body: '' }).topics).not.toContain(topic);
  });

  it.each([
    ['딥시크의 R1', '딥시크'],
    ['딥시크가 밝힌 비용', '딥시크'],
    ['딥시크는 오픈소스', '딥시크'],
    ['딥시크를 차단했다', '딥시크'],
  ])('matches with a particle attached: %s', (title, found) => {
    const why = shipped.classify({ title, body: '' }).why.deepseek!;
    expect(why.matched).toBe(true);
    expect(why.hits[0]?.found).toBe(found);
  });

  it('matches Hangul typed with decomposed jamo (NFD, as copied from macOS)', () => {
    expect(shipped.classify({ title: '딥시크 충격'.normalize('NFD'), body: '' }).topics).toEqual(['deepseek']);
  });

  it('keeps the end of a long text whose start expands under NFKC (㈜ -> (주))', () => {
    const fresh = compileClassifier(loadConfig('newswatch.config.yaml').topics);
    const body = `${'㈜'.repeat(20)}${'가'.repeat(10_000)}딥시크`;
    expect(fresh.classify({ title: '', body }).why.deepseek?.hits[0]?.found).toBe('딥시크');
  });

  it('matches across a zero-width space inside a word', () => {
    expect(shipped.classify({ title: '딥\u200b시크 충격', body: '' }).topics).toEqual(['deepseek']);
  });

  it('reports the spelling found, not only the configured one', () => {
    const hit = shipped.classify({ title: '엔비디아는 그래픽 처리 장치를 더 판다', body: '' }).why.gpu!.hits.find((h) => h.term === 'GPU');
    expect(hit?.found).toBe('그래픽 처리 장치');
  });
});

describe('Latin terms match whole tokens', () => {
  const c = classifierFor(`    threshold: 1\n    strong: [R1, H20, AI, GPU, V3, B200]\n`);
  const found = (text: string) => (c.classify({ title: text, body: '' }).why.t?.hits ?? []).map((h) => h.found);

  it.each([
    ['R1 공개', ['R1']],
    ['R10 공개', []],
    ['딥시크R1 공개', ['R1']],
    ['DeepSeek-R1-Zero', ['R1']],
    ['H20 칩', ['H20']],
    ['H200 칩', []],
    ['H20s shipped', ['H20s']],
    ['HE SAID IT', []],
    ['AI칩 수요', ['AI']],
    ['GPUs are scarce', ['GPUs']],
    ['GPUS', ['GPUS']],
    ['GPUSERVER', []],
    ['기아 EV3 출시', []],
    ['GB200 서버', []],
    ['(B200) 도입', ['B200']],
  ])('%s -> %j', (text, expected) => {
    expect(found(text)).toEqual(expected);
  });
});

describe('scoring', () => {
  it('a strong term in the title decides alone and counts twice a body mention', () => {
    const c = classifierFor(`    threshold: 3\n    strong: [딥시크]\n`);
    const inTitle = c.classify({ title: '딥시크 공개', body: '' }).why.t!;
    const inBody = c.classify({ title: '', body: '중국 딥시크가 모델을 공개했다.' }).why.t!;
    expect(inTitle.matched).toBe(true);
    expect(inTitle.score).toBe(6);
    expect(inBody.score).toBe(3);
  });

  it('weak terms never carry a topic alone, however often they appear', () => {
    const body = '엔비디아 주가가 올랐다. 엔비디아는 사상 최고가를 기록했다. 엔비디아 시총은 3조 달러다.';
    const why = shipped.classify({ title: '엔비디아 주가 급등', body }).why.gpu!;
    expect(why.score).toBeGreaterThanOrEqual(why.threshold);
    expect(why.matched).toBe(false);
  });

  it('a weak term adds to a strong one', () => {
    const why = shipped.classify({ title: '', body: '엔비디아가 GPU 공급을 늘린다.' }).why.gpu!;
    expect(why.score).toBe(4);
    expect(why.matched).toBe(true);
  });

  it('a term and its gloss in brackets are one mention', () => {
    const why = shipped.classify({ title: '', body: '그래픽처리장치(GPU) 확보가 관건이다.' }).why.gpu!;
    expect(why.hits.find((h) => h.term === 'GPU')?.count).toBe(1);
  });

  it('together groups count only when every member is present', () => {
    const c = classifierFor(`    threshold: 3\n    weak: [국가대표]\n    together:\n      - [국가대표, AI 모델]\n`);
    expect(c.classify({ title: '', body: '국가대표 선발전이 열렸다.' }).topics).toEqual([]);
    const both = c.classify({ title: '', body: '국가대표 AI 모델을 뽑는다.' });
    expect(both.topics).toEqual(['t']);
    expect(both.why.t!.hits.some((h) => h.kind === 'together' && h.term === '국가대표 + AI 모델')).toBe(true);
  });

  it('an exclusion vetoes the topic and says which term did it', () => {
    const c = classifierFor(`    strong: [GPU]\n    exclude: [채용 공고]\n`);
    const why = c.classify({ title: 'GPU 엔지니어 채용 공고', body: '' }).why.t!;
    expect(why.matched).toBe(false);
    expect(why.vetoedBy).toBe('채용 공고');
  });

  it('an article written as summary points (개조식) counts as prose, a list of headlines does not', () => {
    // The points end on a nominalised predicate (함, 음, 됨, 임): the article's own text, as in
    // an AI summary box. Before, every point counted a tenth, as page chrome, and a story about
    // AMD supplying GPUs to OpenAI matched no topic.
    const points = [
      '- AMD가 OpenAI에 AI 칩을 다년간 공급하는 계약을 체결해 연간 수십억 달러의 매출을 기대함',
      '- 소식 직후 AMD 주가가 하루 만에 34% 이상 급등해 9년 만의 최대 상승폭을 기록했음',
      '- AMD는 OpenAI에 수년간 수십만 개 규모의 GPU를 공급하기로 함',
      '- OpenAI는 2026년 하반기부터 1GW급 데이터센터를 구축할 예정임',
    ].join('\n');
    expect(shipped.classify({ title: '', body: points }).topics).toEqual(['gpu']);
    // Headlines end on a noun, some of which end like a predicate (재포함, 모바일게임).
    const headlines = [
      '- AMD, OpenAI에 AI 칩 공급',
      '- 엔비디아 GPU 수출 통제 대상 재포함',
      '- 엔비디아 GPU로 돌리는 모바일게임',
      '- 삼성전자 HBM4 양산 돌입',
    ].join('\n');
    const why = shipped.classify({ title: '', body: `지역 축제가 열렸다.\n${headlines}` }).why.gpu;
    expect(why?.matched ?? false).toBe(false);
  });

  it('consumer graphics cards are gpu (TOPICS.md: launches and reviews included)', () => {
    expect(shipped.classify({ title: '지포스 RTX 5090 출시', body: '' }).topics).toEqual(['gpu']);
  });

  it('lists matched topics highest score first (the primary topic), ties in config order, with evidence for each', () => {
    const r = shipped.classify({ title: '엔비디아 GPU 부족에 딥시크와 소버린 AI 주목', body: '' });
    expect(r.topics).toEqual(['gpu', 'deepseek', 'sovereign_ai']);
    expect(r.why.gpu!.score).toBeGreaterThan(r.why.deepseek!.score);
    expect(r.why.deepseek!.score).toBe(r.why.sovereign_ai!.score);
    for (const id of r.topics) {
      const hit = r.why[id]!.hits[0]!;
      expect(hit.field).toBe('title');
      expect(hit.snippet).toContain(hit.found);
    }
  });

  it('is pure: the same article gives the same result after other articles', () => {
    const a = { title: '딥시크 R1 공개', body: '중국 딥시크가 추론 모델 R1을 공개했다.\n엔비디아 GPU 없이도 가능했다.' };
    const first = shipped.classify(a);
    shipped.classify({ title: '소버린 AI', body: '국가대표 AI 모델 '.repeat(500) });
    shipped.classify({ title: '', body: '' });
    expect(shipped.classify(a)).toEqual(first);
  });

  it('reports nothing for an article with no term', () => {
    expect(shipped.classify({ title: '서울 아파트값 10주 연속 상승', body: '서울 아파트 값이 10주 연속 올랐다.' })).toEqual({ topics: [], why: {} });
  });
});
