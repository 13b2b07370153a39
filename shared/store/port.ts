// The store port: what the pipeline, dedupe and delivery need from persistence.
// shared/store/dynamodb.ts implements it over the single table (docs/architecture.md#data-model);
// the same code runs against AWS and against dynalite locally and in tests.
import type { ClusterView, Story } from '../model.ts';
import type { Outbox } from './outbox-port.ts';

export type { DeliveryRow, DeliveryStatus, NewDelivery, Outbox } from './outbox-port.ts';

/** Health and HTTP caching state of one source (item `SOURCE` / `<id>`). */
export interface SourceState {
  id: string;
  etag?: string;
  lastModified?: string;
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

/** Persistence for the pipeline, delivery (its outbox) and the digest. */
export interface Store extends Outbox {
  /** Of `ids`, those that are neither stored stories nor unexpired SEEN markers (BatchGetItem). */
  unseen(ids: string[], now: Date): Promise<string[]>;
  /**
   * Remember items whose article page was fetched and matched nothing, so no source fetches
   * the page again; expires after ttlDays. With `state`, the source's state is saved in the
   * same batch (one round trip).
   */
  markSeen(ids: string[], now: Date, ttlDays: number, state?: SourceState): Promise<void>;
  /** Conditional put: true when this call created the story, false when it already existed. */
  putStory(story: Story): Promise<boolean>;
  getStory(id: string): Promise<Story | undefined>;
  /** Matched stories whose Korea day is `day` (YYYY-MM-DD), from the sparse day index. */
  storiesOfDay(day: string): Promise<Story[]>;
  /** A leader and the members that joined its cluster. */
  cluster(leaderId: string): Promise<ClusterView | undefined>;

  getSourceState(id: string): Promise<SourceState | undefined>;
  putSourceState(state: SourceState): Promise<void>;
  /** Saves many sources' states in batch writes (pollSources gathers them). */
  putSourceStates(states: SourceState[]): Promise<void>;
  listSourceStates(): Promise<SourceState[]>;

  /** Claim the digest of `day` for `listId`; false when it is already claimed (fresh lease), sent or skipped. */
  claimDigest(day: string, listId: string, now: Date, leaseMs?: number): Promise<boolean>;
  finishDigest(record: DigestRecord): Promise<void>;
  getDigest(day: string, listId: string): Promise<DigestRecord | undefined>;
}
