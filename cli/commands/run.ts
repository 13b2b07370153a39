import { parseArgs } from 'node:util';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { dueSources, pollSources } from '../../shared/pipeline/index.ts';
import type { SourceReport } from '../../shared/pipeline/types.ts';
import type { Story } from '../../shared/model.ts';
import { openLocalContext, DEFAULT_STORE_DIR } from '../context.ts';
import { parseDuration } from '../duration.ts';
import { CLEAR_LINE, cycleTotals, formatReport, formatStory, paintFor } from '../print.ts';

const HELP = `Usage: newswatch run [--once] [--interval 10m] [--store DIR] [--config FILE]

Poll every configured source on an interval, store new stories in the embedded store
(dynalite under DIR, default ${DEFAULT_STORE_DIR}), print new matched stories as they
arrive and deliver them to the configured destinations. Ctrl-C stops after the sources
in flight finish (press it twice to stop at once); nothing is lost either way.

Options:
  --once                   one cycle, then exit (exit 1 if every source failed)
  --interval DURATION      time between cycles (default: settings.pollMinutes)
  --store DIR              embedded store directory (default ${DEFAULT_STORE_DIR})
  --config FILE            config file (default ${DEFAULT_CONFIG_FILE})
  --allow-private-network  allow sources on loopback/private addresses (local tests only)
  --verbose                a line per source poll
`;

export async function run(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      once: { type: 'boolean' },
      interval: { type: 'string' },
      store: { type: 'string', default: DEFAULT_STORE_DIR },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      'allow-private-network': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const config = loadConfig(values.config);
  const intervalMs = values.interval ? parseDuration(values.interval) : config.settings.pollMinutes * 60_000;
  const ctx = await openLocalContext(config, { storeDir: values.store, allowPrivateNetwork: values['allow-private-network'] });
  const out = process.stdout;
  const err = process.stderr;
  const p = paintFor(out);
  const tty = err.isTTY === true;

  const stop = new AbortController();
  let interrupts = 0;
  const onSigint = (): void => {
    interrupts++;
    if (interrupts > 1) {
      err.write('\nnewswatch: stopping now\n');
      process.exit(130);
    }
    err.write('\nnewswatch: finishing the sources in flight, then stopping (Ctrl-C again to stop now)\n');
    stop.abort();
  };
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
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
  try {
    await ctx.sweepUndelivered();
    while (!stop.signal.aborted) {
      const now = ctx.deps.now();
      const sources = dueSources(config, await ctx.deps.store.listSourceStates(), now);
      const reports: SourceReport[] = [];
      const progress = (): void => {
        if (!tty) return;
        const t = cycleTotals(reports);
        err.write(`${CLEAR_LINE}${p.dim(`[${t.done}/${sources.length} sources${t.failed ? `, ${t.failed} failed` : ''}] ${t.items} items, ${t.fresh} new, ${t.matched} matched`)}`);
      };
      const show = async (leaders: Story[]): Promise<void> => {
        if (tty) err.write(CLEAR_LINE);
        for (const s of leaders) out.write(`${formatStory(s, config, p)}\n`);
        const failures = await ctx.deliver(leaders);
        for (const f of failures) err.write(`${p.red('✗')} delivery ${f}\n`);
        progress();
      };
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
      err.write(
        `${p.dim(new Date().toISOString().slice(11, 19) + 'Z')} cycle: ${t.done} sources polled${t.failed ? p.red(`, ${t.failed} failed`) : ''}, ${t.items} items, ${t.fresh} new, ${t.matched} matched\n`,
      );
      if (!values.verbose && tty) for (const r of reports.filter((x) => !x.ok)) err.write(`${formatReport(r, p)}\n`);
      allFailed = t.done > 0 && t.failed === t.done;
      if (allFailed && reports.every((r) => /ENOTFOUND|EAI_AGAIN|ENETUNREACH/.test(r.error ?? ''))) {
        err.write(`${p.yellow('every source failed to resolve: is this machine offline? `npm run demo` shows the whole flow without a network.')}\n`);
      }
      if (values.once) break;
      await sleep(intervalMs, stop.signal);
    }
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    await ctx.close();
  }
  return storeFailed || (values.once && allFailed) ? 1 : 0;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}
