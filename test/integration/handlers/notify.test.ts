// The notify handler fed DynamoDB stream records whose NewImage is the item the real
// store wrote to dynalite (marshalled, as the stream carries it), delivering to a real
// HTTP receiver with its URLs read from Secrets Manager (a local peer).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import type { Context } from 'aws-lambda';
import { createDynamoClient } from '../../../adapters/dynamodb/client.ts';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notifyHandler } from '../../../functions/notify/notify.ts';
import { storyFromRecord } from '../../../functions/notify/story-image.ts';
import { instrumented } from '../../../functions/shared/instrument.ts';
import { notifySecrets } from '../../../shared/config/secret-refs.ts';
import { secretsManagerResolver } from '../../../functions/shared/secrets-manager.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import type { DeliverDeps } from '../../../shared/deliver/index.ts';
import type { Story } from '../../../shared/model.ts';
import { createDynamoStore, ensureTable, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';
import { emittedMetrics, startSecretsPeer, streamInsert, type SecretsPeer } from './support.ts';

const NOW = new Date('2025-01-28T03:00:00Z');
const SIGNING = 'whsec_' + Buffer.from('newswatch-test-signing-key-32byt').toString('base64');

const CONFIG = parseConfig(
  `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
  gpu: { label: GPU, strong: [GPU] }
delivery:
  slack:
    - id: team
      topics: [deepseek]
      webhook: { env: SLACK_TEAM, secret: newswatch/slack-team }
  webhooks:
    - id: archive
      topics: [deepseek, gpu]
      url: { secret: 'newswatch/archive#url' }
      signingSecret: { secret: 'newswatch/archive#signingSecret' }
`,
  'notify.yaml',
);

let n = 0;
function story(title: string): Story {
  const id = `st${++n}${Math.random().toString(36).slice(2, 8)}`;
  return {
    id,
    url: `https://www.yna.co.kr/view/${id}`,
    title,
    outlet: '연합뉴스',
    sourceId: 'yna',
    summary: '중국 인공지능 스타트업 딥시크가 저비용 고성능 모델을 내놓았다.',
    publishedAt: '2025-01-28T01:21:00.000Z',
    firstSeenAt: NOW.toISOString(),
    day: '2025-01-28',
    topics: ['deepseek'],
    why: {
      deepseek: {
        matched: true,
        score: 6,
        threshold: 3,
        hits: [{ term: '딥시크', found: '딥시크', field: 'title', kind: 'strong', weight: 6, count: 1, snippet: '딥시크' }],
      },
    },
    clusterId: id,
    leader: true,
  };
}

let db: TestDynamo;
let rx: Receiver;
let peer: SecretsPeer;
let store: DynamoStore;
let tableName: string;
let deps: DeliverDeps;

beforeAll(async () => {
  db = await startDynalite();
  rx = await startReceiver();
  peer = await startSecretsPeer({
    'newswatch/slack-team': rx.url('/slack'),
    'newswatch/archive': JSON.stringify({ url: rx.url('/hook'), signingSecret: SIGNING }),
  });
});
afterAll(async () => {
  await peer?.close();
  await rx?.close();
  await db?.close();
});
beforeEach(async () => {
  rx.reset();
  tableName = `t${Math.random().toString(36).slice(2, 10)}`;
  await ensureTable(db.client, tableName);
  store = createDynamoStore({ client: db.client, tableName });
  const secrets = secretsManagerResolver(peer.client);
  expect(await secrets.prefetch(notifySecrets(CONFIG))).toEqual([]);
  deps = {
    config: CONFIG,
    store,
    secrets: secrets.resolve,
    now: () => NOW,
    sleep: async () => {},
    retry: { baseDelayMs: 1, maxDelayMs: 2 },
    slackIntervalMs: 0,
  };
});

/** Write the story through the real store and return its item as the stream's NewImage carries it. */
async function written(s: Story): Promise<Record<string, AttributeValue>> {
  expect(await store.putStory(s)).toBe(true);
  const out = await db.client.send(new GetItemCommand({ TableName: tableName, Key: { pk: { S: `STORY#${s.id}` }, sk: { S: 'STORY' } } }));
  return out.Item!;
}

describe('notify handler', () => {
  it('reads each secret once at init, however many keys of it the config uses, then serves the cache', async () => {
    const before = peer.asked.length;
    const secrets = secretsManagerResolver(peer.client);
    expect(await secrets.prefetch(notifySecrets(CONFIG))).toEqual([]);
    expect(peer.asked.slice(before).sort()).toEqual(['newswatch/archive', 'newswatch/slack-team']);
    expect(await secrets.resolve({ secret: 'newswatch/archive#url' }, 'archive url')).toBe(rx.url('/hook'));
    expect(await secrets.resolve({ secret: 'newswatch/archive#signingSecret' }, 'archive signing secret')).toBe(SIGNING);
    expect(peer.asked.length).toBe(before + 2);
  });

  it("reads a stream record's image back as the story the store wrote, its why whole (routing reads its scores)", async () => {
    const s = story('딥시크 새 모델, 엔비디아 칩 없이 학습');
    expect(storyFromRecord(streamInsert('050000000000000000001', await written(s)))).toEqual(s);
  });

  it('sends a new leader to Slack and the signed webhook, and a retried batch sends nothing twice', async () => {
    const s = story('딥시크 충격에 엔비디아 주가 17% 급락');
    const event = { Records: [streamInsert('100000000000000000001', await written(s))] };
    const handler = instrumented(notifyHandler(deps));

    const { result, metrics } = await emittedMetrics(() => handler(event));
    expect(result.batchItemFailures).toEqual([]);
    expect(rx.requests('/slack')).toHaveLength(1);
    expect(rx.requests('/slack')[0]!.body).toContain('딥시크 충격에 엔비디아 주가 17% 급락');
    const hook = rx.requests('/hook');
    expect(hook).toHaveLength(1);
    expect(hook[0]!.headers['webhook-signature']).toMatch(/^v1,/);
    const data = JSON.parse(hook[0]!.body).data;
    expect(data.story).toMatchObject({ id: s.id, url: s.url, title: s.title });
    // The evidence survives the row's layout (why is stored as one string): terms, scores, hits.
    expect(data.why).toEqual(s.why);
    expect(data.matchedTerms).toEqual(['딥시크']);
    expect(data.topics).toEqual([{ id: 'deepseek', label: 'DeepSeek', score: s.why['deepseek']!.score }]);
    expect(rx.requests('/slack')[0]!.body).toContain('매칭: 딥시크');
    expect(metrics.DeliveryFailed).toBe(0);

    // Lambda retries the same batch (e.g. after a timeout): the delivery records hold.
    const { result: again } = await emittedMetrics(() => handler(event));
    expect(again.batchItemFailures).toEqual([]);
    expect(rx.requests('/slack')).toHaveLength(1);
    expect(rx.requests('/hook')).toHaveLength(1);
  });

  it('hands back only an unreadable record and still delivers the rest of the batch', async () => {
    const good = story('딥시크, 새 추론 모델 공개');
    const event = { Records: [streamInsert('200000000000000000001', undefined), streamInsert('200000000000000000002', await written(good))] };
    const { result, metrics } = await emittedMetrics(() => instrumented(notifyHandler(deps))(event));
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '200000000000000000001' }]);
    expect(rx.requests('/slack').map((r) => r.body.includes('새 추론 모델'))).toEqual([true]);
    expect(metrics.NotifyBatchItemFailures).toBe(1);
  });

  it('counts a destination that keeps failing (the alarm) without stalling the stream or the other destination', async () => {
    rx.script('/hook', [{ status: 500, body: 'down' }], { repeat: true });
    const s = story('딥시크 규제 논의 본격화');
    const event = { Records: [streamInsert('300000000000000000001', await written(s))] };
    const { result, metrics } = await emittedMetrics(() => instrumented(notifyHandler(deps))(event));
    expect(result.batchItemFailures).toEqual([]);
    expect(rx.requests('/slack')).toHaveLength(1);
    expect(rx.requests('/hook').length).toBeGreaterThan(1); // retried before giving up
    expect(metrics.DeliveryFailed).toBe(1);
    expect((await store.openDeliveries()).map((d) => [d.storyId, d.destinationId, d.status])).toEqual([[s.id, 'archive', 'failed']]);
  });

  it('behind a Slack 429 whose Retry-After outlasts the invocation: stops in time, hands the records back, and the sweep sends both later', async () => {
    const a = story('딥시크 충격에 엔비디아 주가 17% 급락');
    const b = story('딥시크, 새 추론 모델 공개');
    rx.script('/slack', [{ status: 429, headers: { 'retry-after': '25' }, body: 'rate_limited' }]);
    let clock = NOW.getTime();
    const timed: DeliverDeps = { ...deps, now: () => new Date(clock), sleep: (ms) => new Promise((r) => setTimeout(r, ms)) };
    const handler = instrumented(notifyHandler(timed));
    const event = { Records: [streamInsert('400000000000000000001', await written(a)), streamInsert('400000000000000000002', await written(b))] };

    // A Lambda with 20 s left: the handler must answer before that, as the runtime would kill it.
    const invocationMs = 20_000;
    const killedAt = Date.now() + invocationMs;
    const { result, metrics } = await emittedMetrics(() =>
      Promise.race([
        handler(
          event,
          lambdaContext(() => killedAt - Date.now()),
        ),
        new Promise<never>((_, reject) => setTimeout(() => reject(new Error('the invocation ran past its timeout')), invocationMs)),
      ]),
    );
    // Neither Slack alert went out: both records go back to the stream, nothing is acknowledged as done.
    expect(result.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['400000000000000000001', '400000000000000000002']);
    expect(metrics.NotifyBatchItemFailures).toBe(2);
    expect(rx.requests('/slack')).toHaveLength(1); // the 429; b was not started into the rate limit
    const rows = (await store.openDeliveries()).filter((r) => r.destinationId === 'team');
    expect(rows.map((r) => r.status).sort()).toEqual(['failed', 'pending']);
    expect(rows.find((r) => r.storyId === a.id)?.dueAt).toBe(new Date(clock + 25_000).toISOString()); // Retry-After honoured

    // The scheduled sweep after the Retry-After: both alerts go out, each once.
    clock += 26_000;
    const { result: swept } = await emittedMetrics(() =>
      handler(
        { kind: 'delivery-sweep' },
        lambdaContext(() => 60_000),
      ),
    );
    expect(swept.batchItemFailures).toEqual([]);
    const bodies = rx
      .requests('/slack')
      .slice(1)
      .map((r) => r.body);
    expect(bodies).toHaveLength(2);
    expect(bodies.some((x) => x.includes('주가 17% 급락'))).toBe(true);
    expect(bodies.some((x) => x.includes('새 추론 모델'))).toBe(true);
    expect(rx.requests('/hook')).toHaveLength(2);
  }, 60_000);

  it('hands the records back when the store is down: a store error is retryable, never "done"', async () => {
    const s = story('딥시크 규제 논의 본격화');
    const image = await written(s);
    // The same table through an endpoint where nothing answers: the store is down.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    const client = createDynamoClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
      maxAttempts: 1,
    });
    const down = createDynamoStore({ client, tableName });
    const event = { Records: [streamInsert('500000000000000000001', image)] };
    const { result } = await emittedMetrics(() =>
      instrumented(notifyHandler({ ...deps, store: down }))(
        event,
        lambdaContext(() => 60_000),
      ),
    );
    client.destroy();
    expect(result.batchItemFailures).toEqual([{ itemIdentifier: '500000000000000000001' }]);

    // Once the store is back, the retried record delivers.
    const { result: again } = await emittedMetrics(() =>
      instrumented(notifyHandler(deps))(
        event,
        lambdaContext(() => 60_000),
      ),
    );
    expect(again.batchItemFailures).toEqual([]);
    expect(rx.requests('/slack')).toHaveLength(1);
  });

  it('does not alert a story published ten months before the stream record (digest only)', async () => {
    const old = { ...story('딥시크 작년 기사'), publishedAt: '2024-03-28T01:21:00.000Z', day: '2024-03-28' };
    const record = streamInsert('600000000000000000001', await written(old));
    const { result } = await emittedMetrics(() =>
      instrumented(notifyHandler(deps))(
        { Records: [record] },
        lambdaContext(() => 60_000),
      ),
    );
    expect(result.batchItemFailures).toEqual([]);
    expect(rx.requests()).toHaveLength(0);
  });
});

/** The part of the Lambda context the handlers read (the runtime has no local peer). */
function lambdaContext(remaining: () => number): Context {
  return { awsRequestId: `req-${Math.random().toString(36).slice(2, 8)}`, getRemainingTimeInMillis: remaining } as unknown as Context;
}
