import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import type { Story } from '../../../shared/model.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { readFileSync } from 'node:fs';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startFixtureServer } from '../../support/fixture-server.ts';
import { countWrites, demoFeedsConfig, pipelineDeps } from './support.ts';

let server: DemoServer;
let db: TestDynamo;

beforeEach(async () => {
  server = await startDemoServer();
  db = await startDynalite();
});
afterEach(async () => {
  await db.close();
  await server.close();
});

const created = (reports: { created: Story[] }[]) => reports.flatMap((r) => r.created);

describe('pipeline over real HTTP and dynalite', () => {
  it('stores matched stories, skips unmatched ones, and reports a broken source without stopping the others', async () => {
    const config = demoFeedsConfig(server.baseUrl);
    const deps = pipelineDeps(config, db.client, db.tableName);
    const reports = await pollSources(deps, config.sources);

    const down = reports.find((r) => r.sourceId === 'demo-down');
    expect(down?.ok).toBe(false);
    expect(down?.error).toMatch(/^demo-down: .*500/);
    expect(reports.filter((r) => r.sourceId !== 'demo-down').every((r) => r.ok)).toBe(true);

    const titles = created(reports).map((s) => s.title);
    expect(titles.some((t) => t.includes('AI 추격조'))).toBe(true);
    expect(titles.some((t) => t.includes('H20'))).toBe(true);
    expect(titles.some((t) => t.includes('영하 10도'))).toBe(false); // weather: no topic
    // The EUC-KR feed decodes, extended syllables included, and is remembered as seen.
    expect(reports.find((r) => r.sourceId === 'demo-etnews')?.items).toBe(2);

    const state = await deps.store.getSourceState('demo-down');
    expect(state?.consecutiveFailures).toBe(1);
    expect(state?.lastError).toMatch(/500/);
  });

  it('groups syndicated copies under the first story and keeps a follow-up apart', async () => {
    const config = demoFeedsConfig(server.baseUrl);
    const deps = pipelineDeps(config, db.client, db.tableName);
    const first = created(await pollSources(deps, config.sources));
    server.setCycle(2);
    const second = created(await pollSources(deps, config.sources));

    const wire = first.find((s) => s.title.includes('AI 추격조'));
    const copy = second.find((s) => s.outlet === '전자신문' && s.title.includes('AI 추격조'));
    expect(wire?.leader).toBe(true);
    expect(copy?.leader).toBe(false);
    expect(copy?.clusterId).toBe(wire?.id);

    const h20 = first.find((s) => s.outlet === '연합뉴스' && s.title.includes('H20'));
    const trimmed = second.find((s) => s.outlet === '한국경제' && s.title.includes('H20'));
    expect(trimmed?.clusterId).toBe(h20?.id);

    const followUp = second.find((s) => s.title.includes('접속 차단'));
    expect(followUp?.leader).toBe(true);

    const cluster = await deps.store.cluster(wire!.id);
    expect(cluster?.members.map((m) => m.outlet)).toEqual(['전자신문']);
  });

  it('an unchanged feed on the second cycle causes zero writes', async () => {
    const config = demoFeedsConfig(server.baseUrl);
    const deps = pipelineDeps(config, db.client, db.tableName);
    const healthy = config.sources.filter((s) => s.id !== 'demo-down');
    await pollSources(deps, healthy);
    const counter = countWrites(db.client);
    const again = await pollSources(deps, healthy);
    expect(again.every((r) => r.ok && r.created.length === 0)).toBe(true);
    expect(counter.writes()).toBe(0);
  });

  it('a feed served without ETag or Last-Modified, unchanged, also costs zero writes the second time', async () => {
    const plain = await startFixtureServer({
      '/feed.xml': { body: readFileSync('cli/demo/feeds/hankyung.xml'), headers: { 'content-type': 'application/rss+xml' } },
    });
    try {
      const config = demoFeedsConfig(plain.origin);
      const source = { ...config.sources[0]!, id: 'plain', url: plain.url('/feed.xml') };
      const deps = pipelineDeps(config, db.client, db.tableName);
      const first = await pollSources(deps, [source]);
      expect(first[0]?.created.length).toBeGreaterThan(0);
      const counter = countWrites(db.client);
      const again = await pollSources(deps, [source]);
      expect(again[0]).toMatchObject({ ok: true, notModified: false, fresh: 0 });
      expect(counter.writes()).toBe(0);
    } finally {
      await plain.close();
    }
  });

  it('two pollers on the same feeds at once create each story once, with one leader per cluster', async () => {
    server.setCycle(2);
    const config = demoFeedsConfig(server.baseUrl);
    const a = pipelineDeps(config, db.client, db.tableName);
    const b = pipelineDeps(config, db.client, db.tableName);
    const [ra, rb] = await Promise.all([pollSources(a, config.sources), pollSources(b, config.sources)]);
    const all = [...created(ra), ...created(rb)];
    const ids = all.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);

    const stored = await a.store.storiesOfDay('2025-02-06');
    expect(stored.length).toBe(all.length);
    const leadersByCluster = new Map<string, number>();
    for (const s of stored) if (s.leader) leadersByCluster.set(s.clusterId, (leadersByCluster.get(s.clusterId) ?? 0) + 1);
    expect([...leadersByCluster.values()].every((n) => n === 1)).toBe(true);
    for (const s of stored) expect(stored.some((l) => l.leader && l.id === s.clusterId)).toBe(true);
  });

  it('a cycle that dies mid-way and is run again loses and duplicates nothing', async () => {
    server.setCycle(2);
    const config = demoFeedsConfig(server.baseUrl);
    const healthy = config.sources.filter((s) => s.id !== 'demo-down');
    const real = pipelineDeps(config, db.client, db.tableName);
    let writes = 0;
    // The process "dies" at its third story write: every later write fails.
    const dying = {
      ...real,
      store: new Proxy(real.store, {
        get(target, prop, receiver) {
          if (prop === 'putStory') {
            return async (story: Story) => {
              if (++writes >= 3) throw new Error('process killed');
              return target.putStory(story);
            };
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }),
    };
    const crashed = await pollSources(dying, healthy, { concurrency: 1 });
    expect(crashed.some((r) => !r.ok)).toBe(true);

    const restarted = pipelineDeps(config, db.client, db.tableName);
    const reports = await pollSources(restarted, healthy);
    expect(reports.every((r) => r.ok)).toBe(true);

    // Same result as one clean run on a fresh table.
    const clean = await startDynalite();
    try {
      const reference = pipelineDeps(config, clean.client, clean.tableName);
      await pollSources(reference, healthy, { concurrency: 1 });
      const want = (await reference.store.storiesOfDay('2025-02-06')).map((s) => s.id).sort();
      const got = (await restarted.store.storiesOfDay('2025-02-06')).map((s) => s.id).sort();
      expect(got).toEqual(want);
    } finally {
      await clean.close();
    }
  });
});
