// The story list of `serve` reads the window of its own clock: from `since` to the app's now
// (stories dated up to a day ahead included), as the page's "… KST 이후 N건" line says. The
// process's clock is left real here: a window that ended at it would reach past the page's
// now and list stories the page's clock has not seen yet.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore, type LocalStore } from '../../../cli/local-store.ts';
import { createWebApp } from '../../../cli/web/app.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import type { Story } from '../../../shared/model.ts';

const CONFIG = parseConfig('version: 1\ntopics:\n  deepseek: { label: DeepSeek, strong: [딥시크] }\n', 'serve-window.yaml');
// The page's clock: 16:00 KST on 6 Feb 2025.
const PAGE_NOW = new Date('2025-02-06T07:00:00Z');

const story = (id: string, title: string, publishedAt: string, day: string): Story => ({
  id,
  url: `https://news.example.kr/${id}`,
  title,
  outlet: '연합뉴스',
  sourceId: 'yna',
  summary: `${title}.`,
  publishedAt,
  firstSeenAt: publishedAt,
  day,
  topics: ['deepseek'],
  why: { deepseek: { matched: true, score: 3, threshold: 3, hits: [] } },
  clusterId: id,
  leader: true,
});
const ON_THE_DAY = story('w1', '딥시크 대응 AI 추격조 출범', '2025-02-06T03:00:00.000Z', '2025-02-06');
const LATER = story('w2', '딥시크 후속 모델 공개', '2025-03-20T03:00:00.000Z', '2025-03-20');

let dir: string;
let local: LocalStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'newswatch-serve-window-'));
  local = await openLocalStore(join(dir, 'store'));
  await local.store.putStory(ON_THE_DAY);
  await local.store.putStory(LATER);
});
afterAll(async () => {
  await local?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('serve: the story list window', () => {
  it("ends at the page's clock, not the process's: a story dated after it is not listed", async () => {
    const app = createWebApp({ store: local.store, config: CONFIG, now: () => PAGE_NOW });
    for (const path of ['/', '/?since=2025-02-01']) {
      const body = await (await app.request(path)).text();
      expect(body).toContain(ON_THE_DAY.title);
      expect(body).not.toContain(LATER.title);
      expect(body).toMatch(/KST 이후 1건/);
    }
  });

  it('refuses a window longer than the store reads, saying so, instead of listing part of it', async () => {
    const app = createWebApp({ store: local.store, config: CONFIG, now: () => PAGE_NOW });
    const res = await app.request('/?since=2021-01-01');
    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/--since 2021-01-01 reaches back 1,498 days; newswatch reads at most 1,095 days \(3 years\) back/);
  });
});
