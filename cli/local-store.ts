// The embedded store for the CLI: dynalite (DynamoDB on LevelDB) in this process, on a
// directory, with the table created. A lock keeps a second newswatch off the same
// directory: two dynalite processes on one LevelDB crash. dynalite serves from a worker
// thread: on a first poll its request handling and LevelDB writes were a third of the CPU,
// and on the poller's thread they queued behind feed parsing (and it behind them).
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../adapters/dynamodb/client.ts';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { createDynamoStore, ensureTable, type DynamoStore } from '../adapters/dynamodb/store.ts';
import { createSoleWriterStore } from '../adapters/dynamodb/sole-writer.ts';
import { DEFAULT_TABLE_NAME } from '../adapters/dynamodb/table.ts';

export const DEFAULT_STORE_DIR = '.newswatch';

export class StoreLockedError extends Error {
  override readonly name = 'StoreLockedError';
  constructor(
    readonly dir: string,
    /** The holder's PID as it wrote it; undefined when it has not written it yet. */
    readonly pid: number | undefined,
  ) {
    super(`the store ${dir} is in use by another newswatch${pid ? ` (PID ${pid})` : ''}; stop that one first, or use another --store directory`);
  }
}

export interface LocalStore {
  store: DynamoStore;
  client: DynamoDBClient;
  endpoint: string;
  /** Absolute store directory. */
  dir: string;
  /** Settles when this process's store server stops on its own (its database failed); never for an attached store. */
  stopped: Promise<Error>;
  /** Stops dynalite (LevelDB flushed) and releases the lock. Safe to call twice. */
  close(): Promise<void>;
}

/** Who holds the store: PID and endpoint, for messages and for `status` to attach. Not the lock. */
const LOCK_FILE = 'newswatch.lock';
/** The lock: a LevelDB directory this process keeps open. */
const LOCK_DB = 'lock';

interface LevelLock {
  open(): Promise<void>;
  close(): Promise<void>;
}

/** Store directories this process holds: LevelDB must not be asked twice (see takeLock). */
const held = new Set<string>();

function holderPid(dir: string): number | undefined {
  try {
    const pid = Number.parseInt(readFileSync(join(dir, LOCK_FILE), 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Takes the store's lock for this process, or throws StoreLockedError naming the holder.
 *
 * The lock is LevelDB's own (an fcntl lock on `<dir>/lock/LOCK`), which the OS releases when
 * the holder dies however it dies. A PID in a file was not: after kill -9 in a container the
 * PID is reused (often 1) and the file named a live process for ever. The PID file stays,
 * only to name the holder and its endpoint.
 */
async function takeLock(dir: string): Promise<() => Promise<void>> {
  // A second open in this process would fail, and closing its file descriptor would drop the
  // fcntl lock the first one holds (POSIX locks are per process): refuse before asking.
  if (held.has(dir)) throw new StoreLockedError(dir, process.pid);
  const { Level } = createRequire(createRequire(import.meta.url).resolve('dynalite'))('level') as { Level: new (path: string) => LevelLock };
  const lock = new Level(join(dir, LOCK_DB));
  try {
    await lock.open();
  } catch (e) {
    const code = (e as { cause?: { code?: string } }).cause?.code ?? (e as { code?: string }).code;
    if (code === 'LEVEL_LOCKED') throw new StoreLockedError(dir, holderPid(dir));
    throw e;
  }
  held.add(dir);
  const file = join(dir, LOCK_FILE);
  writeFileSync(file, `${process.pid}\n`);
  const removeFile = () => {
    try {
      if (holderPid(dir) === process.pid) rmSync(file, { force: true });
    } catch {
      /* already gone */
    }
  };
  // On exit the OS releases the lock; the PID file goes too, so nobody reads a stale one.
  process.once('exit', removeFile);
  let released: Promise<void> | undefined;
  return () =>
    (released ??= (async () => {
      process.removeListener('exit', removeFile);
      removeFile();
      await lock.close().catch(() => {});
      held.delete(dir);
    })());
}

/**
 * dynalite checks that a request carries a SigV4 Authorization header and a date, not what
 * the signature is: the embedded store, reachable only on 127.0.0.1 by this machine, has no
 * secret to prove. A fixed header instead of SigV4 spares hashing every request body and
 * two rounds of HMAC (~30-40 ms of a first cycle's poller CPU, docs/benchmarks.md).
 */
const localSigner = {
  async sign<R extends { headers: Record<string, string> }>(request: R): Promise<R> {
    request.headers['x-amz-date'] = new Date().toISOString().replace(/[-:]|\.\d{3}/g, '');
    request.headers.authorization = 'AWS4-HMAC-SHA256 Credential=local/20250101/ap-northeast-2/dynamodb/aws4_request, SignedHeaders=host, Signature=local';
    return request;
  },
};

function localClient(endpoint: string): DynamoDBClient {
  return createDynamoClient({
    endpoint,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    httpAuthSchemes: [{ schemeId: 'aws.auth#sigv4', identityProvider: (ipc) => ipc.getIdentityProvider('aws.auth#sigv4'), signer: localSigner }],
  });
}

/** The endpoint the holder of `dir` wrote, if it has written one. */
function holderEndpoint(dir: string): string | undefined {
  try {
    const endpoint = readFileSync(join(dir, LOCK_FILE), 'utf8').split('\n')[1];
    return endpoint?.startsWith('http://127.0.0.1:') ? endpoint : undefined;
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
  try {
    mkdirSync(abs, { recursive: true });
  } catch (e) {
    // `--store notes.txt`: say so instead of Node's "EEXIST: file already exists, mkdir".
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST' || code === 'ENOTDIR') throw new Error(`cannot use ${dir} as the store: it or a folder above it is a file; pass --store DIR`);
    throw e;
  }
  let release: () => Promise<void>;
  try {
    release = await takeLock(abs);
  } catch (e) {
    // Held by a running newswatch: an attaching command talks to its store instead.
    const running = options.attach && e instanceof StoreLockedError && e.pid !== process.pid ? holderEndpoint(abs) : undefined;
    if (!running) throw e;
    const client = localClient(running);
    return {
      store: createDynamoStore({ client, tableName: options.tableName ?? DEFAULT_TABLE_NAME }),
      client,
      endpoint: running,
      dir: abs,
      stopped: new Promise<Error>(() => {}),
      close: async () => client.destroy(),
    };
  }
  try {
    const server = await startDynalite(join(abs, 'db'));
    const endpoint = `http://127.0.0.1:${server.port}`;
    // The endpoint in the lock lets `status` and `digest --preview` read this store while we run.
    writeFileSync(join(abs, LOCK_FILE), `${process.pid}\n${endpoint}\n`);
    const client = localClient(endpoint);
    const tableName = options.tableName ?? DEFAULT_TABLE_NAME;
    try {
      // A database that cannot open stops the server's thread: say that, not "connection refused".
      await new Promise<void>((ok, fail) => {
        ensureTable(client, tableName).then(ok, fail);
        void server.stopped.then(fail);
      });
    } catch (e) {
      client.destroy();
      await server.close();
      throw e;
    }
    let closing: Promise<void> | undefined;
    return {
      // The lock makes this process the store's only writer (attached commands never cluster).
      store: createSoleWriterStore(createDynamoStore({ client, tableName }), { now: options.now }),
      client,
      endpoint,
      dir: abs,
      stopped: server.stopped,
      close() {
        closing ??= (async () => {
          client.destroy();
          await server.close();
          await release();
        })();
        return closing;
      },
    };
  } catch (e) {
    await release();
    throw e;
  }
}

// CommonJS, evaluated in the worker: it loads dynalite (path from here) and dynalite's own
// LevelDB binding. LevelDB is opened and closed once first because dynalite keeps an open
// failure to itself and only says "Database is not open" on the first request; on a 13 MB
// store the extra open costs ~3 ms of a ~75 ms start.
//
// dynalite reads and decodes the table's description from LevelDB for every request, and again
// for every row of a batch write: ~1,000 reads in a first poll. The description changes only
// when a table action writes it (tableDb put, del or batch), so it is kept decoded between
// such writes. A read that overlapped a write is not kept (a generation counter, bumped as a
// write starts and as it ends). Only with the dynalite shape this was written for (4.x);
// otherwise dynalite runs as it is.
const DYNALITE_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const { createRequire } = require('node:module');
const load = createRequire(workerData.dynalite);
const dynaliteDb = load('./db');
const create = dynaliteDb.create;
if (typeof create === 'function') {
  dynaliteDb.create = function (options) {
    const store = create(options);
    const tableDb = store && store.tableDb;
    const getTable = store && store.getTable;
    if (typeof getTable !== 'function' || !tableDb || ['put', 'del', 'batch'].some((m) => typeof tableDb[m] !== 'function')) return store;
    const tables = new Map();
    let generation = 0;
    const changed = () => { generation++; tables.clear(); };
    for (const method of ['put', 'del', 'batch']) {
      const write = tableDb[method];
      tableDb[method] = function (...args) {
        changed();
        const last = args.length - 1;
        if (typeof args[last] === 'function') {
          const done = args[last];
          args[last] = function (...results) { changed(); return done.apply(this, results); };
          return write.apply(this, args);
        }
        const result = write.apply(this, args);
        if (result && typeof result.finally === 'function') return result.finally(changed);
        return result;
      };
    }
    store.getTable = function (name, checkStatus, cb) {
      if (typeof checkStatus === 'function') { cb = checkStatus; checkStatus = false; }
      const kept = tables.get(name);
      if (kept) return process.nextTick(cb, null, kept);
      const at = generation;
      getTable.call(this, name, checkStatus, function (err, table) {
        if (!err && table && table.TableStatus === 'ACTIVE' && at === generation) tables.set(name, table);
        cb(err, table);
      });
    };
    return store;
  };
}
const probe = new (load('level').Level)(workerData.path);
probe.open().then(() => probe.close()).then(() => {
  const server = load(workerData.dynalite)({ path: workerData.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  server.once('error', (e) => { throw e; });
  server.listen(0, '127.0.0.1', () => parentPort.postMessage(server.address().port));
  parentPort.once('message', () => server.close(() => parentPort.close()));
}, (e) => { throw e.cause ?? e; });
`;

interface DynaliteThread {
  port: number;
  /** Settles with the error when the server stops on its own (its LevelDB failed); never otherwise. */
  stopped: Promise<Error>;
  /** Closes the server and its LevelDB (flushed), then the thread ends. */
  close(): Promise<void>;
}

async function startDynalite(path: string): Promise<DynaliteThread> {
  const worker = new Worker(DYNALITE_WORKER, { eval: true, workerData: { path, dynalite: createRequire(import.meta.url).resolve('dynalite') } });
  let closing = false;
  const exited = new Promise<void>((r) => worker.once('exit', () => r()));
  const stopped = new Promise<Error>((report) => {
    let failure: Error | undefined;
    worker.once('error', (e) => (failure = e));
    worker.once('exit', (code) => {
      if (closing) return;
      const why = failure?.message ?? `its thread ended (exit code ${code})`;
      report(new Error(`the embedded store's database in ${path} failed: ${why}`));
    });
  });
  // `stopped.then(fail)`, not a race with a rejecting promise: that one would reject unhandled
  // if the thread failed later, and an unhandled rejection ends the process.
  const port = await new Promise<number>((ok, fail) => {
    worker.once('message', ok);
    void stopped.then(fail);
  });
  return {
    port,
    stopped,
    async close() {
      closing = true;
      worker.postMessage('close');
      await exited;
    },
  };
}
