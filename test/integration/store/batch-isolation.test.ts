// The local store batches the rows of every story in flight, whatever its source, into one
// BatchWriteItem. DynamoDB (here dynalite, with the same 400 KB item limit) refuses the whole
// batch when one item is too large: that must fail only the story it belongs to.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Fingerprint } from '../../../shared/dedupe/index.ts';
import type { Story } from '../../../shared/model.ts';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import { isUnstorable } from '../../../shared/store/errors.ts';
import { createSoleWriterStore } from '../../../adapters/dynamodb/sole-writer.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';

const NOW = new Date('2025-02-06T06:00:00Z');
let db: TestDynamo;
let table: DynamoStore;

beforeAll(async () => {
  db = await startDynalite();
  table = createDynamoStore({ client: db.client, tableName: db.tableName });
});
afterAll(async () => {
  await db?.close();
});

function story(id: string, sourceId: string, title: string): Story {
  return {
    id,
    url: `https://news.example.com/${id}`,
    title,
    outlet: sourceId,
    sourceId,
    summary: '요약',
    publishedAt: NOW.toISOString(),
    firstSeenAt: NOW.toISOString(),
    day: '2025-02-06',
    topics: ['gpu'],
    why: {},
    clusterId: id,
    leader: true,
  };
}

function fingerprint(id: string, outlet: string): Fingerprint {
  return {
    id,
    clusterId: id,
    settled: true,
    publishedAt: NOW.toISOString(),
    outlet,
    createdAt: NOW.toISOString(),
    shingles: new Uint32Array([1, 2, 3]),
    copy: new Uint32Array([1, 2, 3]),
    keys: [],
  };
}

describe('batch writes shared across sources', () => {
  it('a story too large to store fails alone; the stories of other sources in the same batch are stored', async () => {
    const store = createSoleWriterStore(table, { now: () => NOW });
    const stories = [
      story('iso-good-a', 'yonhap', '엔비디아 H20 수출 통제'),
      story('iso-huge', 'hostile', 'x'.repeat(600_000)), // 600 KB (dynalite counts characters, DynamoDB UTF-8 bytes)
      story('iso-good-b', 'etnews', '딥시크 충격'),
    ];
    for (const s of stories) expect(await store.putFingerprint(fingerprint(s.id, s.outlet))).toBe(true);
    // Written at once: the three story rows share one batch.
    const results = await Promise.allSettled(stories.map((s) => store.putStory(s)));

    expect(results[0]).toEqual({ status: 'fulfilled', value: true });
    expect(results[2]).toEqual({ status: 'fulfilled', value: true });
    expect(results[1]!.status).toBe('rejected');
    const reason = (results[1] as PromiseRejectedResult).reason as Error;
    expect(isUnstorable(reason)).toBe(true);
    expect(reason.message).toMatch(/size/i);

    expect((await table.getStory('iso-good-a'))?.title).toBe('엔비디아 H20 수출 통제');
    expect((await table.getStory('iso-good-b'))?.title).toBe('딥시크 충격');
    expect(await table.getStory('iso-huge')).toBeUndefined();
  });

  it('memberships in one batch: the oversized one fails alone', async () => {
    const store = createSoleWriterStore(table, { now: () => NOW });
    const member = (id: string, title: string) => ({ id, outlet: 'o', url: `https://news.example.com/${id}`, title });
    const results = await Promise.allSettled([
      store.addMember('iso-good-a', member('m-1', '사본 1'), NOW.toISOString()),
      store.addMember('iso-good-a', member('m-2', 'x'.repeat(600_000)), NOW.toISOString()),
      store.addMember('iso-good-b', member('m-3', '사본 3'), NOW.toISOString()),
    ]);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await table.cluster('iso-good-a'))?.members.map((m) => m.id)).toEqual(['m-1']);
  });
});
