// Hostile sources beside good ones, as a user runs newswatch: the real CLI (`run --once`)
// in a child process, feeds over real HTTP, the embedded store, and a real Slack/webhook
// receiver. Whatever one source answers, the others are polled and stored, nothing unsafe
// reaches a message or the terminal, and the next run still polls.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';

const CLI = ['--import', 'tsx', 'cli/main.ts'];
const HOOK_SECRET = 'whsec_' + Buffer.from('a-test-key-of-sufficient-length!').toString('base64');

interface FeedItem {
  title: string;
  link: string;
  guid: string;
  description?: string;
}

/** An RSS feed whose items were published minutes ago (so they are new and alert). */
function rss(items: FeedItem[]): string {
  const pub = new Date(Date.now() - 5 * 60_000).toUTCString();
  const body = items
    .map(
      (i) => `<item><title><![CDATA[${i.title}]]></title><link>${i.link}</link><guid isPermaLink="false">${i.guid}</guid>
<description><![CDATA[${i.description ?? i.title}]]></description><pubDate>${pub}</pubDate></item>`,
    )
    .join('\n');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title><link>https://example.com/</link>\n${body}\n</channel></rss>`;
}

const GOOD: FeedItem[] = [
  { title: '엔비디아 H20 GPU 中 수출 통제 강화 검토', link: 'https://www.yna.co.kr/view/AKR20250206104400009', guid: 'good-1', description: '미국 정부가 엔비디아의 중국 수출용 AI 칩 H20 GPU 수출 통제를 검토한다.' },
];

let feeds: FixtureServer;
let rx: Receiver;
let dir: string;

beforeEach(async () => {
  feeds = await startFixtureServer({ '/good.xml': { body: rss(GOOD), headers: { 'content-type': 'application/rss+xml' } } });
  rx = await startReceiver();
  dir = mkdtempSync(join(tmpdir(), 'newswatch-hostile-'));
});
afterEach(async () => {
  await feeds.close();
  await rx.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The user's topics, the given sources, and a Slack and a webhook destination on the receiver. */
function writeConfig(sources: string[]): string {
  const base = readFileSync('newswatch.config.yaml', 'utf8');
  const topics = base.slice(base.indexOf('\ntopics:'), base.indexOf('\nsources:'));
  const text = `version: 1
settings:
  timeoutMs: 5000
${topics}
sources:
${sources.map((s) => `  - ${s}`).join('\n')}
delivery:
  slack:
    - { id: team, topics: [gpu, deepseek, sovereign_ai], webhook: { env: NW_TEST_SLACK }, burstLimit: 20 }
  webhooks:
    - { id: ingest, topics: [gpu, deepseek, sovereign_ai], url: { env: NW_TEST_HOOK }, signingSecret: { env: NW_TEST_HOOK_SECRET } }
`;
  const file = join(dir, 'config.yaml');
  writeFileSync(file, text);
  return file;
}

const source = (id: string, path: string) => `{ kind: rss, id: ${id}, outlet: ${id}, url: "${feeds.url(path)}", fetchArticle: never }`;

function run(config: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const env = { ...process.env, NO_COLOR: '1', NW_TEST_SLACK: rx.url('/slack'), NW_TEST_HOOK: rx.url('/hook'), NW_TEST_HOOK_SECRET: HOOK_SECRET };
    const child = spawn(process.execPath, [...CLI, 'run', '--once', '--config', config, '--store', join(dir, 'store'), '--allow-private-network'], { env });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('close', (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

const goodPolls = () => feeds.requests.filter((r) => r.path === '/good.xml').length;

describe('a hostile source beside good ones (newswatch run --once)', () => {
  it('a 429 with an absurd Retry-After neither stops the run nor the next one; a 10-year one is cut to 6 hours', async () => {
    feeds.route('/absurd.xml', { status: 429, headers: { 'retry-after': '99999999999999999' } });
    feeds.route('/decade.xml', { status: 429, headers: { 'retry-after': String(10 * 365 * 24 * 3600) } });
    const config = writeConfig([source('good', '/good.xml'), source('absurd', '/absurd.xml'), source('decade', '/decade.xml')]);

    const first = await run(config);
    expect(first.stderr).not.toMatch(/Invalid time value/);
    expect(first.status).toBe(0);
    expect(first.stdout).toContain('엔비디아 H20 GPU 中 수출 통제 강화 검토');
    expect(first.stderr).toMatch(/3 sources polled, 2 failed/);
    expect(goodPolls()).toBe(1);

    // The next run starts, reads the stored states and polls what is due.
    const second = await run(config);
    expect(second.stderr).not.toMatch(/Invalid time value/);
    expect(second.status).toBe(0);
    expect(second.stderr).toMatch(/cycle: \d+ sources polled/);

    const status = await new Promise<string>((resolve) => {
      const child = spawn(process.execPath, [...CLI, 'status', '--json', '--config', config, '--store', join(dir, 'store')], { env: { ...process.env, NO_COLOR: '1' } });
      let out = '';
      child.stdout.on('data', (d: Buffer) => (out += d.toString()));
      child.on('close', () => resolve(out));
    });
    const states = (JSON.parse(status) as { sources: { id: string; nextPollAt?: string }[] }).sources;
    // Polled again within hours, never years from now; the absurd value is ignored (normal backoff).
    const decade = states.find((s) => s.id === 'decade')?.nextPollAt;
    expect(Date.parse(decade!) - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
    expect(Date.parse(decade!) - Date.now()).toBeGreaterThan(5 * 3600_000);
    const absurd = states.find((s) => s.id === 'absurd')?.nextPollAt;
    if (absurd !== undefined) expect(Date.parse(absurd) - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
  });
});
