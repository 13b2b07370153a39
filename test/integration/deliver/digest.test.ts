// The daily digest end to end: stories in dynalite, sent through aws-ses-v2-local and
// read back over its HTTP store; exactly once per list and day; rendered by headless
// Chromium to test-artifacts/digest.png.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SESClient } from '@aws-sdk/client-ses';
import { createSesSender } from '../../../adapters/ses/ses-sender.ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { envSecrets } from '../../../cli/env-secrets.ts';
import { runDigest, type DigestDeps } from '../../../shared/deliver/index.ts';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import { chromiumSkipReason, pngStats, screenshot } from '../../support/chromium.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';
import { startSesLocal, type SesLocal } from '../../support/ses-local.ts';
import { DAY, dayStories } from '../../unit/deliver/digest-fixtures.ts';
import { configWith } from '../../unit/deliver/fixtures.ts';

const ARTIFACTS = 'test-artifacts';

const DELIVERY = `  email:
    - id: daily
      topics: [sovereign_ai, gpu, deepseek]
      from: "뉴스와치 <news@example.com>"
      to: [team@example.com]
      unsubscribe: https://example.com/unsubscribe?list=daily
    - id: quiet
      topics: [gpu]
      from: news@example.com
      to: [quiet@example.com]
      emptyDay: skip
      unsubscribe: mailto:unsubscribe@example.com
    - id: notice
      topics: [gpu]
      from: news@example.com
      to: [notice@example.com]
      emptyDay: notice
      unsubscribe: mailto:unsubscribe@example.com
`;

let db: TestDynamo;
let ses: SesLocal;
let store: DynamoStore;
/** The raw MIME messages the client sent, recorded as they leave (aws-ses-v2-local keeps no raw headers). */
const sentRaw: string[] = [];

beforeAll(async () => {
  [db, ses] = await Promise.all([startDynalite(), startSesLocal()]);
  store = createDynamoStore({ client: db.client, tableName: db.tableName });
  for (const s of dayStories()) await store.putStory(s);
  ses.client.middlewareStack.add(
    (next) => async (args) => {
      const raw = (args.input as { RawMessage?: { Data?: Uint8Array } }).RawMessage?.Data;
      if (raw) sentRaw.push(Buffer.from(raw).toString('utf8'));
      return next(args);
    },
    { step: 'initialize', name: 'recordRaw' },
  );
});
afterAll(async () => {
  await ses?.close();
  await db?.close();
});

// SES (v1) answers in the AWS Query protocol: XML bodies, the error code inside.
const SES_XMLNS = 'http://ses.amazonaws.com/doc/2010-12-01/';
const sesSent = (messageId: string) => ({
  status: 200,
  headers: { 'content-type': 'text/xml' },
  body: `<SendRawEmailResponse xmlns="${SES_XMLNS}"><SendRawEmailResult><MessageId>${messageId}</MessageId></SendRawEmailResult><ResponseMetadata><RequestId>r-1</RequestId></ResponseMetadata></SendRawEmailResponse>`,
});
const sesError = (status: number, code: string, message: string) => ({
  status,
  headers: { 'content-type': 'text/xml' },
  body: `<ErrorResponse xmlns="${SES_XMLNS}"><Error><Type>${status < 500 ? 'Sender' : 'Receiver'}</Type><Code>${code}</Code><Message>${message}</Message></Error><RequestId>r-1</RequestId></ErrorResponse>`,
});

function deps(client: SESClient = ses.client): DigestDeps {
  return { config: configWith(DELIVERY), store, secrets: envSecrets({}), now: () => new Date('2026-11-22T23:00:00Z'), email: createSesSender(client) };
}

/** Headers of a raw message, unfolded, by lower-case name. */
function headersOf(raw: string): Map<string, string> {
  const head = raw.split('\r\n\r\n')[0]!.replace(/\r\n[ \t]+/g, ' ');
  return new Map(head.split('\r\n').map((l) => [l.slice(0, l.indexOf(':')).toLowerCase(), l.slice(l.indexOf(':') + 1).trim()]));
}

describe('daily digest through SES', () => {
  it('sends exactly one email for the previous Korea day, with a decoded Korean subject, both parts and List-Unsubscribe', async () => {
    const first = await runDigest(deps(), 'daily');
    expect(first).toMatchObject({ listId: 'daily', day: DAY, status: 'sent', stories: 8 });
    const second = await runDigest(deps(), 'daily', { day: DAY });
    expect(second.status).toBe('already');

    const mails = (await ses.mails()).filter((m) => m.destination.to.some((t) => t.includes('team@example.com')));
    expect(mails).toHaveLength(1);
    const mail = mails[0]!;
    expect(mail.subject).toBe('[newswatch] 11월 22일 뉴스 8건');
    expect(mail.from).toContain('뉴스와치');
    expect(mail.body.text).toContain('■ 소버린 AI (2건)');
    expect(mail.body.text).toContain('6개 매체: 연합뉴스, 한겨레, 조선일보, 중앙일보, ZDNet Korea, 전자신문');
    expect(mail.body.html).toContain('6개 매체');
    expect(mail.body.html).toContain('&lt;단독&gt; 데이터센터 전력 부족에 GPU 증설');
    expect(mail.body.html).toContain('R&amp;D');

    const raw = sentRaw.find((r) => r.includes('team@example.com'))!;
    const h = headersOf(raw);
    expect(h.get('list-unsubscribe')).toBe('<https://example.com/unsubscribe?list=daily>');
    expect(h.get('list-unsubscribe-post')).toBe('List-Unsubscribe=One-Click');
    expect(h.get('subject')).toMatch(/^=\?UTF-8\?B\?/);
    expect(await store.getDigest(DAY, 'daily')).toMatchObject({ status: 'sent', stories: 8 });

    mkdirSync(ARTIFACTS, { recursive: true });
    writeFileSync(join(ARTIFACTS, 'digest.html'), mail.body.html!);
  });

  it('sends one email when two invocations race for the same day', async () => {
    const day = '2026-11-21';
    const results = await Promise.all([runDigest(deps(), 'notice', { day }), runDigest(deps(), 'notice', { day })]);
    expect(results.map((r) => r.status).sort()).toEqual(['already', 'sent']);
    const mails = (await ses.mails()).filter((m) => m.destination.to.some((t) => t.includes('notice@example.com')));
    expect(mails).toHaveLength(1);
    // An empty day on a `notice` list: a short "no news" mail.
    expect(mails[0]!.body.text).toContain('11월 21일에는 조건에 맞는 새 기사가 없었습니다.');
  });

  it('skips an empty day on a `skip` list, once', async () => {
    const r = await runDigest(deps(), 'quiet', { day: '2026-11-20' });
    expect(r.status).toBe('skipped');
    expect((await ses.mails()).filter((m) => m.destination.to.some((t) => t.includes('quiet@example.com')))).toHaveLength(0);
    expect((await runDigest(deps(), 'quiet', { day: '2026-11-20' })).status).toBe('already');
  });

  it('retries SES throttling and then succeeds', async () => {
    const rx: Receiver = await startReceiver();
    try {
      const throttled = sesError(400, 'Throttling', 'Maximum sending rate exceeded.');
      rx.script('/', [throttled, throttled, sesSent('m-after-throttle')]);
      // SDK retries off, so the throttling reaches our own retry.
      const client = new SESClient({ endpoint: rx.url(''), region: 'ap-northeast-2', maxAttempts: 1, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
      // The sender's sleep option records the backoff instead of spending it (1 s, then 2 s).
      const waits: number[] = [];
      const sender = createSesSender(client, { sleep: async (ms) => void waits.push(ms) });
      const r = await runDigest({ ...deps(client), email: sender }, 'notice', { day: '2026-11-19' });
      expect(r).toMatchObject({ status: 'sent', messageId: 'm-after-throttle' });
      expect(rx.requests('/').map((r) => new URLSearchParams(r.body).get('Action'))).toEqual(['SendRawEmail', 'SendRawEmail', 'SendRawEmail']);
      // it backed off before each retry, longer the second time
      expect(waits).toHaveLength(2);
      expect(waits[0]).toBeGreaterThan(0);
      expect(waits[1]).toBeGreaterThan(waits[0]!);
      client.destroy();
    } finally {
      await rx.close();
    }
  });

  it('a digest SES refused is sent by the next invocation, once', async () => {
    const rx: Receiver = await startReceiver();
    try {
      const refused = sesError(500, 'InternalFailure', 'internal failure');
      rx.script('/', [refused, sesSent('m-retry')]);
      const client = new SESClient({ endpoint: rx.url(''), region: 'ap-northeast-2', maxAttempts: 1, credentials: { accessKeyId: 't', secretAccessKey: 't' } });
      const first = await runDigest(deps(client), 'notice', { day: '2026-11-18' });
      expect(first.status).toBe('failed');
      expect(first.error).toMatch(/^notice: SES did not accept the digest/);
      const second = await runDigest(deps(client), 'notice', { day: '2026-11-18' });
      expect(second).toMatchObject({ status: 'sent', messageId: 'm-retry' });
      expect((await runDigest(deps(client), 'notice', { day: '2026-11-18' })).status).toBe('already');
      client.destroy();
    } finally {
      await rx.close();
    }
  });

  // A machine without Chromium skips this one test, saying why (in its name and on stderr);
  // CI requires Chromium (NEWSWATCH_REQUIRE_CHROMIUM=1), so there it runs and fails without it.
  const chromiumMissing = chromiumSkipReason();
  if (chromiumMissing) process.stderr.write(`digest screenshot test ${chromiumMissing}\n`);
  it.skipIf(chromiumMissing !== undefined)(
    `renders in headless Chromium to a non-blank test-artifacts/digest.png${chromiumMissing ? ` (${chromiumMissing})` : ''}`,
    async () => {
      mkdirSync(ARTIFACTS, { recursive: true });
      const blankHtml = join(ARTIFACTS, 'blank.html');
      writeFileSync(blankHtml, '<!DOCTYPE html><html><body style="background:#f3f4f6"></body></html>');
      const png = join(ARTIFACTS, 'digest.png');
      const blankPng = join(ARTIFACTS, 'blank.png');
      await screenshot(join(ARTIFACTS, 'digest.html'), png);
      await screenshot(blankHtml, blankPng);
      const digest = pngStats(png);
      const blank = pngStats(blankPng);
      expect(digest).toMatchObject({ width: 420, height: 1400 });
      expect(blank.colours).toBeLessThanOrEqual(2);
      // Text in several colours (dark header, body text, accent badges) covers a good part of the page.
      expect(digest.colours).toBeGreaterThan(50);
      expect(digest.inkRatio).toBeGreaterThan(0.1);
    },
  );
});
