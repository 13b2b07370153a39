// `newswatch run` prints what went wrong without failing a source, in-process (its output
// is what the test reads; spawning the CLI would add nothing but seconds).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { run } from '../../../cli/commands/run.ts';
import { runCli } from '../../support/cli.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';

let feeds: FixtureServer;
let dir: string;

beforeEach(async () => {
  feeds = await startFixtureServer({
    '/cut.xml': { file: 'feeds/malformed-recoverable.xml', headers: { 'content-type': 'application/rss+xml; charset=utf-8' } },
  });
  dir = mkdtempSync(join(tmpdir(), 'newswatch-warn-'));
});
afterEach(async () => {
  await feeds.close();
  rmSync(dir, { recursive: true, force: true });
});

it('newswatch run --once prints each source warning on stderr (a feed cut off mid-item) and keeps its items', async () => {
  const config = readFileSync('newswatch.config.yaml', 'utf8').replace(
    /^sources:\n(?:[\s#-].*\n|\n)*/m,
    `sources:\n  - { kind: rss, id: inews24, outlet: 아이뉴스24, url: "${feeds.url('/cut.xml')}", fetchArticle: never }\n`,
  );
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, config);

  const stderr: string[] = [];
  const writes = { out: process.stdout.write, err: process.stderr.write };
  process.stdout.write = (() => true) as typeof process.stdout.write;
  process.stderr.write = ((chunk: string | Uint8Array) => stderr.push(String(chunk)) > 0) as typeof process.stderr.write;
  let status: number;
  try {
    status = await run(['--once', '--config', configFile, '--store', join(dir, 'store'), '--allow-private-network']);
  } finally {
    process.stdout.write = writes.out;
    process.stderr.write = writes.err;
  }
  expect(status).toBe(0);
  const text = stderr.join('');
  expect(text).toContain('warning: inews24: malformed XML at line 21 (the feed ends inside an entry): kept the 2 items before it\n');
  expect(text).toMatch(/cycle: 1 sources polled, 2 items/);
});

it('an article page that failed for now shows in newswatch status until a poll reads it', async () => {
  let down = true;
  const site = await startFixtureServer({
    '/a/1': {
      handler: (_req, res) =>
        down
          ? res.writeHead(503).end()
          : res
              .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
              .end(
                '<html><head><meta charset="utf-8"><title>지역 축제</title></head><body><article><h1>지역 축제</h1><p>올해도 지역 축제가 열렸다. 주최 측은 관광객이 늘었다고 밝혔다.</p></article></body></html>',
              ),
    },
  });
  site.route('/teasers.xml', {
    body: `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><item><title>지역 소식</title><link>${site.url('/a/1')}</link><description>요약…</description></item></channel></rss>`,
  });
  try {
    const config = readFileSync('newswatch.config.yaml', 'utf8').replace(
      /^sources:\n(?:[\s#-].*\n|\n)*/m,
      `sources:\n  - { kind: rss, id: teasers, outlet: 테스트일보, url: "${site.url('/teasers.xml')}", fetchArticle: always }\n`,
    );
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, config);
    const args = ['--config', configFile, '--store', join(dir, 'store')];
    const env = { NO_COLOR: '1' };
    expect((await runCli(['run', '--once', ...args, '--allow-private-network'], { env })).code).toBe(0);
    const pending = await runCli(['status', ...args], { env });
    expect(pending.stdout).toContain('      1 article page not read yet (failed for now; tried again on the next poll)\n');
    down = false;
    expect((await runCli(['run', '--once', ...args, '--allow-private-network'], { env })).code).toBe(0);
    expect((await runCli(['status', ...args], { env })).stdout).not.toContain('not read yet');
  } finally {
    await site.close();
  }
});
