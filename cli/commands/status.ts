import type { CliIo } from '../io.ts';
import { parseCommandArgs } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { formatKorea, koreaDay } from '../../shared/time.ts';
import { paintFor } from '../print.ts';
import { padWidth, widthOf } from '../width.ts';
import { openReadStore, STORE_HELP, STORE_OPTIONS, StoreChoiceError } from '../read-store.ts';
import { formatDeliveries, loadDeliveries } from '../deliveries-view.ts';

const HELP = `Usage: newswatch status [--store DIR | --aws] [--config FILE] [--json]

Show each source's health (last success, failures, last error, next allowed poll),
today's counts (Korea day) by topic, and per destination the alerts not delivered yet
(pending, failed, given up) with the reason. \`newswatch deliveries\` retries them.
Times in Korea time (KST); UTC only in --json.

Exit codes: 0 shown; 1 every enabled source is failing (or the store cannot be opened).

  --config FILE    config file, for its sources and topics (default ${DEFAULT_CONFIG_FILE})
  --json           the same as one JSON object (UTC times)
${STORE_HELP}`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      ...STORE_OPTIONS,
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      json: { type: 'boolean' },
    },
    HELP,
  );
  const config = loadConfig(values.config, io.cwd);
  let opened;
  try {
    opened = await openReadStore(values, io);
  } catch (e) {
    if (!(e instanceof StoreChoiceError)) throw e;
    io.stderr.write(`newswatch status: ${e.message}\n`);
    return 1;
  }
  try {
    const now = new Date();
    const today = koreaDay(now);
    const store = opened.store;
    const states = new Map((await store.listSourceStates()).map((s) => [s.id, s]));
    const stories = await store.storiesOfDay(today);
    const deliveries = await loadDeliveries(store);
    const failed = deliveries.open.filter((r) => r.status === 'failed');

    const byTopic: Record<string, { stories: number; leaders: number }> = {};
    for (const t of Object.keys(config.topics)) byTopic[t] = { stories: 0, leaders: 0 };
    for (const s of stories) {
      for (const t of s.topics) {
        const c = (byTopic[t] ??= { stories: 0, leaders: 0 });
        c.stories++;
        if (s.leader) c.leaders++;
      }
    }
    const sources = config.sources.map((s) => ({ id: s.id, outlet: s.outlet, enabled: s.enabled, ...states.get(s.id) }));
    // Sources the store has polled that this config does not name (another config, a removed
    // source, the demo's store read with the shipped config): said, so "never polled" above
    // is not mistaken for the store's whole story.
    const configured = new Set(config.sources.map((s) => s.id));
    const elsewhere = [...states.keys()].filter((id) => !configured.has(id)).sort();
    // Nothing is being watched when every enabled source fails: a monitor (cron, CI) sees exit 1.
    const enabled = sources.filter((s) => s.enabled);
    const allFailing = enabled.length > 0 && enabled.every((s) => (s.consecutiveFailures ?? 0) > 0);
    const code = allFailing ? 1 : 0;

    if (values.json) {
      io.stdout.write(
        `${JSON.stringify({ day: today, sources, notInConfig: elsewhere, topics: byTopic, failedDeliveries: failed, deliveries, allFailing }, null, 2)}\n`,
      );
      return code;
    }
    const p = paintFor(io.stdout, io.env);
    const out: string[] = [p.bold(`Sources (${sources.length})`)];
    for (const s of sources) {
      const mark = !s.enabled ? p.dim('·') : s.consecutiveFailures ? p.red('✗') : s.lastSuccessAt ? p.green('✓') : p.dim('?');
      const since = formatKorea(s.failingSince ?? s.lastAttemptAt ?? now);
      // A source that has only ever failed was polled: it is failing, not "never polled".
      const last = s.lastSuccessAt
        ? `ok ${formatKorea(s.lastSuccessAt)} KST`
        : !s.enabled
          ? 'disabled'
          : s.consecutiveFailures
            ? 'never succeeded'
            : s.lastAttemptAt
              ? `polled ${formatKorea(s.lastAttemptAt)} KST`
              : 'never polled';
      const fails = s.consecutiveFailures
        ? p.red(` failing since ${since} KST (${s.consecutiveFailures} ${s.consecutiveFailures === 1 ? 'failure' : 'failures'})`)
        : '';
      const next = s.nextPollAt && Date.parse(s.nextPollAt) > now.getTime() ? p.yellow(` next poll ${formatKorea(s.nextPollAt)} KST`) : '';
      out.push(`  ${mark} ${s.id.padEnd(24)} ${p.dim(last)}${fails}${next}`);
      if (s.consecutiveFailures && s.lastError) out.push(`      ${p.dim(s.lastError)}`);
      // Teasers whose article page failed for now: not lost, but not read yet either.
      const retrying = Object.keys(s.pageRetries ?? {}).length;
      if (retrying > 0)
        out.push(p.yellow(`      ${retrying} article ${retrying === 1 ? 'page' : 'pages'} not read yet (failed for now; tried again on the next poll)`));
    }
    if (elsewhere.length > 0) {
      const shown = elsewhere.length > 12 ? `${elsewhere.slice(0, 12).join(', ')} and ${elsewhere.length - 12} more` : elsewhere.join(', ');
      out.push(p.dim(`  also in this store, not in ${values.config}: ${shown} (polled with another config; pass it with --config)`));
    }
    out.push('', p.bold(`Today (${today}, Korea time)`));
    // Padded by terminal columns, not characters: a Hangul label (소버린 AI) is wider than its length.
    const rows = Object.entries(byTopic).map(([t, c]) => ({ label: config.topics[t]?.label ?? t, c }));
    const labelWidth = Math.max(20, ...rows.map((r) => widthOf(r.label)));
    for (const { label, c } of rows) out.push(`  ${padWidth(label, labelWidth)} ${c.leaders} stories, ${c.stories} articles`);
    out.push('', p.bold('Deliveries not delivered'), ...formatDeliveries(deliveries, p));
    io.stdout.write(`${out.join('\n')}\n`);
    if (allFailing) io.stderr.write(`newswatch status: every enabled source is failing (${enabled.length}); nothing is being watched\n`);
    return code;
  } finally {
    await opened.close();
  }
}
