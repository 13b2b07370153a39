import { inCwd, processIo, type CliIo } from '../io.ts';
import { parseCommandArgs, UsageError } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { dueSources, pollSources } from '../../shared/pipeline/index.ts';
import type { SourceReport } from '../../shared/pipeline/types.ts';
import type { Story } from '../../shared/model.ts';
import type { Outbox } from '../../shared/store/port.ts';
import { openLocalContext, DEFAULT_STORE_DIR } from '../context.ts';
import { createCourier } from '../../shared/deliver/courier.ts';
import type { SendResult } from '../../shared/deliver/index.ts';
import { parseDuration } from '../duration.ts';
import { koreaClock } from '../../shared/time.ts';
import { CLEAR_LINE, cycleTotals, formatReport, formatStory, paintFor } from '../print.ts';

const HELP = `Usage: newswatch run [--once] [--interval 10m] [--store DIR] [--config FILE]

Poll every configured source on an interval, store new stories in the embedded store
(dynalite under DIR, default ${DEFAULT_STORE_DIR}), print new matched stories as they
arrive and deliver them to the configured destinations. Every alert is queued in the
store's delivery outbox first and sent beside polling: one that fails is retried with
backoff (also while run waits between cycles) until settings.deliveryGiveUpHours; a
destination whose secret is not set waits, and its alerts go out once it is set. Ctrl-C
stops after the sources and deliveries in flight finish (press it twice to stop at once)
and ends with a line: the cycles run and the alerts not delivered yet. Nothing is lost
either way: a killed run's deliveries are due again when it restarts.

Options:
  --once                   one cycle, then exit (exit 1 if every source failed)
  --interval DURATION      time between cycles (default: settings.pollMinutes)
  --store DIR              embedded store directory (default ${DEFAULT_STORE_DIR})
  --config FILE            config file (default ${DEFAULT_CONFIG_FILE})
  --allow-private-network  allow loopback/private addresses: sources, and where a
                           delivery is redirected (local tests only)
  --verbose                a line per source poll

Each cycle ends with a line on stderr in Korea time: \`HH:MM:SS KST cycle: ...\`.
`;

export async function run(args: string[], io: CliIo = processIo()): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      once: { type: 'boolean' },
      interval: { type: 'string' },
      store: { type: 'string', default: DEFAULT_STORE_DIR },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      'allow-private-network': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
    },
    HELP,
  );
  const interval = values.interval === undefined ? undefined : intervalOption(values.interval);
  const config = loadConfig(values.config, io.cwd);
  const intervalMs = interval ?? config.settings.pollMinutes * 60_000;
  const ctx = await openLocalContext(config, {
    storeDir: inCwd(io, values.store),
    env: io.env,
    allowPrivateNetwork: values['allow-private-network'],
    feedWorker: true,
  });
  const out = io.stdout;
  const err = io.stderr;
  const p = paintFor(out, io.env);
  const tty = err.isTTY === true;

  const stop = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) {
      err.write('\nnewswatch: stopping now\n');
      io.exit(130);
      return;
    }
    err.write('\nnewswatch: finishing the sources in flight, then stopping (Ctrl-C again to stop now)\n');
    stop.abort();
  };
  const stopListening = io.onInterrupt(onSigint);
  // Without its database every poll would fail the same way: stop and say why instead.
  let storeFailed = false;
  void ctx.local.stopped.then((e) => {
    storeFailed = true;
    err.write(`\n${p.red('newswatch:')} ${e.message}; stopping\n`);
    stop.abort();
  });

  const enabled = config.sources.filter((s) => s.enabled).length;
  err.write(`newswatch: ${enabled} sources, ${Object.keys(config.topics).length} topics, store ${values.store}, every ${Math.round(intervalMs / 1000)} s\n`);
  let allFailed = false;
  let cycles = 0;
  // Each waiting destination is named once, not once per alert and cycle.
  const told = new Set<string>();
  const courier = createCourier(ctx.deliverDeps, {
    onResult: (r: SendResult) => {
      for (const w of r.waiting) {
        if (told.has(w.destinationId)) continue;
        told.add(w.destinationId);
        err.write(`${p.yellow('!')} ${w.message}\n`);
      }
      for (const rep of r.reports) {
        if (rep.status === 'sent' || rep.status === 'summarised') told.delete(rep.destinationId);
        if (rep.status === 'failed') err.write(`${p.red('✗')} delivery ${rep.destinationId} story ${rep.storyId}: ${rep.error ?? 'failed'} (will retry)\n`);
      }
      for (const g of r.givenUp) {
        err.write(`${p.red('✗')} delivery ${g.destinationId} story ${g.storyId} given up: ${g.lastError ?? ''} (newswatch deliveries --retry)\n`);
        void ctx.deliverDeps.store.markReported(g.storyId, g.destinationId, ctx.deps.now()).catch(() => {});
      }
      for (const e of r.errors) err.write(`${p.red('✗')} delivery: ${e.message}; the alerts stay queued\n`);
    },
  });
  try {
    const start = await ctx.startDelivery();
    if (start.released > 0) err.write(`newswatch: ${start.released} deliveries interrupted by the previous run are due again\n`);
    for (const w of start.waiting) {
      told.add(w.destinationId);
      err.write(`${p.yellow('!')} ${w.message}\n`);
    }
    while (!stop.signal.aborted) {
      const now = ctx.deps.now();
      const sources = dueSources(config, await ctx.deps.store.listSourceStates(), now);
      const reports: SourceReport[] = [];
      const progress = (): void => {
        if (!tty) return;
        const t = cycleTotals(reports);
        err.write(
          `${CLEAR_LINE}${p.dim(`[${t.done}/${sources.length} sources${t.failed ? `, ${t.failed} failed` : ''}] ${t.items} items, ${t.fresh} new, ${t.matched} matched`)}`,
        );
      };
      const show = async (leaders: Story[]): Promise<void> => {
        if (tty) err.write(CLEAR_LINE);
        for (const s of leaders) out.write(`${formatStory(s, config, p)}\n`);
        // Their alerts are queued: the courier sends them beside the polls still running.
        courier.kick();
        progress();
      };
      courier.kick(); // rows due from earlier cycles or runs go out while this cycle polls
      progress();
      await pollSources(ctx.deps, sources, {
        signal: stop.signal,
        onLeaders: show,
        onReport: (r) => {
          reports.push(r);
          if (r.warnings.length > 0 && tty) err.write(CLEAR_LINE);
          for (const w of r.warnings) err.write(`${p.yellow('warning:')} ${r.sourceId}: ${w}\n`);
          if (values.verbose || (!r.ok && !tty)) err.write(`${formatReport(r, p)}\n`);
          progress();
        },
      });
      const t = cycleTotals(reports);
      if (tty) err.write(CLEAR_LINE);
      cycles++;
      err.write(
        `${p.dim(clockKst(new Date()))} cycle: ${t.done} sources polled${t.failed ? p.red(`, ${t.failed} failed`) : ''}, ${t.items} items, ${t.fresh} new, ${t.matched} matched\n`,
      );
      if (!values.verbose && tty) for (const r of reports.filter((x) => !x.ok)) err.write(`${formatReport(r, p)}\n`);
      allFailed = t.done > 0 && t.failed === t.done;
      if (allFailed && reports.every((r) => /ENOTFOUND|EAI_AGAIN|ENETUNREACH/.test(r.error ?? ''))) {
        err.write(`${p.yellow('every source failed to resolve: is this machine offline? `npm run demo` shows the whole flow without a network.')}\n`);
      }
      // The poll is done and reported; the cycle's last delivery pass (burst summaries) follows.
      await courier.endCycle();
      if (values.once) break;
      // Between cycles, failed alerts whose retry comes due are sent without waiting for the next cycle.
      const next = Date.now() + intervalMs;
      while (!stop.signal.aborted && Date.now() < next) {
        await sleep(Math.min(SWEEP_MS, next - Date.now()), stop.signal);
        if (!stop.signal.aborted && Date.now() < next) await courier.endCycle();
      }
    }
    await courier.idle();
  } finally {
    stopListening();
    // After Ctrl-C, one line saying what was done and what waits for the next run.
    if (interrupts > 0 && !storeFailed) err.write(`${await stoppedLine(cycles, ctx.deps.store)}\n`);
    await ctx.close();
  }
  return storeFailed || (values.once && allFailed) ? 1 : 0;
}

/** `12:05:09 KST`: the cycle line's clock (Korea time; seconds are the same in every whole-hour zone). */
function clockKst(at: Date): string {
  return `${koreaClock(at)}:${String(at.getUTCSeconds()).padStart(2, '0')} KST`;
}

async function stoppedLine(cycles: number, store: Outbox): Promise<string> {
  const done = `newswatch: stopped after ${cycles} ${cycles === 1 ? 'cycle' : 'cycles'}`;
  try {
    const open = (await store.openDeliveries()).length;
    if (open === 0) return `${done}; every alert was delivered`;
    return `${done}; ${open} ${open === 1 ? 'alert' : 'alerts'} not delivered yet, sent when run starts again (newswatch deliveries lists them)`;
  } catch {
    return done;
  }
}

/** How often run looks for due deliveries while it waits between cycles. */
const SWEEP_MS = 5_000;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });
}

/** `--interval`: a bad value is a usage error (exit 2), said before anything is opened. */
function intervalOption(text: string): number {
  try {
    return parseDuration(text);
  } catch (e) {
    throw new UsageError(`--interval: ${(e as Error).message}`);
  }
}
