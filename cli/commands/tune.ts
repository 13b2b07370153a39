// `newswatch tune`: what an edited config would newly match and drop among the items of the
// last days, per topic, each with why. For checking a keyword edit before deploying it.
import { inCwd, type CliIo } from '../io.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { formatKorea } from '../../shared/time.ts';
import { parseOptions, UsageError } from '../args.ts';
import { paintFor } from '../print.ts';
import { openReadStore, STORE_HELP, STORE_OPTIONS, StoreChoiceError } from '../read-store.ts';
import { sinceOption } from '../since.ts';
import { dropReason, gainReason, replayItems, tune, type TuneChange } from '../tune.ts';

const HELP = `Usage: newswatch tune [--config EDITED.yaml] [--base CURRENT.yaml] [--since 7d]
                     [--fail-on-drop] [--json] [--store DIR | --aws]

Replays the items newswatch stored in the window against an edited config and prints,
per topic, the stories it would newly match and those it would drop, each with why.
The items are the matched stories (one per group of copies) and the items that matched
nothing, whose title and lede are kept for settings.keepUnmatchedDays (default 7).
Only the start of each text is kept, so a story that matched deep in its body may
show as dropped; compare two configs with --base to see only your edit.

  --config FILE    the edited config (default ${DEFAULT_CONFIG_FILE})
  --base FILE      compare with this config on the same kept text (default: when
                   --config is another file, ${DEFAULT_CONFIG_FILE}; else what the
                   store recorded when each item came in)
  --since WHEN     how far back: 24h, 7d, 2w, or a Korea day 2025-02-01 (default 7d)
                   at most 3 years (1,095 days) back
  --fail-on-drop   exit 1 when anything would be dropped (for CI)
  --json           one JSON object per change: topic, change (new|dropped), id,
                   title, url, outlet, publishedAt (UTC), why
${STORE_HELP}
Exit status: 0; 1 with --fail-on-drop when a story would be dropped, or when the
store cannot be read; 2 for a usage error.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  try {
    return await tuneCommand(args, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof StoreChoiceError) {
      io.stderr.write(`newswatch tune: ${e.message}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    throw e;
  }
}

async function tuneCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    'tune',
    args,
    {
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      base: { type: 'string' },
      since: { type: 'string', default: '7d' },
      'fail-on-drop': { type: 'boolean' },
      json: { type: 'boolean' },
      ...STORE_OPTIONS,
    },
    HELP,
  );
  const now = new Date();
  const since = sinceOption(values.since, now);
  const edited = loadConfig(values.config, io.cwd);
  const baseFile = values.base ?? (inCwd(io, values.config) !== inCwd(io, DEFAULT_CONFIG_FILE) ? DEFAULT_CONFIG_FILE : undefined);
  const base = baseFile !== undefined ? loadConfig(baseFile, io.cwd) : undefined;

  const opened = await openReadStore(values, io);
  let items;
  try {
    const [stories, unmatched] = await Promise.all([opened.store.listStories({ since, now }), opened.store.listUnmatched({ since, now })]);
    items = replayItems(stories, unmatched);
  } finally {
    await opened.close();
  }
  const result = tune(items, edited, base);

  if (values.json) {
    const line = (topic: string, change: 'new' | 'dropped', c: TuneChange, reason: string) =>
      `${JSON.stringify({ topic, change, id: c.item.id, title: c.item.title, url: c.item.url, outlet: c.item.outlet, publishedAt: new Date(c.item.publishedAt).toISOString(), why: reason, evidence: c.why ?? null })}\n`;
    for (const d of result.topics) {
      for (const c of d.newlyMatched) io.stdout.write(line(d.topic, 'new', c, gainReason(c)));
      for (const c of d.dropped) io.stdout.write(line(d.topic, 'dropped', c, dropReason(c, d.removed)));
    }
  } else {
    const p = paintFor(io.stdout, io.env);
    const out: string[] = [
      `Replayed ${result.items} items since ${formatKorea(since)} KST (${result.stories} matched stories, ${result.unmatched} unmatched kept) against ${values.config},`,
      `compared with ${baseFile ?? 'what the store recorded'}.`,
    ];
    // An empty window has nothing to compare: say so instead of a line per topic that only says "no change".
    if (result.items === 0) out.push('', ...emptyWindow(opened.where, baseFile ?? values.config, (base ?? edited).settings.keepUnmatchedDays));
    for (const d of result.items === 0 ? [] : result.topics) {
      const tag = d.added ? ' (new topic)' : d.removed ? ' (removed)' : '';
      if (d.newlyMatched.length === 0 && d.dropped.length === 0) {
        out.push('', `${p.bold(d.label)} ${p.dim(`${d.topic}${tag}: no change (${d.kept} still match)`)}`);
        continue;
      }
      out.push(
        '',
        `${p.bold(d.label)} ${p.dim(`${d.topic}${tag}: +${d.newlyMatched.length} newly matched, −${d.dropped.length} dropped, ${d.kept} unchanged`)}`,
      );
      for (const c of d.newlyMatched) out.push(...item(p.green('+'), c, `왜: ${gainReason(c)}`));
      for (const c of d.dropped) out.push(...item(p.red('−'), c, `왜: ${dropReason(c, d.removed)}`));
    }
    out.push('', `${result.gains} newly matched, ${result.drops} dropped.`);
    io.stdout.write(`${out.join('\n')}\n`);
  }
  return values['fail-on-drop'] && result.drops > 0 ? 1 : 0;
}

/** What to do about a window with no kept items: widen it, or keep unmatched items longer. */
function emptyWindow(where: string, configFile: string, keepDays: number): string[] {
  return [
    `No kept items in this window in ${where}, so there is nothing to compare per topic.`,
    'Widen the window with --since (e.g. --since 30d), or run newswatch for a while first.',
    keepDays > 0
      ? `Items that matched no topic are kept for settings.keepUnmatchedDays (${keepDays} days in ${configFile}); raise it to replay them further back.`
      : `Items that matched no topic are not kept (settings.keepUnmatchedDays is 0 in ${configFile}); set it above 0 to replay them.`,
  ];
}

function item(mark: string, c: TuneChange, why: string): string[] {
  return [`  ${mark} ${formatKorea(c.item.publishedAt).slice(5)}  ${c.item.title}  — ${c.item.outlet}`, `      ${why}`, `      ${c.item.url}`];
}
