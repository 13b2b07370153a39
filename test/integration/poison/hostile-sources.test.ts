// Hostile sources beside good ones, as a user runs newswatch: the CLI (`run --once`)
// in-process (main with in-memory streams), feeds over real HTTP, the embedded store, and a
// real Slack/webhook receiver. Whatever one source answers, the others are polled and
// stored, nothing unsafe reaches a message or the terminal, and the next run still polls.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { startFixtureServer } from '../../support/fixture-server.ts';
import { startReceiver } from '../../support/receiver.ts';

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
  {
    title: '엔비디아 H20 GPU 中 수출 통제 강화 검토',
    link: 'https://www.yna.co.kr/view/AKR20250206104400009',
    guid: 'good-1',
    description: '미국 정부가 엔비디아의 중국 수출용 AI 칩 H20 GPU 수출 통제를 검토한다.',
  },
];

/**
 * One test's world: a feed server (serving the good feed), a Slack/webhook receiver and a
 * store directory, closed when the test ends. Each test has its own, so they run side by side.
 */
async function world(onTestFinished: (fn: () => Promise<void>) => void) {
  const feeds = await startFixtureServer({ '/good.xml': { body: rss(GOOD), headers: { 'content-type': 'application/rss+xml' } } });
  const rx = await startReceiver();
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-hostile-'));
  onTestFinished(async () => {
    await feeds.close();
    await rx.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const store = join(dir, 'store');
  return {
    feeds,
    rx,
    store,
    /** The user's topics, the given sources, and a Slack and a webhook destination on the receiver. */
    writeConfig(sources: string[]): string {
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
    },
    source: (id: string, path: string) => `{ kind: rss, id: ${id}, outlet: ${id}, url: "${feeds.url(path)}", fetchArticle: never }`,
    run(config: string) {
      const env = { NO_COLOR: '1', NW_TEST_SLACK: rx.url('/slack'), NW_TEST_HOOK: rx.url('/hook'), NW_TEST_HOOK_SECRET: HOOK_SECRET };
      return runCli(['run', '--once', '--config', config, '--store', store, '--allow-private-network'], { env });
    },
    goodPolls: () => feeds.requests.filter((r) => r.path === '/good.xml').length,
  };
}

// Concurrent: each test has its own world (feeds, receiver, store).
describe.concurrent('a hostile source beside good ones (newswatch run --once)', { timeout: 120_000 }, () => {
  it('a 429 with an absurd Retry-After neither stops the run nor the next one; a 10-year one is cut to 6 hours', async ({ expect, onTestFinished }) => {
    const { feeds, store, writeConfig, source, run, goodPolls } = await world(onTestFinished);
    feeds.route('/absurd.xml', { status: 429, headers: { 'retry-after': '99999999999999999' } });
    feeds.route('/decade.xml', { status: 429, headers: { 'retry-after': String(10 * 365 * 24 * 3600) } });
    const config = writeConfig([source('good', '/good.xml'), source('absurd', '/absurd.xml'), source('decade', '/decade.xml')]);

    const first = await run(config);
    expect(first.stderr).not.toMatch(/Invalid time value/);
    expect(first.code).toBe(0);
    expect(first.stdout).toContain('엔비디아 H20 GPU 中 수출 통제 강화 검토');
    expect(first.stderr).toMatch(/3 sources polled, 2 failed/);
    expect(goodPolls()).toBe(1);

    // The next run starts, reads the stored states and polls what is due.
    const second = await run(config);
    expect(second.stderr).not.toMatch(/Invalid time value/);
    expect(second.code).toBe(0);
    expect(second.stderr).toMatch(/cycle: \d+ sources polled/);

    const status = (await runCli(['status', '--json', '--config', config, '--store', store], { env: { NO_COLOR: '1' } })).stdout;
    const states = (JSON.parse(status) as { sources: { id: string; nextPollAt?: string }[] }).sources;
    // Polled again within hours, never years from now; the absurd value is ignored (normal backoff).
    const decade = states.find((s) => s.id === 'decade')?.nextPollAt;
    expect(Date.parse(decade!) - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
    expect(Date.parse(decade!) - Date.now()).toBeGreaterThan(5 * 3600_000);
    const absurd = states.find((s) => s.id === 'absurd')?.nextPollAt;
    if (absurd !== undefined) expect(Date.parse(absurd) - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
  });

  it("javascript: and data: links never reach Slack, a webhook or the terminal; the same feed's web links do", async ({ expect, onTestFinished }) => {
    const { feeds, rx, writeConfig, source, run } = await world(onTestFinished);
    feeds.route('/links.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        { title: '엔비디아 H100 GPU 공급 차질… 수출 통제 여파', link: 'javascript:alert(document.cookie)', guid: 'js-1' },
        { title: '엔비디아 B200 GPU 국내 첫 도입, AI 데이터센터 구축', link: 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', guid: 'data-1' },
        { title: '블랙웰 GPU 탑재 국가AI컴퓨팅센터 착공', link: 'https://www.etnews.com/20250206000111', guid: 'web-1' },
      ]),
    });
    const config = writeConfig([source('good', '/good.xml'), source('links', '/links.xml')]);
    const r = await run(config);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('블랙웰 GPU 탑재 국가AI컴퓨팅센터 착공');
    expect(r.stdout).toContain('엔비디아 H20 GPU 中 수출 통제 강화 검토');

    const sent = [...rx.requests('/slack'), ...rx.requests('/hook')].map((q) => q.body);
    expect(sent.some((b) => b.includes('https://www.etnews.com/20250206000111'))).toBe(true);
    expect(rx.requests('/hook').length).toBeGreaterThan(0);
    for (const body of sent) {
      expect(body).not.toMatch(/javascript:|data:text/);
      expect(body).not.toContain('H100 GPU 공급 차질');
    }
    expect(r.stdout).not.toMatch(/javascript:|data:text/);
    expect(r.stderr).toMatch(/links: 2 items dropped: the link is not an http\(s\) URL/);
  });

  it("an item with a 600 KB link is dropped with a warning; its feed's other items and every other source are stored", async ({ expect, onTestFinished }) => {
    const { feeds, rx, writeConfig, source, run } = await world(onTestFinished);
    const huge = `https://news.example.com/article?id=${'x'.repeat(600_000)}`;
    feeds.route('/huge.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        { title: '딥시크 R1 충격… 저비용 AI 경쟁 본격화', link: huge, guid: 'huge-1' },
        { title: '량원펑 딥시크 창업자, 새 모델 공개 예고', link: 'https://www.hankyung.com/article/2025020611111', guid: 'ok-1' },
      ]),
    });
    const config = writeConfig([source('good', '/good.xml'), source('huge', '/huge.xml')]);
    const first = await run(config);
    expect(first.code).toBe(0);
    expect(first.stderr).toMatch(/2 sources polled, \d+ items/);
    expect(first.stderr).not.toMatch(/failed/);
    expect(first.stdout).toContain('엔비디아 H20 GPU 中 수출 통제 강화 검토');
    expect(first.stdout).toContain('량원펑 딥시크 창업자, 새 모델 공개 예고');
    expect(first.stdout).not.toContain('딥시크 R1 충격');
    expect(first.stderr).toMatch(/huge: 1 item dropped: the link is longer than 4096 characters/);
    const sent = rx.requests('/slack').map((q) => q.body);
    expect(sent.some((b) => b.includes('량원펑 딥시크 창업자'))).toBe(true);
    expect(sent.every((b) => !b.includes('xxxxxxxxxx'))).toBe(true);
  });

  it('escape sequences in a feed title never reach the terminal', async ({ expect, onTestFinished }) => {
    const { feeds, writeConfig, source, run } = await world(onTestFinished);
    feeds.route('/escapes.xml', {
      headers: { 'content-type': 'application/rss+xml' },
      body: rss([
        {
          title: '엔비디아 GPU\u001b]0;pwned\u0007 수출 통제\u001b[2J\u001b[31m 강화\u009b2J',
          link: 'https://www.yna.co.kr/view/AKR20250206999900017',
          guid: 'esc-1',
        },
      ]),
    });
    const config = writeConfig([source('escapes', '/escapes.xml')]);
    const r = await run(config);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('https://www.yna.co.kr/view/AKR20250206999900017');
    expect(r.stdout).toMatch(/엔비디아 GPU/);
    expect(r.stdout + r.stderr).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/);
  });
});
