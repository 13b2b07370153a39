// The Lambdas' Secrets Manager resolver against a local peer speaking the real wire
// protocol: JSON keys, clear errors that name the reference and never the value, and
// a secret created after a failed read is found without a cold start.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { secretsManagerResolver } from '../../../functions/shared/secrets-manager.ts';
import { startSecretsPeer, type SecretsPeer } from './support.ts';

const VALUE = 'https://hooks.slack.com/services/example/very-secret-token';
let peer: SecretsPeer;
const later: Record<string, string> = {};

beforeAll(async () => {
  peer = await startSecretsPeer(
    new Proxy({ 'newswatch/slack': VALUE, 'newswatch/naver': JSON.stringify({ clientId: 'id-123', clientSecret: 'sec-456' }) } as Record<string, string>, {
      get: (t, k: string) => t[k] ?? later[k],
    }),
  );
});
afterAll(async () => peer?.close());

describe('Secrets Manager resolver', () => {
  it('returns a whole SecretString, or one key of a JSON secret', async () => {
    const { resolve } = secretsManagerResolver(peer.client);
    expect(await resolve({ secret: 'newswatch/slack' }, 'slack webhook')).toBe(VALUE);
    expect(await resolve({ secret: 'newswatch/naver#clientSecret' }, 'naver client secret')).toBe('sec-456');
  });

  it('names the missing secret and how to create it, and never prints a value', async () => {
    const { resolve } = secretsManagerResolver(peer.client);
    await expect(resolve({ secret: 'newswatch/nope' }, 'slack destination "team" webhook')).rejects.toThrow(
      /slack destination "team" webhook: secret newswatch\/nope does not exist \(create it: aws secretsmanager create-secret --name newswatch\/nope/,
    );
    const wrongKey = await resolve({ secret: 'newswatch/slack#url' }, 'slack webhook').catch((e: Error) => e.message);
    expect(wrongKey).toMatch(/secret newswatch\/slack is not JSON, so it has no key "url"/);
    expect(wrongKey).not.toContain('very-secret-token');
    const noKey = await resolve({ secret: 'newswatch/naver#token' }, 'naver').catch((e: Error) => e.message);
    expect(noKey).toMatch(/has no string key "token"/);
    expect(noKey).not.toContain('sec-456');
  });

  it('refuses an env-only reference on AWS with a hint to add `secret:`', async () => {
    const { resolve } = secretsManagerResolver(peer.client);
    await expect(resolve({ env: 'SLACK_URL' }, 'slack webhook')).rejects.toThrow(/env SLACK_URL is for local runs; add `secret:`/);
  });

  it('reports prefetch failures instead of failing init, and finds a secret created afterwards', async () => {
    const r = secretsManagerResolver(peer.client);
    const errors = await r.prefetch([{ secret: 'newswatch/created-later' }, { secret: 'newswatch/slack' }]);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('newswatch/created-later does not exist')]);
    later['newswatch/created-later'] = 'now-here';
    expect(await r.resolve({ secret: 'newswatch/created-later' }, 'x')).toBe('now-here');
  });
});
