// Poll one source end to end: fetch → parse → skip seen → extract where needed →
// classify → cluster → conditional write. The CLI and the poll Lambda both call this;
// the store, not the poller, decides what is new.
import type { Config, Source } from '../config/schema/index.ts';
import type { Classifier } from '../classify/index.ts';
import { compileClassifier } from '../classify/index.ts';
import { createClusterer, type Clusterer } from '../dedupe/index.ts';
import { fetchArticle, needsArticleFetch, storyId } from '../extract/index.ts';
import { createFetcher, type Fetcher } from '../fetch/index.ts';
import type { Item, RelatedStory, Story } from '../model.ts';
import { readSource } from '../sources/index.ts';
import { collapseWhitespace } from '../whitespace.ts';
import { isUnstorable } from '../store/errors.ts';
import { createIsolatedWrites } from '../store/isolated-writes.ts';
import type { SourceState, UnmatchedItem } from '../store/port.ts';
import { mapLimit } from '../map-limit.ts';
import { koreaDay } from '../time.ts';
import { enqueueAlerts } from '../deliver/enqueue.ts';
import type { PipelineDeps, SourceReport } from './types.ts';

export type { PipelineDeps, SourceReport } from './types.ts';
export { dueSources } from './due.ts';

/** Article pages fetched at once per source: polite to one outlet, quick enough for 50 items. */
const ARTICLE_CONCURRENCY = 4;
/**
 * Sources polled at once. Feeds live on different hosts and the fetcher already caps
 * requests per host, so this only bounds memory (feeds are capped at settings.maxBytes).
 */
export const DEFAULT_SOURCE_CONCURRENCY = 256;
/**
 * Ids remembered per source: far more than any feed or list page shows (Google News: 100),
 * and small enough for the source's item (20 bytes each, an item holds 400 KB).
 */
const MAX_LISTED = 2_000;
/** How long a finished source's state waits for others to share its batch write. */
const STATE_BATCH_WAIT_MS = 20;
/** Backoff after repeated failures is capped so a recovered source is found within hours. */
const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;

interface Runtime {
  fetcher: Fetcher;
  readonly classifier: Classifier;
  clusterer: Clusterer;
}

// One runtime per deps object: the classifier is compiled once and the fetcher's
// per-host limits hold across every source polled with the same deps.
const runtimes = new WeakMap<PipelineDeps, Runtime>();

function runtimeOf(deps: PipelineDeps): Runtime {
  let r = runtimes.get(deps);
  if (!r) {
    let classifier: Classifier | undefined;
    r = {
      fetcher: deps.fetcher ?? createFetcher(deps.config.settings),
      // Compiled when the first items arrive, not before the first request goes out.
      get classifier() {
        return (classifier ??= compileClassifier(deps.config.topics));
      },
      clusterer: createClusterer(deps.store, { now: deps.now }),
    };
    runtimes.set(deps, r);
  }
  return r;
}

export interface PollOptions {
  /** Poll even when the source's next allowed poll is in the future. */
  force?: boolean;
  /** The source's state when the caller already has it (pollSources reads all in one query). */
  state?: SourceState;
  /** Called with the matched cluster leaders this poll created, once their alerts are queued (the CLI prints them and wakes its sender). */
  onLeaders?: (leaders: Story[]) => Promise<void>;
  /** Saves the source's new state (pollSources gathers many into batch writes); default: one put. */
  saveState?: (state: SourceState) => Promise<void>;
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
  const previous = opts.state ?? (await deps.store.getSourceState(source.id)) ?? { id: source.id, consecutiveFailures: 0 };
  if (!opts.force && previous.nextPollAt && Date.parse(previous.nextPollAt) > now.getTime()) {
    return { ...done(), skipped: 'not-due' };
  }

  const rt = runtimeOf(deps);
  const saveState = opts.saveState ?? ((state: SourceState) => deps.store.putSourceState(state));
  try {
    const read = await readSource(source, {
      fetcher: rt.fetcher,
      secrets: deps.secrets,
      now,
      etag: previous.etag,
      lastModified: previous.lastModified,
    });
    report.notModified = read.notModified;
    report.items = read.items.length;
    report.warnings.push(...read.warnings);
    const byId = read.notModified ? new Map<string, Item>() : itemsById(read.items);
    // Only items the feed did not list last time can be new: an unchanged feed (a server
    // without ETags) costs no store call at all, a normal poll none for the items it had.
    const listedBefore = new Set(previous.listed);
    const added = new Map([...byId].filter(([id]) => !listedBefore.has(id)));
    const listed = read.notModified ? previous.listed : [...byId.keys()].slice(0, MAX_LISTED);
    const { seen: unmatched, kept } = added.size > 0 ? await processItems(deps, rt, source, added, now, report) : { seen: [], kept: [] };
    if (report.leaders.length > 0) {
      // The outbox rows go in right after their stories, before the source's state: a crash
      // in between re-reads the feed, and a start-up (or the notify Lambda) queues any row
      // still missing. Queued is all the poll waits for; sending runs beside polling.
      await enqueueAlerts(deps, report.leaders);
      if (opts.onLeaders) await opts.onLeaders(report.leaders);
    }

    // Saved last: had we died above, the next poll re-reads the feed instead of
    // getting a 304 for items we never stored.
    const next: SourceState = {
      ...previous,
      etag: read.etag ?? previous.etag,
      lastModified: read.lastModified ?? previous.lastModified,
      listed,
      lastAttemptAt: now.toISOString(),
      lastSuccessAt: now.toISOString(),
      consecutiveFailures: 0,
      failingSince: undefined,
      lastError: undefined,
      nextPollAt: read.retryAfter?.toISOString(),
      lastItems: read.notModified ? previous.lastItems : report.items,
      lastNew: report.fresh,
      lastMatched: report.matched,
    };
    const save = stateChanged(previous, next, source, now);
    // Unmatched items and the new state go in one batch: one round trip per poll.
    const keep = { items: kept, days: deps.config.settings.keepUnmatchedDays };
    if (unmatched.length > 0 || (kept.length > 0 && keep.days > 0)) {
      await deps.store.markSeen(unmatched, now, deps.config.settings.seenTtlDays, save ? next : undefined, keep);
    } else if (save) await saveState(next);
  } catch (e) {
    report.ok = false;
    report.error = messageOf(e, source.id);
    await saveState(failedState(previous, source, deps.config, now, report.error, retryAfterOf(e)));
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

interface Classified {
  id: string;
  item: Item;
  /** Its article page was fetched (the feed carried a teaser). */
  fetched: boolean;
  classification: ReturnType<Classifier['classify']>;
}

/**
 * Store the new matched stories among the items a feed added; returns the ids of those whose
 * article page was fetched and matched nothing (remembered so no source fetches them again),
 * and every unmatched item's title and lede (kept for `newswatch tune`).
 */
async function processItems(
  deps: PipelineDeps,
  rt: Runtime,
  source: Source,
  added: Map<string, Item>,
  now: Date,
  report: SourceReport,
): Promise<{ seen: string[]; kept: UnmatchedItem[] }> {
  // An item that needs its page fetched is first checked against the stories and pages every
  // source has stored (one BatchGetItem): a page is fetched once. An item carrying its text is
  // classified straight away; if it is a stored story, the clusterer and the conditional
  // story write find it.
  const withPage = new Set([...added].filter(([, item]) => needsArticleFetch(item, source)).map(([id]) => id));
  const unseenPages = new Set(withPage.size > 0 ? await deps.store.unseen([...withPage], now) : []);
  const fresh = [...added].filter(([id]) => !withPage.has(id) || unseenPages.has(id));
  report.fresh = fresh.length;
  if (fresh.length === 0) return { seen: [], kept: [] };

  const classified = await mapLimit(fresh, ARTICLE_CONCURRENCY, async ([id, item]): Promise<Classified> => {
    const fetched = withPage.has(id);
    const full = fetched ? await withArticle(rt.fetcher, source, item, report.warnings) : item;
    const c = rt.classifier.classify({ title: full.title, body: full.body ?? full.summary });
    return { id, item: full, fetched, classification: c };
  });

  const unmatched: string[] = [];
  const kept: UnmatchedItem[] = [];
  const matched: Classified[] = [];
  for (const c of classified) {
    if (c.classification.topics.length > 0) {
      matched.push(c);
      continue;
    }
    if (c.fetched) unmatched.push(c.id);
    kept.push(unmatchedItem(c, source, now));
  }
  report.matched = matched.length;
  // Oldest first, so the first-published copy leads its cluster. All are stored at once, not
  // one after another: assign enters each story in flight before its first await, so a later
  // copy in this feed still waits for the earlier one's cluster, and the store batches the
  // writes of all of them (a feed with five matches costs one round trip, not five).
  matched.sort((a, b) => (a.item.publishedAt ?? '').localeCompare(b.item.publishedAt ?? ''));
  const stored = await Promise.allSettled(matched.map((c) => storeStory(deps, rt, source, c, now)));
  for (const [i, r] of stored.entries()) {
    if (r.status === 'rejected') {
      // A story the store refuses (over 400 KB after every cap) can never be written: skip it,
      // keep the feed's other stories. Anything else fails the source; its next poll retries.
      if (!isUnstorable(r.reason)) throw r.reason;
      report.warnings.push(`story skipped, the store refuses it (${(r.reason as Error).message.slice(0, 200)}): ${matched[i]!.item.url.slice(0, 200)}`);
      continue;
    }
    const story = r.value;
    if (!story) continue; // another poller wrote it first
    report.created.push(story);
    if (story.leader) report.leaders.push(story);
  }
  return { seen: unmatched, kept };
}

/** What `tune` needs of an item that matched nothing: the text it was classified on, capped like a summary. */
function unmatchedItem({ id, item }: Classified, source: Source, now: Date): UnmatchedItem {
  return {
    id,
    url: item.url,
    title: item.title,
    lede: summarise(item.body ?? item.summary),
    outlet: item.outlet,
    sourceId: source.id,
    publishedAt: item.publishedAt ?? now.toISOString(),
    seenAt: now.toISOString(),
  };
}

/** Clusters and writes one matched story; undefined when another poller stored it first. */
async function storeStory(deps: PipelineDeps, rt: Runtime, source: Source, { id, item, classification }: Classified, now: Date): Promise<Story | undefined> {
  const publishedAt = item.publishedAt ?? now.toISOString();
  const body = item.body ?? item.summary;
  // A guid is only unique within its feed (CMSes number articles from 1), so scope it.
  const guid = item.guid && item.guid !== item.url ? `${source.id}:${item.guid}` : undefined;
  const assignment = await rt.clusterer.assign({ id, url: item.url, guid, title: item.title, body, outlet: item.outlet, publishedAt });
  const story: Story = {
    id,
    url: item.url,
    title: item.title,
    outlet: item.outlet,
    sourceId: source.id,
    summary: summarise(body),
    publishedAt,
    firstSeenAt: now.toISOString(),
    day: koreaDay(publishedAt),
    topics: classification.topics,
    why: classification.why,
    clusterId: assignment.clusterId,
    leader: assignment.leader,
    ...(assignment.related ? { related: await relatedStories(deps, assignment.related) } : {}),
    ...(item.image ? { image: item.image } : {}),
  };
  // A joining copy is already recorded in its cluster by assign, before this write, so
  // a crash between the two cannot leave a stored copy missing from its cluster.
  return (await deps.store.putStory(story)) ? story : undefined;
}

/** The related clusters' leaders as delivery shows them (one not stored yet is left out). */
async function relatedStories(deps: PipelineDeps, ids: string[]): Promise<RelatedStory[]> {
  const found = await Promise.all(ids.map((id) => deps.store.getStory(id)));
  return found.filter((s): s is Story => s !== undefined).map((s) => ({ id: s.id, outlet: s.outlet, title: s.title, url: s.url }));
}

/** The item with its article text, when the feed carried only a teaser; the teaser if the page fails. */
async function withArticle(fetcher: Fetcher, source: Source, item: Item, warnings: string[]): Promise<Item> {
  try {
    const article = await fetchArticle(fetcher, item.url, source.article);
    return {
      ...item,
      title: item.title || article.title,
      body: article.text || item.summary,
      publishedAt: item.publishedAt ?? article.publishedAt,
      image: item.image ?? article.image,
    };
  } catch (e) {
    // The teaser still classifies; a page that fails today is not worth losing the item.
    warnings.push(`article page not read, classified on the feed's teaser: ${item.url}: ${(e as Error)?.message ?? String(e)}`);
    return item;
  }
}

/** Poll many sources with bounded concurrency; one source's failure never stops the others. */
export async function pollSources(
  deps: PipelineDeps,
  sources: Source[],
  opts: PollOptions & { concurrency?: number; onReport?: (r: SourceReport) => void; signal?: AbortSignal } = {},
): Promise<SourceReport[]> {
  // One query for every source's state instead of a read per source, and their new states
  // saved 25 to a batch write instead of a put each.
  const states = new Map((await deps.store.listSourceStates()).map((s) => [s.id, s]));
  // The dedupe index loads while the feeds are on their way, not when the first match waits
  // for it. A failure here is not the poll's: the first lookup tries again and reports it.
  deps.store.prepare?.().catch(() => {});
  // A state the table refuses fails its own source only, not the others sharing its batch.
  const saver = createIsolatedWrites((batch: SourceState[]) => deps.store.putSourceStates(batch), { max: 25, waitMs: STATE_BATCH_WAIT_MS });
  // Polls under way that may still save a state. When every one of them is waiting in the
  // batch, no state is coming to share it: it goes out at once (the cycle's last poll does not
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
    const saveState = (state: SourceState) => {
      const saved = saver.add(state);
      settled();
      return saved;
    };
    const r = await pollSource(deps, source, { ...opts, saveState, state: states.get(source.id) ?? { id: source.id, consecutiveFailures: 0 } });
    settled();
    opts.onReport?.(r);
    return r;
  });
}

function emptyReport(sourceId: string): SourceReport {
  return { sourceId, ok: true, notModified: false, items: 0, fresh: 0, matched: 0, created: [], leaders: [], warnings: [], durationMs: 0 };
}

// An unchanged feed must cost no writes: the state is written when its caching or
// health changed or it brought new items, and otherwise once an hour as a heartbeat.
function stateChanged(prev: SourceState, next: SourceState, source: Source, now: Date): boolean {
  if (source.pollMinutes) return true; // its schedule keys on lastAttemptAt
  if (prev.etag !== next.etag || prev.lastModified !== next.lastModified || !sameIds(prev.listed, next.listed)) return true;
  if (prev.consecutiveFailures !== 0 || prev.nextPollAt !== next.nextPollAt) return true;
  if ((next.lastNew ?? 0) > 0) return true;
  return !prev.lastSuccessAt || now.getTime() - Date.parse(prev.lastSuccessAt) > 60 * 60 * 1000;
}

function sameIds(a: string[] = [], b: string[] = []): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

function failedState(prev: SourceState, source: Source, config: Config, now: Date, error: string, retryAfter: Date | undefined): SourceState {
  const failures = prev.consecutiveFailures + 1;
  const interval = (source.pollMinutes ?? config.settings.pollMinutes) * 60_000;
  // After three failures in a row, back off exponentially (capped) instead of hammering.
  const backoff = failures >= 3 ? Math.min(interval * 2 ** (failures - 2), MAX_BACKOFF_MS) : 0;
  const next = retryAfter ?? (backoff > 0 ? new Date(now.getTime() + backoff) : undefined);
  return {
    ...prev,
    lastAttemptAt: now.toISOString(),
    consecutiveFailures: failures,
    failingSince: prev.failingSince ?? now.toISOString(),
    lastError: error,
    nextPollAt: next?.toISOString(),
  };
}

function retryAfterOf(e: unknown): Date | undefined {
  const r = (e as { retryAfter?: unknown } | null)?.retryAfter;
  return r instanceof Date ? r : undefined;
}

function messageOf(e: unknown, sourceId: string): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.startsWith(sourceId) ? m : `${sourceId}: ${m}`;
}

function summarise(text: string): string {
  const flat = collapseWhitespace(text);
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
