// Slack and webhook delivery against a real HTTP receiver on 127.0.0.1 and the real
// DynamoDB store on dynalite: escaping, signatures, retries, pacing, once-only delivery.
import { webcrypto } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { envSecrets } from '../../../cli/env-secrets.ts';
import { deliverStories, type DeliverDeps } from '../../../shared/deliver/index.ts';
import { createHttpPost } from '../../../shared/deliver/http-post.ts';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startReceiver, type ReceivedRequest, type Receiver } from '../../support/receiver.ts';
import { configWith, story as fixtureStory } from '../../unit/deliver/fixtures.ts';

/** A story published minutes ago: only stories within settings.maxAlertAgeHours alert. */
let minutes = 0;
const story = (over: Parameters<typeof fixtureStory>[0] = {}) =>
  fixtureStory({ publishedAt: new Date(Date.now() - 60_000 * (60 - (++minutes % 60))).toISOString(), ...over });

const SECRET = 'whsec_' + Buffer.from('newswatch-test-signing-key-32byt').toString('base64');

const DELIVERY = `  slack:
    - id: team
      topics: [gpu, deepseek]
      webhook: { env: SLACK_TEAM }
    - id: flow
      topics: [deepseek]
      format: workflow
      webhook: { env: SLACK_FLOW }
    - id: picky
      topics: [gpu]
      minScore: 5
      webhook: { env: SLACK_PICKY }
  webhooks:
    - id: ingest
      topics: [gpu, deepseek, sovereign_ai]
      url: { env: HOOK_URL }
      signingSecret: { env: HOOK_SECRET }
`;

let rx: Receiver;
let db: TestDynamo;
let store: DynamoStore;

beforeAll(async () => {
  rx = await startReceiver();
  db = await startDynalite();
});
afterAll(async () => {
  await rx?.close();
  await db?.close();
});
beforeEach(async () => {
  rx.reset();
  // A fresh table per test: delivery records must not leak between cases.
  store = createDynamoStore({ client: db.client, tableName: `t${Math.random().toString(36).slice(2, 10)}` });
  const { ensureTable } = await import('../../../adapters/dynamodb/store.ts');
  await ensureTable(db.client, store.tableName);
});

function deps(over: { delivery?: string; env?: Record<string, string> } = {}): DeliverDeps {
  const env = {
    SLACK_TEAM: rx.url('/slack-team'),
    SLACK_FLOW: rx.url('/slack-flow'),
    SLACK_PICKY: rx.url('/slack-picky'),
    HOOK_URL: rx.url('/hook'),
    HOOK_SECRET: SECRET,
    ...over.env,
  };
  return {
    config: configWith(over.delivery ?? DELIVERY),
    store,
    secrets: envSecrets(env),
    now: () => new Date(),
    retry: { baseDelayMs: 30, maxDelayMs: 200 },
    slackIntervalMs: 300,
  };
}

/** Standard Webhooks verification written from the spec with WebCrypto, independent of our signer. */
async function verifyStandardWebhook(req: ReceivedRequest, secret: string): Promise<boolean> {
  const id = String(req.headers['webhook-id']);
  const ts = String(req.headers['webhook-timestamp']);
  if (Math.abs(Date.now() / 1000 - Number(ts)) > 300) return false;
  const keyBytes = Uint8Array.from(atob(secret.slice('whsec_'.length)), (c) => c.charCodeAt(0));
  const key = await webcrypto.subtle.importKey('raw', keyBytes, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
  const mac = new Uint8Array(await webcrypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${id}.${ts}.${req.body}`)));
  const expected = btoa(String.fromCharCode(...mac));
  return String(req.headers['webhook-signature'])
    .split(' ')
    .some((sig) => sig === `v1,${expected}`);
}

describe('Slack delivery', () => {
  it('sends one escaped Block Kit message per story, paced, and nothing twice on a re-run', async () => {
    const a = story({ title: '<script>alert("x")</script> 엔비디아 & SK하이닉스 HBM 계약' });
    const b = story({ topic: 'deepseek', term: '딥시크', title: '딥시크 새 모델 공개' });
    const first = await deliverStories(deps(), [a, b]);
    const team = rx.requests('/slack-team');
    expect(team).toHaveLength(2);
    const body = JSON.parse(team[0]!.body) as { text: string; blocks: { text?: { text: string } }[] };
    expect(team[0]!.body).not.toContain('<script>');
    expect(body.blocks[0]!.text!.text).toContain('&lt;script&gt;alert("x")&lt;/script&gt; 엔비디아 &amp; SK하이닉스');
    expect(body.text).toContain('&amp; SK하이닉스');
    expect(team[1]!.at - team[0]!.at).toBeGreaterThanOrEqual(300);
    expect(first.filter((r) => r.destinationId === 'team').map((r) => r.status)).toEqual(['sent', 'sent']);

    rx.reset();
    const again = await deliverStories(deps(), [a, b]);
    expect(rx.requests()).toHaveLength(0);
    expect(again.every((r) => r.status === 'skipped')).toBe(true);
  });

  it('routes by topic and minScore, and sends Workflow Builder variables to a workflow webhook', async () => {
    const weak = story({ score: 3, title: 'GPU 가격 소폭 하락' });
    const ds = story({ topic: 'deepseek', term: '딥시크', title: '딥시크 R2 & V4' });
    await deliverStories(deps(), [weak, ds]);
    expect(rx.requests('/slack-picky')).toHaveLength(0);
    const flow = rx.requests('/slack-flow');
    expect(flow).toHaveLength(1);
    const vars = JSON.parse(flow[0]!.body) as Record<string, unknown>;
    expect(vars).toMatchObject({ title: '딥시크 R2 &amp; V4', topics: 'DeepSeek', matched_terms: '딥시크' });
    expect(Object.values(vars).every((v) => typeof v === 'string')).toBe(true);
  });

  it('does not retry a 400 invalid_payload: that message is given up, naming the destination but never its URL, and the rest go on', async () => {
    rx.script('/slack-team', [{ status: 400, body: 'invalid_payload' }], { repeat: true });
    const s1 = story();
    const s2 = story();
    const reports = await deliverStories(deps(), [s1, s2]);
    expect(rx.requests('/slack-team')).toHaveLength(2); // one try each, no retries
    const team = reports.filter((r) => r.destinationId === 'team');
    expect(team.map((r) => r.status)).toEqual(['given-up', 'given-up']);
    expect(team[0]!.error).toContain('team');
    expect(team[0]!.error).toContain('invalid_payload');
    for (const r of team) expect(r.error).not.toContain('127.0.0.1');
    // The webhook destination still got both stories.
    expect(rx.requests('/hook')).toHaveLength(2);
    const givenUp = await store.givenUpDeliveries();
    expect(
      givenUp
        .filter((f) => f.destinationId === 'team')
        .map((f) => f.storyId)
        .sort(),
    ).toEqual([s1.id, s2.id].sort());
  });

  it('a 404 (destination gone) fails the row for a later retry and holds the rest of that destination', async () => {
    rx.script('/slack-team', [{ status: 404, body: 'no_service' }], { repeat: true });
    const s1 = story();
    const s2 = story();
    const reports = await deliverStories(deps(), [s1, s2]);
    expect(rx.requests('/slack-team')).toHaveLength(1);
    const team = reports.filter((r) => r.destinationId === 'team');
    expect(team.map((r) => r.status)).toEqual(['failed', 'failed']);
    expect(team[1]!.error).toContain('destination is failing');
    const open = await store.openDeliveries();
    expect(open.filter((f) => f.destinationId === 'team').map((f) => f.status)).toEqual(['failed', 'failed']);
  });

  it('waits Retry-After on 429 and retries 500, then succeeds', async () => {
    rx.script('/slack-team', [{ status: 500 }, { status: 429, headers: { 'retry-after': '1' }, body: 'rate_limited' }]);
    const r = (await deliverStories(deps(), [story()])).find((x) => x.destinationId === 'team');
    const reqs = rx.requests('/slack-team');
    expect(reqs).toHaveLength(3);
    expect(reqs[2]!.at - reqs[1]!.at).toBeGreaterThanOrEqual(950);
    expect(r).toMatchObject({ destinationId: 'team', status: 'sent', attempts: 3 });
  });

  it('sends a burst as one summary message', async () => {
    const many = Array.from({ length: 8 }, (_, i) => story({ title: `GPU 기사 ${i}` }));
    const reports = await deliverStories(deps(), many);
    const team = rx.requests('/slack-team');
    expect(team).toHaveLength(1);
    expect(JSON.parse(team[0]!.body).text).toBe('새 기사 8건');
    expect(reports.filter((r) => r.destinationId === 'team').every((r) => r.status === 'summarised')).toBe(true);
    rx.reset();
    await deliverStories(deps(), many);
    expect(rx.requests('/slack-team')).toHaveLength(0);
  });

  it('holds only the destination whose secret is missing, naming the variable, and sends its alert once it is set', async () => {
    const s = story();
    const reports = await deliverStories(deps({ env: { SLACK_TEAM: '' } }), [s]);
    const team = reports.find((r) => r.destinationId === 'team');
    expect(team?.status).toBe('waiting');
    expect(team?.error).toMatch(/SLACK_TEAM/);
    expect(rx.requests('/hook')).toHaveLength(1);
    expect(rx.requests('/slack-team')).toHaveLength(0);
    const row = await store.getDelivery(s.id, 'team');
    expect(row).toMatchObject({ status: 'pending', attempts: 0 });
    expect(row?.lastError).toMatch(/SLACK_TEAM/);

    await deliverStories(deps(), [s]);
    expect(rx.requests('/slack-team')).toHaveLength(1);
    expect(rx.requests('/hook')).toHaveLength(1);
  });

  it('mentions other outlets of the cluster when the store knows them', async () => {
    const leader = story({ title: '소버린 AI 파운데이션 모델 5개 팀 선정', topic: 'sovereign_ai', term: '소버린 AI' });
    await store.putStory(leader);
    await store.addMember(leader.id, { id: 'm1', outlet: '한겨레', url: 'https://www.hani.co.kr/1', title: '같은 기사' }, new Date().toISOString());
    await deliverStories(deps({ delivery: DELIVERY.replace('topics: [gpu, deepseek]', 'topics: [sovereign_ai]') }), [leader]);
    expect(rx.requests('/slack-team')[0]!.body).toContain('다른 매체 1곳: 한겨레');
  });
});

describe('webhook delivery', () => {
  it('signs events per Standard Webhooks and keeps the same id and body across retries', async () => {
    rx.script('/hook', [{ status: 503 }, { status: 429, headers: { 'retry-after': '1' } }]);
    const s = story({ title: 'GPU <b>26만</b> 장 & 더' });
    const [r] = (await deliverStories(deps(), [s])).filter((x) => x.destinationId === 'ingest');
    const reqs = rx.requests('/hook');
    expect(reqs).toHaveLength(3);
    expect(r).toMatchObject({ status: 'sent', attempts: 3 });
    for (const req of reqs) expect(await verifyStandardWebhook(req, SECRET)).toBe(true);
    expect(new Set(reqs.map((q) => q.headers['webhook-id'])).size).toBe(1);
    expect(new Set(reqs.map((q) => q.body)).size).toBe(1);
    const event = JSON.parse(reqs[0]!.body) as {
      id: string;
      type: string;
      timestamp: string;
      data: { story: { id: string; title: string }; topics: { id: string }[]; cluster: { id: string } };
    };
    expect(event.id).toBe(reqs[0]!.headers['webhook-id']);
    expect(event).toMatchObject({ type: 'story.matched', data: { story: { id: s.id, title: s.title }, topics: [{ id: 'gpu' }], cluster: { id: s.id } } });
    // A tampered body does not verify.
    expect(await verifyStandardWebhook({ ...reqs[0]!, body: reqs[0]!.body.replace('26만', '99만') }, SECRET)).toBe(false);
  });

  it('stops after the retry bound on 5xx and keeps the row failed, due again later, for `newswatch status`', async () => {
    rx.script('/hook', [{ status: 500 }], { repeat: true });
    const s = story();
    const [r] = (await deliverStories(deps(), [s])).filter((x) => x.destinationId === 'ingest');
    expect(rx.requests('/hook')).toHaveLength(4);
    expect(r).toMatchObject({ status: 'failed', attempts: 4 });
    expect(r!.error).toMatch(/ingest: no success in 4 attempts: receiver error \(HTTP 500\)/);
    const row = (await store.openDeliveries()).find((f) => f.destinationId === 'ingest');
    expect(row).toMatchObject({ storyId: s.id, status: 'failed', attempts: 1 });
    expect(Date.parse(row!.dueAt!)).toBeGreaterThan(Date.now());
  });

  it('retries a timed-out request with the same event id', async () => {
    rx.script('/hook', [{ delayMs: 1500 }]);
    const s = story();
    const [r] = (await deliverStories({ ...deps(), post: createHttpPost(deps().config.settings, 400) }, [s])).filter((x) => x.destinationId === 'ingest');
    expect(r).toMatchObject({ status: 'sent', attempts: 2 });
    const ids = rx.requests('/hook').map((q) => q.headers['webhook-id']);
    expect(ids).toEqual([`msg_${s.id}`, `msg_${s.id}`]);
  });

  it('does not retry a 400 from a webhook receiver', async () => {
    rx.script('/hook', [{ status: 400, body: 'bad event' }], { repeat: true });
    const [r] = (await deliverStories(deps(), [story()])).filter((x) => x.destinationId === 'ingest');
    expect(rx.requests('/hook')).toHaveLength(1);
    expect(r).toMatchObject({ status: 'given-up', attempts: 1 });
  });
});
