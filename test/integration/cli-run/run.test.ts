// The local main job as a user runs it: the CLI in-process (main with in-memory streams), and
// as a real child process where the process is the point (a second process refused the
// store, a real Ctrl-C); the demo's fixture outlets over HTTP, the embedded store on a
// temporary directory.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import { runCli } from '../../support/cli.ts';
import { useMonthAfterDemoClock } from '../../support/demo-clock.ts';

const CLI = ['--import', 'tsx', 'cli/main.ts'];
const env = { ...process.env, NO_COLOR: '1' };

/** One test's world: the fixture outlets, a temporary directory, and the user's config with them as sources. */
async function world(onTestFinished: (fn: () => Promise<void>) => void): Promise<{ server: DemoServer; dir: string; configFile: string }> {
  const server = await startDemoServer();
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-cli-'));
  onTestFinished(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // The user's topics, with the fixture outlets as sources.
  const base = readFileSync('newswatch.config.yaml', 'utf8');
  const sources = `sources:
  - { kind: rss, id: yonhap, outlet: 연합뉴스, url: "${server.baseUrl}/yonhap.xml", fetchArticle: never }
  - { kind: rss, id: etnews, outlet: 전자신문, url: "${server.baseUrl}/etnews.xml", fetchArticle: never }
  - { kind: rss, id: down, outlet: 장애 매체, url: "${server.baseUrl}/broken.xml" }
`;
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, replaceSection(base, 'sources', sources));
  return { server, dir, configFile };
}

/** Swap one top-level section of the YAML text, keeping the rest as the user wrote it. */
function replaceSection(yaml: string, key: string, section: string): string {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${key}:`));
  let end = start + 1;
  while (end < lines.length && (lines[end] === '' || /^[\s#-]/.test(lines[end] ?? ''))) end++;
  return [...lines.slice(0, start), section, ...lines.slice(end)].join('\n');
}

/** `newswatch ...args` in-process, to the end. */
const cli = (args: string[]) => runCli(args, { env: { NO_COLOR: '1' } });

function waitFor(child: ChildProcess, pattern: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`timed out waiting for ${pattern}; got:\n${seen}`)), 45_000);
    const onData = (d: Buffer) => {
      seen += d.toString();
      if (pattern.test(seen)) {
        clearTimeout(timer);
        resolve(seen);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

// Side by side (each test its own world): the Ctrl-C case mostly waits for its child process.
describe.concurrent('newswatch run', () => {
  it('--once polls every source, prints the new matched stories, and names the source that failed', async ({ expect, onTestFinished }) => {
    const { dir, configFile } = await world(onTestFinished);
    const store = join(dir, 'store');
    const r = await cli(['run', '--once', '--config', configFile, '--store', store, '--allow-private-network']);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("딥시크 충격에 민관 'AI 추격조' 머리 맞대");
    expect(r.stdout).toContain('https://www.yna.co.kr/view/AKR20250206118900017');
    expect(r.stdout).not.toContain('영하 10도');
    expect(r.stderr).toMatch(/down: HTTP 500/);
    expect(r.stderr).toMatch(/3 sources polled, 1 failed/);

    const status = await cli(['status', '--config', configFile, '--store', store]);
    expect(status.code).toBe(0);
    expect(status.stdout).toMatch(/✓ yonhap/);
    expect(status.stdout).toMatch(/✗ down .*failing since \d{4}-\d\d-\d\d \d\d:\d\d KST \(1 failure\)/);
    expect(status.stdout).toMatch(/HTTP 500/);
    // Today's counts line up under a Hangul label (소버린 AI): same terminal column for each count.
    const today = status.stdout.split('\n').filter((l) => / stories, \d+ articles$/.test(l));
    expect(today.map((l) => l.trim().split(/ {2,}/)[0])).toEqual(['DeepSeek', '소버린 AI', 'GPU']);
    expect(new Set(today.map((l) => stringWidth(l.replace(/\d+ stories.*/, '')))).size).toBe(1);

    // Read with another config (the shipped one), the store's own sources are named, not hidden behind "never polled".
    const shipped = await cli(['status', '--config', 'newswatch.config.yaml', '--store', store]);
    expect(shipped.code).toBe(0);
    expect(shipped.stdout).toContain(
      'also in this store, not in newswatch.config.yaml: down, etnews, yonhap (polled with another config; pass it with --config)',
    );
    const json = JSON.parse((await cli(['status', '--config', 'newswatch.config.yaml', '--store', store, '--json'])).stdout) as { notInConfig: string[] };
    expect(json.notInConfig).toEqual(['down', 'etnews', 'yonhap']);
    expect(status.stdout).not.toContain('also in this store');
  });

  it('refuses a second run on the same store, lets status read it meanwhile, and stops cleanly on Ctrl-C', async ({ expect, onTestFinished }) => {
    const { dir, configFile } = await world(onTestFinished);
    const store = join(dir, 'store');
    const first = spawn(process.execPath, [...CLI, 'run', '--interval', '1h', '--config', configFile, '--store', store, '--allow-private-network'], { env });
    let stderr = '';
    first.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await waitFor(first, /cycle: 3 sources polled/);
      // The cycle line's clock is Korea time (UTC+9), not UTC.
      const clock = /^(\d\d):(\d\d):(\d\d) KST cycle: 3 sources polled/m.exec(stderr);
      expect(clock).not.toBeNull();
      const shown = (Number(clock![1]) * 3600 + Number(clock![2]) * 60 + Number(clock![3])) * 1000;
      const kstNow = (Date.now() + 9 * 3600_000) % 86_400_000;
      expect(Math.min(Math.abs(kstNow - shown), 86_400_000 - Math.abs(kstNow - shown))).toBeLessThan(10 * 60_000);
      const second = await cli(['run', '--once', '--config', configFile, '--store', store, '--allow-private-network']);
      expect(second.code).toBe(1);
      expect(second.stderr).toMatch(new RegExp(`in use by another newswatch \\(PID ${first.pid}\\)`));
      // status reads the running instance's store instead of refusing.
      const status = await cli(['status', '--config', configFile, '--store', store]);
      expect(status.code).toBe(0);
      expect(status.stdout).toMatch(/✓ yonhap/);

      const exited = new Promise<number | null>((resolve) => first.on('exit', (code) => resolve(code)));
      first.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(existsSync(join(store, 'newswatch.lock'))).toBe(false);
      // Its last word says what it did and what waits (the config's Slack/webhook secrets are not set here).
      expect(stderr.trimEnd().split('\n').at(-1)).toMatch(/^newswatch: stopped after 1 cycle; (\d+ alerts? not delivered yet|every alert was delivered)/);
    } finally {
      first.kill('SIGKILL');
    }
    // Nothing lost: the stories of the first run are still there for the next one.
    const again = await cli(['run', '--once', '--config', configFile, '--store', store, '--allow-private-network']);
    expect(again.code).toBe(0);
    expect(again.stdout).not.toContain('AI 추격조'); // already seen: not new again
  });
});

describe('newswatch run, bad input', () => {
  it('a bad --interval is a usage error (exit 2, one line naming it), and opens no store', async ({ onTestFinished }) => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const store = join(dir, 'store');
    const bad = await cli(['run', '--once', '--interval', '5x', '--store', store]);
    expect(bad).toEqual({
      code: 2,
      stdout: '',
      stderr: "newswatch run: --interval: invalid duration '5x': use e.g. 30s, 10m or 1h\n",
    });
    const short = await cli(['run', '--once', '--interval', '0.1s', '--store', store]);
    expect(short.code).toBe(2);
    expect(short.stderr).toBe("newswatch run: --interval: duration '0.1s' is too short: at least 1s\n");
    expect(existsSync(store)).toBe(false);
  });

  it('a file given as --store is named as such (exit 1), not as the EEXIST of mkdir', async ({ onTestFinished }) => {
    const dir = mkdtempSync(join(tmpdir(), 'newswatch-cli-'));
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'notes.txt');
    writeFileSync(file, 'not a store');
    for (const store of [file, join(file, 'store')]) {
      const r = await cli(['run', '--once', '--store', store]);
      expect(r.code).toBe(1);
      expect(r.stderr).toBe(`newswatch: cannot use ${store} as the store: it or a folder above it is a file; pass --store DIR\n`);
    }
    expect(readFileSync(file, 'utf8')).toBe('not a store');
  });
});

describe('newswatch demo', () => {
  it('runs two cycles offline, groups the syndicated copies, and ends with the events and the digest preview', async ({ onTestFinished }) => {
    const { dir } = await world(onTestFinished);
    const out = join(dir, 'demo');
    const r = await cli(['demo', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Cycle 2');
    expect(r.stdout).toMatch(/↳ grouped 딥시크發 충격…민관 'AI 추격조' 구성 한목소리 — 전자신문/);
    expect(r.stdout).toMatch(/demo-mt +not modified \(304\)/);
    expect(r.stdout).toMatch(/demo-down +demo-down: HTTP 500/);
    const events = readFileSync(join(out, 'events.jsonl'), 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { type: string; data: { cluster: { outlets: string[] } } });
    expect(events.length).toBeGreaterThan(3);
    expect(events.every((e) => e.type === 'story.matched')).toBe(true);
    expect(events.some((e) => e.data.cluster.outlets.length === 2)).toBe(true);
    expect(r.stdout).toContain(join(out, 'digest.html'));
    expect(readFileSync(join(out, 'digest.html'), 'utf8')).toContain('AI 추격조');

    // The demo keeps its store, so what it found can be looked at afterwards.
    expect(r.stdout).toMatch(/npx newswatch stories --store \S*demo\/store --since 2025-02-06/);
    // Looked at a month later, not today: the window from 2025-02-06 is then ~35 Korea days.
    useMonthAfterDemoClock();
    const listed = await cli(['stories', '--store', join(out, 'store'), '--since', '2025-02-06', '--json']).finally(() => vi.useRealTimers());
    expect(listed.code).toBe(0);
    const titles = listed.stdout
      .trim()
      .split('\n')
      .map((l) => (JSON.parse(l) as { title: string }).title);
    expect(titles).toContain('딥시크 충격에 민관 \'AI 추격조\' 머리 맞대…"데이터·GPU 지원 시급"');
  });

  it('leaves tune the items that matched nothing: a new topic finds the weather story in the demo store', async ({ onTestFinished }) => {
    const { dir } = await world(onTestFinished);
    const out = join(dir, 'demo');
    const r = await cli(['demo', '--out', out]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/npx newswatch tune --store \S*demo\/store --since 2025-02-06/);
    const edited = join(dir, 'edited.yaml');
    const doc = YAML.parse(readFileSync('newswatch.config.yaml', 'utf8')) as { topics: Record<string, unknown> };
    doc.topics['cold_wave'] = { label: '한파', strong: ['강추위', '한파'] };
    writeFileSync(edited, YAML.stringify(doc));
    // Read a month after the demo's clock (and whatever day the demo ran on): its kept items
    // expire keepUnmatchedDays after the demo ran, not 7 days after its 2025 clock.
    useMonthAfterDemoClock();
    const tuned = await cli(['tune', '--store', join(out, 'store'), '--since', '2025-02-06', '--config', edited]).finally(() => vi.useRealTimers());
    expect(tuned.stderr).toBe('');
    expect(tuned.code).toBe(0);
    expect(tuned.stdout).toMatch(/\(\d+ matched stories, [1-9]\d* unmatched kept\)/);
    expect(tuned.stdout).toMatch(/한파 cold_wave \(new topic\): \+1 newly matched, −0 dropped/);
    expect(tuned.stdout).toContain('서울 아침 영하 10도…주말까지 강추위 이어져  — 연합뉴스');
  });
});
