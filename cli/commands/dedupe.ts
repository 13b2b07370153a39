// `newswatch dedupe`: the syndication clusterer as a filter. JSONL stories in on stdin,
// one {"id","cluster"[,"related"]} per input line out, in input order; same algorithm as production,
// over the in-memory index.
import type { CliIo } from '../io.ts';
import { createInterface } from 'node:readline';
import { parseCommandArgs } from '../args.ts';
import { createClusterer, createMemoryClusterIndex, type DedupeInput } from '../../shared/dedupe/index.ts';

const HELP = `Usage: newswatch dedupe [--stats] < stories.jsonl > clusters.jsonl

Group syndicated copies of the same story, and link other outlets' own reports of the
same event. Reads one JSON object per line:
  {"id": "...", "url": "...", "title": "...", "body": "...", "outlet": "...", "publishedAt": "2025-01-28T01:00:00Z"}
(publishedAt optional; without it stories count as published when the command started).
Writes one line per input line, in order:
  {"id": "...", "cluster": "<id of the cluster leader, the first copy seen>"}
with "related": ["<leader id>", ...] added when a new cluster reports the same event as
earlier clusters in its own words (related coverage: its own story, not a copy).
A line that cannot be read gets {"id": ..., "error": "..."} and the rest go on.

Options:
  --stats   print the number of stories and clusters to stderr at the end
`;

/** Reads one input line into a DedupeInput, or says what is wrong with it. */
export function parseDedupeLine(line: string, defaultPublishedAt: string): { input: DedupeInput } | { id: unknown; error: string } {
  let raw: unknown;
  try {
    raw = JSON.parse(line);
  } catch (e) {
    return { id: null, error: `not JSON: ${(e as Error).message}` };
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { id: null, error: 'expected a JSON object' };
  const r = raw as Record<string, unknown>;
  const id = r['id'];
  if (typeof id !== 'string' || id === '') return { id: id ?? null, error: '"id" must be a non-empty string' };
  for (const field of ['url', 'title', 'body', 'outlet', 'publishedAt']) {
    if (r[field] !== undefined && typeof r[field] !== 'string') return { id, error: `"${field}" must be a string` };
  }
  const title = (r['title'] as string | undefined) ?? '';
  const body = (r['body'] as string | undefined) ?? '';
  if (title.trim() === '' && body.trim() === '') return { id, error: 'needs a "title" or a "body"' };
  const publishedAt = (r['publishedAt'] as string | undefined) ?? defaultPublishedAt;
  const t = Date.parse(publishedAt);
  if (Number.isNaN(t)) return { id, error: `"publishedAt" is not a date: ${publishedAt}` };
  return {
    input: {
      id,
      url: (r['url'] as string | undefined) ?? '',
      title,
      body,
      outlet: (r['outlet'] as string | undefined) ?? '',
      publishedAt: new Date(t).toISOString(),
    },
  };
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { stats: { type: 'boolean' } }, HELP);
  const index = createMemoryClusterIndex();
  const clusterer = createClusterer(index);
  const started = new Date().toISOString();
  // On a terminal nothing seems to happen while we wait for input: say what we are waiting for.
  if (io.stdin.isTTY) io.stderr.write('newswatch dedupe: reading JSONL stories from stdin (Ctrl-D to finish; --help for the format)\n');
  const lines = createInterface({ input: io.stdin, crlfDelay: Infinity });
  let out = '';
  let stories = 0;
  let errors = 0;
  const leaders = new Set<string>();
  for await (const line of lines) {
    if (line.trim() === '') continue;
    const parsed = parseDedupeLine(line, started);
    if ('error' in parsed) {
      errors++;
      out += `${JSON.stringify({ id: parsed.id, error: parsed.error })}\n`;
    } else {
      const { input } = parsed;
      const a = await clusterer.assign(input);
      if (!a.leader) await clusterer.addMember(a.clusterId, { id: input.id, outlet: input.outlet, url: input.url, title: input.title });
      stories++;
      leaders.add(a.clusterId);
      out += `${JSON.stringify({ id: input.id, cluster: a.clusterId, ...(a.related ? { related: a.related } : {}) })}\n`;
    }
    if (out.length > 64_000) {
      if (!io.stdout.write(out)) await new Promise((r) => io.stdout.once('drain', r));
      out = '';
    }
  }
  if (out) io.stdout.write(out);
  if (values.stats) io.stderr.write(`dedupe: ${stories} stories in ${leaders.size} clusters${errors ? `, ${errors} bad lines` : ''}\n`);
  return 0;
}
