// The `newswatch classify` and `newswatch validate` contracts, as a user or a shell pipeline
// runs them: the CLI in-process (main with in-memory streams; test/support/cli.ts).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../support/cli.ts';

const newswatch = (args: string[], stdin = '') => runCli(args, { stdin });

const lines = (s: string) =>
  s
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as Record<string, unknown>);

describe('newswatch classify (JSONL on stdin)', () => {
  it('writes one line per input, in input order, errors inline, and exits 0', async () => {
    const input = [
      JSON.stringify({ id: 'a', title: '딥시크, 추론 모델 R1 공개', body: '중국 딥시크가 R1을 공개했다.' }),
      '{not json',
      JSON.stringify({ title: '엔비디아 GPU', body: '' }),
      JSON.stringify({ id: 7, title: '서울 아파트값 상승', body: '서울 아파트 값이 올랐다.' }),
      JSON.stringify({ id: 'b', title: 42 }),
      JSON.stringify({ id: 'c', title: '정부, 그래픽처리장치(GPU) 1만장 확보', body: '국가대표 AI 모델을 뽑는다.' }),
    ].join('\n');
    const run = await newswatch(['classify'], `${input}\n`);
    expect(run.code).toBe(0);
    const out = lines(run.stdout);
    expect(out.map((o) => o.id)).toEqual(['a', null, null, 7, 'b', 'c']);
    expect(out[0]).toMatchObject({ id: 'a', topics: ['deepseek'] });
    expect((out[0]!.why as Record<string, { hits: { term: string; field: string }[] }>).deepseek!.hits[0]).toMatchObject({ term: '딥시크', field: 'title' });
    expect(out[1]!.error).toMatch(/not valid JSON/);
    expect(out[2]!.error).toMatch(/missing "id"/);
    expect(out[3]).toEqual({ id: 7, topics: [], why: {} });
    expect(out[4]).toEqual({ id: 'b', error: '"title" must be a string' });
    expect(out[5]).toMatchObject({ id: 'c', topics: ['sovereign_ai', 'gpu'] });
  });

  it('accepts Windows input: a byte-order mark and CRLF line ends', async () => {
    const run = await newswatch(
      ['classify'],
      `\uFEFF${JSON.stringify({ id: 'w1', title: '딥시크' })}\r\n${JSON.stringify({ id: 'w2', title: 'GPU 부족' })}\r\n`,
    );
    expect(lines(run.stdout).map((o) => [o.id, o.topics])).toEqual([
      ['w1', ['deepseek']],
      ['w2', ['gpu']],
    ]);
  });

  it('streams: answers a line before stdin is closed', async () => {
    const stdin = new PassThrough();
    const child = startCli(['classify'], { stdin });
    stdin.write(`${JSON.stringify({ id: 1, title: '딥시크', body: '' })}\n`);
    const first = (await child.waitFor('\n')).split('\n')[0]!;
    expect(JSON.parse(first)).toMatchObject({ id: 1, topics: ['deepseek'] });
    stdin.end(`${JSON.stringify({ id: 2, title: '소버린 AI', body: '' })}\n`);
    const { code, stdout } = await child.done;
    expect(code).toBe(0);
    expect(lines(stdout).map((l) => l.id)).toEqual([1, 2]);
  });

  it('--explain adds a readable explanation to each line', async () => {
    const run = await newswatch(['classify', '--explain'], `${JSON.stringify({ id: 'x', title: '엔비디아 주가 급등, AI 반도체 랠리', body: '' })}\n`);
    const [o] = lines(run.stdout);
    expect(o!.topics).toEqual([]);
    expect(o!.explanation).toContain('GPU (gpu): no match');
    expect(o!.explanation).toContain('weak terms need company');
  });

  it('uses --config and refuses a broken one with line numbers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-'));
    const good = join(dir, 'good.yaml');
    writeFileSync(good, 'version: 1\ntopics:\n  hbm:\n    label: HBM\n    strong: [HBM]\n');
    const run = await newswatch(['classify', '--config', good], `${JSON.stringify({ id: 1, title: 'HBM 수출 급증', body: '' })}\n`);
    expect(lines(run.stdout)[0]).toMatchObject({ topics: ['hbm'] });

    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 1\ntopics:\n  hbm:\n    label: HBM\n    strnog: [HBM]\n');
    const failed = await newswatch(['classify', '--config', bad], '');
    expect(failed.code).toBe(1);
    expect(failed.stderr).toContain(`${bad}:5:5: topics.hbm.strnog: unknown key \`strnog\`; did you mean \`strong\`?`);
  });
});

describe('newswatch classify FILE.txt / --text', () => {
  it('explains one article file: title first, then each topic with its evidence', async () => {
    const run = await newswatch(['classify', 'test/fixtures/seeds/etoday-ai-chase-team-meeting.txt']);
    expect(run.code).toBe(0);
    const out = run.stdout.split('\n');
    expect(out[0]).toBe("“'AI 추격조' 만들어야”…딥시크 등장에 머리 맞대는 민관");
    // Highest score first: the primary topic, then the others.
    const [, listed, primary] = /Topics: (.+)\nPrimary: (.+?) \(highest score; filed under it in the digest and Slack\)/.exec(run.stdout) ?? [];
    expect(listed?.split(', ').sort()).toEqual(['DeepSeek', 'GPU', '소버린 AI']);
    expect(primary).toBe(listed?.split(', ')[0]);
    expect(run.stdout).toMatch(/소버린 AI \(sovereign_ai\): MATCH, score [\d.]+ \/ threshold 3/);
    expect(run.stdout).toMatch(/strong +"딥시크" in title x1 +\+6/);
  });

  it('explains --text, first line as the title, with every rule that fired', async () => {
    const run = await newswatch([
      'classify',
      '--text',
      '제2의 딥시크 꿈꾸는 韓 스타트업, 엔비디아 GPU 1000장 확보\n퓨리오사AI와 손잡고 인공지능(AI) 칩도 쓴다.',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('제2의 딥시크 꿈꾸는 韓 스타트업, 엔비디아 GPU 1000장 확보');
    expect(run.stdout).toContain('Topics: GPU\n');
    expect(run.stdout).toMatch(/DeepSeek \(deepseek\): no match, score 0 \/ threshold 3/);
    expect(run.stdout).toMatch(/passing +"딥시크" in title x1 +\+0 +\(passing "제2의 \*"\)/);
    expect(run.stdout).toMatch(/strong +"AI 칩" as "인공지능\(AI\) 칩" in body x1 +\+3 +\(gloss in brackets read through\)/);
  });

  it('--explain with FILE.txt or --text prints the same explanation, each term found: it is what those modes print', async () => {
    const file = 'test/fixtures/seeds/etoday-ai-chase-team-meeting.txt';
    const text = '엔비디아 GPU H100 수출 규제\nGPU 데이터센터 엔비디아 블랙웰';
    for (const [plain, explained] of [
      [
        ['classify', file],
        ['classify', '--explain', file],
      ],
      [
        ['classify', '--text', text],
        ['classify', '-e', '--text', text],
      ],
    ]) {
      const without = await newswatch(plain!);
      const run = await newswatch(explained!);
      expect(run).toEqual({ code: 0, stdout: without.stdout, stderr: '' });
      expect(run.stdout).toMatch(/\(\w+\): MATCH, score [\d.]+ \/ threshold \d+\n {2}strong +"[^"]+" in title x1 +\+6\n/);
    }
  });

  it('shows a vetoing exclusion term', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-'));
    const config = join(dir, 'gpu.yaml');
    writeFileSync(config, 'version: 1\ntopics:\n  gpu:\n    label: GPU\n    strong: [GPU]\n    exclude: [채용 공고]\n');
    const run = await newswatch(['classify', '--config', config, '--text', 'GPU 엔지니어 채용 공고\n우대 사항: GPU 경험']);
    expect(run.stdout).toContain('GPU (gpu): no match');
    expect(run.stdout).toContain('vetoed by "채용 공고"');
  });

  it('explains one article: FILE.txt and --text together, or two files, are a usage error, not one ignored', async () => {
    const both = await newswatch(['classify', 'article.txt', '--text', '딥시크']);
    expect(both).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "newswatch classify: give FILE.txt or --text, not both (got 'article.txt' and --text); see `newswatch classify --help`\n",
    });
    const two = await newswatch(['classify', 'a.txt', 'b.txt']);
    expect(two).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "newswatch classify: one FILE.txt at a time: unexpected argument 'b.txt'; see `newswatch classify --help`\n",
    });
  });

  it('names a file it cannot read', async () => {
    const run = await newswatch(['classify', 'no-such-article.txt']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('cannot read no-such-article.txt');
  });
});

describe('newswatch classify, bad options', () => {
  it('says in one line which option lacks its value, exit 2', async () => {
    for (const args of [
      ['classify', '--text'],
      ['classify', '-t'],
      ['classify', '--config', '--text', 'x'],
    ]) {
      const run = await newswatch(args);
      expect(run.code).toBe(2);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/^newswatch classify: option --(text|config) needs a value[^\n]*; see `newswatch classify --help`\n$/);
    }
  });
});

describe('newswatch validate', () => {
  it('checks one file: a second is a usage error, not ignored behind an "ok" for the first', async () => {
    const run = await newswatch(['validate', 'newswatch.config.yaml', 'other.yaml']);
    expect(run).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "newswatch validate: one file at a time: unexpected argument 'other.yaml'; see `newswatch validate --help`\n",
    });
  });

  it('exits 0 on the shipped config', async () => {
    const run = await newswatch(['validate']);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^newswatch\.config\.yaml: ok \(3 topics/);
  });

  it('prints every problem with its line and exits 1', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'version: 2\ntopics:\n  gpu:\n    label: GPU\n    treshold: 4\n');
    const run = await newswatch(['validate', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`${bad}:1:10: version: expected one of 1`);
    expect(run.stderr).toContain(`${bad}:5:5: topics.gpu.treshold: unknown key \`treshold\`; did you mean \`threshold\`?`);
    expect(run.stderr).toContain(`2 problems in ${bad}`);
  });

  it('refuses passing patterns and together rules that cannot work, each with its line and the fix', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-'));
    const bad = join(dir, 'rules.yaml');
    writeFileSync(
      bad,
      'version: 1\ntopics:\n  deepseek:\n    label: DeepSeek\n    strong: [딥시크]\n    passing:\n      - "제2의"\n      - " * "\n  gpu:\n    label: GPU\n    strong: [GPU]\n    together:\n      - [엔비디아]\n      - [엔비디아, []]\n',
    );
    const run = await newswatch(['validate', bad]);
    expect(run.code).toBe(1);
    expect(run.stderr.split('\n').filter((l) => l !== '')).toEqual([
      `${bad}:7:9: topics.deepseek.passing[0]: a passing pattern needs exactly one * where the term goes (found 0); write the mention as * with the words around it, e.g. "제2의 *", "* 같은", "*보다", "*, … 등"`,
      `${bad}:8:9: topics.deepseek.passing[1]: " * " has no words around the *, so it would demote every mention; write the mention as * with the words around it, e.g. "제2의 *", "* 같은", "*보다", "*, … 등"`,
      `${bad}:13:9: topics.gpu.together[0]: a together rule needs at least two members (one term or list of terms each)`,
      `${bad}:14:16: topics.gpu.together[1][1]: an empty list of terms can never be found`,
      `4 problems in ${bad}`,
    ]);
  });
});
