// The delivery commands as a user runs them (in-process, test/support/cli.ts): `newswatch
// digest --preview/--send` on an embedded store, `newswatch notify --test` against a real receiver.
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openLocalStore } from '../../../cli/local-store.ts';
import { runCli } from '../../support/cli.ts';
import { startReceiver, type Receiver } from '../../support/receiver.ts';
import { startSesLocal, type SesLocal } from '../../support/ses-local.ts';
import { DAY, dayStories } from '../../unit/deliver/digest-fixtures.ts';
import { TOPICS_YAML } from '../../unit/deliver/fixtures.ts';

const CONFIG = `${TOPICS_YAML}delivery:
  slack:
    - id: team
      topics: [gpu]
      webhook: { env: NW_TEST_SLACK }
  webhooks:
    - id: ingest
      topics: [gpu]
      url: { env: NW_TEST_HOOK }
      signingSecret: { env: NW_TEST_HOOK_SECRET }
  email:
    - id: daily
      topics: [sovereign_ai, gpu, deepseek]
      from: news@example.com
      to: [cli@example.com]
      unsubscribe: mailto:unsubscribe@example.com
`;

let dir: string;
let rx: Receiver;
let ses: SesLocal;

/** The command in-process, with the test's config and only the environment given (as a fresh shell). */
const newswatch = (args: string[], env: Record<string, string> = {}) =>
  runCli([...args, '--config', join(dir, 'newswatch.config.yaml')], { env: { NO_COLOR: '1', ...env } });

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'nw-cli-'));
  writeFileSync(join(dir, 'newswatch.config.yaml'), CONFIG);
  const local = await openLocalStore(join(dir, 'store'));
  for (const s of dayStories()) await local.store.putStory(s);
  await local.close();
  [rx, ses] = await Promise.all([startReceiver(), startSesLocal()]);
});
afterAll(async () => {
  await rx?.close();
  await ses?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('newswatch digest', () => {
  it('--preview writes digest.html and digest.txt and prints their paths', async () => {
    const out = join(dir, 'preview');
    const r = await newswatch(['digest', '--preview', '--date', DAY, '--store', join(dir, 'store'), '--out', out]);
    expect(r.stderr).not.toMatch(/newswatch|Error/);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('[newswatch] 11월 22일 뉴스 8건');
    expect(r.stdout).toContain(join(out, 'digest.html'));
    expect(r.stdout).toContain(join(out, 'digest.txt'));
    expect(readFileSync(join(out, 'digest.html'), 'utf8')).toContain('6개 매체');
    expect(readFileSync(join(out, 'digest.txt'), 'utf8')).toContain('■ GPU (3건)');
  });

  it('--send sends once through the SES endpoint from the environment', async () => {
    const env = { AWS_ENDPOINT_URL_SES: ses.endpoint };
    const args = ['digest', '--send', '--date', DAY, '--store', join(dir, 'store')];
    const first = await newswatch(args, env);
    expect(first.stderr).not.toMatch(/newswatch|Error|✗/);
    expect(first.stdout).toContain('daily 2026-11-22: sent (8 stories) to cli@example.com');
    const second = await newswatch(args, env);
    expect(second.stdout).toContain('already sent');
    const mails = (await ses.mails()).filter((m) => m.destination.to.some((t) => t.includes('cli@example.com')));
    expect(mails).toHaveLength(1);
    expect(mails[0]!.subject).toBe('[newswatch] 11월 22일 뉴스 8건');
  });

  it('asks for one of --preview and --send in one line (exit 2), and sends nothing with both', async () => {
    const none = await newswatch(['digest', '--date', DAY, '--store', join(dir, 'store')]);
    expect(none).toMatchObject({ code: 2, stdout: '', stderr: 'newswatch digest: give --preview or --send; see `newswatch digest --help`\n' });
    const before = (await ses.mails()).length;
    const both = await newswatch(['digest', '--preview', '--send', '--date', DAY, '--store', join(dir, 'store')], { AWS_ENDPOINT_URL_SES: ses.endpoint });
    expect(both).toMatchObject({ code: 2, stdout: '', stderr: 'newswatch digest: give --preview or --send, not both; see `newswatch digest --help`\n' });
    expect((await ses.mails()).length).toBe(before);
  });

  it('rejects a bad --date clearly', async () => {
    const r = await newswatch(['digest', '--preview', '--date', '2026-13-40', '--store', join(dir, 'store')]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"2026-13-40" is not a day; use YYYY-MM-DD');
  });
});

describe('newswatch notify --test', () => {
  it('sends a signed sample event to a webhook destination', async () => {
    const r = await newswatch(['notify', '--test', 'ingest'], {
      NW_TEST_HOOK: rx.url('/cli-hook'),
      NW_TEST_HOOK_SECRET: 'whsec_' + Buffer.from('a-test-key-of-sufficient-length!').toString('base64'),
    });
    expect(r.stdout).toContain('ingest: sample story sent');
    const [req] = rx.requests('/cli-hook');
    expect(req?.headers['webhook-signature']).toMatch(/^v1,/);
    expect(JSON.parse(req!.body)).toMatchObject({ type: 'story.matched' });
  });

  it('names the destination and the missing variable, and sends nothing', async () => {
    const r = await newswatch(['notify', '--test', 'team']);
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('team');
    expect(r.stderr).toContain('environment variable NW_TEST_SLACK is not set');
    expect(rx.requests()).toHaveLength(1);
  });

  it('says which destinations exist when the id is unknown', async () => {
    const r = await newswatch(['notify', '--test', 'nope']);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('known: team, ingest');
    expect(existsSync(join(dir, 'store'))).toBe(true);
  });
});
