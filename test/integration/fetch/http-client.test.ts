// The one HTTP client seen from the delivery side, against real HTTP servers on 127.0.0.1:
// what an outlet's GET already obeyed (the guard on every hop, credentials kept to their
// origin, the body cap, Retry-After) now holds for a Slack or webhook POST too.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { envSecrets } from '../../../cli/env-secrets.ts';
import type { Config } from '../../../shared/config/schema/index.ts';
import { sendTestMessage, type DeliverDeps } from '../../../shared/deliver/index.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';
import { configWith, story } from '../../unit/deliver/fixtures.ts';

const SECRET = 'whsec_' + Buffer.from('newswatch-test-signing-key-32byt').toString('base64');
const WEBHOOK = `  webhooks:
    - id: ingest
      topics: [gpu]
      url: { env: HOOK_URL }
      signingSecret: { env: HOOK_SECRET }
`;
const SLACK = `  slack:
    - id: team
      topics: [gpu]
      webhook: { env: SLACK_TEAM }
`;

let rx: Receiver;
/** A second receiver: another origin, and (being on 127.0.0.1) a private address. */
let elsewhere: Receiver;
let endless: FixtureServer;
let endlessHits = 0;

beforeAll(async () => {
  rx = await startReceiver();
  elsewhere = await startReceiver();
  endless = await startFixtureServer({
    // A receiver that accepts the message and then never stops talking.
    '/hook': {
      handler: (req, res) => {
        endlessHits++;
        req.resume();
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          const t = setInterval(() => (res.destroyed ? clearInterval(t) : res.write(Buffer.alloc(64 * 1024, 0x61))), 5);
        });
      },
    },
  });
});
afterAll(async () => {
  await rx?.close();
  await elsewhere?.close();
  await endless?.close();
});
beforeEach(() => {
  rx.reset();
  elsewhere.reset();
  endlessHits = 0;
});

function deps(delivery: string, env: Record<string, string>, settings: Partial<Config['settings']> = {}): Omit<DeliverDeps, 'store'> & { slept: number[] } {
  const config = configWith(delivery);
  const slept: number[] = [];
  return {
    config: { ...config, settings: { ...config.settings, ...settings } },
    secrets: envSecrets({ HOOK_SECRET: SECRET, ...env }),
    now: () => new Date(),
    retry: { baseDelayMs: 30, maxDelayMs: 200 },
    sleep: async (ms) => void slept.push(ms),
    slept,
  };
}

describe('a delivery POST through the one client', () => {
  it('follows a receiver that moved (307) with the same signed body, but refuses a redirect to a private address unless allowed', async () => {
    rx.script('/hook', [{ status: 307, headers: { location: elsewhere.url('/moved') } }], { repeat: true });

    const refused = await sendTestMessage(deps(WEBHOOK, { HOOK_URL: rx.url('/hook') }), 'ingest', story());
    expect(refused.status).toBe('failed');
    expect(refused.error).toMatch(/refused to connect to 127\.0\.0\.1: a private, loopback or link-local address/);
    expect(refused.attempts).toBe(1); // a refused address is not retried within the send
    expect(refused.error).not.toContain('/hook'); // the receiver's URL is a secret: never in an error
    expect(elsewhere.requests()).toHaveLength(0);

    const allowed = await sendTestMessage(deps(WEBHOOK, { HOOK_URL: rx.url('/hook') }, { allowPrivateNetwork: true }), 'ingest', story({ id: 'moved' }));
    expect(allowed).toMatchObject({ status: 'sent', attempts: 1 });
    const [first] = rx.requests('/hook').slice(-1);
    const [moved] = elsewhere.requests('/moved');
    expect(moved?.method).toBe('POST');
    expect(moved?.body).toBe(first?.body);
    expect(moved?.headers['webhook-signature']).toBe(first?.headers['webhook-signature']);
  });

  it('drops the receiver URL’s user:password when a redirect leaves its origin', async () => {
    const withAuth = rx.url('/hook').replace('http://', 'http://hookuser:hookpass@');
    rx.script('/hook', [{ status: 308, headers: { location: elsewhere.url('/moved') } }]);
    const r = await sendTestMessage(deps(WEBHOOK, { HOOK_URL: withAuth }, { allowPrivateNetwork: true }), 'ingest', story());
    expect(r.status).toBe('sent');
    expect(rx.requests('/hook')[0]?.headers.authorization).toBe(`Basic ${Buffer.from('hookuser:hookpass').toString('base64')}`);
    expect(elsewhere.requests('/moved')).toHaveLength(1);
    expect(elsewhere.requests('/moved')[0]?.headers.authorization).toBeUndefined();
  });

  it('a 302 on a POST is not followed (it would turn into a GET without the message): rejected, not retried', async () => {
    rx.script('/slack', [{ status: 302, headers: { location: elsewhere.url('/login') } }]);
    const r = await sendTestMessage(deps(SLACK, { SLACK_TEAM: rx.url('/slack') }, { allowPrivateNetwork: true }), 'team', story());
    expect(r).toMatchObject({ status: 'failed', attempts: 1 });
    expect(r.error).toMatch(/rejected \(HTTP 302\b[^)]*\); not retried/);
    expect(elsewhere.requests()).toHaveLength(0);
  });

  it('stops reading an endless answer at the cap: the message counts as sent once, not timed out and sent again', async () => {
    const r = await sendTestMessage(deps(WEBHOOK, { HOOK_URL: endless.url('/hook') }), 'ingest', story());
    expect(r).toMatchObject({ status: 'sent', attempts: 1 });
    expect(endlessHits).toBe(1);
  });

  it('waits the Retry-After of a 503 as the fetcher does, instead of the short backoff', async () => {
    rx.script('/hook', [{ status: 503, headers: { 'retry-after': '7' } }]);
    const d = deps(WEBHOOK, { HOOK_URL: rx.url('/hook') }, {});
    const r = await sendTestMessage({ ...d, retry: { ...d.retry, maxRetryAfterMs: 60_000 } }, 'ingest', story());
    expect(r).toMatchObject({ status: 'sent', attempts: 2 });
    expect(d.slept).toEqual([7_000]);
  });
});
