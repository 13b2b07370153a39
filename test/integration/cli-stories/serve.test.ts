// `newswatch serve`: its pages over real HTTP on 127.0.0.1, reading an embedded store the real
// pipeline filled from the demo's fixture outlets; rendered in headless Chromium at phone
// and desktop width; and the command itself (host warning, Ctrl-C) as a child process.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore, type LocalStore } from '../../../cli/local-store.ts';
import { createWebApp } from '../../../cli/web/app.ts';
import { demoConfig } from '../../../cli/demo/config.ts';
import { request } from 'node:http';
import { loadConfig } from '../../../shared/config/load.ts';
import type { Story } from '../../../shared/model.ts';
import { chromiumSkipReason, pngStats } from '../../support/chromium.ts';
import { closeBrowser, screenshotUrl } from './browser.ts';
import { DEMO_NOW, seedAtDemoClock, type Seeded } from './seed.ts';

let seeded: Seeded;
let local: LocalStore;
let server: ServerType;
let base: string;
let stories: Story[];
let config: ReturnType<typeof loadConfig>;

beforeAll(async () => {
  seeded = await seedAtDemoClock();
  config = demoConfig(loadConfig('newswatch.config.yaml'), seeded.server.baseUrl);
  local = await openLocalStore(seeded.store);
  stories = await local.store.storiesOfDay('2025-02-06');
  const app = createWebApp({ store: local.store, config, now: () => new Date(DEMO_NOW + 3600_000), allowedHosts: ['127.0.0.1', 'localhost'] });
  server = await new Promise<ServerType>((resolve) => {
    const s = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}, 300_000);
afterAll(async () => {
  await closeBrowser();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
  await local?.close();
  await seeded?.close();
});

const get = async (path: string, headers: Record<string, string> = {}) => {
  const r = await fetch(`${base}${path}`, { headers });
  return { status: r.status, type: r.headers.get('content-type') ?? '', csp: r.headers.get('content-security-policy') ?? '', body: await r.text() };
};
const escaped = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

describe('newswatch serve pages', { timeout: 180_000 }, () => {
  it('lists every stored story under its primary topic, with N개 매체, its copies and why it matched', async () => {
    const r = await get('/?since=2025-02-01');
    expect(r.status).toBe(200);
    expect(r.type).toMatch(/text\/html; charset=UTF-8/i);
    expect(r.csp).toContain("default-src 'none'");
    expect(r.body).toContain('<html lang="ko">');
    // Every story and every copy links to its article.
    for (const s of stories) expect(r.body).toContain(`href="${escaped(new URL(s.url).href)}"`);
    const leaders = stories.filter((s) => s.leader);
    for (const l of leaders) expect(r.body).toContain(escaped(l.title));
    const grouped = leaders.find((l) => stories.some((s) => s.clusterId === l.id && s.id !== l.id))!;
    const card = r.body.slice(r.body.indexOf(escaped(grouped.title)));
    expect(card.slice(0, card.indexOf('</article>'))).toMatch(/2개 매체/);
    // Sections in config order; a story sits under its first topic.
    const deepseek = r.body.indexOf('<h2>DeepSeek');
    const sovereign = r.body.indexOf('<h2>소버린 AI');
    expect(deepseek).toBeGreaterThan(0);
    expect(sovereign).toBeGreaterThan(deepseek);
    const sovereignOnly = leaders.find((l) => l.topics[0] === 'sovereign_ai')!;
    expect(r.body.indexOf(escaped(sovereignOnly.title))).toBeGreaterThan(sovereign);
    expect(r.body).toMatch(/<b>DeepSeek<\/b>: 딥시크\(제목\)/);
  });

  it('shows one story with all its copies and the evidence per topic', async () => {
    const leader = stories.find((l) => l.leader && stories.some((s) => s.clusterId === l.id && s.id !== l.id))!;
    const r = await get(`/story/${leader.id}`);
    expect(r.status).toBe(200);
    for (const s of stories.filter((s) => s.clusterId === leader.id)) {
      expect(r.body).toContain(escaped(s.outlet));
      expect(r.body).toContain(escaped(s.title));
    }
    expect(r.body).toMatch(/같은 기사를 실은 매체 <span class="muted">2개 매체/);
    expect(r.body).toContain('왜 이 주제인가');
    expect((await get('/story/nope')).status).toBe(404);
  });

  it('shows sources with health, last error and next poll; deliveries; the digest of a day; topic counts per day', async () => {
    const sources = await get('/sources');
    expect(sources.body).toMatch(/demo-yonhap[\s\S]*정상/);
    expect(sources.body).toMatch(/demo-down[\s\S]*실패 \d+회[\s\S]*HTTP 500/);

    expect((await get('/deliveries')).body).toContain('none pending, failed or given up');

    const digest = await get('/digest?day=2025-02-06');
    expect(digest.body).toContain('2025년 2월 6일 (목) 다이제스트');
    const email = await get('/digest/2025-02-06/email.html');
    for (const l of stories.filter((s) => s.leader)) expect(email.body).toContain(escaped(l.title));
    expect((await get('/digest?day=2025-13-01')).status).toBe(400);

    const topics = await get('/topics?until=2025-02-06');
    const deepseekLeaders = new Set(stories.filter((s) => s.topics.includes('deepseek')).map((s) => s.clusterId)).size;
    expect(topics.body).toMatch(new RegExp(`<h2>DeepSeek <span class="muted">${deepseekLeaders}건`));
    expect(topics.body).toMatch(/2월 6일<\/span><span class="track"><span class="fill" style="display:block;width:100%">/);
  });

  it('is read-only and answers only to this machine’s names', async () => {
    const post = await fetch(`${base}/`, { method: 'POST' });
    expect(post.status).toBe(405);
    // fetch cannot set Host: a plain request, as a rebound DNS name would send it.
    const rebound = await new Promise<number>((resolve, reject) => {
      const req = request(`${base}/`, { headers: { host: 'evil.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(rebound).toBe(421);
  });

  it('escapes feed text: markup in a headline is shown, never run', async () => {
    const evil: Story = {
      ...stories[0]!,
      id: 'evil0000000000000000',
      clusterId: 'evil0000000000000000',
      leader: true,
      title: '<script>alert(1)</script>딥시크 "따옴표"',
      url: 'javascript:alert(1)',
    };
    await local.store.putStory(evil);
    const r = await get(`/story/${evil.id}`);
    expect(r.body).not.toContain('<script>alert(1)');
    expect(r.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;딥시크 &quot;따옴표&quot;');
    expect(r.body).not.toContain('href="javascript:');
  });
});

// Without Chromium these are skipped, saying why; CI requires Chromium (NEWSWATCH_REQUIRE_CHROMIUM=1).
const chromiumMissing = chromiumSkipReason();
if (chromiumMissing) process.stderr.write(`serve screenshot tests ${chromiumMissing}\n`);
describe.skipIf(chromiumMissing !== undefined)(`newswatch serve in Chromium${chromiumMissing ? ` (${chromiumMissing})` : ''}`, { timeout: 300_000 }, () => {
  const shots = join('.newswatch', 'test-screenshots');

  it('renders the story list at 400 and 1200 px: not blank, Korean text, every story link present', async () => {
    mkdirSync(shots, { recursive: true });
    for (const width of [400, 1200]) {
      const png = join(shots, `serve-${width}.png`);
      const dom = await screenshotUrl(`${base}/?since=2025-02-01`, png, width);
      expect(existsSync(png)).toBe(true);
      const stats = pngStats(png);
      expect(stats.width).toBe(width);
      expect(stats.colours).toBeGreaterThan(20);
      expect(stats.inkRatio).toBeGreaterThan(0.05);
      expect(dom).toMatch(/[가-힣]{2,}/);
      expect(dom).toContain('개 매체');
      for (const s of stories.filter((s) => !s.id.startsWith('evil'))) expect(dom).toContain(`href="${escaped(new URL(s.url).href)}"`);
    }
  });

  it('renders the story, sources, digest and topics pages at phone width', async () => {
    const leader = stories.find((s) => s.leader)!;
    for (const [name, path] of [
      ['story', `/story/${leader.id}`],
      ['sources', '/sources'],
      ['digest', '/digest?day=2025-02-06'],
      ['topics', '/topics?until=2025-02-06'],
    ] as const) {
      const png = join(shots, `serve-${name}-400.png`);
      await screenshotUrl(`${base}${path}`, png, 400);
      const stats = pngStats(png);
      expect(stats.inkRatio).toBeGreaterThan(0.05);
      expect(stats.colours).toBeGreaterThan(20);
    }
  });
});

describe('newswatch serve command', { timeout: 180_000 }, () => {
  it('warns when bound beyond loopback, serves pages, and stops on Ctrl-C with a last line', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'cli/main.ts', 'serve', '--store', seeded.store, '--host', '0.0.0.0', '--port', '0'], {
      env: { ...process.env, NO_COLOR: '1' },
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      // This test's own store handle holds the directory: serve attaches to it like to a run.
      for (let i = 0; i < 900 && !/http:\/\/0\.0\.0\.0:\d+/.test(out); i++) await new Promise((r) => setTimeout(r, 100));
      expect(err).toMatch(/warning: listening on 0\.0\.0\.0, not 127\.0\.0\.1: anyone who can reach this address can read every stored story/);
      const port = /:(\d+)\//.exec(out)![1];
      const page = await fetch(`http://127.0.0.1:${port}/sources`);
      expect(page.status).toBe(200);
      expect(await page.text()).toContain('매체 상태');
      child.kill('SIGINT');
      expect(await exited).toBe(0);
      expect(out).toMatch(/newswatch serve: stopped\n$/);
    } finally {
      child.kill('SIGKILL');
    }
  });
});
