// The store's read methods for stories/serve/tune, on a real dynalite filled by the real
// pipeline from the demo's fixture feeds: stories of a window, and the unmatched items the
// pipeline now keeps (title and lede) until keepUnmatchedDays pass.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import type { Store } from '../../../shared/store/port.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { DEMO_NOW, demoFeedsConfig, pipelineDeps } from '../pipeline/support.ts';

let server: DemoServer;
let db: TestDynamo;
let store: Store;
const DAY = 86_400_000;

beforeAll(async () => {
  server = await startDemoServer();
  db = await startDynalite();
  const config = demoFeedsConfig(server.baseUrl);
  const deps = pipelineDeps({ ...config, settings: { ...config.settings, keepUnmatchedDays: 3 } }, db.client, db.tableName);
  await pollSources(deps, config.sources);
  store = deps.store;
});
afterAll(async () => {
  await db?.close();
  await server?.close();
});

describe('listStories', { timeout: 180_000 }, () => {
  it('returns the matched stories of the window newest first, and honours since, until and limit', async () => {
    const all = await store.listStories({ since: new Date(DEMO_NOW.getTime() - DAY), now: DEMO_NOW });
    const ofDay = await store.storiesOfDay('2025-02-06');
    expect(all.map((s) => s.id).sort()).toEqual(ofDay.map((s) => s.id).sort());
    expect(all.map((s) => s.publishedAt)).toEqual(
      all
        .map((s) => s.publishedAt)
        .sort()
        .reverse(),
    );

    const cut = all[Math.floor(all.length / 2)]!.publishedAt;
    const later = await store.listStories({ since: new Date(cut), now: DEMO_NOW });
    expect(later.every((s) => s.publishedAt >= cut)).toBe(true);
    expect(later.length).toBeLessThan(all.length);
    const earlier = await store.listStories({ since: new Date(DEMO_NOW.getTime() - DAY), until: new Date(cut), now: DEMO_NOW });
    expect(earlier.every((s) => s.publishedAt <= cut)).toBe(true);
    expect((await store.listStories({ since: new Date(DEMO_NOW.getTime() - DAY), limit: 2, now: DEMO_NOW })).map((s) => s.id)).toEqual(
      all.slice(0, 2).map((s) => s.id),
    );
  });
});

describe('unmatched items kept for tune', { timeout: 180_000 }, () => {
  it('keeps the title and lede of an item that matched nothing, and never lists it as a story', async () => {
    const kept = await store.listUnmatched({ since: new Date(DEMO_NOW.getTime() - DAY), now: DEMO_NOW });
    const cold = kept.find((k) => k.title.includes('영하 10도'));
    expect(cold).toMatchObject({ outlet: '연합뉴스', sourceId: 'demo-yonhap' });
    expect(cold!.lede).toContain('강추위');
    expect(cold!.lede.length).toBeLessThanOrEqual(300);
    const stories = await store.listStories({ since: new Date(DEMO_NOW.getTime() - DAY), now: DEMO_NOW });
    expect(stories.some((s) => s.title.includes('영하 10도'))).toBe(false);
    expect(await store.storiesOfDay('2025-02-06')).not.toContainEqual(expect.objectContaining({ id: cold!.id }));
  });

  it('stops listing them once keepUnmatchedDays have passed (dynalite has no TTL: the read filters)', async () => {
    const since = new Date(DEMO_NOW.getTime() - DAY);
    expect((await store.listUnmatched({ since, now: new Date(DEMO_NOW.getTime() + 2 * DAY) })).length).toBeGreaterThan(0);
    expect(await store.listUnmatched({ since, now: new Date(DEMO_NOW.getTime() + 3 * DAY + 1000) })).toEqual([]);
  });
});
