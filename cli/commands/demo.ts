import { inCwd, type CliIo } from '../io.ts';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parseCommandArgs } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { buildDigest, storyMatchedEvent, storyView } from '../../shared/deliver/index.ts';
import type { Story } from '../../shared/model.ts';
import { pollSources } from '../../shared/pipeline/index.ts';
import type { PipelineDeps } from '../../shared/pipeline/types.ts';
import { formatKorea, koreaDay } from '../../shared/time.ts';
import { openLocalContext } from '../context.ts';
import { demoConfig } from '../demo/config.ts';
import { startDemoServer } from '../demo/server.ts';
import { formatReport, formatStory, paintFor } from '../print.ts';

const HELP = `Usage: newswatch demo [--out DIR] [--config FILE]

Runs the whole flow offline: serves bundled fixture feeds (four Korean outlets, one of
them EUC-KR, one Atom, plus one that is down) from a local HTTP server, and polls them
twice into a fresh embedded store under DIR/store (kept, so \`stories\`, \`serve\`,
\`digest --preview\` and \`tune\` can look at it afterwards). The second cycle brings
new stories and syndicated copies, which are grouped with the story they copy. Ends
with the webhook events newswatch would send and a digest preview.

Options:
  --out DIR      where the store, digest preview and events go (default .newswatch/demo)
  --config FILE  topics come from this config (default ${DEFAULT_CONFIG_FILE})
`;

/** The demo's clock: a weekday afternoon in Korea, so the fixtures' dates read naturally. */
const DEMO_START = Date.parse('2025-02-06T06:00:00Z');

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      out: { type: 'string', default: join('.newswatch', 'demo') },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
    },
    HELP,
  );
  const out = io.stdout;
  const p = paintFor(out, io.env);
  // The config first: a broken one must neither wipe the last demo's store nor leave the
  // fixture server listening (the process then never ended).
  const base = loadConfig(values.config, io.cwd);
  const server = await startDemoServer();
  // A fresh store each time, kept afterwards so the user can look around in it.
  const storeDir = inCwd(io, join(values.out, 'store'));
  rmSync(storeDir, { recursive: true, force: true });
  mkdirSync(storeDir, { recursive: true });
  let clock = DEMO_START;
  const config = demoConfig(base, server.baseUrl);
  const ctx = await openLocalContext(config, { storeDir, env: io.env, allowPrivateNetwork: true, now: () => new Date(clock), feedWorker: true }).catch(
    async (e: unknown) => {
      await server.close();
      throw e;
    },
  );
  const deps = { ...ctx.deps, store: keptFromNow(ctx.deps.store) };
  try {
    out.write(`${p.bold('newswatch demo')} ${p.dim(`— offline: feeds from ${server.baseUrl}, store ${storeDir}`)}\n`);
    const leaders: Story[] = [];
    for (const cycle of [1, 2]) {
      server.setCycle(cycle);
      out.write(`\n${p.bold(`Cycle ${cycle}`)} ${p.dim(`at ${formatKorea(new Date(clock))} KST`)}\n`);
      const created: Story[] = [];
      const reports = await pollSources(deps, config.sources, {
        concurrency: 4,
        onReport: (r) => {
          out.write(`${formatReport(r, p)}\n`);
          created.push(...r.created);
        },
      });
      const fresh = created.filter((s) => s.leader).sort((a, b) => a.publishedAt.localeCompare(b.publishedAt));
      leaders.push(...fresh);
      out.write(`\n  ${p.bold(`${fresh.length} new matched ${fresh.length === 1 ? 'story' : 'stories'}`)}\n`);
      for (const s of fresh) out.write(`${indent(formatStory(s, config, p))}\n`);
      for (const copy of created.filter((s) => !s.leader)) {
        const leader = leaders.find((l) => l.id === copy.clusterId) ?? (await ctx.deps.store.getStory(copy.clusterId));
        out.write(
          `  ${p.yellow('↳ grouped')} ${copy.title} ${p.dim('— ' + copy.outlet)}\n      ${p.dim(`copy of ${leader?.outlet ?? '?'}: ${leader?.title ?? copy.clusterId}`)}\n`,
        );
      }
      const failed = reports.filter((r) => !r.ok).length;
      if (failed) out.write(`  ${p.dim(`${failed} source failed; the others were polled as usual.`)}\n`);
      clock += 10 * 60_000;
    }

    const outDir = inCwd(io, values.out);
    mkdirSync(outDir, { recursive: true });
    const events = [];
    for (const leader of leaders) {
      const cluster = await ctx.deps.store.cluster(leader.id);
      events.push(storyMatchedEvent(storyView(config, leader, cluster), cluster));
    }
    const eventsFile = join(outDir, 'events.jsonl');
    writeFileSync(eventsFile, events.map((e) => JSON.stringify(e)).join('\n') + '\n');
    out.write(`\n${p.bold(`Webhook events newswatch would send (${events.length})`)}\n`);
    for (const e of events) {
      const outlets = e.data.cluster.outlets.length;
      out.write(`  ${e.id}  ${e.type}  ${e.data.story.title}${outlets > 1 ? p.yellow(`  (${outlets}개 매체)`) : ''}\n`);
    }
    out.write(`  ${p.dim('all events, signed per Standard Webhooks when sent:')} ${eventsFile}\n`);

    const day = koreaDay(new Date(DEMO_START));
    const digest = await buildDigest({ config, store: ctx.deps.store }, day);
    const html = join(outDir, 'digest.html');
    const text = join(outDir, 'digest.txt');
    writeFileSync(html, digest.html);
    writeFileSync(text, digest.text);
    out.write(`\n${p.bold('Digest preview')} ${p.dim(digest.subject)}\n  ${html}\n  ${text}\n`);
    const rel = relative(io.cwd, storeDir) || '.';
    out.write(
      `\n${p.bold('Look around')} ${p.dim('(the demo is dated 2025-02-06)')}\n` +
        `  npx newswatch stories --store ${rel} --since ${day}\n` +
        `  npx newswatch serve --store ${rel} --since ${day}\n` +
        `  npx newswatch digest --preview --store ${rel} --date ${day}\n` +
        `  npx newswatch tune --store ${rel} --since ${day}\n`,
    );
    return 0;
  } finally {
    await ctx.close();
    await server.close();
  }
}

/**
 * The store with the unmatched items kept for `tune` expiring keepUnmatchedDays after the demo
 * ran, not after its 2025 clock: a kept row expires that many days after its items were seen,
 * so with the demo's clock they were gone before `tune` could read them. They stay seen at the
 * demo's time (the day partition its stories are in); their keep is lengthened by how many
 * days that clock is behind the real one.
 */
function keptFromNow(store: PipelineDeps['store']): PipelineDeps['store'] {
  const lagDays = (at: Date) => Math.max(0, Math.ceil((Date.now() - at.getTime()) / 86_400_000));
  return {
    ...store,
    savePolls: (records) =>
      store.savePolls(records.map((r) => (r.keep && r.keep.days > 0 ? { ...r, keep: { ...r.keep, days: r.keep.days + lagDays(r.at) } } : r))),
  };
}

function indent(text: string): string {
  return text
    .split('\n')
    .map((l) => `  ${l}`)
    .join('\n');
}
