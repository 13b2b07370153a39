// The store port: what the pipeline, dedupe and delivery need from persistence.
// adapters/dynamodb/ implements it over the single table, a module per part below (docs/architecture.md#data-model);
// the same code runs against AWS and against dynalite locally and in tests.
import type { ClusterView, Story } from '../model.ts';
import type { Outbox } from './outbox-port.ts';

export type { DeliveryRow, DeliveryStatus, NewDelivery, Outbox } from './outbox-port.ts';

/** Health and HTTP caching state of one source (item `SOURCE` / `<id>`). */
export interface SourceState {
  id: string;
  etag?: string;
  lastModified?: string;
  /** Digest of the last body read: the same bytes again are not parsed (servers without validators). */
  bodyHash?: string;
  /** UTC ISO of the last poll attempt / success. */
  lastAttemptAt?: string;
  lastSuccessAt?: string;
  consecutiveFailures: number;
  /** UTC ISO of the first failure of the current failing streak. */
  failingSince?: string;
  lastError?: string;
  /** UTC ISO before which the source must not be polled (Retry-After, backoff). */
  nextPollAt?: string;
  /**
   * Story ids the last read listed. Only ids missing here are new to this source: a feed's
   * items are remembered in one attribute of one item instead of a marker per item.
   */
  listed?: string[];
  /**
   * Article pages that failed for now (a timeout, a 5xx) behind teasers that matched nothing,
   * by story id: how many polls have tried each. Left out of `listed` until read or given up.
   */
  pageRetries?: Record<string, number>;
  /** Counts of the last poll, for `newswatch status`. */
  lastItems?: number;
  lastNew?: number;
  lastMatched?: number;
}

export interface DigestRecord {
  day: string;
  listId: string;
  /** `failed`: SES refused it, so nothing went out and the next invocation may claim it again. */
  status: 'claimed' | 'sent' | 'skipped' | 'failed';
  claimedAt: string;
  sentAt?: string;
  stories?: number;
  messageId?: string;
}

/**
 * An item that matched no topic, kept for a while (title and the start of its text) so
 * `newswatch tune` can replay an edited config against it. A poll's items are kept together,
 * in one row per source and poll (adapters/dynamodb/kept.ts).
 */
export interface UnmatchedItem {
  id: string;
  url: string;
  title: string;
  /** The start of the text it was classified on (capped, like a story's summary). */
  lede: string;
  outlet: string;
  sourceId: string;
  /** UTC ISO; when the feed gave none, when it was seen. */
  publishedAt: string;
  /** UTC ISO: when the pipeline classified it. */
  seenAt: string;
}

/** What the store holds about an item's article page: absent ids have neither. */
export interface PageRecord {
  /** A story with this id is stored. */
  story: boolean;
  /** A SEEN marker says the page was fetched and matched nothing, until this instant. */
  seenUntil?: Date;
}

/** A poll's unmatched items, to keep for `tune`. */
export interface KeepUnmatched {
  items: UnmatchedItem[];
  /** Expiry (TTL) in days from when they were seen; 0 keeps nothing. */
  days: number;
}

/**
 * What one poll writes back, after its stories: the source's state, SEEN markers for article
 * pages fetched for nothing, and the unmatched items kept for `tune`. Many polls' records share
 * batch writes (`savePolls`), so a cycle of 200 feeds costs a few requests, not one per item.
 */
export interface PollRecord {
  /** When the poll ran: the SEEN markers' clock. */
  at: Date;
  /** The source's new state; absent when it need not be written. */
  state?: SourceState;
  /** Ids of fetched article pages that matched nothing: remembered for `ttlDays`. */
  seen?: { ids: string[]; ttlDays: number };
  keep?: KeepUnmatched;
}

/**
 * How many days before now a window's `since` may reach: a read costs one query per Korea day
 * of the window, so an endless one is refused (cli/since.ts) rather than cut short unsaid.
 */
export const MAX_WINDOW_DAYS = 3 * 365;

/** A time window to read, by publication time (UTC instants); `since` at most MAX_WINDOW_DAYS back. */
export interface ReadWindow {
  since: Date;
  /** Default: now (stories dated up to a day ahead are included). */
  until?: Date;
  /** At most this many, newest first. */
  limit?: number;
  /** The clock kept items expire by (default the real one). */
  now?: Date;
}

/** Stories and their clusters as read back (the cluster writes are the dedupe ClusterIndex's). */
export interface StoryStore {
  /** Conditional put: true when this call created the story, false when it already existed. */
  putStory(story: Story): Promise<boolean>;
  getStory(id: string): Promise<Story | undefined>;
  /** Matched stories whose Korea day is `day` (YYYY-MM-DD), from the sparse day index. */
  storiesOfDay(day: string): Promise<Story[]>;
  /** Matched stories (leaders and copies) published in the window, newest first, from the day index. */
  listStories(window: ReadWindow): Promise<Story[]>;
  /** A leader and the members that joined its cluster. */
  cluster(leaderId: string): Promise<ClusterView | undefined>;
}

/** Each source's health and caching state. */
export interface SourceStateStore {
  getSourceState(id: string): Promise<SourceState | undefined>;
  putSourceState(state: SourceState): Promise<void>;
  /** Saves many sources' states in batch writes. */
  putSourceStates(states: SourceState[]): Promise<void>;
  listSourceStates(): Promise<SourceState[]>;
}

/** What polls write back beside their stories (SEEN markers, kept unmatched items, states) and read of it. */
export interface PollRecordStore {
  /** What the store holds about these ids' article pages (one BatchGetItem per 50); shared/pipeline/novelty.ts decides. */
  pageRecords(ids: string[]): Promise<Map<string, PageRecord>>;
  /**
   * Writes polls' records in shared batch writes: SEEN markers (an article page fetched for
   * nothing is not fetched again by any source until they expire), kept unmatched items, states.
   */
  savePolls(records: PollRecord[]): Promise<void>;
  /** Unmatched items kept for `tune` published in the window and not expired, newest first, once each. */
  listUnmatched(window: ReadWindow): Promise<UnmatchedItem[]>;
}

/** The daily digest's claims, so each list's digest goes out once. */
export interface DigestStore {
  /** Claim the digest of `day` for `listId`; false when it is already claimed (fresh lease), sent or skipped. */
  claimDigest(day: string, listId: string, now: Date, leaseMs?: number): Promise<boolean>;
  finishDigest(record: DigestRecord): Promise<void>;
  getDigest(day: string, listId: string): Promise<DigestRecord | undefined>;
}

/** Persistence for the pipeline, delivery (its outbox) and the digest. */
export interface Store extends StoryStore, SourceStateStore, PollRecordStore, DigestStore, Outbox {}
