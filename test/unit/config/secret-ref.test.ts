// A secret pasted where its name belongs is refused by validate, and the value is never
// repeated: not in the message, not anywhere in what the error carries.
import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../../shared/config/load.ts';
import { looksLikeSecretValue } from '../../../shared/config/schema/secret-ref.ts';

// Assembled, so no line of the repository looks like a committed Slack webhook.
const SLACK = ['https://hooks.slack.com/services', 'T0000', 'B0000', 'XXXXXXXXXXXXXXXXXXXXXXXX'].join('/');
const BOT = 'xoxb-1234567890-0987654321-AbCdEfGhIjKlMnOpQrStUvWx';
const SIGNING = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';

function config(webhook: string, signing = '{ env: HOOK_SECRET }'): string {
  return `version: 1
topics:
  ai: { label: AI, strong: [딥시크] }
delivery:
  slack:
    - id: team
      topics: [ai]
      webhook: ${webhook}
  webhooks:
    - id: hook
      topics: [ai]
      url: { env: HOOK_URL, secret: newswatch/hook#url }
      signingSecret: ${signing}
`;
}

function problems(text: string): ConfigError {
  try {
    parseConfig(text, 'c.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('the config was accepted');
}

describe('secret references', () => {
  it.each([
    ['a Slack URL as the secret name', `{ secret: "${SLACK}" }`, SLACK],
    ['a Slack URL as the env name', `{ env: "${SLACK}" }`, SLACK],
    ['a Slack bot token as the env name', `{ env: ${BOT} }`, BOT],
  ])('refuses %s without echoing it', (_what, ref, value) => {
    const e = problems(config(ref));
    expect(e.message).toMatch(/looks like the secret itself \(a URL or token\), not its name/);
    expect(JSON.stringify(e)).not.toContain(value);
    expect(e.message).not.toContain(value);
    expect(e.message).not.toContain('hooks.slack.com');
  });

  it('refuses a whsec_ signing secret written as a secret name', () => {
    const e = problems(config('{ env: SLACK_URL }', `{ secret: "${SIGNING}" }`));
    expect(e.message).toMatch(/signingSecret\.secret: this looks like the secret itself/);
    expect(e.message).not.toContain(SIGNING);
  });

  it('accepts names, ARNs and keyed secrets', () => {
    expect(() => parseConfig(config('{ env: SLACK_URL, secret: newswatch/slack-team }'), 'c.yaml')).not.toThrow();
    expect(() => parseConfig(config('{ secret: "arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:newswatch/slack-AbCdEf" }'), 'c.yaml')).not.toThrow();
    expect(looksLikeSecretValue('newswatch/archive#signingSecret')).toBe(false);
    expect(looksLikeSecretValue('SLACK_WEBHOOK_URL')).toBe(false);
  });
});
