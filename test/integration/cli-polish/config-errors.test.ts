// A broken or missing config file, as every command that reads one reports it: the CLI
// in-process (test/support/cli.ts) in a directory of its own. Each command prints exactly what
// `newswatch validate` prints (every problem as FILE:LINE:COLUMN, then how many) and exits 1,
// instead of some with a `newswatch: ` before the first problem only and some without the count.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';

let dir: string;
const newswatch = (args: string[]) => runCli(args, { env: { NO_COLOR: '1' }, cwd: dir });

const BROKEN = [
  'bad.yaml:5:5: topics.hbm.strnog: unknown key `strnog`; did you mean `strong`?',
  'bad.yaml:6:11: topics.hbm.weak: expected array, got number',
  '2 problems in bad.yaml',
  '',
].join('\n');
const MISSING = ["missing.yaml: cannot read the config file (ENOENT: no such file or directory, open 'missing.yaml')", '1 problem in missing.yaml', ''].join(
  '\n',
);

/** Every command that reads a config, with the arguments it needs to get that far. */
const COMMANDS: [string, (config: string) => string[]][] = [
  ['validate', (c) => ['validate', c]],
  ['classify', (c) => ['classify', '--config', c, '--text', '딥시크']],
  ['fetch', (c) => ['fetch', 'yna-latest', '--config', c]],
  ['extract', (c) => ['extract', 'page.html', '--config', c]],
  ['sources', (c) => ['sources', '--config', c]],
  ['run', (c) => ['run', '--once', '--config', c]],
  ['status', (c) => ['status', '--config', c]],
  ['stories', (c) => ['stories', '--config', c]],
  ['digest', (c) => ['digest', '--preview', '--config', c]],
  ['notify', (c) => ['notify', '--config', c]],
  ['deliveries', (c) => ['deliveries', '--config', c]],
  ['tune', (c) => ['tune', '--config', c]],
  ['serve', (c) => ['serve', '--config', c]],
  ['demo', (c) => ['demo', '--config', c, '--out', 'demo']],
];

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'newswatch-config-errors-'));
  writeFileSync(join(dir, 'bad.yaml'), 'version: 1\ntopics:\n  hbm:\n    label: HBM\n    strnog: [HBM]\n    weak: 5\n');
  writeFileSync(join(dir, 'page.html'), '<html><head><title>t</title></head><body><p>본문</p></body></html>');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('a config that does not load', { timeout: 60_000 }, () => {
  it.each(COMMANDS)('newswatch %s: every problem with its line, the count, exit 1, as validate prints them', async (_name, args) => {
    expect(await newswatch(args('bad.yaml'))).toEqual({ code: 1, stdout: '', stderr: BROKEN });
  });

  it.each(COMMANDS)('newswatch %s: a missing config file, in the same shape', async (_name, args) => {
    expect(await newswatch(args('missing.yaml'))).toEqual({ code: 1, stdout: '', stderr: MISSING });
  });

  it("demo: a broken config leaves the last demo's store as it was", async () => {
    const marker = join(dir, 'demo', 'store', 'kept-by-the-last-demo');
    mkdirSync(join(dir, 'demo', 'store'), { recursive: true });
    writeFileSync(marker, '');
    expect((await newswatch(['demo', '--config', 'bad.yaml', '--out', 'demo'])).code).toBe(1);
    expect(existsSync(marker)).toBe(true);
  });
});
