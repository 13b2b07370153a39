// The delivery outbox: one durable row per (story, destination) alert. Written when the
// story is stored; a sender takes every due row, whatever day the story is from.
//
//   pending ──claim──▶ sending ──▶ sent
//      ▲                  │
//      │  (backoff / lease over / crash)
//      └── failed ◀───────┘            pending|failed older than giveUpAfterHours ──▶ given-up
//                                       given-up, once an operator was told ──▶ reported
//
// A `sending` row carries a lease no longer than its sender's remaining time: when the lease
// ends (the sender died) the row is due again.

export type DeliveryStatus = 'pending' | 'sending' | 'sent' | 'failed' | 'given-up';

export interface DeliveryRow {
  storyId: string;
  destinationId: string;
  status: DeliveryStatus;
  /** Sends started (claims), over the row's life. */
  attempts: number;
  /** UTC ISO: when the row was written (its age counts from here, or from `retriedAt`). */
  createdAt: string;
  updatedAt: string;
  /** UTC ISO: when a pending/failed row is due; for `sending`, when the lease ends. */
  dueAt?: string;
  /** Who holds a `sending` row's lease (a process or Lambda request). */
  owner?: string;
  /** Why it is not sent yet (the last error, or what it waits for). Never a secret. */
  lastError?: string;
  sentAt?: string;
  gaveUpAt?: string;
  /** When an operator was told it was given up (status, a metric, a log line). */
  reportedAt?: string;
  /** When `newswatch deliveries --retry` put it back: its age counts from here. */
  retriedAt?: string;
  /** The story's publish time, so a sender sends oldest first. */
  publishedAt?: string;
}

export interface NewDelivery {
  storyId: string;
  destinationId: string;
  publishedAt?: string;
}

export interface Outbox {
  /** Write a pending row for each new delivery, due now; an existing row (any state) is left alone. Returns those written. */
  enqueueDeliveries(rows: NewDelivery[], now: Date): Promise<NewDelivery[]>;
  /** Rows due at `now` (pending/failed past their next attempt, sending past their lease), oldest due first. */
  dueDeliveries(now: Date, limit?: number): Promise<DeliveryRow[]>;
  /** Every row not sent and not given up (pending, sending, failed), for status. */
  openDeliveries(): Promise<DeliveryRow[]>;
  /** Given-up rows, newest first. */
  givenUpDeliveries(limit?: number): Promise<DeliveryRow[]>;
  getDelivery(storyId: string, destinationId: string): Promise<DeliveryRow | undefined>;
  /**
   * Take a due row for sending: it becomes `sending`, leased to `owner` until now + leaseMs.
   * Undefined when another sender has it or it is no longer due.
   */
  claimDelivery(storyId: string, destinationId: string, owner: string, now: Date, leaseMs: number): Promise<DeliveryRow | undefined>;
  /** Sent: final. */
  markSent(storyId: string, destinationId: string, now: Date): Promise<void>;
  /** A send failed (or was not tried): due again at `nextAttemptAt`. Only the lease owner's call counts while leased. */
  markFailed(storyId: string, destinationId: string, owner: string | undefined, now: Date, error: string, nextAttemptAt: Date): Promise<boolean>;
  /** Record why an unclaimed row waits (a missing secret), without touching its schedule. */
  noteWaiting(storyId: string, destinationId: string, now: Date, reason: string): Promise<void>;
  /** Given up (too old, or its destination left the config). */
  giveUp(storyId: string, destinationId: string, now: Date, reason: string): Promise<void>;
  markReported(storyId: string, destinationId: string, now: Date): Promise<void>;
  /** Leases of `sending` rows end now (a sole writer starting up: their sender is dead). Returns how many. */
  releaseLeases(now: Date): Promise<number>;
  /** A failed or given-up row is due now again, with a fresh age. False when it is sent, sending or unknown. */
  retryDelivery(storyId: string, destinationId: string, now: Date): Promise<boolean>;
}
