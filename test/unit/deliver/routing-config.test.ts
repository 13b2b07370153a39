import { describe, expect, it } from 'vitest';
import { envSecrets } from '../../../cli/env-secrets.ts';
import { ConfigError } from '../../../shared/config/load.ts';
import { wants } from '../../../shared/deliver/story-view.ts';
import { configWith, story } from './fixtures.ts';

function problems(delivery: string): { path: string; message: string }[] {
  try {
    configWith(delivery);
  } catch (e) {
    if (e instanceof ConfigError) return e.problems;
    throw e;
  }
  return [];
}

describe('delivery config', () => {
  it('refuses a literal Slack webhook URL and says where the secret belongs', () => {
    const p = problems(`  slack:
    - id: team
      topics: [gpu]
      webhook: https://hooks.slack.com/services/example/XXXXXXXX
`);
    expect(p).toHaveLength(1);
    expect(p[0]!.path).toBe('delivery.slack[0].webhook');
    expect(p[0]).toMatchObject({ file: 'test.yaml', line: 16 });
    expect(p[0]!.message).toContain('must not be written in the config file');
    expect(p[0]!.message).toContain('{ env: SLACK_WEBHOOK_URL }');
    expect(p[0]!.message).not.toContain('hooks.slack.com');
  });

  it('refuses a literal signing secret too', () => {
    const p = problems(`  webhooks:
    - id: ingest
      topics: [gpu]
      url: { env: HOOK_URL }
      signingSecret: whsec_c2VjcmV0c2VjcmV0c2VjcmV0
`);
    expect(p.map((x) => x.path)).toEqual(['delivery.webhooks[0].signingSecret']);
  });

  it('refuses the same destination id twice', () => {
    const p = problems(`  slack:
    - { id: team, topics: [gpu], webhook: { env: A } }
  webhooks:
    - { id: team, topics: [gpu], url: { env: B }, signingSecret: { env: C } }
`);
    expect(p[0]?.message).toContain('destination id "team" is used twice');
  });

  it('accepts env and Secrets Manager references with defaults filled in', () => {
    const c = configWith(`  slack:
    - id: team
      topics: [gpu, deepseek]
      minScore: 4
      webhook: { env: SLACK_WEBHOOK_URL, secret: newswatch/slack }
`);
    expect(c.delivery.slack[0]).toMatchObject({ format: 'blocks', burstLimit: 5, enabled: true, minScore: 4 });
  });
});

describe('routing', () => {
  const route = { topics: ['gpu', 'deepseek'], minScore: 5 };
  it.each([
    ['a wanted topic above the minimum', story({ topic: 'gpu', score: 6 }), true],
    ['a wanted topic below the minimum', story({ topic: 'gpu', score: 4 }), false],
    ['a topic the destination did not ask for', story({ topic: 'sovereign_ai', score: 9 }), false],
  ])('%s', (_name, s, expected) => {
    expect(wants(route, s)).toBe(expected);
  });
  it('sends everything of a wanted topic when there is no minimum', () => {
    expect(wants({ topics: ['gpu'] }, story({ score: 1 }))).toBe(true);
  });
});

describe('env secrets', () => {
  it('reads the named variable and names it when missing, never showing values', async () => {
    const resolve = envSecrets({ SLACK_WEBHOOK_URL: 'https://hooks.example/secret-path' });
    await expect(resolve({ env: 'SLACK_WEBHOOK_URL' }, 'slack "team" webhook URL')).resolves.toBe('https://hooks.example/secret-path');
    await expect(resolve({ env: 'OTHER' }, 'slack "team" webhook URL')).rejects.toThrow('slack "team" webhook URL: environment variable OTHER is not set');
    await expect(resolve({ secret: 'newswatch/slack' }, 'slack "team" webhook URL')).rejects.toThrow(/Secrets Manager secret newswatch\/slack/);
  });
});
