// Alerts that must not be lost, end to end: `newswatch run` in-process (main with in-memory
// streams; a real child process where the process is the point: killed with SIGKILL), a local
// feed server, a local Slack/webhook receiver, the embedded store on a temp dir.
// Each case reproduces a fault of issue 15 as it happened: a run killed with SIGKILL in the
// middle of its Slack deliveries, a destination whose environment variable is not set,
// Slack refusing connections and coming back, a story published months ago.
import { spawn, type ChildProcess } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'vitest';
import { runCli, startCli } from '../../support/cli.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';

const CLI = ['--import', 'tsx', 'cli/main.ts'];
const SIGNING = 'whsec_' + Buffer.from('newswatch-test-signing-key-32byt').toString('base64');
const WORDS = [
  '반도체',
  '수출',
  '규제',
  '투자',
  '모델',
  '공개',
  '추론',
  '가격',
  '엔비디아',
  '클라우드',
  '데이터센터',
  '정부',
  '스타트업',
  '특허',
  '보안',
  '협력',
  '연구진',
  '대학',
  '전력',
  '칩',
  '금융',
  '의료',
  '교육',
  '게임',
  '자동차',
  '조선',
  '배터리',
  '통신',
  '로봇',
  '우주',
];

type Item = { title: string; link: string; pubDate: string };

/** `n` distinct matched stories published in the last hour (no two are syndicated copies). */
function makeItems(n: number, publishedAt = (i: number) => new Date(Date.now() - (n - i) * 60_000)): Item[] {
  return Array.from({ length: n }, (_, i) => {
    // Words no other item uses: the dedupe must see different stories, not syndicated copies.
    const w = Array.from({ length: 4 }, (_, k) => WORDS[(i * 4 + k) % WORDS.length]);
    return {
      title: `${w[0]} ${w[1]} 딥시크 ${w[2]} ${w[3]}`,
      link: `https://news.example.kr/article/${i}-${Math.random().toString(36).slice(2, 8)}`,
      pubDate: publishedAt(i).toUTCString(),
    };
  });
}

function rss(list: Item[]): string {
  const body = list
    .map(
      (it, i) =>
        `<item><title>${it.title}</title><link>${it.link}</link><guid>${it.link}</guid><pubDate>${it.pubDate}</pubDate><description>${it.title.replace('딥시크 ', '')} ${i * 911}</description></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>테스트</title><link>https://news.example.kr</link>${body}</channel></rss>`;
}

async function until(what: string, check: () => boolean, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

/** `newswatch ...args` in-process with `env` (its whole environment). */
const cli = (args: string[], vars: Record<string, string> = { NO_COLOR: '1' }) => runCli(args, { env: vars });

/**
 * One test's world: a feed serving `items`, a Slack/webhook receiver, a store directory and
 * the config naming them. Each test has its own, so the tests run side by side: most of
 * their time is waiting (Slack's pace, a slow receiver, a retry's backoff).
 */
async function world(items: Item[], onTestFinished: (fn: () => Promise<void>) => void, slackBurst = 100, split = false) {
  const rx = await startReceiver();
  const feed = http.createServer((req, res) => {
    res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' });
    // /a.xml and /b.xml split the items between two sources; any other path serves them all.
    const half = Math.ceil(items.length / 2);
    res.end(rss(req.url === '/a.xml' ? items.slice(0, half) : req.url === '/b.xml' ? items.slice(half) : items));
  });
  await new Promise<void>((r) => feed.listen(0, '127.0.0.1', r));
  const base = `http://127.0.0.1:${(feed.address() as AddressInfo).port}`;
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-delivery-'));
  const children: ChildProcess[] = [];
  onTestFinished(async () => {
    for (const c of children) c.kill('SIGKILL');
    await rx.close();
    await new Promise<void>((r) => feed.close(() => r()));
    rmSync(dir, { recursive: true, force: true });
  });

  const sources = split
    ? `  - { kind: rss, id: a, outlet: 가일보, url: "${base}/a.xml", fetchArticle: never }
  - { kind: rss, id: b, outlet: 나일보, url: "${base}/b.xml", fetchArticle: never }`
    : `  - { kind: rss, id: feed, outlet: 테스트일보, url: "${base}/feed.xml", fetchArticle: never }`;
  const file = join(dir, 'config.yaml');
  writeFileSync(
    file,
    `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
sources:
${sources}
delivery:
  slack:
    - id: team
      topics: [deepseek]
      burstLimit: ${slackBurst}
      webhook: { env: NW_TEST_SLACK }
  webhooks:
    - id: ingest
      topics: [deepseek]
      url: { env: NW_TEST_HOOK }
      signingSecret: { env: NW_TEST_HOOK_SECRET }
`,
  );
  const store = join(dir, 'store');

  return {
    rx,
    items,
    file,
    store,
    env(over: Record<string, string> = {}): Record<string, string> {
      return { NO_COLOR: '1', NW_TEST_SLACK: rx.url('/slack'), NW_TEST_HOOK: rx.url('/hook'), NW_TEST_HOOK_SECRET: SIGNING, ...over };
    },
    runArgs(extra: string[] = ['--once']): string[] {
      return ['run', ...extra, '--config', file, '--store', store, '--allow-private-network'];
    },
    /** The real CLI in a child process: for the run that is killed with SIGKILL. */
    spawnCli(args: string[], env: Record<string, string>): { child: ChildProcess; exited: Promise<number | null> } {
      const child = spawn(process.execPath, [...CLI, ...args], { env: { ...process.env, ...env }, stdio: 'ignore' });
      children.push(child);
      return { child, exited: new Promise((resolve) => child.on('close', resolve)) };
    },
    /** Story titles each Slack message named, and the webhook ids per story title. */
    delivered(): { slack: string[]; hooks: Map<string, Set<string>> } {
      const slack = rx.requests('/slack').map((r) => items.find((it) => r.body.includes(it.title))?.title ?? '?');
      const hooks = new Map<string, Set<string>>();
      for (const r of rx.requests('/hook')) {
        const title = (JSON.parse(r.body) as { data: { story: { title: string } } }).data.story.title;
        hooks.set(title, (hooks.get(title) ?? new Set()).add(String(r.headers['webhook-id'])));
      }
      return { slack, hooks };
    },
  };
}

// Concurrent: each test has its own world (feed, receiver, store), and mostly waits.
describe.concurrent('newswatch run delivers every alert', () => {
  it('killed with SIGKILL in the middle of its Slack deliveries and restarted at once: no alert lost, at most one Slack duplicate, the same webhook-id', async ({
    expect,
    onTestFinished,
  }) => {
    const w = await world(makeItems(6), onTestFinished);
    const { rx, items } = w;
    rx.latency('/slack', 400); // the kill lands while a Slack request is in flight
    const first = w.spawnCli(w.runArgs(), w.env());
    await until('the third Slack message', () => rx.requests('/slack').length >= 3);
    first.child.kill('SIGKILL');
    await first.exited;
    const beforeRestart = rx.requests('/slack').length;
    expect(beforeRestart).toBeLessThan(items.length); // killed mid-way: the rest is still owed

    // Restarted at once (in-process: what matters is the store the killed process left).
    const second = await cli(w.runArgs(), w.env());
    expect(second.code).toBe(0);
    const { slack, hooks } = w.delivered();
    // Every story reached Slack; only the message in flight at the kill may repeat.
    for (const it of items) expect(slack).toContain(it.title);
    expect(slack.length).toBeLessThanOrEqual(items.length + 1);
    // Every story reached the webhook, each under one webhook-id however often it was sent.
    for (const it of items) expect(hooks.get(it.title)?.size).toBe(1);
    expect(new Set([...hooks.values()].flatMap((s) => [...s])).size).toBe(items.length);
  }, 120_000);

  it('holds the alerts of a destination whose variable is not set, says so once, and sends them on the first run after it is set', async ({
    expect,
    onTestFinished,
  }) => {
    const w = await world(makeItems(4), onTestFinished);
    const { rx, items, file, store } = w;
    const first = await cli(w.runArgs(), w.env({ NW_TEST_SLACK: '' }));
    expect(first.code).toBe(0);
    expect(rx.requests('/slack')).toHaveLength(0);
    expect(rx.requests('/hook')).toHaveLength(4); // the other destination is not held up
    const waits = first.stderr.split('\n').filter((l) => l.includes('NW_TEST_SLACK'));
    expect(waits).toHaveLength(1);
    expect(waits[0]).toMatch(/slack destination "team" waits: .*NW_TEST_SLACK.*go out on the first cycle after/);

    const status = await cli(['status', '--config', file, '--store', store]);
    expect(status.stdout).toMatch(/team: 4 pending/);
    expect(status.stdout).toMatch(/NW_TEST_SLACK is not set/);

    const second = await cli(w.runArgs(), w.env());
    expect(second.code).toBe(0);
    const { slack } = w.delivered();
    expect(slack.sort()).toEqual(items.map((it) => it.title).sort());
    expect(rx.requests('/hook')).toHaveLength(4); // nothing twice
    const after = await cli(['deliveries', '--config', file, '--store', store]);
    expect(after.stdout).toMatch(/none: every alert was delivered/);
  }, 120_000);

  it('resends what Slack refused while it was down, without a restart, once it is back', async ({ expect, onTestFinished }) => {
    const w = await world(makeItems(2), onTestFinished);
    // A port with nothing listening: connection refused.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const running = startCli(w.runArgs(['--interval', '1h']), { env: w.env({ NW_TEST_SLACK: `http://127.0.0.1:${port}/slack` }) });
    let back: Receiver | undefined;
    try {
      await running.waitFor(/delivery team .*ECONNREFUSED/, 'stderr');
      back = await startReceiver({ port });
      const receiver = back;
      await until('both alerts on the Slack that came back', () => receiver.requests('/slack').length >= 2, 90_000);
      expect(back.requests('/slack')).toHaveLength(2);
    } finally {
      running.interrupt();
      await running.done;
      await back?.close();
    }
  }, 150_000);

  it('does not alert a story published ten months ago on a fresh store (digest only)', async ({ expect, onTestFinished }) => {
    const old = new Date(Date.now() - 300 * 86_400_000);
    const w = await world([...makeItems(1, () => old), ...makeItems(1)], onTestFinished);
    const { items } = w;
    const r = await cli(w.runArgs(), w.env());
    expect(r.code).toBe(0);
    const { slack, hooks } = w.delivered();
    expect(slack).toEqual([items[1]!.title]);
    expect([...hooks.keys()]).toEqual([items[1]!.title]);
  }, 120_000);

  it('polls beside a slow receiver: the cycle is polled and reported before the receiver has answered anything', async ({ expect, onTestFinished }) => {
    const w = await world(makeItems(2), onTestFinished);
    const { rx, items } = w;
    const slowMs = 5_000;
    rx.latency('/slack', slowMs);
    rx.latency('/hook', slowMs);
    const run = startCli(w.runArgs(), { env: w.env() });
    let cycleAt = 0;
    // (a cycle line never written: waitFor rejects when the run ends; cycleAt stays 0 and the expect below says so)
    const reported = run.waitFor(/cycle: 1 sources polled/, 'stderr').then(
      () => (cycleAt = performance.now()),
      () => {},
    );
    const r = await run.done;
    await reported;
    expect(r.code).toBe(0);
    const first = Math.min(...rx.requests().map((q) => q.at));
    expect(cycleAt).toBeGreaterThan(0);
    expect(cycleAt).toBeLessThan(first + slowMs); // polled while the first request was still unanswered
    // And every alert still went out before --once returned.
    expect(w.delivered().slack.sort()).toEqual(items.map((it) => it.title).sort());
    expect(rx.requests('/hook')).toHaveLength(2);
  }, 120_000);

  it('counts burstLimit per destination per cycle, across sources: the rest of the cycle is one summary', async ({ expect, onTestFinished }) => {
    const w = await world(makeItems(6), onTestFinished, 4, true); // two sources of 3 stories each, burstLimit 4
    const { rx, items } = w;
    const r = await cli(w.runArgs(), w.env());
    expect(r.code).toBe(0);
    const bodies = rx.requests('/slack').map((q) => q.body);
    const summaries = bodies.filter((b) => b.includes('"text":"새 기사 '));
    expect(summaries).toHaveLength(1);
    expect(bodies.length - summaries.length).toBeLessThanOrEqual(4);
    for (const it of items) expect(bodies.some((b) => b.includes(it.title))).toBe(true);
    expect(summaries[0]).not.toContain('다이제스트'); // no digest is configured
  }, 120_000);

  it('newswatch deliveries lists what was given up with why, and --retry / --all put it back for the next run', async ({ expect, onTestFinished }) => {
    const w = await world(makeItems(2), onTestFinished);
    const { rx, items, file, store } = w;
    rx.script('/slack', [{ status: 400, body: 'invalid_payload' }], { repeat: true });
    expect((await cli(w.runArgs(), w.env())).code).toBe(0);
    expect(rx.requests('/slack')).toHaveLength(2);

    const help = await cli(['deliveries', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: newswatch deliveries \[--retry ID \| --all\]/);
    expect(help.stdout).toMatch(/Exit codes: 0 .*; 1 .*; 2 bad usage/);
    expect((await cli(['deliveries', '--retry', 'x/y', '--all', '--config', file, '--store', store])).code).toBe(2);
    expect((await cli(['deliveries', '--retry', 'not-an-id', '--config', file, '--store', store])).code).toBe(2);
    // A bad option: one line in our words, not Node's and the whole help.
    expect(await cli(['deliveries', '--retri', 'x/y'])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: "newswatch deliveries: unknown option '--retri'; see `newswatch deliveries --help`\n",
    });

    const list = await cli(['deliveries', '--config', file, '--store', store]);
    expect(list.code).toBe(0);
    expect(list.stdout).toMatch(/team: 2 given up/);
    expect(list.stdout).toMatch(/rejected \(HTTP 400 invalid_payload\); not retried/);
    expect(list.stdout).not.toContain('127.0.0.1'); // never the Slack URL
    const ids = [...list.stdout.matchAll(/([0-9a-f]{20}\/team)/g)].map((m) => m[1]!);
    expect(ids).toHaveLength(2);
    const status = await cli(['status', '--config', file, '--store', store]);
    expect(status.stdout).toMatch(/team: 2 given up/);

    const unknown = await cli(['deliveries', '--retry', '00000000000000000000/team', '--config', file, '--store', store]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/no failed or given-up alert 00000000000000000000\/team/);

    rx.script('/slack', []); // Slack accepts again
    const one = await cli(['deliveries', '--retry', ids[0]!, '--config', file, '--store', store]);
    expect(one.code).toBe(0);
    expect(one.stdout).toMatch(/1 alert due again now/);
    expect((await cli(w.runArgs(), w.env())).code).toBe(0);
    expect(rx.requests('/slack')).toHaveLength(3);
    const all = await cli(['deliveries', '--all', '--config', file, '--store', store]);
    expect(all.stdout).toMatch(/1 alert due again now/);
    expect((await cli(w.runArgs(), w.env())).code).toBe(0);
    expect(w.delivered().slack.slice(2).sort()).toEqual(items.map((it) => it.title).sort());
    expect((await cli(['deliveries', '--config', file, '--store', store])).stdout).toMatch(/none: every alert was delivered/);
  }, 180_000);
});
