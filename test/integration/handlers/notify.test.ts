// The notify handler fed DynamoDB stream records whose NewImage is the item the real
// store wrote to dynalite (marshalled, as the stream carries it), delivering to a real
// HTTP receiver with its URLs read from Secrets Manager (a local peer).
import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { notifyHandler } from '../../../functions/notify/notify.ts';
import { instrumented } from '../../../functions/shared/instrument.ts';
import { notifySecrets } from '../../../functions/shared/secret-refs.ts';
import { secretsManagerResolver } from '../../../functions/shared/secrets-manager.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import type { DeliverDeps } from '../../../shared/deliver/index.ts';
import type { Story } from '../../../shared/model.ts';
import { createDynamoStore, ensureTable, type DynamoStore } from '../../../shared/store/dynamodb.ts';
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
    why: { deepseek: { matched: true, score: 6, threshold: 3, hits: [{ term: '딥시크', found: '딥시크', field: 'title', kind: 'strong', weight: 6, count: 1, snippet: '딥시크' }] } },
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
  deps = { config: CONFIG, store, secrets: secrets.resolve, now: () => NOW, sleep: async () => {}, retry: { baseDelayMs: 1, maxDelayMs: 2 }, slackIntervalMs: 0 };
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
    expect(JSON.parse(hook[0]!.body).data.story).toMatchObject({ id: s.id, url: s.url, title: s.title });
    expect(metrics.DeliveryFailed).toBe(0);

    // Lambda retries the same batch (e.g. after a timeout): the delivery records hold.
    const again = await handler(event);
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
});
