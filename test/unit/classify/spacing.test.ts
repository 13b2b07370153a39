// Spaces are removed before matching so that Korean spacing variants match (소버린 AI =
// 소버린AI). A term of two Hangul syllables must not then be found across a space, as the
// end of one word and the start of the next: 독일 (Germany) in 단독 일정, 일본 (Japan) in
// 매일 본다. Such a find is no mention, and `why` shows it as masked with the reason.
import { describe, expect, it } from 'vitest';
import { explainClassification } from '../../../shared/classify/explain.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { loadConfig, parseConfig } from '../../../shared/config/load.ts';

const shipped = compileClassifier(loadConfig('newswatch.config.yaml').topics);

function configFor(yamlTopic: string) {
  return parseConfig(`version: 1\ntopics:\n  t:\n    label: T\n${yamlTopic}`, 'test.yaml');
}

const COUNTRIES = `    strong: [독일, 일본, 중국]
`;
const countries = compileClassifier(configFor(COUNTRIES).topics);

describe('a two-syllable term across a space', () => {
  it.each([
    ['단독 일정 공개 앞둔 신작', '독일 in 단독 일정'],
    ['매일 본다는 그 앱', '일본 in 매일 본다'],
    ['협상 집중 국면 들어서', '중국 in 집중 국면'],
    ['지난 29일 본격적인 건설에 들어갔다', '일본 in 29일 본격적인'],
  ])('%s: no match (%s)', (title) => {
    expect(countries.classify({ title, body: '' }).topics).toEqual([]);
    expect(countries.classify({ title: '', body: title }).topics).toEqual([]);
  });

  it('shows the split find in why as masked, weight 0, with the reason', () => {
    const config = configFor(COUNTRIES);
    const r = countries.classify({ title: '단독 일정 공개', body: '' });
    expect(r.why.t).toMatchObject({ matched: false, score: 0 });
    expect(r.why.t!.hits).toEqual([
      {
        term: '독일',
        found: '독 일',
        field: 'title',
        kind: 'masked',
        rule: 'split by a space: the end of one word and the start of the next',
        weight: 0,
        count: 1,
        snippet: '단독 일정 공개',
      },
    ]);
    expect(explainClassification('단독 일정 공개', r, config.topics)).toContain(
      '  masked   "독일" as "독 일" in title x1  +0  (split by a space: the end of one word and the start of the next)',
    );
  });

  it('a line break or a no-break space between the syllables splits them too', () => {
    expect(countries.classify({ title: '', body: '오늘 단독\n일정 공개' }).topics).toEqual([]);
    expect(countries.classify({ title: '매일\u00a0본다', body: '' }).topics).toEqual([]);
  });

  it('still finds the term written whole, with particles or inside a longer word, next to a split find', () => {
    for (const title of ['독일의 AI 전략', '중국산 칩 수입', '일본은 왜', '대중국 수출', '단독 일정 중 독일 방문']) {
      expect(countries.classify({ title, body: '' }).topics, title).toEqual(['t']);
    }
    // A zero-width space inside a word is not a space between words.
    expect(countries.classify({ title: '독\u200b일 정부', body: '' }).topics).toEqual(['t']);
  });

  it('a together member split by a space does not complete the rule', () => {
    const c = compileClassifier(configFor(`    together:\n      - [[독일, 일본], 데이터센터]\n`).topics);
    expect(c.classify({ title: '단독 일정: 데이터센터 착공', body: '' }).topics).toEqual([]);
    expect(c.classify({ title: '독일 데이터센터 착공', body: '' }).topics).toEqual(['t']);
  });

  it('a term configured with the space finds the split spelling: 미 국무부', () => {
    const c = compileClassifier(configFor(`    strong: [미국, 미 국무부]\n`).topics);
    const r = c.classify({ title: '미 국무부 대변인 브리핑', body: '' });
    expect(r.topics).toEqual(['t']);
    expect(r.why.t!.hits.map((h) => [h.term, h.kind])).toEqual([
      ['미 국무부', 'strong'],
      ['미국', 'masked'],
    ]);
    // A two-syllable term written with a space asks for both spellings.
    const spaced = compileClassifier(configFor(`    strong: [중 국]\n`).topics);
    expect(spaced.classify({ title: '집중 국면', body: '' }).topics).toEqual(['t']);
    expect(spaced.classify({ title: '중국 정부', body: '' }).topics).toEqual(['t']);
  });
});

describe('spacing variants of longer terms still match', () => {
  it.each([
    ['엔비디아 칩 수출 규제', 'gpu'],
    ['소버린 AI 전략 발표', 'sovereign_ai'],
    ['국가 AI 컴퓨팅 센터 입지 선정', 'sovereign_ai'],
    ['국가 AI 컴퓨팅 센터 입지 선정', 'gpu'],
    ['딥 시크 열풍', 'deepseek'],
  ])('%s -> %s (shipped topics)', (title, topic) => {
    expect(shipped.classify({ title, body: '' }).topics).toContain(topic);
  });

  it('a term configured without spaces finds the spaced spelling', () => {
    const c = compileClassifier(configFor(`    strong: [엔비디아칩, 소버린AI, 국가AI컴퓨팅센터, 인공지능]\n`).topics);
    for (const title of ['엔비디아 칩 수급', '소버린 AI 구축', '국가 AI 컴퓨팅 센터', '인공 지능 시대']) {
      expect(c.classify({ title, body: '' }).topics, title).toEqual(['t']);
    }
  });
});
