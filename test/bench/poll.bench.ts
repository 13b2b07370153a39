// Poll benchmark: 200 feeds on local HTTP servers (30 items each, 50-500 ms latency)
// through the real pipeline into the embedded store `newswatch run` opens (dynalite on
// LevelDB, on a thread of its own). Cycle 1 reads everything into an empty store, cycle 2
// finds every feed unchanged, cycle 3 finds two new items per feed (a normal 10-minute poll).
// Feeds are read, and their items classified, on `newswatch run`'s feed worker thread
// (NO_FEED_WORKER=1: both on the poller's; NO_WORKER_CLASSIFY=1: read there, classified here).
// Prints wall time as a ratio to the slowest source's latency (target: cycle 1 ≤ 2 in a cold
// process, every other ≤ 1.5), store calls per cycle, writes on the unchanged cycle (target 0),
// and CPU time per thread (the poller's, the store's, the feed worker's, the rest): on a machine
// shared with other jobs only the CPU times compare between runs. POLL_PASSES=2 skips the shared-table pass,
// POLL_THREADS=1 prints every thread's CPU, POLL_PROFILE=DIR writes the poller's CPU profiles,
// POLL_HEAP=DIR its allocation profiles (sampled, collected objects included), DEFAULT_JIT=1 runs
// with V8's own optimizing budget instead of the one every newswatch command sets (cli/jit-budget.ts).
// POLL_RUNS=N runs the two embedded-store passes in N fresh processes, one after another, and
// prints each one's first-cycle ratios and their medians: one run swings ±30 % with the hour's cores.
import { loadConfig } from '../../shared/config/load.ts';
import { configSchema } from '../../shared/config/schema/index.ts';
import { createFetcher } from '../../shared/fetch/index.ts';
import { pollSources } from '../../shared/pipeline/index.ts';
import type { PipelineDeps } from '../../shared/pipeline/types.ts';
import { createDynamoStore, ensureTable } from '../../adapters/dynamodb/store.ts';
import { createSoleWriterStore } from '../../adapters/dynamodb/sole-writer.ts';
import { openLocalStore } from '../../cli/local-store.ts';
import { startFeedWorker } from '../../cli/feed-worker.ts';
import { tuneJitForBursts } from '../../cli/jit-budget.ts';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const SEEDS = fileURLToPath(new URL('../fixtures/seeds', import.meta.url));

const SOURCES = 200;
const ITEMS = 30;

// A deterministic generator, so every run measures the same feeds.
let seed = 42;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)]!;

// Matched stories are built from real Korean sentences (the seed articles), so band
// collisions between different stories happen as often as in real news. About one item in
// thirty is about a topic (a general outlet's share of AI/GPU stories on a busy day), and
// it is a copy of one of the wire stories, popular ones more often: Yonhap's
// story reaches a dozen outlets, most reach one or two. MATCH_RATE=0 measures the floor:
// fetch, parse and the source state only.
const SENTENCES = [
  ...new Set(
    readdirSync(SEEDS)
      .flatMap((f) => readFileSync(join(SEEDS, f), 'utf8').split(/(?<=다\.)\s+|\n+/))
      .map((l) => l.trim())
      .filter((l) => l.length >= 30 && l.length <= 200 && /[가-힣]/.test(l)),
  ),
];
const TOPIC_LEADS = ['딥시크 충격에', '엔비디아 GPU 확보 경쟁 속', '소버린 AI 전략을 두고', '국가대표 AI 모델 평가를 앞두고'];
// Different stories share no sentence (they still share the day's vocabulary: all are about AI).
const shuffled = SENTENCES.map((s) => [rand(), s] as const)
  .sort((a, b) => a[0] - b[0])
  .map(([, s]) => s);
const WIRE_STORIES = Math.floor(shuffled.length / 6);
const wire = Array.from({ length: WIRE_STORIES }, (_, n) => {
  const sentences = shuffled.slice(n * 6, n * 6 + 6);
  return { title: `${pick(TOPIC_LEADS)} ${sentences[0]!.slice(0, 24)} (${n})`, sentences };
});
/** A copy of wire story n: the same headline or an edited one, the lede kept, the rest trimmed. */
function copyOf(n: number): { title: string; body: string } {
  const w = wire[n]!;
  const title = rand() < 0.5 ? w.title : `[종합] ${w.title.replace(/\s\S+$/, '')}…`;
  return { title, body: w.sentences.slice(0, 3 + Math.floor(rand() * 4)).join(' ') };
}
const SUBJECTS = ['정부', '삼성전자', 'SK하이닉스', '네이버', '카카오', '한국은행', '서울시', '현대차', 'LG전자', '과기정통부'];
const OTHER = ['분기 실적 발표', '신제품 출시', '채용 확대', '지역 축제 개최', '금리 동결', '수출 증가'];

function feed(source: number, fresh: number): string {
  const items: string[] = [];
  for (let i = -fresh; i < ITEMS - fresh; i++) {
    let title: string;
    let body: string;
    if (rand() < Number(process.env.MATCH_RATE ?? 0.035)) {
      // Zipf-like: story n with weight ~1/(n+1).
      ({ title, body } = copyOf(Math.min(WIRE_STORIES - 1, Math.floor(WIRE_STORIES ** rand()) - 1)));
    } else {
      const subject = pick(SUBJECTS);
      title = `${subject}, ${pick(OTHER)} (${source}-${i})`;
      body = `${title}. ${subject} 관계자는 ${source}일 이같이 밝혔다. 세부 내용은 ${i}번째 보도를 참고.`.repeat(3);
    }
    const minutes = String(((i % 60) + 60) % 60).padStart(2, '0');
    items.push(
      `<item><title><![CDATA[${title}]]></title><link>https://news${source}.example.kr/article/${i}</link>` +
        `<description><![CDATA[${body}]]></description><pubDate>Thu, 06 Feb 2025 09:${minutes}:00 +0900</pubDate></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>매체 ${source}</title>${items.join('')}</channel></rss>`;
}

// The outlets' servers run in a process of their own, as the outlets are other machines:
// serving 9 MB of feeds a cycle is not the poller's work. The parent tells it the cycle.
const FEED_SERVERS = `
const http = require('node:http');
let cycle = 1;
process.on('message', async (m) => {
  if (m.cycle) { cycle = m.cycle; process.send({ cycle }); return; }
  const ports = [];
  for (const { bodies, delay } of m.feeds) {
    const buffers = bodies.map((b) => Buffer.from(b));
    const server = http.createServer((_req, res) => {
      const body = buffers[cycle === 3 ? 1 : 0];
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body), delay);
    });
    await new Promise((r) => server.listen(0, '127.0.0.1', r));
    ports.push(server.address().port);
  }
  process.send({ ports });
});`;

const now = () => new Date('2025-02-06T06:00:00Z');

/**
 * CPU time of this process's threads, in ms by thread id: Linux's per-thread counters, as
 * Node 20 has no per-thread API; empty where /proc is missing.
 */
function threadCpuMs(): Map<number, number> {
  const out = new Map<number, number>();
  try {
    for (const tid of readdirSync('/proc/self/task')) {
      try {
        const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ')[1]!.split(' ');
        out.set(Number(tid), (Number(fields[11]) + Number(fields[12])) * 10); // utime + stime, in 100 Hz ticks
      } catch {
        /* the thread ended */
      }
    }
  } catch {
    /* no /proc */
  }
  return out;
}

/** CPU ms of the threads `tids` between two readings. */
const cpuOf = (before: Map<number, number>, after: Map<number, number>, tids: Iterable<number>): number => {
  let ms = 0;
  for (const tid of tids) ms += (after.get(tid) ?? 0) - (before.get(tid) ?? 0);
  return ms;
};

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

async function startProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return {
    async stop(file) {
      const { profile } = await session.post('Profiler.stop');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

/** POLL_HEAP=DIR: a sampling profile of everything the poller's thread allocates in a cycle, the collected included. */
async function startHeapProfile(): Promise<{ stop(file: string): Promise<void> }> {
  const session = new Session();
  session.connect();
  await session.post('HeapProfiler.enable');
  await session.post('HeapProfiler.startSampling', { samplingInterval: 4096, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true });
  return {
    async stop(file) {
      const { profile } = await session.post('HeapProfiler.stopSampling');
      writeFileSync(file, JSON.stringify(profile));
      session.disconnect();
    },
  };
}

async function main(): Promise<void> {
  // As every newswatch command does at its start (DEFAULT_JIT=1: V8's own budget, to compare).
  const jitFlags = process.env.DEFAULT_JIT ? [] : tuneJitForBursts();
  const latencies = Array.from({ length: SOURCES }, () => 50 + Math.floor(rand() * 451));
  const outlets = spawn(process.execPath, ['-e', FEED_SERVERS], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const reply = <T>() => new Promise<T>((resolve) => outlets.once('message', (m) => resolve(m as T)));
  // Not kept here: 18 MB of feed text would only slow this process's garbage collector.
  outlets.send({ feeds: latencies.map((delay, i) => ({ bodies: [feed(i, 0), feed(i, 2)], delay })) });
  const { ports } = await reply<{ ports: number[] }>();
  const urls = ports.map((port) => `http://127.0.0.1:${port}/feed.xml`);
  const setCycle = async (n: number) => {
    outlets.send({ cycle: n });
    await reply();
  };

  // The store `newswatch run` opens: dynalite on LevelDB in a temporary directory, served
  // from its own thread. Every pass below uses a table of its own on it.
  const storeDir = mkdtempSync(join(tmpdir(), 'newswatch-bench-'));
  // The threads started while the store opens are the store's: dynalite's worker thread (and
  // LevelDB's background thread); the poller's is the main thread.
  const threadsBefore = new Set(threadCpuMs().keys());
  const local = await openLocalStore(storeDir, { now });
  const storeThreads = [...threadCpuMs().keys()].filter((tid) => !threadsBefore.has(tid));
  // The feed worker `newswatch run` starts beside the store, its modules loaded before the first poll.
  const beforeFeeds = new Set(threadCpuMs().keys());
  const feedWorker = process.env.NO_FEED_WORKER
    ? undefined
    : startFeedWorker(process.env.NO_WORKER_CLASSIFY ? {} : { topics: loadConfig('newswatch.config.yaml').topics });
  await feedWorker?.ready;
  const feedThreads = [...threadCpuMs().keys()].filter((tid) => !beforeFeeds.has(tid));
  const calls = { all: 0, writes: 0 };
  local.client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.all++;
      if (/^(Put|Update|Delete|BatchWrite)Item/.test(String(context.commandName))) calls.writes++;
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const base = loadConfig('newswatch.config.yaml');
  const config = configSchema.parse({
    ...base,
    // KEEP_DAYS=0 measures without the unmatched items kept for `tune`.
    settings: { ...base.settings, allowPrivateNetwork: true, ...(process.env.KEEP_DAYS ? { keepUnmatchedDays: Number(process.env.KEEP_DAYS) } : {}) },
    sources: urls.map((url, i) => ({ kind: 'rss', id: `bench-${i}`, outlet: `매체${i}`, url, fetchArticle: 'never' })),
    delivery: { slack: [], webhooks: [], email: [] },
  });
  const slowest = Math.max(...latencies);
  console.log(
    `${SOURCES} sources × ${ITEMS} items, latency 50-500 ms (slowest ${slowest} ms); matched items copy ${WIRE_STORIES} wire stories; Node ${process.version}${jitFlags.length > 0 ? ` (${jitFlags.join(' ')})` : ''}`,
  );
  console.log(`load average ${load()} (other jobs on this machine stretch the wall times)`);
  const label = ['', 'empty store', 'unchanged feeds', '2 new items per feed'];
  const firstCycles: number[] = [];

  // The same three cycles three times, each time into an empty table: first in a fresh
  // process (the first `newswatch run` after install: nothing compiled by the JIT yet), then
  // in a warm one (every later cycle of a running poller), both with the embedded store's
  // single writer; last as on a shared table (the Lambdas' DynamoDB: a conditional write per
  // LSH band a new leader claims, which dynalite serves one at a time and AWS in parallel).
  const passes = [
    { name: 'cold process, embedded store (newswatch run)', soleWriter: true },
    { name: 'warm process, embedded store (newswatch run)', soleWriter: true },
    { name: 'warm process, shared-table writes (as the Lambdas)', soleWriter: false },
  ];
  // POLL_PASSES=2 stops after the two embedded-store passes (comparing builds on a busy machine).
  for (const [n, { name: pass, soleWriter }] of passes.slice(0, Number(process.env.POLL_PASSES ?? passes.length)).entries()) {
    const tableName = `newswatch-bench-${n}`;
    await ensureTable(local.client, tableName);
    const table = createDynamoStore({ client: local.client, tableName });
    const store = soleWriter ? createSoleWriterStore(table, { now }) : table;
    const deps: PipelineDeps = {
      config,
      store,
      secrets: async () => '',
      now,
      ...(feedWorker ? { readFeed: feedWorker.read } : {}),
      fetcher: createFetcher(config.settings, { allowPrivateNetwork: true }),
    };
    console.log(`\n${pass}:`);
    for (let cycle = 1; cycle <= 3; cycle++) {
      await setCycle(cycle);
      calls.all = 0;
      calls.writes = 0;
      const before = { ...store.calls };
      // POLL_PROFILE=DIR writes a CPU profile of the poller's thread per cycle (chrome://inspect, or speedscope).
      const profiling = process.env.POLL_PROFILE ? await startProfile() : undefined;
      const heapProfiling = process.env.POLL_HEAP ? await startHeapProfile() : undefined;
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      const threads0 = threadCpuMs();
      const reports = await pollSources(deps, config.sources);
      const wall = performance.now() - t0;
      const cpu = process.cpuUsage(cpu0);
      const threads1 = threadCpuMs();
      const processCpu = (cpu.user + cpu.system) / 1000;
      // Without /proc only the whole process's CPU is known: it is all put on the poller.
      const perThread = threads1.size > 0;
      const pollerCpu = perThread ? cpuOf(threads0, threads1, [process.pid]) : processCpu;
      const storeCpu = cpuOf(threads0, threads1, storeThreads);
      const feedCpu = cpuOf(threads0, threads1, feedThreads);
      if (profiling) await profiling.stop(join(process.env.POLL_PROFILE!, `pass${n + 1}-cycle${cycle}.cpuprofile`));
      if (heapProfiling) await heapProfiling.stop(join(process.env.POLL_HEAP!, `pass${n + 1}-cycle${cycle}.heapprofile`));
      if (cycle === 1) firstCycles.push(wall / slowest);
      const failed = reports.filter((r) => !r.ok);
      const created = reports.reduce((n, r) => n + r.created.length, 0);
      const leaders = reports.reduce((n, r) => n + r.leaders.length, 0);
      const byOp = Object.entries(store.calls)
        .map(([op, n]) => [op, n - (before[op] ?? 0)] as const)
        .filter(([, n]) => n > 0)
        .map(([op, n]) => `${op} ${n}`)
        .join(', ');
      console.log(
        `  cycle ${cycle} (${label[cycle]}): wall ${wall.toFixed(0)} ms = ${(wall / slowest).toFixed(2)}× the slowest source (target ≤ ${n === 0 && cycle === 1 ? 2 : 1.5}); ` +
          `store calls ${calls.all}, writes ${calls.writes}${cycle === 2 ? ' (target 0)' : ''}; stories ${created} (${leaders} leaders); failed ${failed.length}`,
      );
      if (byOp) console.log(`    by operation: ${byOp}`);
      console.log(
        perThread
          ? `    CPU time: poller thread (fetch, parse, classify, dedupe, the AWS SDK) ${pollerCpu.toFixed(0)} ms, ` +
              `store thread and the rest of the process ${Math.max(0, processCpu - pollerCpu).toFixed(0)} ms ` +
              `(the store's own threads ${storeCpu.toFixed(0)} ms${feedWorker ? `, the feed worker's ${feedCpu.toFixed(0)} ms` : ''}; the rest is mostly V8's compiler and GC threads)`
          : `    CPU time: the whole process ${processCpu.toFixed(0)} ms (no per-thread counters here)`,
      );
      if (process.env.POLL_THREADS) {
        const each = [...threads1.keys()].map((tid) => [tid, cpuOf(threads0, threads1, [tid])] as const).filter(([, ms]) => ms > 0);
        console.log(
          `    CPU by thread: ${each.map(([tid, ms]) => `${tid === process.pid ? 'main' : storeThreads.includes(tid) ? `store ${tid}` : feedThreads.includes(tid) ? `feeds ${tid}` : tid} ${ms}`).join(', ')}`,
        );
      }
      if (failed[0]) console.log(`    first failure: ${failed[0].error}`);
    }
  }
  console.log(`load average ${load()}`);
  if (process.env.POLL_CHILD) console.log(`${RESULT} ${JSON.stringify({ cold: firstCycles[0], warm: firstCycles[1] })}`);
  const mem = process.memoryUsage();
  console.log(`memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  await local.close();
  await feedWorker?.close();
  rmSync(storeDir, { recursive: true, force: true });
  outlets.kill();
}

const RESULT = 'poll-first-cycles';

/** POLL_RUNS=N: the two embedded-store passes in N fresh processes; each one's cycle-1 ratios, then the medians. */
function repeated(runs: number): void {
  const script = fileURLToPath(import.meta.url);
  const results: { cold: number; warm: number }[] = [];
  for (let run = 1; run <= runs; run++) {
    const child = spawnSync(process.execPath, [...process.execArgv, script], {
      env: { ...process.env, POLL_CHILD: '1', POLL_PASSES: '2', POLL_RUNS: '' },
      encoding: 'utf8',
    });
    const line = child.stdout.split('\n').find((l) => l.startsWith(RESULT));
    if (!line) {
      console.log(`run ${run}: no result (exit ${child.status})\n${child.stderr.slice(-2000)}`);
      process.exitCode = 1;
      continue;
    }
    const r = JSON.parse(line.slice(RESULT.length)) as { cold: number; warm: number };
    results.push(r);
    console.log(`run ${run}: cycle 1 cold ${r.cold.toFixed(2)}×, warm ${r.warm.toFixed(2)}× the slowest source`);
  }
  if (results.length === 0) return;
  const summary = (xs: number[], target: number) => {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = sorted.length / 2;
    const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
    return `median ${median.toFixed(2)}× (${sorted[0]!.toFixed(2)}-${sorted.at(-1)!.toFixed(2)}×), ${xs.filter((x) => x <= target).length} of ${xs.length} within ${target}×`;
  };
  console.log(`\n${results.length} runs on Node ${process.version}:`);
  console.log(
    `  cycle 1, cold process: ${summary(
      results.map((r) => r.cold),
      2,
    )}`,
  );
  console.log(
    `  cycle 1, warm process: ${summary(
      results.map((r) => r.warm),
      1.5,
    )}`,
  );
}

const runs = Number(process.env.POLL_RUNS || 1);
if (!Number.isInteger(runs) || runs < 1) {
  console.error(`POLL_RUNS=${process.env.POLL_RUNS}: give a whole number of runs, 1 or more`);
  process.exitCode = 2;
} else if (runs > 1) repeated(runs);
else await main();
