// The digest handler fed the Scheduler payloads of infra/constructs/digest.ts, against
// dynalite and aws-ses-v2-local: the day's digest goes out once however often the
// schedule fires, and the check 30 minutes later reports a digest that did not.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { digestHandler } from '../../../functions/digest/digest.ts';
import type { DigestEvent } from '../../../functions/shared/events.ts';
import { instrumented } from '../../../functions/shared/instrument.ts';
import { parseConfig } from '../../../shared/config/load.ts';
import type { DigestDeps } from '../../../shared/deliver/index.ts';
import type { Story } from '../../../shared/model.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import { createSesSender } from '../../../adapters/ses/ses-sender.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startSesLocal, type SesLocal } from '../../support/ses-local.ts';
import { emittedMetrics, writtenToStderr } from './support.ts';

const CONFIG = parseConfig(
  `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
delivery:
  email:
    - id: morning
      topics: [deepseek]
      from: newswatch <news@example.com>
      to: [reader@example.com]
      hour: 8
      unsubscribe: mailto:news@example.com?subject=unsubscribe
    - id: evening
      topics: [deepseek]
      from: news@example.com
      to: [night@example.com]
      hour: 18
      unsubscribe: mailto:news@example.com?subject=unsubscribe
`,
  'digest.yaml',
);
// 08:00 Korea time on 7 Feb: the digest covers the Korea day 6 Feb.
const AT_8 = new Date('2025-02-06T23:00:00Z');
const event = (kind: DigestEvent['kind'], listId: string): DigestEvent => JSON.parse(JSON.stringify({ kind, listId, scheduledTime: '2025-02-06T23:00:00Z' }));

const STORY: Story = {
  id: 'dg1',
  url: 'https://www.yna.co.kr/view/AKR20250206',
  title: '딥시크 대응 \u2018AI 추격조\u2019 출범',
  outlet: '연합뉴스',
  sourceId: 'yna',
  summary: '정부가 딥시크 충격에 대응해 AI 추격조를 꾸렸다.',
  publishedAt: '2025-02-06T03:00:00.000Z',
  firstSeenAt: '2025-02-06T03:01:00.000Z',
  day: '2025-02-06',
  topics: ['deepseek'],
  why: { deepseek: { matched: true, score: 3, threshold: 3, hits: [] } },
  clusterId: 'dg1',
  leader: true,
};

let db: TestDynamo;
let ses: SesLocal;
let deps: DigestDeps;

beforeAll(async () => {
  db = await startDynalite();
  ses = await startSesLocal();
  const store = createDynamoStore({ client: db.client, tableName: db.tableName });
  await store.putStory(STORY);
  deps = { config: CONFIG, store, secrets: async () => '', now: () => AT_8, email: createSesSender(ses.client, { sleep: async () => {} }) };
});
afterAll(async () => {
  await ses?.close();
  await db?.close();
});

describe('digest handler', () => {
  it('sends the list its digest of the previous Korea day once, however often the schedule fires', async () => {
    const handler = instrumented(digestHandler(deps));
    const { result, metrics } = await emittedMetrics(() => handler(event('digest-send', 'morning')));
    expect(result).toMatchObject({ listId: 'morning', day: '2025-02-06', status: 'sent', stories: 1 });
    expect(metrics.DigestSent).toBe(1);

    // Fired again: nothing to send, so no metric, and no "No application metrics" warning.
    const {
      result: { result: again, metrics: none },
      stderr,
    } = await writtenToStderr(() => emittedMetrics(() => handler(event('digest-send', 'morning'))));
    expect(again).toMatchObject({ status: 'already' });
    expect(none).toEqual({});
    expect(stderr).toBe('');
    const mails = await ses.mails();
    expect(mails).toHaveLength(1);
    expect(mails[0]!.destination.to).toEqual(['reader@example.com']);
    expect(mails[0]!.body.html ?? mails[0]!.body.text).toContain('AI 추격조');
  });

  it('checks 30 minutes later: DigestLate 0 for a list that went out, 1 for one that did not', async () => {
    const handler = instrumented(digestHandler(deps));
    const sent = await emittedMetrics(() => handler(event('digest-check', 'morning')));
    expect(sent.result).toEqual({ listId: 'morning', day: '2025-02-06', late: false });
    expect(sent.metrics.DigestLate).toBe(0);

    const missed = await emittedMetrics(() => handler(event('digest-check', 'evening')));
    expect(missed.result).toEqual({ listId: 'evening', day: '2025-02-06', late: true });
    expect(missed.metrics.DigestLate).toBe(1);
  });

  it('fails the invocation (for the Scheduler to retry) when SES refuses, and names the list', async () => {
    const closed = await startSesLocal();
    await closed.close();
    const handler = digestHandler({
      ...deps,
      email: createSesSender(closed.client, { sleep: async () => {} }),
      store: createDynamoStore({ client: db.client, tableName: db.tableName }),
    });
    await expect(handler(event('digest-send', 'evening'))).rejects.toThrow(/digest evening for 2025-02-06 failed/);
  });
});
