// `status` and `deliveries` against a deployed table (dynalite standing in for DynamoDB via
// --table and --endpoint): a status that fails when nothing is watched, says since when in
// Korea time, and an outbox listed and put back through the same store port.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config/load.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import type { Store } from '../../../shared/store/port.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { runCli } from '../../support/cli.ts';

let db: TestDynamo;
let store: Store;
const config = loadConfig('newswatch.config.yaml');
const enabled = config.sources.filter((s) => s.enabled).map((s) => s.id);

beforeAll(async () => {
  db = await startDynalite();
  store = createDynamoStore({ client: db.client, tableName: db.tableName });
}, 120_000);
afterAll(async () => {
  await db?.close();
});

const env = { NO_COLOR: '1', AWS_ACCESS_KEY_ID: 'test', AWS_SECRET_ACCESS_KEY: 'test', AWS_REGION: 'ap-northeast-2', AWS_PROFILE: '' };
const cli = (args: string[], environment: Record<string, string>) => runCli(args, { env: environment });
const onTable = () => ['--table', db.tableName, '--endpoint', db.endpoint];

describe('status and deliveries on a deployed table', { timeout: 180_000 }, () => {
  it('status exits 1 when every enabled source is failing and says since when, in Korea time', async () => {
    // 2025-02-06 00:30 UTC is 09:30 in Korea.
    await store.putSourceStates(
      enabled.map((id) => ({
        id,
        consecutiveFailures: 3,
        failingSince: '2025-02-06T00:30:00.000Z',
        lastAttemptAt: '2025-02-06T01:00:00.000Z',
        lastError: 'HTTP 503',
      })),
    );
    const r = await cli(['status', ...onTable()], env);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(new RegExp(`✗ ${enabled[0]} .*failing since 2025-02-06 09:30 KST`));
    expect(r.stdout).not.toMatch(/never polled/);
    expect(r.stdout).not.toMatch(/00:30/);
    expect(r.stderr).toMatch(/every enabled source is failing/);
    const json = await cli(['status', '--json', ...onTable()], env);
    expect(json.code).toBe(1);
    const parsed = JSON.parse(json.stdout) as { sources: { id: string; failingSince?: string }[] };
    expect(parsed.sources.find((s) => s.id === enabled[0])?.failingSince).toBe('2025-02-06T00:30:00.000Z');
  });

  it('status exits 0 again once one source is back', async () => {
    await store.putSourceState({
      id: enabled[1]!,
      consecutiveFailures: 0,
      lastSuccessAt: '2025-02-06T02:00:00.000Z',
      lastAttemptAt: '2025-02-06T02:00:00.000Z',
    });
    const r = await cli(['status', ...onTable()], env);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`✓ ${enabled[1]} +ok 2025-02-06 11:00 KST`));
    expect(r.stderr).toBe('');
  });

  it('deliveries --table lists the deployed outbox and --retry puts a failed alert back', async () => {
    const now = new Date();
    await store.enqueueDeliveries([{ storyId: 'story-1', destinationId: 'team' }], now);
    await store.markFailed('story-1', 'team', undefined, now, 'HTTP 500 from hooks.slack.com', new Date(now.getTime() + 3_600_000));
    const listed = await cli(['deliveries', ...onTable()], env);
    expect(listed.stderr).toBe('');
    expect(listed.code).toBe(0);
    expect(listed.stdout).toMatch(/team: 1 failed/);
    expect(listed.stdout).toMatch(/story-1\/team failed, next try \d{4}-\d\d-\d\d \d\d:\d\d KST/);
    expect(listed.stdout).toContain('HTTP 500 from hooks.slack.com');

    const retried = await cli(['deliveries', '--retry', 'story-1/team', ...onTable()], env);
    expect(retried.code).toBe(0);
    expect(retried.stdout).toMatch(/1 alert due again now/);
    const row = await store.getDelivery('story-1', 'team');
    expect(row?.status).toBe('pending');
    expect(Date.parse(row!.dueAt!)).toBeLessThanOrEqual(Date.now());
  });
});
