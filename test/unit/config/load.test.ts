import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, loadConfig, parseConfig } from '../../../shared/config/load.ts';
import { configJsonSchema } from '../../../shared/config/json-schema.ts';
import { editDistance, nearestKey } from '../../../shared/config/suggest.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';

/** The problems of a config text, one formatted line each. */
function problemsOf(text: string, file = 'x.yaml'): string[] {
  try {
    parseConfig(text, file);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  throw new Error('expected a ConfigError');
}

const BAD = `version: 1
topics:
  gpu:
    labl: GPU
    strnog: [GPU]
    threshold: high
    weak:
      - term: 엔비디아
        alias: [Nvidia]
sources:
  - kind: rss
    id: Bad Id
    url: notaurl
    outlet: x
delivery:
  emial: []
`;

describe('config', () => {
  it('loads the shipped newswatch.config.yaml, frozen', () => {
    const config = loadConfig('newswatch.config.yaml');
    expect(Object.keys(config.topics)).toEqual(['deepseek', 'sovereign_ai', 'gpu']);
    expect(Object.isFrozen(config.topics)).toBe(true);
    expect(Object.isFrozen(config.topics.gpu!.strong)).toBe(true);
  });

  it('rejects a config without topics, naming the key and its line', () => {
    expect(problemsOf('version: 1\ntopics: {}\n')).toEqual(['x.yaml:2:9: topics: define at least one topic']);
  });

  it('reports every problem at once with FILE:LINE:COLUMN, key path and what was expected', () => {
    expect(problemsOf(BAD)).toEqual([
      'x.yaml:4:5: topics.gpu.label: missing required key; expected string',
      'x.yaml:4:5: topics.gpu.labl: unknown key `labl`; did you mean `label`?',
      'x.yaml:5:5: topics.gpu.strnog: unknown key `strnog`; did you mean `strong`?',
      'x.yaml:6:16: topics.gpu.threshold: expected number, got string',
      'x.yaml:9:9: topics.gpu.weak[0].alias: unknown key `alias`; did you mean `aliases`?',
      'x.yaml:12:9: sources[0].id: expected a source id in lower-case, digits, - or _, got "Bad Id"',
      'x.yaml:13:10: sources[0].url: expected a URL such as https://example.com/feed',
      'x.yaml:16:3: delivery.emial: unknown key `emial`; did you mean `email`?',
    ]);
  });

  it('suggests the nearest key of that object only, or lists the allowed ones', () => {
    const [p] = problemsOf('version: 1\ntopics:\n  t:\n    label: T\n    kewords: [a]\n');
    expect(p).toBe(
      'x.yaml:5:5: topics.t.kewords: unknown key `kewords`; allowed here: `label`, `description`, `threshold`, `strong`, `weak`, `together`, `passing`, `exclude`, `not`',
    );
    const [q] = problemsOf('version: 1\ntopics:\n  t:\n    label: T\n    keywords: [a]\n');
    expect(q).toContain('put terms under `strong` (decide alone) or `weak` (need company)');
  });

  it('reports YAML syntax errors with their line and column', () => {
    const problems = problemsOf('version: 1\ntopics:\n  gpu: [GPU\n  deepseek: {\n');
    expect(problems.length).toBeGreaterThanOrEqual(1);
    expect(problems[0]).toMatch(/^x\.yaml:4:\d+: YAML syntax: /);
  });

  it('reports a duplicated key', () => {
    expect(problemsOf('version: 1\nversion: 1\ntopics: {}\n')[0]).toMatch(/^x\.yaml:2:1: YAML syntax: Map keys must be unique/);
  });

  it('names an unreadable file', () => {
    expect(() => loadConfig('no/such/file.yaml')).toThrow(/^no\/such\/file\.yaml: cannot read the config file/);
  });

  it('lets a user add a fourth topic in a few lines, no code', () => {
    const shipped = readFileSync('newswatch.config.yaml', 'utf8');
    const hbm = [
      '  hbm:',
      '    label: HBM',
      '    strong:',
      '      - term: HBM',
      '        aliases: [고대역폭메모리]',
      '    weak: [SK하이닉스, 삼성전자]',
      '',
    ].join('\n');
    const text = shipped.replace('\n  gpu:\n', `\n${hbm}  gpu:\n`);
    const config = parseConfig(text, 'with-hbm.yaml');
    expect(Object.keys(config.topics)).toEqual(['deepseek', 'sovereign_ai', 'hbm', 'gpu']);
    const r = compileClassifier(config.topics).classify({ title: 'SK하이닉스, 고대역폭메모리(HBM) 공급 확대', body: '' });
    expect(r.topics).toEqual(['hbm']);
  });
});

describe('across sections', () => {
  it('names a destination topic that is not defined, with the nearest one, on its line', () => {
    const text = `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
delivery:
  webhooks:
    - id: ingest
      topics: [deepseek, deepsek]
      url: { env: WEBHOOK_URL }
      signingSecret: { env: WEBHOOK_SECRET }
`;
    expect(problemsOf(text)).toEqual(['x.yaml:7:26: delivery.webhooks[0].topics[1]: unknown topic "deepsek"; did you mean `deepseek`? (topics: deepseek)']);
  });

  it('refuses two sources with one id', () => {
    const text = `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
sources:
  - { kind: rss, id: yna, outlet: 연합뉴스, url: "https://www.yna.co.kr/rss/news.xml" }
  - { kind: rss, id: yna, outlet: 연합뉴스, url: "https://www.yna.co.kr/rss/economy.xml" }
`;
    expect(problemsOf(text).join('\n')).toMatch(/^x\.yaml:6:\d+: sources\[1\]\.id: source id "yna" is used twice/);
  });

  it('reports cross-section problems in the same pass as a section that fails', () => {
    // A source without its outlet used to hide the unknown destination topic and the repeated id until it was fixed.
    const text = `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
sources:
  - { kind: rss, id: yna, url: "https://www.yna.co.kr/rss/news.xml" }
  - { kind: rss, id: yna, outlet: 연합뉴스, url: "https://www.yna.co.kr/rss/economy.xml" }
delivery:
  slack:
    - { id: team, topics: [deepsek], webhook: { env: SLACK_URL } }
`;
    expect(problemsOf(text)).toEqual([
      'x.yaml:5:5: sources[0].outlet: missing required key; expected string',
      'x.yaml:6:22: sources[1].id: source id "yna" is used twice; ids must be unique',
      'x.yaml:9:28: delivery.slack[0].topics[0]: unknown topic "deepsek"; did you mean `deepseek`? (topics: deepseek)',
    ]);
  });

  it('says a topic id is snake_case, at the key, and does not hold source ids to it', () => {
    const text = `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
  Sovereign-AI: { label: 소버린 AI, strong: [소버린 AI] }
sources:
  - { kind: rss, id: yna-latest, outlet: 연합뉴스, url: "https://www.yna.co.kr/rss/news.xml" }
`;
    expect(problemsOf(text)).toEqual(['x.yaml:4:3: topics.Sovereign-AI: expected a topic id in snake_case such as sovereign_ai, got "Sovereign-AI"']);
  });
});

describe('did you mean', () => {
  it.each([
    ['kewords', ['keywords', 'label'], 'keywords'],
    ['treshold', ['threshold', 'strong'], 'threshold'],
    ['exlcude', ['exclude', 'weak'], 'exclude'],
    ['color', ['threshold', 'strong'], undefined],
  ])('%s among %j -> %s', (key, allowed, expected) => {
    expect(nearestKey(key, allowed)).toBe(expected);
  });

  it('counts a transposition as one edit', () => {
    expect(editDistance('exlcude', 'exclude')).toBe(1);
  });
});

describe('newswatch.schema.json', () => {
  // Regenerate with `npm run schema` after changing shared/config/schema/*.
  it('is the schema generated from the zod config schema', () => {
    expect(readFileSync('newswatch.schema.json', 'utf8')).toBe(configJsonSchema());
  });

  it('is referenced by the config file for editor completion', () => {
    expect(readFileSync('newswatch.config.yaml', 'utf8').split('\n')[0]).toBe('# yaml-language-server: $schema=./newswatch.schema.json');
  });
});
