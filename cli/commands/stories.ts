// `newswatch stories`: what newswatch found, newest first, filtered; a table on a terminal
// (Korea time, columns aligned for Hangul) or one JSON object per line (UTC).
import type { CliIo, Env, OutStream } from '../io.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { nearestKey } from '../../shared/config/suggest.ts';
import { formatKorea } from '../../shared/time.ts';
import { parseOptions, positiveInt, UsageError } from '../args.ts';
import { paintFor } from '../print.ts';
import { openReadStore, STORE_HELP, STORE_OPTIONS, StoreChoiceError } from '../read-store.ts';
import { sinceOption } from '../since.ts';
import { shownTitle } from '../../shared/deliver/escape.ts';
import { entryJson, listEntries, termsOf, topicLabel, type StoryEntry } from '../story-list.ts';
import type { Config } from '../../shared/config/schema/index.ts';
import { padWidth, truncateWidth, widthOf } from '../width.ts';

const DEFAULT_LIMIT = 50;

const HELP = `Usage: newswatch stories [--topic ID] [--since 7d] [--search TEXT] [--outlet NAME]
                        [--limit N] [--json] [--store DIR | --aws]

The matched stories newswatch stored, newest first, one line per story (syndicated
copies are counted on it, not listed apart). Times in Korea time; --json prints one
object per line with UTC times: id, title, url, outlet, publishedAt, topics (primary
first), score, why, copies (with their outlets) and related coverage.

  --topic ID       only stories that matched this topic
  --since WHEN     how far back: 24h, 7d, 2w, or a Korea day 2025-02-01 (default 7d)
                   at most 3 years (1,095 days) back
  --search TEXT    headline or lede contains TEXT, ignoring spacing and case
                   ("소버린AI" finds "소버린 AI")
  --outlet NAME    only stories carried by this outlet (name or source id)
  --limit N        at most N stories (default ${DEFAULT_LIMIT})
  --json           one JSON object per line
  --config FILE    config file, for topic labels (default ${DEFAULT_CONFIG_FILE})
${STORE_HELP}
Exit status: 0 (also when nothing matched the filters), 1 when the store cannot be
read, 2 for a usage error.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  try {
    return await stories(args, io);
  } catch (e) {
    if (e instanceof UsageError) {
      io.stderr.write(`newswatch stories: ${e.message}\n`);
      return 2;
    }
    if (e instanceof StoreChoiceError) {
      io.stderr.write(`newswatch stories: ${e.message}\n`);
      return 1;
    }
    throw e;
  }
}

async function stories(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    'stories',
    args,
    {
      topic: { type: 'string' },
      since: { type: 'string', default: '7d' },
      search: { type: 'string' },
      outlet: { type: 'string' },
      limit: { type: 'string' },
      json: { type: 'boolean' },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      ...STORE_OPTIONS,
    },
    HELP,
  );
  const now = new Date();
  const limit = positiveInt('limit', values.limit, DEFAULT_LIMIT);
  const since = sinceOption(values.since, now);
  const config = loadConfig(values.config, io.cwd);
  if (values.topic !== undefined && !config.topics[values.topic]) {
    const near = nearestKey(values.topic, Object.keys(config.topics));
    throw new UsageError(
      `no topic '${values.topic}' in ${values.config}${near ? ` (did you mean ${near}?)` : ''}; topics: ${Object.keys(config.topics).join(', ')}`,
    );
  }
  if (values.search !== undefined && values.search.trim() === '') throw new UsageError('--search needs some text');

  const opened = await openReadStore(values, io);
  let entries: StoryEntry[];
  try {
    entries = await listEntries(opened.store, {
      since,
      limit,
      ...(values.topic !== undefined ? { topic: values.topic } : {}),
      ...(values.search !== undefined ? { search: values.search } : {}),
      ...(values.outlet !== undefined ? { outlet: values.outlet } : {}),
    });
  } finally {
    await opened.close();
  }

  if (values.json) {
    io.stdout.write(entries.map((e) => `${JSON.stringify(entryJson(e))}\n`).join(''));
    return 0;
  }
  if (entries.length === 0) {
    io.stderr.write(`No stories since ${formatKorea(since)} KST match in ${opened.where}.\n`);
    return 0;
  }
  io.stdout.write(formatTable(entries, config, io.stdout, io.env));
  return 0;
}

/** Time, topic, outlet (+ copies), headline; the last column takes what the terminal has left. */
export function formatTable(entries: StoryEntry[], config: Config, stream: OutStream, env: Env): string {
  const p = paintFor(stream, env);
  const rows = entries.map((e) => ({
    time: formatKorea(e.story.publishedAt).slice(5),
    topic: topicLabel(config, e.topics[0] ?? ''),
    outlet: e.copies.length > 0 ? `${e.story.outlet} +${new Set(e.copies.map((c) => c.outlet)).size}` : e.story.outlet,
    title: shownTitle(e.story.title.replace(/\s+/g, ' ')),
    why: termsOf(e.story).slice(0, 4).join(', '),
    url: e.story.url,
  }));
  const head = { time: '시각 (KST)', topic: '주제', outlet: '매체', title: '제목' };
  const w = {
    time: Math.max(widthOf(head.time), ...rows.map((r) => widthOf(r.time))),
    topic: Math.min(16, Math.max(widthOf(head.topic), ...rows.map((r) => widthOf(r.topic)))),
    outlet: Math.min(18, Math.max(widthOf(head.outlet), ...rows.map((r) => widthOf(r.outlet)))),
  };
  const columns = stream.isTTY ? stream.columns || 100 : 160;
  const titleWidth = Math.max(20, columns - w.time - w.topic - w.outlet - 6);
  const line = (a: string, b: string, c: string, d: string) => `${padWidth(a, w.time)}  ${padWidth(b, w.topic)}  ${padWidth(c, w.outlet)}  ${d}`;
  const out = [p.bold(line(head.time, head.topic, head.outlet, head.title))];
  for (const r of rows) {
    out.push(`${line(r.time, r.topic, r.outlet, '')}${p.bold(truncateWidth(r.title, titleWidth))}`);
    const indent = ' '.repeat(w.time + w.topic + w.outlet + 6);
    if (r.why) out.push(`${indent}${p.dim(truncateWidth(`왜: ${r.why}`, titleWidth))}`);
    out.push(`${indent}${p.dim(r.url)}`);
  }
  return `${out.join('\n')}\n`;
}
