// Delivery and digest claims against dynalite: of two concurrent senders exactly one wins;
// a dead sender's claim can be retaken after its lease; `sent` is final.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStore, type DynamoStore } from '../../../shared/store/dynamodb.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';

let db: TestDynamo;
let store: DynamoStore;
let other: DynamoStore;

beforeAll(async () => {
  db = await startDynalite();
  store = createDynamoStore({ client: db.client, tableName: db.tableName });
  // A second adapter on the same table stands for a second Lambda / process.
  other = createDynamoStore({ client: db.client, tableName: db.tableName });
});
afterAll(async () => {
  await db?.close();
});

const t0 = new Date('2025-02-06T00:00:00Z');
const later = (ms: number) => new Date(t0.getTime() + ms);

describe('claimDelivery', () => {
  it('lets exactly one of two simultaneous senders send', async () => {
    const results = await Promise.all([store.claimDelivery('s1', 'slack', t0), other.claimDelivery('s1', 'slack', t0)]);
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('lets many simultaneous senders produce exactly one winner', async () => {
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? store : other).claimDelivery('s-many', 'hook', t0)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps a fresh pending claim, and hands it over once the lease has run out', async () => {
    expect(await store.claimDelivery('s2', 'slack', t0, 60_000)).toBe(true);
    expect(await other.claimDelivery('s2', 'slack', later(30_000), 60_000)).toBe(false);
    expect(await other.claimDelivery('s2', 'slack', later(61_000), 60_000)).toBe(true);
  });

  it('never sends a story twice once it is sent, even after the lease', async () => {
    expect(await store.claimDelivery('s3', 'slack', t0)).toBe(true);
    await store.finishDelivery({ storyId: 's3', destinationId: 'slack', status: 'sent', attempts: 1 }, later(1000));
    expect(await other.claimDelivery('s3', 'slack', later(86_400_000))).toBe(false);
    // A late duplicate finisher cannot turn it back into a failure.
    await other.finishDelivery({ storyId: 's3', destinationId: 'slack', status: 'failed', attempts: 1, error: 'timeout' }, later(2000));
    expect((await store.failedDeliveries()).some((r) => r.storyId === 's3')).toBe(false);
  });

  it('lists failed deliveries newest first and drops them once a retry succeeds', async () => {
    await store.claimDelivery('f1', 'hook', t0);
    await store.finishDelivery({ storyId: 'f1', destinationId: 'hook', status: 'failed', attempts: 1, error: 'HTTP 500 from hook' }, later(1000));
    await store.claimDelivery('f2', 'hook', t0);
    await store.finishDelivery({ storyId: 'f2', destinationId: 'hook', status: 'failed', attempts: 1, error: 'HTTP 502 from hook' }, later(2000));
    let failed = await store.failedDeliveries(10);
    expect(failed.map((r) => r.storyId)).toEqual(['f2', 'f1']);
    expect(failed[0]?.error).toBe('HTTP 502 from hook');

    // A failure is retried once its lease has passed, and a success clears it from the list.
    expect(await store.claimDelivery('f1', 'hook', later(30_000), 10_000)).toBe(true);
    await store.finishDelivery({ storyId: 'f1', destinationId: 'hook', status: 'sent', attempts: 2 }, later(31_000));
    failed = await store.failedDeliveries(10);
    expect(failed.map((r) => r.storyId)).toEqual(['f2']);
  });
});

describe('claimDigest', () => {
  it('lets one of two schedulers claim a day, and nobody claims it again once sent', async () => {
    const results = await Promise.all([store.claimDigest('2025-02-06', 'team', t0), other.claimDigest('2025-02-06', 'team', t0)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await store.finishDigest({ day: '2025-02-06', listId: 'team', status: 'sent', claimedAt: t0.toISOString(), sentAt: later(5000).toISOString(), stories: 7, messageId: 'm-1' });
    expect(await other.claimDigest('2025-02-06', 'team', later(86_400_000))).toBe(false);
    expect(await store.getDigest('2025-02-06', 'team')).toMatchObject({ status: 'sent', stories: 7, messageId: 'm-1' });
  });

  it('hands a claim whose sender died to the next run after the lease', async () => {
    expect(await store.claimDigest('2025-02-07', 'team', t0, 60_000)).toBe(true);
    expect(await other.claimDigest('2025-02-07', 'team', later(59_000), 60_000)).toBe(false);
    expect(await other.claimDigest('2025-02-07', 'team', later(61_000), 60_000)).toBe(true);
  });

  it('claims each list of a day separately', async () => {
    expect(await store.claimDigest('2025-02-08', 'team', t0)).toBe(true);
    expect(await store.claimDigest('2025-02-08', 'execs', t0)).toBe(true);
    expect(await store.getDigest('2025-02-09', 'team')).toBeUndefined();
  });
});
