// The embedded store for the CLI: dynalite (DynamoDB on LevelDB) in this process, on a
// directory, with the table created. A lock file keeps a second newswatch off the same
// directory: two dynalite processes on one LevelDB crash.
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../shared/store/dynamo-client.ts';
import dynalite from 'dynalite';
import { createDynamoStore, ensureTable, type DynamoStore } from '../shared/store/dynamodb.ts';
import { createSoleWriterStore } from '../shared/store/sole-writer.ts';
import { DEFAULT_TABLE_NAME } from '../shared/store/table.ts';

export const DEFAULT_STORE_DIR = '.newswatch';

export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
  constructor(
    readonly dir: string,
    readonly pid: number,
  ) {
    super(
      `the store ${dir} is in use by another newswatch (PID ${pid}); stop that one first, or use another --store directory. ` +
        `(If no such process exists, delete ${join(dir, LOCK_FILE)}.)`,
    );
  }
}

export interface LocalStore {
  store: DynamoStore;
  client: DynamoDBClient;
  endpoint: string;
  /** Absolute store directory. */
  dir: string;
  /** Stops dynalite (LevelDB flushed) and releases the lock. Safe to call twice. */
  close(): Promise<void>;
}

const LOCK_FILE = 'newswatch.lock';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes `<dir>/newswatch.lock` for this process, or throws StoreLockedError naming the holder. */
function takeLock(dir: string): () => void {
  const file = join(dir, LOCK_FILE);
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        try {
          if (Number.parseInt(readFileSync(file, 'utf8'), 10) === process.pid) rmSync(file, { force: true });
        } catch {
          /* already gone */
        }
      };
      process.once('exit', release);
      return () => {
        process.removeListener('exit', release);
        release();
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const pid = Number.parseInt(readFileSync(file, 'utf8'), 10);
      if (Number.isInteger(pid) && pid > 0 && alive(pid)) throw new StoreLockedError(dir, pid);
      // The holder died without cleaning up (kill -9, power loss): the lock is stale.
      rmSync(file, { force: true });
    }
  }
  throw new Error(`could not take the store lock ${file}`);
}

function localClient(endpoint: string): DynamoDBClient {
  return createDynamoClient({
    endpoint,
    region: 'ap-northeast-2',
    // dynalite checks that credentials are present, not what they are.
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
}

/** The endpoint of a live newswatch holding `dir`, if there is one. */
function runningEndpoint(dir: string): string | undefined {
  try {
    const [pid, endpoint] = readFileSync(join(dir, LOCK_FILE), 'utf8').split('\n');
    const n = Number.parseInt(pid ?? '', 10);
    return n > 0 && n !== process.pid && alive(n) && endpoint?.startsWith('http://127.0.0.1:') ? endpoint : undefined;
  } catch {
    return undefined;
  }
}

export interface OpenOptions {
  tableName?: string;
  /**
   * When another newswatch (a `run`) holds the store, talk to its dynalite instead of
   * refusing: for commands that only read or add records (status, digest preview).
   */
  attach?: boolean;
  /** The pipeline's clock (the demo's is fixed): the dedupe index loads the stories of the week before it. */
  now?: () => Date;
}

/** Opens the embedded store in `dir` (created if missing): dynalite on 127.0.0.1, table ensured. */
export async function openLocalStore(dir: string = DEFAULT_STORE_DIR, options: OpenOptions = {}): Promise<LocalStore> {
  const abs = resolve(dir);
  const running = options.attach && existsSync(abs) ? runningEndpoint(abs) : undefined;
  if (running) {
    const client = localClient(running);
    return {
      store: createDynamoStore({ client, tableName: options.tableName ?? DEFAULT_TABLE_NAME }),
      client,
      endpoint: running,
      dir: abs,
      close: async () => client.destroy(),
    };
  }
  mkdirSync(abs, { recursive: true });
  const release = takeLock(abs);
  try {
    const server = dynalite({ path: join(abs, 'db'), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise<void>((ok, fail) => {
      server.once('error', fail);
      server.listen(0, '127.0.0.1', () => ok());
    });
    const { port } = server.address() as AddressInfo;
    const endpoint = `http://127.0.0.1:${port}`;
    // The endpoint in the lock lets `status` and `digest --preview` read this store while we run.
    writeFileSync(join(abs, LOCK_FILE), `${process.pid}\n${endpoint}\n`);
    const client = localClient(endpoint);
    const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
    try {
      await ensureTable(client, tableName);
    } catch (e) {
      client.destroy();
      await new Promise<void>((r) => server.close(() => r()));
      throw e;
    }
    let closing: Promise<void> | undefined;
    return {
      // The lock makes this process the store's only writer (attached commands never cluster).
      store: createSoleWriterStore(createDynamoStore({ client, tableName }), { now: options.now }),
      client,
      endpoint,
      dir: abs,
      close() {
        closing ??= (async () => {
          client.destroy();
          await new Promise<void>((r) => server.close(() => r()));
          release();
        })();
        return closing;
      },
    };
  } catch (e) {
    release();
    throw e;
  }
}
