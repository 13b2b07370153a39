// The DynamoDB store against a real dynalite on a temporary directory: first writer wins,
// seen markers expire on read, source state round-trips and lists in one query.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { marshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClient } from '../../../adapters/dynamodb/client.ts';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import type { Story } from '../../../shared/model.ts';
import { newPages } from '../../../shared/pipeline/novelty.ts';
import { StoreError } from '../../../shared/store/errors.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';

function story(id: string, over: Partial<Story> = {}): Story {
  return {
    id,
    url: `https://news.example.kr/${id}`,
    title: `제목 ${id}`,
    outlet: '연합뉴스',
    sourceId: 'yna',
    summary: '요약',
    publishedAt: '2025-01-28T01:00:00.000Z',
    firstSeenAt: '2025-01-28T01:05:00.000Z',
    day: '2025-01-28',
    topics: ['deepseek'],
    why: { deepseek: { matched: true, score: 3, threshold: 2, hits: [] } },
    clusterId: id,
    leader: true,
    ...over,
  };
}

let dir: string;
let db: TestDynamo;
let store: DynamoStore;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nw-store-'));
  db = await startDynalite({ path: dir });
  store = createDynamoStore({ client: db.client, tableName: db.tableName });
});
afterAll(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('stories', () => {
  it('creates a story once: the second put of the same id reports false and changes nothing', async () => {
    expect(await store.putStory(story('s1', { title: '첫 제목' }))).toBe(true);
    expect(await store.putStory(story('s1', { title: '다른 제목' }))).toBe(false);
    expect((await store.getStory('s1'))?.title).toBe('첫 제목');
  });

  it('reads a story back exactly as written, without table keys', async () => {
    const s = story('s2', { image: 'https://img.example.kr/a.jpg' });
    await store.putStory(s);
    expect(await store.getStory('s2')).toEqual(s);
    expect(await store.getStory('missing')).toBeUndefined();
  });

  it('lists matched stories of a Korea day from the day index, and leaves unmatched ones out', async () => {
    await store.putStory(story('d1', { day: '2025-02-01', publishedAt: '2025-01-31T16:00:00.000Z' }));
    await store.putStory(story('d2', { day: '2025-02-01', publishedAt: '2025-02-01T02:00:00.000Z', leader: false, clusterId: 'd1' }));
    await store.putStory(story('d3', { day: '2025-02-01', topics: [], why: {} }));
    await store.putStory(story('d4', { day: '2025-02-02' }));
    const ids = (await store.storiesOfDay('2025-02-01')).map((s) => s.id).sort();
    expect(ids).toEqual(['d1', 'd2']);
  });

  it('returns a cluster with its members in the order they joined', async () => {
    await store.putStory(story('lead'));
    await store.addMember('lead', { id: 'm2', outlet: '뉴시스', url: 'https://newsis.com/2', title: 'b' }, '2025-01-28T01:02:00.000Z');
    await store.addMember('lead', { id: 'm1', outlet: '뉴스1', url: 'https://news1.kr/1', title: 'a' }, '2025-01-28T01:01:00.000Z');
    await store.addMember('lead', { id: 'm1', outlet: '뉴스1', url: 'https://news1.kr/1', title: 'a' }, '2025-01-28T01:03:00.000Z');
    const view = await store.cluster('lead');
    expect(view?.leader.id).toBe('lead');
    expect(view?.members.map((m) => m.outlet)).toEqual(['뉴스1', '뉴시스']);
    expect(await store.cluster('nobody')).toBeUndefined();
  });

  it('keeps why as one string, and reads the map an earlier version stored by every read path', async () => {
    const why: Story['why'] = {
      deepseek: {
        matched: true,
        score: 7,
        threshold: 3,
        hits: [{ term: '딥시크', found: '딥시크', field: 'title', kind: 'strong', weight: 6, count: 1, snippet: '"딥시크" 충격…' }],
      },
    };
    // As an earlier version wrote it (its row marshalled as it was: why a map), in the day index.
    const old = story('w-old', { day: '2025-02-03', publishedAt: '2025-02-03T01:00:00.000Z', why });
    const earlierRow = { ...old, pk: 'STORY#w-old', sk: 'STORY', kind: 'story', gsi1pk: 'DAY#2025-02-03', gsi1sk: `${old.publishedAt}#w-old` };
    await db.client.send(new PutItemCommand({ TableName: db.tableName, Item: marshall(earlierRow) }));
    expect(marshall(earlierRow)['why']).toHaveProperty('M');
    const now = story('w-new', { day: '2025-02-03', publishedAt: '2025-02-03T02:00:00.000Z', why, clusterId: 'w-new' });
    await store.putStory(now);
    expect(await store.getStory('w-old')).toEqual(old);
    expect(await store.getStory('w-new')).toEqual(now);
    const ofDay = await store.storiesOfDay('2025-02-03');
    expect(ofDay.map((s) => s.why)).toEqual([why, why]);
    const day = { since: new Date('2025-02-03T00:00:00.000Z'), until: new Date('2025-02-04T00:00:00.000Z'), now: new Date('2025-02-04T00:00:00.000Z') };
    expect((await store.listStories(day)).map((s) => s.why)).toEqual([why, why]);
    expect((await store.cluster('w-old'))?.leader.why).toEqual(why);
    const raw = await db.client.send(new GetItemCommand({ TableName: db.tableName, Key: { pk: { S: 'STORY#w-new' }, sk: { S: 'STORY' } } }));
    expect(raw.Item?.['why']).toEqual({ S: JSON.stringify(why) });
  });
});

describe('unseen and SEEN markers', () => {
  it('skips stored stories and unexpired seen markers, and treats expired markers as unseen', async () => {
    const now = new Date('2025-01-28T00:00:00Z');
    await store.putStory(story('u-story'));
    await store.savePolls([
      { at: now, seen: { ids: ['u-seen'], ttlDays: 7 } },
      { at: new Date('2025-01-01T00:00:00Z'), seen: { ids: ['u-old'], ttlDays: 7 } },
    ]);
    const fresh = await newPages(store, ['u-story', 'u-seen', 'u-old', 'u-new'], now);
    expect(fresh.sort()).toEqual(['u-new', 'u-old']);
    // Eight days later the 7-day marker has expired too.
    expect(await newPages(store, ['u-seen'], new Date('2025-02-05T00:00:00Z'))).toEqual(['u-seen']);
  });

  it('handles more ids than one BatchGetItem allows', async () => {
    const ids = Array.from({ length: 260 }, (_, i) => `bulk-${i}`);
    const now = new Date('2025-01-28T00:00:00Z');
    await store.savePolls([{ at: now, seen: { ids: ids.filter((_, i) => i % 2 === 0), ttlDays: 3 } }]);
    const fresh = await newPages(store, ids, now);
    expect(fresh).toEqual(ids.filter((_, i) => i % 2 === 1));
  });
});

describe('source state', () => {
  it('round-trips a source state and lists all sources', async () => {
    await store.putSourceState({ id: 'yna', etag: '"abc"', consecutiveFailures: 0, lastSuccessAt: '2025-01-28T00:00:00.000Z' });
    await store.putSourceState({ id: 'hani', consecutiveFailures: 2, lastError: 'HTTP 503', failingSince: '2025-01-27T23:00:00.000Z' });
    await store.putSourceState({ id: 'yna', etag: '"def"', consecutiveFailures: 0 });
    expect(await store.getSourceState('yna')).toEqual({ id: 'yna', etag: '"def"', consecutiveFailures: 0 });
    const all = await store.listSourceStates();
    expect(all.map((s) => s.id).sort()).toEqual(['hani', 'yna']);
    expect(all.find((s) => s.id === 'hani')?.lastError).toBe('HTTP 503');
  });

  it('reads the listing a store written by an earlier version kept as a list, and its own as one string', async () => {
    // Raw attribute values, as the table holds them.
    const S = (s: string) => ({ S: s });
    await db.client.send(
      new PutItemCommand({
        TableName: db.tableName,
        Item: { pk: S('SOURCE'), sk: S('old'), kind: S('source'), id: S('old'), consecutiveFailures: { N: '0' }, listed: { L: [S('a1'), S('b2')] } },
      }),
    );
    await store.putSourceState({ id: 'new', consecutiveFailures: 0, listed: ['c3', 'd4'] });
    expect((await store.getSourceState('old'))?.listed).toEqual(['a1', 'b2']);
    expect((await store.getSourceState('new'))?.listed).toEqual(['c3', 'd4']);
    const raw = await db.client.send(new GetItemCommand({ TableName: db.tableName, Key: { pk: S('SOURCE'), sk: S('new') } }));
    expect(raw.Item?.['listed']).toEqual({ S: 'c3 d4' });
  });
});

describe('errors', () => {
  it('names the table and the fix when the table does not exist, without leaking an SDK error type', async () => {
    const missing = createDynamoStore({ client: db.client, tableName: 'no-such-table' });
    const err = await missing.getStory('x').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    // Retryable: work that met a missing table (a deploy under way) is handed back, never dropped as done.
    expect(err).toMatchObject({ operation: 'getStory', retryable: true });
    expect((err as Error).message).toContain("table 'no-such-table'");
  });

  it('marks an unreachable store as retryable', async () => {
    const client = createDynamoClient({
      endpoint: 'http://127.0.0.1:9',
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const err = await createDynamoStore({ client, tableName: 't' })
      .pageRecords(['a'])
      .catch((e: unknown) => e);
    client.destroy();
    expect(err).toBeInstanceOf(StoreError);
    expect(err).toMatchObject({ operation: 'pageRecords', retryable: true });
  });
});
