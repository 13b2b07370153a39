// `newswatch run`'s feed worker: RSS/Atom/RDF bodies are decoded, parsed and mapped to Items
// on a thread of their own, while the poller's thread classifies, clusters and writes. A
// first poll of 200 feeds parsed ~6,000 items on the poller's thread, which then finished the
// cycle long after the last feed had arrived (docs/benchmarks.md). The bodies go over as
// bytes, the Items come back as plain data; shared/sources/feed-read.ts is the same code the
// Lambdas run in their own thread.
//
// Should the thread die, it costs one feed: the thread reads one body at a time, in the order
// posted, so the one it was reading is the oldest unanswered. That source fails (retryable,
// read again at its next poll) and the bodies queued behind it go to a new thread. A thread
// that cannot even load its modules is not started again: feeds are then read in this thread,
// as without the worker. (No heap limit of its own: on Node 20 a thread reaching one took the
// whole process down; bodies are capped at settings.maxBytes before they get here.)
import { Worker } from 'node:worker_threads';
import type { Config } from '../shared/config/schema/index.ts';
import { SourceError } from '../shared/sources/errors.ts';
import { type FeedBody, type FeedBodyReader, type FeedRead, readFeedBody } from '../shared/sources/feed-read.ts';
import { FeedSyntaxError } from '../shared/sources/feed-repair.ts';

/** What went wrong in the thread, as data. */
export type FeedReadFailure =
  | { kind: 'source'; message: string; retryable: boolean }
  | { kind: 'syntax'; message: string; line?: number }
  | { kind: 'other'; message: string };

export type FeedWorkerReply = { id: number; ok: true; read: FeedRead } | { id: number; ok: false; failure: FeedReadFailure };

export interface FeedWorker {
  read: FeedBodyReader;
  /** Settles once the thread has loaded its modules, or failed to (see `unusable`). */
  ready: Promise<void>;
  /** Why the thread could not load its modules, if it could not: feeds are then read in the caller's thread. */
  readonly unusable: string | undefined;
  /** Ends the thread; reads still pending fail. Safe to call twice. */
  close(): Promise<void>;
}

export interface FeedWorkerOptions {
  /** The thread's module (tests give one that fails on purpose); default feed-worker-thread.ts. */
  module?: URL;
  /** The config's topics: the thread classifies the items it reads with them (the pipeline checks it used the same). */
  topics?: Config['topics'];
}

// The thread's module is TypeScript: the thread registers tsx itself before importing it
// (Node 20 does not pass a loader registered in this thread to its threads, and Node 24's own
// type stripping cannot read every file).
const BOOT = `
const { workerData } = require('node:worker_threads');
import(workerData.tsx).then(({ register }) => {
  register();
  return import(workerData.module);
}).then(() => require('node:worker_threads').parentPort.postMessage({ ready: true }));`;

interface Read {
  input: FeedBody;
  resolve: (r: FeedRead) => void;
  reject: (e: Error) => void;
}

interface Thread {
  worker: Worker;
  /** Reads posted and not answered, oldest first (a Map keeps insertion order). */
  pending: Map<number, Read>;
  ready: Promise<void>;
}

/** Starts the feed worker's thread now (so its modules load while the first feeds are on their way). */
export function startFeedWorker(options: FeedWorkerOptions = {}): FeedWorker {
  let thread: Thread | undefined;
  let nextId = 0;
  let closed = false;
  /** Why the thread could not load, once it could not: reads then stay in this thread. */
  let unusable: string | undefined;

  function start(): Thread {
    const worker = new Worker(BOOT, {
      eval: true,
      workerData: {
        module: (options.module ?? new URL('./feed-worker-thread.ts', import.meta.url)).href,
        tsx: import.meta.resolve('tsx/esm/api'),
        ...(options.topics ? { topics: options.topics } : {}),
      },
    });
    // The thread never keeps the process alive: `run` ends when its loop does.
    worker.unref();
    let booted = false;
    let loaded!: () => void;
    const t: Thread = { worker, pending: new Map(), ready: new Promise<void>((r) => (loaded = r)) };
    let failure: Error | undefined;
    worker.on('message', (m: FeedWorkerReply | { ready: true }) => {
      if (!('id' in m)) {
        booted = true;
        return loaded();
      }
      const p = t.pending.get(m.id);
      if (!p) return;
      t.pending.delete(m.id);
      if (t.pending.size === 0) worker.unref(); // nothing in flight: the thread keeps nobody waiting
      if (m.ok) p.resolve(m.read);
      else p.reject(errorOf(m.failure, p.input.sourceId));
    });
    worker.on('error', (e) => (failure = e));
    worker.on('exit', (code) => {
      const why = failure ? failure.message : `it exited with code ${code}`;
      loaded();
      if (thread === t) thread = undefined;
      const reads = [...t.pending.values()];
      t.pending.clear();
      if (closed) {
        for (const r of reads) r.reject(new SourceError(r.input.sourceId, 'the feed reader was closed while reading this feed', { retryable: true }));
        return;
      }
      if (!booted) {
        unusable = why;
        for (const r of reads) readFeedBody(r.input).then(r.resolve, r.reject);
        return;
      }
      const [culprit, ...queued] = reads;
      culprit?.reject(
        new SourceError(culprit.input.sourceId, `the feed reader's thread stopped while reading this feed (${why}); it is read again at the next poll`, {
          retryable: true,
        }),
      );
      for (const r of queued) post(r);
    });
    return t;
  }

  function post(read: Read): void {
    const t = (thread ??= start());
    const id = nextId++;
    t.pending.set(id, read);
    t.worker.ref(); // a read in flight keeps the process alive until its answer
    // The bytes are copied into a buffer of their own and moved, not cloned: a small Buffer is
    // a view into Node's shared pool, which a transfer would take from this thread.
    const body = new Uint8Array(read.input.body);
    t.worker.postMessage({ id, input: { ...read.input, body } }, [body.buffer]);
  }

  thread = start();

  return {
    ready: thread.ready,
    get unusable() {
      return unusable;
    },
    read(input: FeedBody): Promise<FeedRead> {
      if (closed) return Promise.reject(new SourceError(input.sourceId, 'the feed reader is closed', { retryable: true }));
      if (unusable !== undefined) return readFeedBody(input);
      return new Promise<FeedRead>((resolve, reject) => post({ input, resolve, reject }));
    },
    async close() {
      closed = true;
      const t = thread;
      thread = undefined;
      if (t) await t.worker.terminate();
    },
  };
}

function errorOf(f: FeedReadFailure, sourceId: string): Error {
  if (f.kind === 'source') return new SourceError(sourceId, f.message, { retryable: f.retryable });
  if (f.kind === 'syntax') return new FeedSyntaxError(f.message, f.line);
  return new Error(f.message);
}
