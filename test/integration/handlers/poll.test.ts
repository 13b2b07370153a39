// The poll handler fed real SQS batches (as queued by the dispatch handler) against
// dynalite and a real HTTP server on 127.0.0.1 serving feed fixtures. A source's own
// failure is recorded in its state and not retried; a bad message or a store outage
// comes back as a batch item failure for SQS to retry (and, in the end, its DLQ).
import type { Context } from 'aws-lambda';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { dispatchHandler } from '../../../functions/dispatch/dispatch.ts';
import { pollHandler } from '../../../functions/poll/poll.ts';
import type { PollMessage } from '../../../functions/shared/events.ts';
import { instrumented } from '../../../functions/shared/instrument.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import type { Config } from '../../../shared/config/schema/index.ts';
import type { PipelineDeps } from '../../../shared/pipeline/types.ts';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';
import { logger } from '../../../adapters/powertools/observability.ts';
import { emittedMetrics, sqsRecord } from './support.ts';

const NOW = new Date('2025-01-28T03:00:00Z');

function configFor(base: string, extraSources = ''): Config {
  return parseConfig(
    `version: 1
settings: { allowPrivateNetwork: true, timeoutMs: 5000 }
topics:
  deepseek: { label: DeepSeek, strong: [{ term: 딥시크, aliases: [DeepSeek] }] }
  gpu: { label: GPU, strong: [GPU, 엔비디아] }
sources:
  - { id: yna, kind: rss, outlet: 연합뉴스, url: '${base}/yna.xml', fetchArticle: never }
  - { id: down, kind: rss, outlet: 장애, url: '${base}/down.xml', fetchArticle: never }
${extraSources}`,
    'poll.yaml',
  );
}

let db: TestDynamo;
let feeds: FixtureServer;
let store: DynamoStore;
let config: Config;
let deps: PipelineDeps;

beforeAll(async () => {
  db = await startDynalite();
  feeds = await startFixtureServer({
    '/yna.xml': { file: 'feeds/yna-news.xml', headers: { 'content-type': 'application/rss+xml; charset=utf-8' } },
    '/down.xml': { status: 500, body: 'internal error' },
    '/cut.xml': { file: 'feeds/malformed-recoverable.xml', headers: { 'content-type': 'application/rss+xml; charset=utf-8' } },
  });
});
afterAll(async () => {
  await feeds?.close();
  await db?.close();
});
beforeEach(async () => {
  const tableName = `t${Math.random().toString(36).slice(2, 10)}`;
  const { ensureTable } = await import('../../../adapters/dynamodb/store.ts');
  await ensureTable(db.client, tableName);
  store = createDynamoStore({ client: db.client, tableName });
  config = configFor(feeds.url('').replace(/\/$/, ''));
  deps = { config, store, now: () => NOW, secrets: async (_r, what) => Promise.reject(new Error(`${what}: none here`)) };
});

/** What the dispatch handler queues this tick, as the SQS batch Lambda would deliver. */
async function dispatchedBatch() {
  const sent: PollMessage[] = [];
  await dispatchHandler({ config, store, queue: { send: async (m) => void sent.push(...m) }, now: () => NOW })({ kind: 'poll-tick' });
  return sent.map((m, i) => sqsRecord(`msg-${i}`, JSON.stringify(m)));
}

describe('poll handler', () => {
  it('polls every queued source, stores new matched stories, and records a failing source without a retry', async () => {
    const batch = await dispatchedBatch();
    expect(batch.map((r) => JSON.parse(r.body).sourceId)).toEqual(['yna', 'down']);

    const { result, metrics } = await emittedMetrics(() => instrumented(pollHandler(deps))({ Records: batch }));

    expect(result.batchItemFailures).toEqual([]);
    const stories = await store.storiesOfDay('2025-01-28');
    expect(stories.map((s) => s.title)).toEqual(expect.arrayContaining([expect.stringContaining('딥시크 충격에 엔비디아')]));
    expect((await store.getSourceState('yna'))?.lastSuccessAt).toBe(NOW.toISOString());
    const down = await store.getSourceState('down');
    expect(down?.consecutiveFailures).toBe(1);
    expect(down?.lastError).toMatch(/500/);
    expect(metrics).toMatchObject({ SourcePollFailed: 1, PollBatchItemFailures: 0 });
  });

  it('hands back only the malformed message; a message for a source no longer configured is dropped', async () => {
    const batch = [
      sqsRecord('good', JSON.stringify({ sourceId: 'yna', queuedAt: NOW.toISOString() })),
      sqsRecord('garbled', '{"sourceId": yna'),
      sqsRecord('empty', JSON.stringify({ queuedAt: NOW.toISOString() })),
      sqsRecord('removed', JSON.stringify({ sourceId: 'gone-from-config', queuedAt: NOW.toISOString() })),
    ];
    const { result, metrics } = await emittedMetrics(() => instrumented(pollHandler(deps))({ Records: batch }));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'garbled' }, { itemIdentifier: 'empty' }]);
    // the good message in the same batch was still polled
    expect((await store.storiesOfDay('2025-01-28')).length).toBeGreaterThan(0);
    expect(metrics.PollBatchItemFailures).toBe(2);
  });

  it('logs a source read with warnings at WARN, naming the source (a feed cut off mid-item)', async () => {
    const base = feeds.url('').replace(/\/$/, '');
    const config = configFor(base, `  - { id: inews24, kind: rss, outlet: 아이뉴스24, url: '${base}/cut.xml', fetchArticle: never }\n`);
    // Powertools prints WARN lines through console.warn: stderr.
    const lines: string[] = [];
    const write = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string | Uint8Array) => lines.push(String(chunk)) > 0) as typeof process.stderr.write;
    logger.setLogLevel('WARN');
    try {
      const result = await pollHandler({ ...deps, config })({
        Records: [sqsRecord('cut', JSON.stringify({ sourceId: 'inews24', queuedAt: NOW.toISOString() }))],
      });
      expect(result.batchItemFailures).toEqual([]);
    } finally {
      logger.setLogLevel('CRITICAL');
      process.stderr.write = write;
    }
    const warned = lines
      .flatMap((l) => l.split('\n'))
      .filter((l) => l.includes('"level":"WARN"'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(warned).toEqual([
      expect.objectContaining({
        message: 'source read with warnings',
        sourceId: 'inews24',
        warnings: [expect.stringMatching(/^malformed XML at line 21 .*kept the 2 items before it$/)],
      }),
    ]);
  });

  it('hands every message back when the store is down, so SQS retries them', async () => {
    const broken = createDynamoStore({ client: db.client, tableName: 'no-such-table' });
    const batch = [sqsRecord('a', JSON.stringify({ sourceId: 'yna', queuedAt: '' })), sqsRecord('b', JSON.stringify({ sourceId: 'down', queuedAt: '' }))];
    const result = await pollHandler({ ...deps, store: broken })({ Records: batch });
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['a', 'b']);
  });

  it('starts no poll it has no time left for: the message goes back to SQS, no source is fetched', async () => {
    const before = feeds.requests.length;
    const batch = [sqsRecord('late', JSON.stringify({ sourceId: 'yna', queuedAt: '' }))];
    // 4 s left of the invocation: less than one fetch may take (settings.timeoutMs 5 s).
    const context = { awsRequestId: 'req-late', getRemainingTimeInMillis: () => 4_000 } as unknown as Context;
    const result = await pollHandler(deps)({ Records: batch }, context);
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: 'late' }]);
    expect(feeds.requests.length).toBe(before);
    expect(await store.getSourceState('yna')).toBeUndefined();
  });

  it('stores each story once when SQS redelivers a message', async () => {
    const batch = [sqsRecord('m1', JSON.stringify({ sourceId: 'yna', queuedAt: NOW.toISOString() }))];
    await pollHandler(deps)({ Records: batch });
    const first = (await store.storiesOfDay('2025-01-28')).length;
    const again = await pollHandler(deps)({ Records: batch });
    expect(again.batchItemFailures).toEqual([]);
    expect((await store.storiesOfDay('2025-01-28')).length).toBe(first);
  });
});
