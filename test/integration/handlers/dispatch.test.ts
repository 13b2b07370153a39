// The dispatch handler fed a real EventBridge Scheduler payload against dynalite:
// one poll message per due source, and the failing-source metric the alarm reads.
// SQS has no local peer here, so the queue is the handler's small PollQueue interface
// backed by an array; the poll suite feeds such messages on to the poll handler.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dispatchHandler } from '../../../functions/dispatch/dispatch.ts';
import type { PollMessage, TickEvent } from '../../../functions/shared/events.ts';
import { instrumented } from '../../../functions/shared/instrument.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { emittedMetrics } from './support.ts';

const CONFIG = parseConfig(
  `version: 1
topics:
  gpu: { label: GPU, strong: [GPU] }
sources:
  - { id: fresh, kind: rss, outlet: A, url: 'https://a.example/rss' }
  - { id: backing-off, kind: rss, outlet: B, url: 'https://b.example/rss' }
  - { id: broken, kind: rss, outlet: C, url: 'https://c.example/rss' }
  - { id: recent, kind: rss, outlet: D, url: 'https://d.example/rss', pollMinutes: 30 }
  - { id: off, kind: rss, outlet: E, url: 'https://e.example/rss', enabled: false }
deploy:
  sourceFailingMinutes: 120
`,
  'dispatch.yaml',
);
const NOW = new Date('2025-02-06T06:00:00Z');
const minutesAgo = (m: number) => new Date(NOW.getTime() - m * 60_000).toISOString();

// What EventBridge Scheduler sends with the target input of infra/constructs/polling.ts.
const TICK: TickEvent = JSON.parse('{"kind":"poll-tick","scheduledTime":"2025-02-06T06:00:00Z"}');

let db: TestDynamo;
beforeAll(async () => {
  db = await startDynalite();
  const store = createDynamoStore({ client: db.client, tableName: db.tableName });
  await store.putSourceState({ id: 'backing-off', consecutiveFailures: 4, failingSince: minutesAgo(60), nextPollAt: minutesAgo(-30) });
  await store.putSourceState({ id: 'broken', consecutiveFailures: 9, failingSince: minutesAgo(200), lastError: 'broken: HTTP 500' });
  await store.putSourceState({ id: 'recent', consecutiveFailures: 0, lastAttemptAt: minutesAgo(10), lastSuccessAt: minutesAgo(10) });
});
afterAll(async () => db?.close());

describe('dispatch handler', () => {
  it('queues one message per due source and skips those in backoff, polled recently or disabled', async () => {
    const sent: PollMessage[] = [];
    const handler = instrumented(
      dispatchHandler({
        config: CONFIG,
        store: createDynamoStore({ client: db.client, tableName: db.tableName }),
        queue: { send: async (m) => void sent.push(...m) },
        now: () => NOW,
      }),
    );
    const { result, metrics } = await emittedMetrics(() => handler(TICK));

    expect(sent.map((m) => m.sourceId)).toEqual(['fresh', 'broken']);
    expect(sent.every((m) => m.queuedAt === NOW.toISOString())).toBe(true);
    expect(result.dispatched).toEqual(['fresh', 'broken']);
    // failing for 200 minutes > 120; the one in backoff has failed for 60 only
    expect(result.failingTooLong).toEqual(['broken']);
    expect(metrics).toMatchObject({ SourcesDispatched: 2, SourcesFailingTooLong: 1 });
  });

  it('reports zero failing sources once they recover, so the alarm clears', async () => {
    const store = createDynamoStore({ client: db.client, tableName: db.tableName });
    await store.putSourceState({ id: 'broken', consecutiveFailures: 0, lastSuccessAt: NOW.toISOString(), lastAttemptAt: NOW.toISOString() });
    const handler = instrumented(dispatchHandler({ config: CONFIG, store, queue: { send: async () => {} }, now: () => NOW }));
    const { result, metrics } = await emittedMetrics(() => handler(TICK));
    expect(result.failingTooLong).toEqual([]);
    expect(metrics.SourcesFailingTooLong).toBe(0);
  });

  it('fails the tick (for the Scheduler to retry) when the queue refuses the messages', async () => {
    const handler = dispatchHandler({
      config: CONFIG,
      store: createDynamoStore({ client: db.client, tableName: db.tableName }),
      queue: {
        send: async () => {
          throw new Error('SQS refused poll messages for: fresh (InternalError)');
        },
      },
      now: () => NOW,
    });
    await expect(handler(TICK)).rejects.toThrow(/refused poll messages for: fresh/);
  });
});
