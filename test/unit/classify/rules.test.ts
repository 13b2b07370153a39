// The matcher's reading rules (glosses inside terms, Hanja country abbreviations) and
// the concept rules a user writes in the config (`together`, `passing`): what fires,
// what it adds, and that every rule that fired is named in `why`.
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../../shared/config/load.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { explainClassification } from '../../../shared/classify/explain.ts';

const shippedConfig = loadConfig('newswatch.config.yaml');
const shipped = compileClassifier(shippedConfig.topics);

/** A classifier over a one-topic config written as a user would write it. */
function classifierFor(yamlTopic: string) {
  return compileClassifier(parseConfig(`version: 1\ntopics:\n  t:\n    label: T\n${yamlTopic}`, 'test.yaml').topics);
}

/** The config problems of a one-topic config, one line each. */
function problemsOf(yamlTopic: string): string[] {
  try {
    parseConfig(`version: 1\ntopics:\n  t:\n    label: T\n${yamlTopic}`, 'x.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

describe('glosses inside terms', () => {
  it.each([
    ['정부, 소버린(Sovereign) AI 전략 발표', 'sovereign_ai', '소버린 AI', '소버린(Sovereign) AI'],
    ['삼성, 인공지능(AI) 칩 양산 돌입', 'gpu', 'AI 칩', '인공지능(AI) 칩'],
    ['과기정통부 "독자 인공지능(AI) 파운데이션 모델 2차 평가"', 'sovereign_ai', '독자 AI 파운데이션 모델', '독자 인공지능(AI) 파운데이션 모델'],
    ['국가 인공지능(AI) 컴퓨팅센터 사업자 선정', 'gpu', '국가 AI 컴퓨팅센터', '국가 인공지능(AI) 컴퓨팅센터'],
  ])('%s reads as %s through the gloss', (title, topic, term, found) => {
    const r = shipped.classify({ title, body: '' });
    expect(r.topics).toContain(topic);
    const hit = r.why[topic]!.hits.find((h) => h.term === term)!;
    expect(hit).toMatchObject({ found, kind: 'strong', rule: 'gloss in brackets read through' });
  });

  it('그래픽처리장치(GPU) is still one mention, not two', () => {
    const hit = shipped.classify({ title: '', body: '정부가 그래픽처리장치(GPU) 1만 장을 확보했다.' }).why.gpu!.hits.find((h) => h.term === 'GPU')!;
    expect(hit.count).toBe(1);
    expect(hit.rule).toBeUndefined();
  });

  it('a spelling configured with its gloss is found once, not again through the gloss', () => {
    const c = classifierFor(`    strong: [{ term: 국가AI컴퓨팅센터, aliases: [국가인공지능(AI)컴퓨팅센터, 국가인공지능컴퓨팅센터] }]\n`);
    const hit = c.classify({ title: '', body: '국가인공지능(AI)컴퓨팅센터 사업자가 정해졌다.' }).why.t!.hits[0]!;
    expect(hit).toMatchObject({ found: '국가인공지능(AI)컴퓨팅센터', count: 1 });
  });

  it('reads through two glosses in one term, and glosses in several terms of one text', () => {
    const c = classifierFor(`    strong: [독자 인공지능 파운데이션 모델, 소버린 AI]\n`);
    const r = c.classify({ title: '', body: '독자 인공지능(AI) 파운데이션(Foundation) 모델 사업은 소버린(Sovereign) AI 전략의 핵심이다.' });
    expect(r.why.t!.hits.map((h) => h.found)).toEqual(['독자 인공지능(AI) 파운데이션(Foundation) 모델', '소버린(Sovereign) AI']);
  });

  it('a term in brackets after a space is not a gloss: 중국 스타트업 (딥시크) still names DeepSeek', () => {
    expect(shipped.classify({ title: '중국 스타트업 (딥시크) 돌풍', body: '' }).topics).toEqual(['deepseek']);
  });

  it('does not read through a long bracketed aside', () => {
    const c = classifierFor(`    strong: [소버린 AI]\n`);
    expect(c.classify({ title: '소버린(이 말은 원래 국가 신용 위험을 뜻하는 금융 시장의 용어였는데 요즘은 다르다) AI', body: '' }).topics).toEqual([]);
  });
});

describe('Hanja country abbreviations in titles', () => {
  const c = classifierFor(`    threshold: 3\n    together:\n      - [중국, [엔비디아, H20]]\n      - [미국, 수출 통제]\n`);

  it.each([
    ['美, 엔비디아 H20 칩 中 판매 승인 재개', '中 = 중국'],
    ['美 수출 통제에 엔비디아 고전', '美 = 미국'],
  ])('%s', (title, reading) => {
    const r = c.classify({ title, body: '' });
    expect(r.topics).toEqual(['t']);
    expect(r.why.t!.hits[0]!.rule).toContain(`Hanja ${reading}`);
  });

  it('日 and 韓 read as 일본 and 한국, and the hit names the reading', () => {
    const k = classifierFor(`    strong: [일본 정부, 한국 AI]\n`);
    const r = k.classify({ title: '日 정부, 자국 AI 모델 개발에 1조엔…韓 AI는', body: '' });
    expect(r.why.t!.hits.map((h) => [h.term, h.found, h.rule])).toEqual([
      ['일본 정부', '日 정부', 'Hanja 日 = 일본'],
      ['한국 AI', '韓 AI', 'Hanja 韓 = 한국'],
    ]);
  });

  it('英 佛 獨 too: 英, 엔비디아와 AI 인프라 확대', () => {
    const k = classifierFor(`    together:\n      - [[영국, 프랑스, 독일], AI 인프라]\n`);
    const r = k.classify({ title: '英, 엔비디아 손잡고 AI 인프라 확대', body: '' });
    expect(r.topics).toEqual(['t']);
    expect(r.why.t!.hits[0]!.rule).toBe('Hanja 英 = 영국');
  });

  it('two abbreviations side by side both read (韓美), but not a Han word (中國, 英伟达)', () => {
    const k = classifierFor(`    strong: [한국, 중국, 영국]\n`);
    expect(k.classify({ title: '韓美 AI모델 격차', body: '' }).why.t!.hits.map((h) => h.term)).toEqual(['한국']);
    expect(k.classify({ title: '中國 반도체 굴기', body: '' }).topics).toEqual([]);
    expect(k.classify({ title: '英伟达 H20', body: '' }).topics).toEqual([]);
  });

  it('only in titles, and not a date (3日)', () => {
    const k = classifierFor(`    strong: [일본]\n`);
    expect(k.classify({ title: '', body: '日 정부가 발표했다.' }).topics).toEqual([]);
    expect(k.classify({ title: '3日 발표', body: '' }).topics).toEqual([]);
  });
});

describe('together: a term from each member', () => {
  const c = classifierFor(`    together:\n      - [엔비디아, [칩, 반도체, 가속기]]\n`);

  it.each(['엔비디아 칩 중국 판매 허용', '엔비디아, 차세대 가속기 공개', '엔비디아 반도체 수출 허가'])('%s matches', (title) => {
    const r = c.classify({ title, body: '' });
    expect(r.topics).toEqual(['t']);
    expect(r.why.t!.hits[0]).toMatchObject({ kind: 'together', term: '엔비디아 + 칩/반도체/가속기' });
  });

  it('one member alone does nothing', () => {
    expect(c.classify({ title: '엔비디아 주가 급등', body: '' }).why.t?.matched ?? false).toBe(false);
    expect(c.classify({ title: '삼성 반도체 실적', body: '' }).why.t?.matched ?? false).toBe(false);
  });

  it('members found only in the body must be near one another (about a sentence)', () => {
    const near = c.classify({ title: '', body: '엔비디아가 차세대 칩을 공개했다.' });
    expect(near.topics).toEqual(['t']);
    const far = c.classify({
      title: '',
      body: `엔비디아 젠슨 황이 방한했다. ${'그는 여러 기업 대표를 만나 협력 방안을 논의했다. '.repeat(5)}삼성은 칩 생산을 늘린다.`,
    });
    expect(far.why.t?.matched ?? false).toBe(false);
    // A member in the title frames the whole story: the body member may be anywhere.
    const titled = c.classify({ title: '엔비디아의 다음 수', body: `${'시장의 관심이 쏠린다. '.repeat(10)}차세대 가속기가 나온다.` });
    expect(titled.topics).toEqual(['t']);
  });

  it('a member inside a passing pattern is not found: chip stocks in a market wrap', () => {
    const k = classifierFor(`    together:\n      - [엔비디아, [칩, 가속기]]\n    passing: ["* 관련 주가"]\n`);
    expect(k.classify({ title: '', body: '엔비디아, 브로드컴, 마벨 등 AI 칩 관련 주가가 폭락했다.' }).topics).toEqual([]);
    expect(k.classify({ title: '', body: '엔비디아가 새 AI 칩을 내놓았다.' }).topics).toEqual(['t']);
  });

  it('shipped: a state buying GPUs for its own AI is sovereign_ai and gpu (TOPICS.md)', () => {
    const r = shipped.classify({ title: '정부, GPU 1만장 7월 확보… 10월 클라우드 서비스 개시', body: '' });
    expect([...r.topics].sort()).toEqual(['gpu', 'sovereign_ai']);
    expect(r.why.sovereign_ai!.hits[0]).toMatchObject({ kind: 'together', found: '정부 + GPU + 확보' });
  });

  it('shipped: a foreign government curbing chip sales is not a state building its own AI (gpu only)', () => {
    for (const [title, body] of [
      ['"美, 엔비디아 H20 칩 中 판매 승인 재개"…수출 제한 3개월만', '미국 정부가 지난 4월 중국 수출을 제한한 엔비디아 H20 칩의 중국 공급을 다시 허용했다.'],
      ['트럼프 행정부, 엔비디아 GPU 중국 공급 막는다', '트럼프 행정부가 엔비디아의 GPU 중국 공급을 막는 수출 통제를 확대했다.'],
      ['중국, 엔비디아 H20 구매 자제령', '중국 정부가 자국 기업들에 엔비디아 GPU 구매를 자제하라고 권고했다.'],
    ]) {
      const r = shipped.classify({ title: title!, body: body! });
      expect(r.topics).toEqual(['gpu']);
      expect(r.why.sovereign_ai?.matched ?? false).toBe(false);
    }
    // Korea's own government buying GPUs still is, and so is another state buying them for its own AI.
    expect(shipped.classify({ title: '', body: '정부가 엔비디아 GPU 1만 장을 확보했다.' }).topics).toContain('sovereign_ai');
    expect(shipped.classify({ title: '', body: '일본 정부가 자국 AI 개발을 위해 GPU 2만 장을 확보했다.' }).topics).toContain('sovereign_ai');
  });

  it('shipped: another state building AI compute through its head of state or a state company is sovereign_ai', () => {
    const r = shipped.classify({ title: '사우디 왕세자 승부수…네옴에 AI 데이터센터', body: '사우디아라비아가 네옴에 1.5GW 규모의 AI 데이터센터를 짓는다.' });
    expect([...r.topics].sort()).toEqual(['gpu', 'sovereign_ai']);
    const both = shipped.classify({ title: '', body: '덴마크 국영 투자기금이 자국 AI 슈퍼컴퓨터 구축에 나섰다.' });
    expect([...both.topics].sort()).toEqual(['gpu', 'sovereign_ai']);
    // A company's data centre abroad, with no state behind it, is not.
    expect(shipped.classify({ title: '', body: '아마존이 호주에 AI 데이터센터를 짓는다.' }).topics).toEqual(['gpu']);
  });

  it('shipped: graphics-card and AI-system names that never say GPU', () => {
    for (const title of ['RTX 5070 Ti 출시…가격은 그대로', '엔비디아 DGX 스파크 국내 출시', '엔비디아, 차세대 루빈 내년 출시']) {
      expect(shipped.classify({ title, body: '' }).topics).toEqual(['gpu']);
    }
    // 루빈 alone is a surname.
    expect(shipped.classify({ title: '로버트 루빈 전 재무장관 "금리 더 오른다"', body: '' }).topics).toEqual([]);
  });

  it("shipped: other states' own models and AI compute without a sovereign keyword", () => {
    const meti = shipped.classify({ title: '경제산업성, 국산 생성형 AI 개발 위해 84억 엔 지원', body: '' });
    expect(meti.topics).toContain('sovereign_ai');
    const swiss = shipped.classify({
      title: '스위스, 오픈소스 AI 모델 공개',
      body: '스위스가 자국 최초의 완전 오픈소스 다국어 대형 언어 모델(LLM)을 공개하며, 미국과 중국의 AI 중심지 구도에 도전했다.',
    });
    expect(swiss.topics).toContain('sovereign_ai');
    const uk = shipped.classify({
      title: '영국, AI 연구자원 투자금 3배 확대',
      body: '영국 정부가 세계 최고의 인공지능(AI) 슈퍼컴퓨터를 구축하고자 투자금을 3배로 늘린다.',
    });
    expect(uk.topics).toEqual(expect.arrayContaining(['sovereign_ai', 'gpu']));
    // A foreign company's own model, with no state and no US-China framing, is a product launch.
    expect(shipped.classify({ title: '일본 NTT, 자체 LLM 공개', body: 'NTT가 자체 개발한 대형 언어 모델을 공개했다.' }).topics).not.toContain('sovereign_ai');
  });

  it('shipped: AI chips that are never called GPUs (AMD, Huawei, compute bought by the gigawatt)', () => {
    const broadcom = shipped.classify({
      title: '오픈AI, 브로드컴과 AI 반도체 구축 협력',
      body: '오픈AI가 브로드컴과 10기가와트(GW) 규모의 인공지능(AI) 맞춤형 반도체를 개발한다.',
    });
    expect(broadcom.topics).toContain('gpu');
    expect(shipped.classify({ title: 'AMD, 신형 AI 반도체로 추격', body: '' }).topics).toContain('gpu');
    expect(shipped.classify({ title: '모빌린트, 온디바이스 AI 반도체 공동 연구', body: '' }).topics).toContain('gpu');
  });

  it('shipped: Intel Gaudi as a GPU alternative', () => {
    const r = shipped.classify({ title: '인텔, 가우디3 공급 확대', body: '인텔이 AI 가속기 가우디3의 공급을 늘린다.' });
    expect(r.topics).toContain('gpu');
    expect(r.why.gpu!.hits.some((h) => h.kind === 'together' && h.term === '인텔 + 가우디/Gaudi')).toBe(true);
  });
});

describe('passing: a mention as a yardstick or a hook', () => {
  it.each([
    ['"제2의 딥시크 나온다"…AI 스타트업 투자 몰려', '제2의 *'],
    ['딥시크 같은 AI 만들려면 GPU부터', '* 같은'],
    ['챗GPT와 같은 생성형 AI, 딥시크보다 싸게', '*보다'],
    ['한국판 딥시크 만든다', '한국판 *'],
  ])('%s does not make a DeepSeek story', (title, pattern) => {
    const r = shipped.classify({ title, body: '' });
    expect(r.topics).not.toContain('deepseek');
    const hit = r.why.deepseek!.hits.find((h) => h.kind === 'passing')!;
    expect(hit).toMatchObject({ term: '딥시크', weight: 0, rule: `passing "${pattern}"` });
  });

  it('shipped: DeepSeek as one name of a ·-list of firms, or a yardstick after a name ending in a consonant (과 같은)', () => {
    expect(shipped.classify({ title: '알리바바·딥시크·샤오미… 中 AI 모델 줄줄이 공개', body: '' }).topics).not.toContain('deepseek');
    const r = shipped.classify({ title: '', body: '량원펑과 같은 젊은 창업자가 한국에도 필요하다.' });
    expect(r.topics).toEqual([]);
    expect(r.why.deepseek!.hits[0]).toMatchObject({ kind: 'passing', rule: 'passing "*과 같은"' });
    expect(shipped.classify({ title: '딥시크, R2 공개 임박', body: '' }).topics).toEqual(['deepseek']);
  });

  it('a plain mention elsewhere still counts: the story is about DeepSeek after all', () => {
    const r = shipped.classify({ title: '"제2의 딥시크" 경계하는 美', body: '미국 정부가 딥시크 앱의 정부 기기 사용을 금지했다.' });
    expect(r.topics).toEqual(['deepseek']);
  });

  it('needs a word boundary after the pattern: "* 등" is not 등장, but 등을 is', () => {
    const c = classifierFor(`    strong: [딥시크]\n    passing: ["* 등"]\n`);
    expect(c.classify({ title: '딥시크 등장에 美 증시 출렁', body: '' }).topics).toEqual(['t']);
    expect(c.classify({ title: '챗GPT, 딥시크 등을 써 본 결과', body: '' }).topics).toEqual([]);
    expect(c.classify({ title: '오픈AI, 딥시크 등 중국 AI 견제', body: '' }).topics).toEqual([]);
  });

  it('a pattern ending in punctuation needs no word end after it: "*·" for a list 딥시크·알리바바·샤오미', () => {
    const c = classifierFor(`    strong: [딥시크]\n    passing: ["*·"]\n`);
    expect(c.classify({ title: '딥시크·알리바바·샤오미… 초거대 AI 줄줄이 공개', body: '' }).topics).toEqual([]);
    expect(c.classify({ title: '딥시크, 새 모델 공개', body: '' }).topics).toEqual(['t']);
  });

  it('"…" stands for a few words within the sentence: GPU as one item of a list of support', () => {
    const c = classifierFor(`    strong: [{ term: GPU, aliases: [그래픽처리장치] }]\n    passing: ["*, … 등"]\n`);
    expect(c.classify({ title: '', body: '최종 선발팀에는 GPU, 데이터, 인재 등 정부 집중 지원이 제공된다.' }).topics).toEqual([]);
    expect(c.classify({ title: '', body: '정부는 고성능 그래픽처리장치(GPU), 개발 기간 등 동등한 지원을 한다.' }).topics).toEqual([]);
    // Too far, or past the end of the sentence: a plain mention.
    expect(c.classify({ title: '', body: '정부가 GPU, 그중에서도 최신 블랙웰 제품을 대거 사들이기로 했다 등 여러 말이 나온다.' }).topics).toEqual(['t']);
    expect(c.classify({ title: '', body: '정부가 GPU, 1만 장을 샀다. 등산로도 정비한다.' }).topics).toEqual(['t']);
  });

  it('a gloss after the term is part of the mention: 딥시크(DeepSeek)와 같은', () => {
    const c = classifierFor(`    strong: [{ term: 딥시크, aliases: [DeepSeek] }]\n    passing: ["*와 같은"]\n`);
    expect(c.classify({ title: '', body: '딥시크(DeepSeek)와 같은 모델이 또 나올 것이다.' }).topics).toEqual([]);
  });

  it('a model or version name and quotation marks around the term are part of the mention', () => {
    const c = classifierFor(`    strong: [딥시크]\n    passing: ["*과 같은", "*에 이어", "*를 뛰어넘는", "제2의 *"]\n`);
    // 딥시크 R1과 같은: the 과 같은 follows the model name, not 딥시크 itself.
    expect(c.classify({ title: '', body: '알리바바는 "딥시크 R1과 같은 최첨단 추론 모델과 경쟁한다"고 밝혔다.' }).topics).toEqual([]);
    expect(c.classify({ title: '', body: '중국 딥시크-V3(46.9%)를 뛰어넘는 수치다.' }).topics).toEqual([]);
    expect(c.classify({ title: '', body: '오픈AI의 GPT-5, 중국 딥시크 3.1버전에 이어 3등에 올랐다.' }).topics).toEqual([]);
    expect(c.classify({ title: '', body: '세계를 놀라게 했던 ‘딥시크’에 이어 또 다른 모델이 나왔다.' }).topics).toEqual([]);
    expect(c.classify({ title: '제2의 "딥시크" 나온다', body: '' }).topics).toEqual([]);
    // Still a plain mention: the model name is the story's subject, or the word after it is no pattern.
    expect(c.classify({ title: '', body: '딥시크 R1을 공개했다.' }).topics).toEqual(['t']);
    expect(c.classify({ title: '', body: '딥시크 AI와 같은 날 발표했다.' }).topics).toEqual(['t']);
  });

  it('shipped: a rival aiming at DeepSeek or beating it is a yardstick', () => {
    const r = shipped.classify({
      title: '"딥시크보다 더 싸고 더 똑똑해요"…알리바바, 자체 AI 모델 공개',
      body: '중국 빅테크 알리바바가 AI 기업 딥시크의 R1 모델을 겨냥한 새 추론 모델을 공개했다. 알리바바 측은 "딥시크 R1과 같은 최첨단 추론 모델과 경쟁한다"라고 밝혔다.',
    });
    expect(r.topics).not.toContain('deepseek');
    expect(shipped.classify({ title: '', body: '키미 K2는 딥시크를 제치고 1위에 올랐다. 딥시크 대비 비용은 절반이다.' }).topics).toEqual([]);
  });

  it('a pattern with a weight adds it, and still never decides alone', () => {
    const c = classifierFor(`    threshold: 1\n    strong: [딥시크]\n    passing: [{ pattern: "제2의 *", weight: 1 }]\n`);
    const why = c.classify({ title: '제2의 딥시크', body: '' }).why.t!;
    expect(why).toMatchObject({ matched: false, score: 2 });
  });

  it('explains the passing mention on its own line, with the pattern', () => {
    const r = shipped.classify({ title: '제2의 딥시크 꿈꾸는 스타트업', body: '' });
    const text = explainClassification('제2의 딥시크 꿈꾸는 스타트업', r, shippedConfig.topics);
    expect(text).toMatch(/passing +"딥시크" in title x1 +\+0 +\(passing "제2의 \*"\)/);
  });
});

describe('primary topic', () => {
  it('the highest score comes first; a topic only mentioned in passing is not listed at all', () => {
    const title = "'제2의 딥시크' 키운다…정부, AI 스타트업에 GPU 1천장 지원";
    const body =
      '과학기술정보통신부는 AI 스타트업 30곳에 그래픽처리장치(GPU) 1천 장을 6개월간 무상으로 빌려준다고 밝혔다. 엔비디아 H100 기반 클러스터를 쓰게 된다.';
    const r = shipped.classify({ title, body });
    expect(r.topics[0]).toBe('gpu');
    expect(r.topics).not.toContain('deepseek');
  });

  it('orders several matched topics by score, ties in config order', () => {
    const c = compileClassifier(
      parseConfig('version: 1\ntopics:\n  a:\n    label: A\n    strong: [알파]\n  b:\n    label: B\n    strong: [베타]\n', 'x.yaml').topics,
    );
    expect(c.classify({ title: '베타', body: '알파' }).topics).toEqual(['b', 'a']);
    expect(c.classify({ title: '알파 베타', body: '' }).topics).toEqual(['a', 'b']);
    expect(c.classify({ title: '', body: '베타와 알파' }).topics).toEqual(['a', 'b']);
  });
});

describe('config errors for the rules', () => {
  it('a passing pattern without * names the fix', () => {
    expect(problemsOf(`    strong: [딥시크]\n    passing: ["제2의"]\n`)).toEqual([
      'x.yaml:6:15: topics.t.passing[0]: a passing pattern needs exactly one * where the term goes (found 0); write the mention as * with the words around it, e.g. "제2의 *", "* 같은", "*보다", "*, … 등"',
    ]);
  });

  it('two stars, and a bare star, are refused', () => {
    const p = problemsOf(`    strong: [딥시크]\n    passing: ["* 와 *", { pattern: " * " }]\n`);
    expect(p[0]).toContain('topics.t.passing[0]: a passing pattern needs exactly one * where the term goes (found 2)');
    expect(p[1]).toContain('topics.t.passing[1].pattern: " * " has no words around the *, so it would demote every mention');
  });

  it('"…" only after the *, once, with words after it', () => {
    const p = problemsOf(`    strong: [딥시크]\n    passing: ["… 제2의 *", "*, …"]\n`);
    expect(p[0]).toContain('topics.t.passing[0]: "… 제2의 *": … (a few words) may appear once, after the *, with words after it, e.g. "*, … 등"');
    expect(p[1]).toContain('topics.t.passing[1]: "*, …": … (a few words) may appear once');
  });

  it('a together rule of one member, and an empty alternative list, are refused', () => {
    const p = problemsOf(`    together:\n      - [엔비디아]\n      - [엔비디아, []]\n`);
    expect(p).toHaveLength(2);
    expect(p[0]).toContain('topics.t.together[0]: a together rule needs at least two members');
    expect(p[1]).toContain('topics.t.together[1][1]: an empty list of terms can never be found');
  });

  it('a misspelled key suggests passing', () => {
    expect(problemsOf(`    strong: [딥시크]\n    pasing: ["제2의 *"]\n`)[0]).toContain('unknown key `pasing`; did you mean `passing`?');
  });
});
