// A term inside a longer word that means something else: Korean writes words without
// spaces inside them, so 인도 (India) is found in 인도네시아 (Indonesia). A topic's `not`
// words hide a term found inside them; `why` still shows it, masked, with the word named.
// And a Latin term that starts with a letter may follow digits (10GW).
import { describe, expect, it } from 'vitest';
import { explainClassification } from '../../../shared/classify/explain.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { ConfigError, loadConfig, parseConfig } from '../../../shared/config/load.ts';

const shippedConfig = loadConfig('newswatch.config.yaml');
const shipped = compileClassifier(shippedConfig.topics);

function configFor(yamlTopic: string, file = 'test.yaml') {
  return parseConfig(`version: 1\ntopics:\n  t:\n    label: T\n${yamlTopic}`, file);
}

function problemsOf(yamlTopic: string): string[] {
  try {
    configFor(yamlTopic, 'x.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.message.split('\n');
    throw e;
  }
  return [];
}

const STATE_COMPUTE = `    together:
      - [[인도, 일본, 인도네시아], 데이터센터, 장관]
    not: [인도네시아, 인도양, 인도 태평양, 인도삿]
`;

describe('`not` words', () => {
  it('hides a term found inside one and shows it in why as masked, with the word', () => {
    const config = configFor(STATE_COMPUTE);
    const c = compileClassifier(config.topics);
    const r = c.classify({ title: '인도양 섬나라 몰디브, 데이터센터 유치', body: '몰디브 통신부 장관이 밝혔다.' });
    expect(r.topics).toEqual([]);
    expect(r.why.t).toMatchObject({ matched: false, score: 0 });
    expect(r.why.t!.hits).toEqual([
      {
        term: '인도',
        found: '인도',
        field: 'title',
        kind: 'masked',
        rule: 'inside "인도양", a `not` word',
        weight: 0,
        count: 1,
        snippet: '인도양 섬나라 몰디브, 데이터센터 유치',
      },
    ]);
    const text = explainClassification('인도양 섬나라 몰디브, 데이터센터 유치', r, config.topics);
    expect(text).toContain('  masked   "인도" in title x1  +0  (inside "인도양", a `not` word)');
  });

  it('still counts the term where it stands alone, and a not word that is a term of its own', () => {
    const c = compileClassifier(configFor(STATE_COMPUTE).topics);
    const india = c.classify({ title: '인도양 건너 인도 정부, 데이터센터 짓는다', body: '인도 전자정보기술부 장관이 밝혔다.' });
    expect(india.topics).toEqual(['t']);
    expect(india.why.t!.hits.map((h) => h.kind)).toEqual(['together', 'masked']);
    const indonesia = c.classify({ title: '인도네시아 장관 "데이터센터 유치"', body: '' });
    expect(indonesia.topics).toEqual(['t']);
    expect(indonesia.why.t!.hits[0]).toMatchObject({ kind: 'together', found: '인도네시아 + 데이터센터 + 장관' });
  });

  it('matches only where the text writes it as one word: 인도 양국 is India, 인도 태평양 may be spaced as written', () => {
    const c = compileClassifier(configFor(STATE_COMPUTE).topics);
    expect(c.classify({ title: '한국과 인도 양국 장관, 데이터센터 협력', body: '' }).topics).toEqual(['t']);
    for (const title of ['인도 태평양 장관 회의, 데이터센터 논의', '인도태평양 장관 회의, 데이터센터 논의']) {
      const r = c.classify({ title, body: '' });
      expect(r.topics).toEqual([]);
      expect(r.why.t!.hits[0]).toMatchObject({ kind: 'masked', rule: 'inside "인도 태평양", a `not` word' });
    }
  });

  it('masks strong and weak terms too, and only in its own topic', () => {
    const config = parseConfig(
      `version: 1
topics:
  a:
    label: A
    strong: [대만]
    not: [대만족]
  b:
    label: B
    strong: [대만]
`,
      'x.yaml',
    );
    const r = compileClassifier(config.topics).classify({ title: '신제품 써본 고객들 대만족', body: '' });
    expect(r.topics).toEqual(['b']);
    expect(r.why.a!.hits).toMatchObject([{ term: '대만', kind: 'masked', weight: 0 }]);
  });

  it('in the shipped config, a country inside a longer word is no state acting on AI', () => {
    // 인도 in 인도양 and 대만 in 대만족 used to fire "a state + AI compute + its government".
    for (const [title, body] of [
      ['인도양 섬나라 몰디브, AI 데이터센터 유치', '몰디브 정부는 해저 케이블이 닿는 섬에 데이터센터를 짓겠다고 밝혔다.'],
      ['클라우드 고객 대만족…AI 데이터센터 증설', '회사는 정부 지원으로 AI 데이터센터를 늘린다고 밝혔다.'],
    ]) {
      const r = shipped.classify({ title: title!, body: body! });
      expect(r.topics).not.toContain('sovereign_ai');
      expect(r.why.sovereign_ai!.hits.some((h) => h.kind === 'masked')).toBe(true);
    }
    // India itself still is.
    expect(shipped.classify({ title: '인도 정부, AI 데이터센터에 국비 투입', body: '' }).topics).toContain('sovereign_ai');
  });
});

describe('`not` words in the config', () => {
  it('refuses a word that holds no term of the topic, or only the term itself, with the fix', () => {
    const p = problemsOf('    strong: [인도]\n    not: [인니, 인도, " "]\n');
    expect(p).toEqual([
      'x.yaml:6:11: topics.t.not[0]: "인니" holds none of this topic\'s terms with letters to spare, so it hides nothing (to veto the topic when a word appears, use `exclude`); list longer words that contain one of the topic\'s terms and mean something else, e.g. 인도네시아 or 인도양 for 인도',
      'x.yaml:6:15: topics.t.not[1]: "인도" holds none of this topic\'s terms with letters to spare, so it hides nothing (to veto the topic when a word appears, use `exclude`); list longer words that contain one of the topic\'s terms and mean something else, e.g. 인도네시아 or 인도양 for 인도',
      'x.yaml:6:19: topics.t.not[2]: " " has no letters; list longer words that contain one of the topic\'s terms and mean something else, e.g. 인도네시아 or 인도양 for 인도',
    ]);
  });

  it('accepts a word holding an alias or a together member, spacing and case aside', () => {
    expect(
      problemsOf('    strong: [{ term: 엔비디아, aliases: [NVIDIA] }]\n    together: [[[GPU, 칩], 확보]]\n    not: [nvidia shield, 칩거, 확보 불가]\n'),
    ).toEqual([]);
  });
});

describe('Latin terms after digits', () => {
  it('finds a unit after its number (10GW, 1.5GW) and keeps model names whole', () => {
    const c = compileClassifier(configFor('    strong: [GW, H20, B200]\n').topics);
    expect(c.classify({ title: '오픈AI, 10GW 규모 데이터센터', body: '' }).topics).toEqual(['t']);
    expect(c.classify({ title: '1.5GW 전력 확보', body: '' }).why.t!.hits[0]).toMatchObject({ term: 'GW', found: 'GW' });
    // Letters then digits are a model name: H20 is not in H200, B200 not in GB200; GW is not in GWh.
    expect(c.classify({ title: 'H200 공급, GB200 출하, 10GWh 저장', body: '' }).topics).toEqual([]);
  });

  it('lets the shipped gigawatt rule read GW', () => {
    const r = shipped.classify({ title: '오픈AI, 브로드컴과 10GW 규모 맞춤형 반도체 계약', body: '' });
    expect(r.topics).toContain('gpu');
    expect(r.why.gpu!.hits[0]).toMatchObject({ kind: 'together', found: 'GW + 맞춤형 반도체' });
  });
});

describe('masked hits in delivery', () => {
  it('are not listed among the matched terms of a Slack message or the digest', async () => {
    const { storyView } = await import('../../../shared/deliver/story-view.ts');
    const { groupDigest } = await import('../../../shared/deliver/digest-group.ts');
    const title = '인도양 섬나라 몰디브, 소버린 AI 구축 나서';
    const c = shipped.classify({ title, body: '' });
    expect(c.topics).toEqual(['sovereign_ai']);
    expect(c.why.sovereign_ai!.hits.map((h) => [h.term, h.kind])).toEqual([
      ['소버린 AI', 'strong'],
      ['인도', 'masked'],
    ]);
    const at = '2026-11-22T01:00:00.000Z';
    const story = {
      ...{ id: 'mv', url: 'https://www.example.co.kr/news/mv', title, outlet: '전자신문', sourceId: 'etnews', summary: '' },
      ...{ publishedAt: at, firstSeenAt: at, day: '2026-11-22', topics: c.topics, why: c.why, clusterId: 'mv', leader: true },
    };
    expect(storyView(shippedConfig, story).terms).toEqual(['소버린 AI']);
    expect(groupDigest(shippedConfig, story.day, [story]).sections[0]!.clusters[0]!.terms).toEqual(['소버린 AI']);
  });
});
