// Poll one source end to end: fetch → parse → skip seen → extract where needed →
// classify → cluster → conditional write. The CLI and the poll Lambda both call this;
// the store, not the poller, decides what is new. The steps live beside this file:
// process-items (the new items), source-state (what is written back), runtime (the
// per-deps fetcher, classifier and clusterer).
import type { Source } from '../config/schema/index.ts';
import { storyId } from '../extract/index.ts';
import { mapLimit } from '../map-limit.ts';
import type { Item, Story } from '../model.ts';
import { readSource } from '../sources/index.ts';
import { createIsolatedWrites } from '../store/isolated-writes.ts';
import type { PollRecord, SourceState } from '../store/port.ts';
import { enqueueAlerts } from '../deliver/enqueue.ts';
import { newToSource } from './novelty.ts';
import { processItems } from './process-items.ts';
import { runtimeOf } from './runtime.ts';
import { failedState, initialState, MAX_LISTED, messageOf, notDueYet, pageRetries, retryAfterOf, stateChanged, succeededState } from './source-state.ts';
import type { PipelineDeps, SourceReport } from './types.ts';

export type { PipelineDeps, SourceReport } from './types.ts';
export { dueSources } from './due.ts';

/**
 * Sources polled at once. Feeds live on different hosts and the fetcher already caps
 * requests per host, so this only bounds memory (feeds are capped at settings.maxBytes).
 */
export const DEFAULT_SOURCE_CONCURRENCY = 256;
/** How long a finished poll's record waits for others to share its batch write. */
const RECORD_BATCH_WAIT_MS = 20;

export interface PollOptions {
  /** Poll even when the source's next allowed poll is in the future. */
  force?: boolean;
  /** The source's state when the caller already has it (pollSources reads all in one query). */
  state?: SourceState;
  /** Called with the matched cluster leaders this poll created, once their alerts are queued (the CLI prints them and wakes its sender). */
  onLeaders?: (leaders: Story[]) => Promise<void>;
  /** Saves what the poll writes back (pollSources gathers many into batch writes); default: its own batch write. */
  savePoll?: (record: PollRecord) => Promise<void>;
}

/** Poll one source; never throws for source problems: they are in the report and the source state. */
export async function pollSource(deps: PipelineDeps, source: Source, opts: PollOptions = {}): Promise<SourceReport> {
  const started = Date.now();
  const now = deps.now();
  const report: SourceReport = {
    sourceId: source.id,
    ok: true,
    notModified: false,
    items: 0,
    fresh: 0,
    matched: 0,
    created: [],
    leaders: [],
    warnings: [],
    durationMs: 0,
  };
  const done = (): SourceReport => ({ ...report, durationMs: Date.now() - started });

  if (!source.enabled) return { ...done(), skipped: 'disabled' };
  const previous = opts.state ?? (await deps.store.getSourceState(source.id)) ?? initialState(source.id);
  if (!opts.force && notDueYet(previous, now)) {
    return { ...done(), skipped: 'not-due' };
  }

  const rt = runtimeOf(deps);
  const savePoll = opts.savePoll ?? ((record: PollRecord) => deps.store.savePolls([record]));
  try {
    const read = await readSource(source, {
      fetcher: rt.fetcher,
      secrets: deps.secrets,
      now,
      etag: previous.etag,
      lastModified: previous.lastModified,
      ...(previous.bodyHash ? { bodyHash: previous.bodyHash } : {}),
      ...(deps.readFeed ? { readFeed: deps.readFeed } : {}),
      ...(previous.listed ? { listed: previous.listed } : {}),
    });
    report.notModified = read.notModified;
    if (read.sameBody) report.sameBody = true;
    report.items = read.items.length;
    report.warnings.push(...read.warnings);
    const byId = read.notModified ? new Map<string, Item>() : itemsById(read.items);
    // Only items the feed did not list last time can be new: an unchanged feed (a server
    // without ETags) costs no store call at all, a normal poll none for the items it had.
    const added = newToSource(byId, previous.listed);
    const processed = added.size > 0 ? await processItems(deps, rt, source, added, now, report, read.classified) : { seen: [], kept: [], retry: [] };
    // An item whose page failed for now is left out of the listing, so the next poll finds it
    // new and fetches its page again, up to PAGE_ATTEMPTS polls; then its teaser stands.
    const { pending: retrying, givenUp } = pageRetries(previous, processed.retry);
    const unmatched = [...processed.seen, ...givenUp.map((i) => i.id)];
    const kept = [...processed.kept, ...givenUp];
    const pending = new Set(Object.keys(retrying));
    const ids = pending.size > 0 ? [...byId.keys()].filter((id) => !pending.has(id)) : [...byId.keys()];
    const listed = read.notModified ? previous.listed : ids.slice(0, MAX_LISTED);
    if (report.leaders.length > 0) {
      // The outbox rows go in right after their stories, before the source's state: a crash
      // in between re-reads the feed, and a start-up (or the notify Lambda) queues any row
      // still missing. Queued is all the poll waits for; sending runs beside polling.
      await enqueueAlerts(deps, report.leaders);
      if (opts.onLeaders) await opts.onLeaders(report.leaders);
    }

    // Saved last: had we died above, the next poll re-reads the feed instead of
    // getting a 304 for items we never stored.
    // The state, the SEEN markers and the kept unmatched items are one record, written in a
    // batch shared with other sources' polls.
    const next = succeededState(previous, read, listed, report, now, retrying);
    const { seenTtlDays, keepUnmatchedDays } = deps.config.settings;
    const record: PollRecord = {
      at: now,
      ...(stateChanged(previous, next, source, now) ? { state: next } : {}),
      ...(unmatched.length > 0 ? { seen: { ids: unmatched, ttlDays: seenTtlDays } } : {}),
      ...(kept.length > 0 && keepUnmatchedDays > 0 ? { keep: { items: kept, days: keepUnmatchedDays } } : {}),
    };
    if (record.state || record.seen || record.keep) await savePoll(record);
  } catch (e) {
    report.ok = false;
    report.error = messageOf(e, source.id);
    await savePoll({ at: now, state: failedState(previous, source, deps.config, now, report.error, retryAfterOf(e)) });
  }
  return done();
}

/** Items keyed by story id: one feed can list an article twice (two categories). */
function itemsById(items: Item[]): Map<string, Item> {
  const byId = new Map<string, Item>();
  for (const item of items) {
    const id = storyId(item.url);
    if (!byId.has(id)) byId.set(id, item);
  }
  return byId;
}

/** Poll many sources with bounded concurrency; one source's failure never stops the others. */
export async function pollSources(
  deps: PipelineDeps,
  sources: Source[],
  opts: PollOptions & { concurrency?: number; onReport?: (r: SourceReport) => void; signal?: AbortSignal } = {},
): Promise<SourceReport[]> {
  // One query for every source's state instead of a read per source, and what the polls write
  // back (states, SEEN markers, kept items) gathered 25 polls at a time into batch writes.
  const states = new Map((await deps.store.listSourceStates()).map((s) => [s.id, s]));
  // The dedupe index loads while the feeds are on their way, not when the first match waits
  // for it. A failure here is not the poll's: the first lookup tries again and reports it.
  deps.store.prepare?.().catch(() => {});
  // A record the table refuses fails its own source only, not the others sharing its batch.
  const saver = createIsolatedWrites((batch: PollRecord[]) => deps.store.savePolls(batch), { max: 25, waitMs: RECORD_BATCH_WAIT_MS });
  // Polls under way that may still save a record. When every one of them is waiting in the
  // batch, no record is coming to share it: it goes out at once (the cycle's last poll does not
  // wait out the window).
  let unsaved = 0;
  return mapLimit(sources, opts.concurrency ?? DEFAULT_SOURCE_CONCURRENCY, async (source) => {
    if (opts.signal?.aborted) return { ...emptyReport(source.id), skipped: 'not-due' as const };
    unsaved++;
    let counted = true;
    const settled = () => {
      if (!counted) return;
      counted = false;
      if (--unsaved === 0) saver.flush();
    };
    const savePoll = (record: PollRecord) => {
      const saved = saver.add(record);
      settled();
      return saved;
    };
    const r = await pollSource(deps, source, { ...opts, savePoll, state: states.get(source.id) ?? initialState(source.id) });
    settled();
    opts.onReport?.(r);
    return r;
  });
}

function emptyReport(sourceId: string): SourceReport {
  return { sourceId, ok: true, notModified: false, items: 0, fresh: 0, matched: 0, created: [], leaders: [], warnings: [], durationMs: 0 };
}
