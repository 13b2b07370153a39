// The source-state policy: what a poll writes back for its source (on success and on
// failure), when that write can be skipped, and how failures back off.
import type { Config, Source } from '../config/schema/index.ts';
import { backoffDelay } from '../retry.ts';
import { definitionOf, type SourceRead } from '../sources/index.ts';
import type { SourceState, UnmatchedItem } from '../store/port.ts';
import type { SourceReport } from './types.ts';

/**
 * Ids remembered per source: far more than any feed or list page shows (Google News: 100),
 * and small enough for the source's item (20 bytes each, an item holds 400 KB).
 */
export const MAX_LISTED = 2_000;
/**
 * Polls that try an article page failing for now before its teaser is taken as the item (an
 * hour at the default 10-minute interval): a short outage loses no story, a page that never
 * comes back is not fetched forever.
 */
export const PAGE_ATTEMPTS = 6;
/** Backoff after repeated failures is capped so a recovered source is found within hours. */
const MAX_BACKOFF_MS = 6 * 60 * 60 * 1000;

/** A source never polled before. */
export function initialState(id: string): SourceState {
  return { id, consecutiveFailures: 0 };
}

/** The source asked not to be polled before now (Retry-After or backoff). */
export function notDueYet(state: SourceState, now: Date): boolean {
  return !!state.nextPollAt && Date.parse(state.nextPollAt) > now.getTime();
}

/**
 * The state after a successful poll: failures cleared, the feed's validators and listing kept.
 * With article pages to try again (`retrying`, from pageRetries) no validators are kept: the
 * next poll must read the feed even if it has not changed.
 */
export function succeededState(
  prev: SourceState,
  read: Pick<SourceRead, 'etag' | 'lastModified' | 'bodyHash' | 'retryAfter' | 'notModified'>,
  listed: string[] | undefined,
  report: Pick<SourceReport, 'items' | 'fresh' | 'matched'>,
  now: Date,
  retrying: Record<string, number> = {},
): SourceState {
  const pending = Object.keys(retrying).length > 0;
  const next: SourceState = {
    ...prev,
    // A 304 may omit the validators it confirms; a new body without them has none, and the
    // old ones must not be sent again as if they still described it.
    etag: read.notModified ? (read.etag ?? prev.etag) : read.etag,
    lastModified: read.notModified ? (read.lastModified ?? prev.lastModified) : read.lastModified,
    bodyHash: read.bodyHash ?? prev.bodyHash,
    listed,
    lastAttemptAt: now.toISOString(),
    lastSuccessAt: now.toISOString(),
    consecutiveFailures: 0,
    failingSince: undefined,
    lastError: undefined,
    nextPollAt: read.retryAfter?.toISOString(),
    lastItems: read.notModified ? prev.lastItems : report.items,
    lastNew: report.fresh,
    lastMatched: report.matched,
    // An unchanged feed (304) read no items: the pages it was retrying still wait.
    pageRetries: read.notModified ? prev.pageRetries : pending ? retrying : undefined,
  };
  if (pending) {
    next.etag = undefined;
    next.lastModified = undefined;
    next.bodyHash = undefined;
  }
  return next;
}

/**
 * Of the items whose page failed for now this poll: those to try again next poll (with the
 * attempts so far) and those given up after PAGE_ATTEMPTS, remembered as read on their teaser.
 */
export function pageRetries(prev: SourceState, failed: UnmatchedItem[]): { pending: Record<string, number>; givenUp: UnmatchedItem[] } {
  const pending: Record<string, number> = {};
  const givenUp: UnmatchedItem[] = [];
  for (const item of failed) {
    const attempts = (prev.pageRetries?.[item.id] ?? 0) + 1;
    if (attempts >= PAGE_ATTEMPTS) givenUp.push(item);
    else pending[item.id] = attempts;
  }
  return { pending, givenUp };
}

// An unchanged feed must cost no writes: the state is written when its caching or
// health changed or it brought new items, and otherwise once an hour as a heartbeat.
export function stateChanged(prev: SourceState, next: SourceState, source: Source, now: Date): boolean {
  if (source.pollMinutes) return true; // its schedule keys on lastAttemptAt
  if (prev.etag !== next.etag || prev.lastModified !== next.lastModified || !sameIds(prev.listed, next.listed)) return true;
  // Validators now taken under another definition of the source (an edited config): until
  // saved, every poll would be sent without them and parse the whole body again.
  if (definitionOf(prev.bodyHash) !== definitionOf(next.bodyHash)) return true;
  if (prev.consecutiveFailures !== 0 || prev.nextPollAt !== next.nextPollAt) return true;
  if (!sameCounts(prev.pageRetries, next.pageRetries)) return true; // a page's attempts must be counted
  if ((next.lastNew ?? 0) > 0) return true;
  return !prev.lastSuccessAt || now.getTime() - Date.parse(prev.lastSuccessAt) > 60 * 60 * 1000;
}

function sameCounts(a: Record<string, number> = {}, b: Record<string, number> = {}): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

function sameIds(a: string[] = [], b: string[] = []): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((id) => set.has(id));
}

/** The state after a failed poll: the error recorded, and the next poll put off after repeated failures. */
export function failedState(prev: SourceState, source: Source, config: Config, now: Date, error: string, retryAfter: Date | undefined): SourceState {
  const failures = prev.consecutiveFailures + 1;
  const interval = (source.pollMinutes ?? config.settings.pollMinutes) * 60_000;
  // After three failures in a row, back off exponentially (capped) instead of hammering.
  const backoff = failures >= 3 ? backoffDelay({ baseDelayMs: 2 * interval, maxDelayMs: MAX_BACKOFF_MS, jitter: 0 }, failures - 2) : 0;
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

/** The Retry-After a failure carries (SourceError, FetchError), if any. */
export function retryAfterOf(e: unknown): Date | undefined {
  const r = (e as { retryAfter?: unknown } | null)?.retryAfter;
  return r instanceof Date ? r : undefined;
}

/** The error as stored in the state: always starting with the source id. */
export function messageOf(e: unknown, sourceId: string): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.startsWith(sourceId) ? m : `${sourceId}: ${m}`;
}
