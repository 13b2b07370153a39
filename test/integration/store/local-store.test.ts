// The CLI's embedded store: data survives a restart, a second newswatch on the same
// directory is refused with a message naming the holder instead of crashing LevelDB, and
// the store keeps answering while the process that holds it is busy.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { CreateTableCommand, DeleteTableCommand, DescribeTableCommand, type DynamoDBClient, QueryCommand } from '@aws-sdk/client-dynamodb';
import { createDynamoStore, ensureTable } from '../../../adapters/dynamodb/store.ts';
import { openLocalStore, StoreLockedError } from '../../../cli/local-store.ts';

const dirs: string[] = [];
function tempDir(): string {
  const d = mkdtempSync(join(tmpdir(), 'nw-local-'));
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('openLocalStore', () => {
  it('keeps what was written across a close and reopen', async () => {
    const dir = tempDir();
    const a = await openLocalStore(dir);
    await a.store.putSourceState({ id: 'yna', consecutiveFailures: 0, etag: '"v1"' });
    await a.close();
    const b = await openLocalStore(dir);
    expect(await b.store.getSourceState('yna')).toEqual({ id: 'yna', consecutiveFailures: 0, etag: '"v1"' });
    await b.close();
  });

  it('refuses a second opener of the same directory, naming the PID and the directory', async () => {
    const dir = tempDir();
    const first = await openLocalStore(dir);
    const err = await openLocalStore(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLockedError);
    expect((err as Error).message).toContain(`PID ${process.pid}`);
    expect((err as Error).message).toContain(first.dir);
    // The first store still works after the refused attempt.
    await first.store.putSourceState({ id: 'x', consecutiveFailures: 1 });
    expect((await first.store.getSourceState('x'))?.consecutiveFailures).toBe(1);
    await first.close();
    // Released on close: the directory can be opened again.
    const again = await openLocalStore(dir);
    await again.close();
  });

  it('refuses while another newswatch process holds the store, and opens once it has stopped', async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./hold-store.ts', import.meta.url)), dir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    });
    const err = await openLocalStore(dir).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreLockedError);
    expect(err).toMatchObject({ pid: holder.pid });
    expect((err as Error).message).toContain(`PID ${holder.pid}`);
    holder.stdin.end();
    await new Promise((r) => holder.on('exit', r));
    const s = await openLocalStore(dir);
    await s.close();
  });

  it('takes over a lock left by a process that no longer exists', async () => {
    const dir = tempDir();
    const child = spawn(process.execPath, ['-e', '0']);
    const deadPid = await new Promise<number>((r) => child.on('exit', () => r(child.pid!)));
    writeFileSync(join(dir, 'newswatch.lock'), `${deadPid}\n`);
    const s = await openLocalStore(dir);
    await s.store.putSourceState({ id: 'after-crash', consecutiveFailures: 0 });
    await s.close();
  });

  it('is not stopped by a lock file naming a live process that is not a newswatch (a PID reused after kill -9)', async () => {
    const dir = tempDir();
    // PID 1 in a container, or any live unrelated process: the file alone is no lock.
    for (const pid of [1, process.ppid]) {
      writeFileSync(join(dir, 'newswatch.lock'), `${pid}\nhttp://127.0.0.1:9\n`);
      const s = await openLocalStore(dir);
      await s.store.putSourceState({ id: `after-${pid}`, consecutiveFailures: 0 });
      await s.close();
    }
  });

  it('is free the moment its holder is killed with SIGKILL, and `status` does not attach to the dead endpoint', async () => {
    const dir = tempDir();
    const holder = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(new URL('./hold-store.ts', import.meta.url)), dir], {
      stdio: ['pipe', 'pipe', 'inherit'],
    });
    await new Promise<void>((resolve, reject) => {
      holder.stdout.on('data', (d: Buffer) => d.toString().includes('ready') && resolve());
      holder.on('exit', (code) => reject(new Error(`holder exited early (${code})`)));
    });
    holder.kill('SIGKILL');
    await new Promise((r) => holder.on('exit', r));
    // The PID file is left behind, naming the dead holder and its endpoint.
    const [pid, deadEndpoint] = readFileSync(join(dir, 'newswatch.lock'), 'utf8').split('\n');
    expect(pid).toBe(String(holder.pid));
    const s = await openLocalStore(dir, { attach: true });
    expect(s.endpoint).not.toBe(deadEndpoint);
    expect(readFileSync(join(dir, 'newswatch.lock'), 'utf8')).toBe(`${process.pid}\n${s.endpoint}\n`);
    await s.store.putSourceState({ id: 'after-kill', consecutiveFailures: 0 });
    // And now this process holds it: a second opener is refused.
    expect(await openLocalStore(dir).catch((e: unknown) => e)).toBeInstanceOf(StoreLockedError);
    await s.close();
  });

  it('keeps answering other commands while the thread that opened it is busy', async () => {
    const dir = tempDir();
    const s = await openLocalStore(dir);
    // spawnSync blocks this thread until the child is done, as a long parse would: a
    // `status` asking the store meanwhile still gets its answer.
    const ask =
      "const { DynamoDBClient, ListTablesCommand } = require('@aws-sdk/client-dynamodb');" +
      `new DynamoDBClient({ endpoint: '${s.endpoint}', region: 'ap-northeast-2', credentials: { accessKeyId: 'a', secretAccessKey: 'b' } })` +
      '.send(new ListTablesCommand({})).then((r) => console.log(r.TableNames.join(",")))';
    const child = spawnSync(process.execPath, ['-e', ask], { encoding: 'utf8', timeout: 20_000 });
    await s.close();
    expect(child.stdout.trim()).toBe('newswatch');
  });

  it('says why when its database cannot be opened, and lets go of the directory', async () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'db'), 'not a LevelDB directory');
    const err = await openLocalStore(dir).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(new RegExp(`database in ${join(dir, 'db')} failed: EEXIST`));
    rmSync(join(dir, 'db'));
    mkdirSync(join(dir, 'db'));
    const s = await openLocalStore(dir);
    await s.store.putSourceState({ id: 'fixed', consecutiveFailures: 0 });
    await s.close();
  });

  it('sees a table created, deleted or made again while it serves at the next request (it keeps table descriptions between requests)', async () => {
    const s = await openLocalStore(tempDir());
    try {
      await s.store.putSourceState({ id: 'main-table', consecutiveFailures: 0 });
      const other = createDynamoStore({ client: s.client, tableName: 'second' });
      await ensureTable(s.client, 'second');
      await other.putSourceState({ id: 'in-second', consecutiveFailures: 0 });
      expect(await other.getSourceState('in-second')).toMatchObject({ id: 'in-second' });
      await s.client.send(new DeleteTableCommand({ TableName: 'second' }));
      await waitGone(s.client, 'second');
      // Gone for writes, while the first table still answers.
      await expect(other.putSourceState({ id: 'after-delete', consecutiveFailures: 0 })).rejects.toThrow(/not found/i);
      expect(await s.store.getSourceState('main-table')).toMatchObject({ id: 'main-table' });
      // Made again without the byDay index: a query of the index is refused, as the new description says.
      await s.client.send(
        new CreateTableCommand({
          TableName: 'second',
          BillingMode: 'PAY_PER_REQUEST',
          AttributeDefinitions: [
            { AttributeName: 'pk', AttributeType: 'S' },
            { AttributeName: 'sk', AttributeType: 'S' },
          ],
          KeySchema: [
            { AttributeName: 'pk', KeyType: 'HASH' },
            { AttributeName: 'sk', KeyType: 'RANGE' },
          ],
        }),
      );
      await waitActive(s.client, 'second');
      const byDay = new QueryCommand({
        TableName: 'second',
        IndexName: 'byDay',
        KeyConditionExpression: 'gsi1pk = :d',
        ExpressionAttributeValues: { ':d': { S: 'DAY#2025-02-06' } },
      });
      await expect(s.client.send(byDay)).rejects.toThrow(/specified index/);
      await other.putSourceState({ id: 'in-new-second', consecutiveFailures: 0 });
      expect(await other.getSourceState('in-second')).toBeUndefined();
    } finally {
      await s.close();
    }
  });
});

async function waitActive(client: DynamoDBClient, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: name }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${name} did not become ACTIVE`);
}

async function waitGone(client: DynamoDBClient, name: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const found = await client.send(new DescribeTableCommand({ TableName: name })).then(
      () => true,
      () => false,
    );
    if (!found) return;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`${name} was not deleted`);
}
