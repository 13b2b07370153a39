// The delivery outbox and digest claims against dynalite: of concurrent senders exactly one
// wins; a dead sender's row is due again after its lease; `sent` is final.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
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

describe('delivery outbox', () => {
  const enqueue = (storyId: string, dest: string, at = t0) => store.enqueueDeliveries([{ storyId, destinationId: dest }], at);

  it('queues a row once: a second enqueue (another poller, the stream, a restart) leaves it alone', async () => {
    expect(await enqueue('q1', 'slack')).toHaveLength(1);
    expect(await other.enqueueDeliveries([{ storyId: 'q1', destinationId: 'slack' }], later(5))).toHaveLength(0);
    expect(await store.getDelivery('q1', 'slack')).toMatchObject({ status: 'pending', attempts: 0, createdAt: t0.toISOString() });
  });

  it('lets exactly one of many simultaneous senders claim a due row', async () => {
    await enqueue('s-many', 'hook');
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? store : other).claimDelivery('s-many', 'hook', `sender${i}`, t0, 60_000)));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it('keeps a leased row from others until its lease ends, then it is due again by itself', async () => {
    await enqueue('s2', 'slack');
    expect(await store.claimDelivery('s2', 'slack', 'a', t0, 60_000)).toMatchObject({ status: 'sending', owner: 'a', attempts: 1 });
    expect((await other.dueDeliveries(later(30_000))).some((r) => r.storyId === 's2')).toBe(false);
    expect(await other.claimDelivery('s2', 'slack', 'b', later(30_000), 60_000)).toBeUndefined();
    expect((await other.dueDeliveries(later(61_000))).some((r) => r.storyId === 's2')).toBe(true);
    expect(await other.claimDelivery('s2', 'slack', 'b', later(61_000), 60_000)).toMatchObject({ owner: 'b', attempts: 2 });
    // The dead sender's late outcome does not overwrite the new owner's lease.
    expect(await store.markFailed('s2', 'slack', 'a', later(62_000), 'late', later(99_000))).toBe(false);
  });

  it('never sends a row again once sent, and a sent row cannot be queued again', async () => {
    await enqueue('s3', 'slack');
    await store.claimDelivery('s3', 'slack', 'a', t0, 60_000);
    await store.markSent('s3', 'slack', later(1000));
    expect((await store.dueDeliveries(later(86_400_000))).some((r) => r.storyId === 's3')).toBe(false);
    expect(await other.claimDelivery('s3', 'slack', 'b', later(86_400_000), 60_000)).toBeUndefined();
    expect(await other.enqueueDeliveries([{ storyId: 's3', destinationId: 'slack' }], later(2000))).toHaveLength(0);
    expect(await store.getDelivery('s3', 'slack')).toMatchObject({ status: 'sent' });
  });

  it('schedules a failed row for its next attempt, whatever its day, and lists it open until sent', async () => {
    await enqueue('f1', 'hook');
    await store.claimDelivery('f1', 'hook', 'a', t0, 60_000);
    expect(await store.markFailed('f1', 'hook', 'a', later(1000), 'HTTP 500 from hook', later(20_000))).toBe(true);
    expect((await store.dueDeliveries(later(10_000))).some((r) => r.storyId === 'f1')).toBe(false);
    const due = (await store.dueDeliveries(later(20_000))).find((r) => r.storyId === 'f1');
    expect(due).toMatchObject({ status: 'failed', lastError: 'HTTP 500 from hook', attempts: 1 });
    expect((await store.openDeliveries()).some((r) => r.storyId === 'f1')).toBe(true);
    await store.claimDelivery('f1', 'hook', 'a', later(20_000), 60_000);
    await store.markSent('f1', 'hook', later(21_000));
    expect((await store.openDeliveries()).some((r) => r.storyId === 'f1')).toBe(false);
  });

  it("releases every lease at a sole writer's start-up: the row is due at once", async () => {
    await enqueue('r1', 'slack');
    await store.claimDelivery('r1', 'slack', 'dead', t0, 120_000);
    expect(await other.releaseLeases(later(1000))).toBeGreaterThanOrEqual(1);
    expect((await other.dueDeliveries(later(1000))).find((r) => r.storyId === 'r1')).toMatchObject({ status: 'pending' });
  });

  it('gives up a row, lists it, and puts it back on retry with a fresh age', async () => {
    await enqueue('g1', 'hook');
    await store.giveUp('g1', 'hook', later(1000), 'not sent within 24 h');
    expect((await store.givenUpDeliveries()).find((r) => r.storyId === 'g1')).toMatchObject({ status: 'given-up', lastError: 'not sent within 24 h' });
    expect((await store.dueDeliveries(later(5000))).some((r) => r.storyId === 'g1')).toBe(false);
    expect(await store.retryDelivery('g1', 'hook', later(6000))).toBe(true);
    expect((await store.dueDeliveries(later(6000))).find((r) => r.storyId === 'g1')).toMatchObject({ status: 'pending', retriedAt: later(6000).toISOString() });
    expect((await store.givenUpDeliveries()).some((r) => r.storyId === 'g1')).toBe(false);
  });
});

describe('claimDigest', () => {
  it('lets one of two schedulers claim a day, and nobody claims it again once sent', async () => {
    const results = await Promise.all([store.claimDigest('2025-02-06', 'team', t0), other.claimDigest('2025-02-06', 'team', t0)]);
    expect(results.filter(Boolean)).toHaveLength(1);
    await store.finishDigest({
      day: '2025-02-06',
      listId: 'team',
      status: 'sent',
      claimedAt: t0.toISOString(),
      sentAt: later(5000).toISOString(),
      stories: 7,
      messageId: 'm-1',
    });
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
