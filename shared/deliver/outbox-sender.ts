// The outbox sender: takes every due delivery row (adapters/dynamodb/outbox.ts), whatever the
// story's day, and sends it. Each row is leased before its message goes out, for no longer
// than the sender has left; Slack rows are sent one at a time, so a crash duplicates at most
// one Slack message per destination, and a webhook carries the same webhook-id every time.
// A failed row is due again after exponential backoff with jitter (or the receiver's
// Retry-After, capped); a row older than settings.deliveryGiveUpHours is given up.
import { hostname } from 'node:os';
import { randomUUID } from 'node:crypto';
import type { ClusterView, Story } from '../model.ts';
import type { DeliveryRow } from '../store/port.ts';
import { isRetryable } from '../retryable-error.ts';
import { mapLimit } from '../map-limit.ts';
import { destinationsOf, resolveSecrets, waitingMessage, type Destination, type Resolved } from './destinations.ts';
import { DeliveryError } from './errors.ts';
import { MAX_RETRY_AFTER_MS } from '../fetch/retry-after.ts';
import { backoffDelay } from '../retry.ts';
import { createHttpPost, type HttpPost, type HttpResponse } from './http-post.ts';
import { paced } from './pacing.ts';
import { attemptsOf, DEFAULT_RETRY, isOutOfTime, postWithRetry, type RetryPolicy } from './retry.ts';
import { slackErrorCode, slackStoryMessage, slackSummaryMessage, slackWorkflowSummary, slackWorkflowVariables } from './slack.ts';
import { storyView, type StoryView } from './story-view.ts';
import { signedHeaders, storyMatchedEvent } from './webhook.ts';
import type { DeliverDeps, DeliveryReport } from './types.ts';
import { realSleep } from './types.ts';

/** Webhook requests in flight at once per destination (they need no pacing). */
const WEBHOOK_CONCURRENCY = 4;
/** A lease when the sender has no deadline (the CLI): longer than any one send with its retries. */
const DEFAULT_LEASE_MS = 2 * 60_000;
/** A send is started only with this much time left: the HTTP timeout plus the row's bookkeeping. */
export const SEND_BUDGET_MS = 15_000;
/** Backoff between attempts of one row: 10 s doubling to 30 min, ±25% jitter. */
export const OUTBOX_BACKOFF = { baseDelayMs: 10_000, maxDelayMs: 30 * 60_000 };
/** Answers that condemn one message, not the destination: give that row up, go on with the rest. */
const PAYLOAD_REJECTED = new Set([400, 413, 422]);

/** Per-destination count of single Slack messages in one cycle (settings burstLimit). */
export class BurstBudget {
  private readonly used = new Map<string, number>();
  private readonly over = new Set<string>();
  count(id: string): number {
    return this.used.get(id) ?? 0;
  }
  add(id: string, n: number): void {
    this.used.set(id, this.count(id) + n);
  }
  exceeded(id: string): boolean {
    return this.over.has(id);
  }
  exceed(id: string): void {
    this.over.add(id);
  }
}

export interface SendOptions {
  /** Who holds the leases (a process, a Lambda request). */
  owner?: string;
  /** Time the sender has left (a Lambda's getRemainingTimeInMillis); none locally. */
  remainingMs?: () => number;
  /** Only rows of these stories (the notify Lambda's stream batch). */
  storyIds?: ReadonlySet<string>;
  /** Stories the caller already has (fresh leaders, a stream record): used when the store lookup finds none. */
  known?: ReadonlyMap<string, Story>;
  /** The cycle's burst counts; default: this call is a cycle of its own. */
  burst?: BurstBudget;
  /**
   * Last pass of the cycle (default): Slack rows beyond a destination's burstLimit go out as
   * one summary now. In earlier passes they wait for it.
   */
  final?: boolean;
}

export interface SendResult {
  reports: DeliveryReport[];
  /** Destinations whose secret is missing: their rows wait, untouched. */
  waiting: { destinationId: string; message: string }[];
  /** Rows given up in this pass (to report: metric, log line). */
  givenUp: DeliveryRow[];
  /** Rows left due because time ran out: a Lambda hands their records back. */
  untouched: DeliveryRow[];
  /** Store (or unexpected) errors: the rows they touched are due again; a caller retries later. */
  errors: Error[];
}

export const defaultOwner = `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;

interface Pass {
  deps: DeliverDeps;
  post: HttpPost;
  sleep: (ms: number) => Promise<void>;
  policy: RetryPolicy;
  owner: string;
  remaining: () => number;
  burst: BurstBudget;
  final: boolean;
  result: SendResult;
  cluster: (id: string) => Promise<ClusterView | undefined>;
  known: ReadonlyMap<string, Story>;
}

/** One sender pass over every due row. Never throws: store errors are in `errors`. */
export async function sendDue(deps: DeliverDeps, opts: SendOptions = {}): Promise<SendResult> {
  const result: SendResult = { reports: [], waiting: [], givenUp: [], untouched: [], errors: [] };
  const clusters = new Map<string, Promise<ClusterView | undefined>>();
  const pass: Pass = {
    deps,
    post: deps.post ?? createHttpPost(deps.config.settings),
    sleep: deps.sleep ?? realSleep,
    policy: { ...DEFAULT_RETRY, ...deps.retry },
    owner: opts.owner ?? defaultOwner,
    remaining: opts.remainingMs ?? (() => Infinity),
    burst: opts.burst ?? new BurstBudget(),
    final: opts.final ?? true,
    result,
    known: opts.known ?? new Map(),
    cluster: (id) => {
      let p = clusters.get(id);
      if (!p) clusters.set(id, (p = deps.store.cluster(id)));
      return p;
    },
  };
  let due: DeliveryRow[];
  try {
    due = await deps.store.dueDeliveries(deps.now());
  } catch (e) {
    result.errors.push(e as Error);
    return result;
  }
  if (opts.storyIds) due = due.filter((r) => opts.storyIds!.has(r.storyId));
  const byId = new Map(destinationsOf(deps.config).map((d) => [d.id, d]));
  const giveUpMs = deps.config.settings.deliveryGiveUpHours * 3_600_000;
  const groups = new Map<Destination, DeliveryRow[]>();
  for (const row of due) {
    const d = byId.get(row.destinationId);
    const age = deps.now().getTime() - Date.parse(row.retriedAt ?? row.createdAt);
    try {
      if (!d) await giveUp(pass, row, 'its destination is no longer in the config (or is disabled)');
      else if (age > giveUpMs)
        await giveUp(pass, row, `not sent within ${deps.config.settings.deliveryGiveUpHours} h${row.lastError ? `: ${row.lastError}` : ''}`);
      else groups.set(d, [...(groups.get(d) ?? []), row]);
    } catch (e) {
      result.errors.push(e as Error);
    }
  }
  const settled = await Promise.allSettled([...groups].map(([d, rows]) => sendTo(pass, d, rows)));
  for (const s of settled) if (s.status === 'rejected') result.errors.push(s.reason as Error);
  return result;
}

async function giveUp(p: Pass, row: DeliveryRow, reason: string): Promise<void> {
  await p.deps.store.giveUp(row.storyId, row.destinationId, p.deps.now(), reason);
  p.result.givenUp.push({ ...row, status: 'given-up', lastError: reason });
  p.result.reports.push({ destinationId: row.destinationId, storyId: row.storyId, status: 'given-up', attempts: row.attempts, error: reason });
}

/** Oldest story first, so a backlog arrives in the order it happened. */
const byPublished = (a: DeliveryRow, b: DeliveryRow) => (a.publishedAt ?? a.createdAt).localeCompare(b.publishedAt ?? b.createdAt);

async function sendTo(p: Pass, d: Destination, rows: DeliveryRow[]): Promise<void> {
  rows.sort(byPublished);
  let resolved: Resolved;
  try {
    resolved = await resolveSecrets(p.deps.secrets, d);
  } catch (e) {
    // Missing secret: nothing is claimed or counted; the rows say why they wait.
    const reason = (e as Error).message.slice(d.id.length + 2);
    p.result.waiting.push({ destinationId: d.id, message: waitingMessage(d, reason) });
    for (const row of rows) {
      if (row.lastError !== reason) await p.deps.store.noteWaiting(row.storyId, row.destinationId, p.deps.now(), reason);
      p.result.reports.push({ destinationId: d.id, storyId: row.storyId, status: 'waiting', attempts: row.attempts, error: reason });
    }
    return;
  }
  if (d.kind === 'slack') return sendSlack(p, d, resolved.url, rows);
  return sendWebhooks(p, d, resolved, rows);
}

/** The lease for a send starting now: never longer than the time the sender has left. */
function leaseMs(p: Pass): number {
  return Math.max(1_000, Math.min(DEFAULT_LEASE_MS, p.remaining() - 2_000));
}

/** When a failed row is due again: the receiver's Retry-After (capped at 6 h, a receiver asking for more is retried then), else exponential backoff. */
function nextAttempt(p: Pass, e: unknown, attempts: number): Date {
  const retryAfter = e instanceof DeliveryError ? e.details.retryAfterMs : undefined;
  const wait =
    retryAfter !== undefined ? Math.min(retryAfter, MAX_RETRY_AFTER_MS) : backoffDelay({ ...OUTBOX_BACKOFF, ...p.deps.backoff }, Math.max(1, attempts));
  return new Date(p.deps.now().getTime() + wait);
}

/** Claim → view: the row leased to us with its story's view, or undefined when another sender has it. */
async function claim(p: Pass, row: DeliveryRow, lease: number): Promise<{ row: DeliveryRow; view: StoryView } | undefined> {
  const claimed = await p.deps.store.claimDelivery(row.storyId, row.destinationId, p.owner, p.deps.now(), lease);
  if (!claimed) return undefined;
  const known = p.known.get(row.storyId);
  // Other outlets are a nice-to-have when the caller has the story: a failed lookup does not stop it.
  const cluster = await p.cluster(row.storyId).catch((e: unknown) => {
    if (known) return undefined;
    throw e;
  });
  const story = cluster?.leader ?? known;
  if (!story) {
    await giveUp(p, claimed, 'the story is not in the store');
    return undefined;
  }
  return { row: claimed, view: storyView(p.deps.config, story, cluster) };
}

type Outcome = { ok: true; attempts: number } | { ok: false; error: unknown };

/** Record a send's outcome on its row. When the destination should get no more sends this pass: when to try it again. */
async function settle(p: Pass, d: Destination, row: DeliveryRow, outcome: Outcome, status: 'sent' | 'summarised' = 'sent'): Promise<Date | undefined> {
  const { store, now } = p.deps;
  if (outcome.ok) {
    await store.markSent(row.storyId, row.destinationId, now());
    p.result.reports.push({ destinationId: d.id, storyId: row.storyId, status, attempts: outcome.attempts });
    return undefined;
  }
  const e = outcome.error;
  const error = (e as Error).message;
  const status_ = e instanceof DeliveryError ? e.details.status : undefined;
  if (e instanceof DeliveryError && !e.retryable && status_ !== undefined && PAYLOAD_REJECTED.has(status_)) {
    await giveUp(p, row, error);
    return undefined;
  }
  // Not retryable but not the message's fault (404 no_service, 403): the longest backoff.
  const next = isRetryable(e) ? nextAttempt(p, e, row.attempts) : nextAttempt(p, undefined, 99);
  await store.markFailed(row.storyId, row.destinationId, p.owner, now(), error, next);
  if (isOutOfTime(e)) p.result.untouched.push(row);
  else p.result.reports.push({ destinationId: d.id, storyId: row.storyId, status: 'failed', attempts: attemptsOf(e), error });
  return next;
}

/** Rows not sent because their destination is failing: due again with the failed one, at `next`. */
async function defer(p: Pass, d: Destination, rows: DeliveryRow[], cause: unknown, next: Date): Promise<void> {
  const error = `not sent: destination is failing (${(cause as Error).message})`;
  for (const row of rows) {
    if (isOutOfTime(cause)) {
      p.result.untouched.push(row);
      continue;
    }
    await p.deps.store.markFailed(row.storyId, row.destinationId, undefined, p.deps.now(), error, next);
    p.result.reports.push({ destinationId: d.id, storyId: row.storyId, status: 'failed', attempts: 0, error });
  }
}

function outOfTime(p: Pass): boolean {
  return p.remaining() < SEND_BUDGET_MS;
}

async function sendSlack(p: Pass, d: Destination & { kind: 'slack' }, url: string, rows: DeliveryRow[]): Promise<void> {
  const interval = p.deps.slackIntervalMs ?? 1000;
  const send = async (payload: unknown): Promise<number> => {
    const body = JSON.stringify(payload);
    const r = await paced(url, interval, p.sleep, () =>
      postWithRetry({
        destinationId: d.id,
        post: p.post,
        url,
        request: () => ({ body, headers: { 'content-type': 'application/json; charset=utf-8' } }),
        policy: p.policy,
        sleep: p.sleep,
        now: p.deps.now,
        remainingMs: p.remaining,
        describe: (res: HttpResponse) => slackErrorCode(res.body),
      }),
    );
    return r.attempts;
  };

  // More than burstLimit single messages in one cycle: the rest become one summary.
  if (p.burst.exceeded(d.id) || p.burst.count(d.id) + rows.length > d.burstLimit) {
    p.burst.exceed(d.id);
    if (!p.final) return; // the cycle's last pass summarises everything still due
    return sendSummary(p, d, rows, send);
  }

  for (let i = 0; i < rows.length; i++) {
    if (outOfTime(p)) {
      p.result.untouched.push(...rows.slice(i));
      return;
    }
    // One row leased at a time: a crash now duplicates at most this message.
    const taken = await claim(p, rows[i]!, leaseMs(p));
    if (!taken) continue;
    let outcome: Outcome;
    try {
      outcome = { ok: true, attempts: await send(d.format === 'workflow' ? slackWorkflowVariables(taken.view) : slackStoryMessage(taken.view)) };
      p.burst.add(d.id, 1);
    } catch (e) {
      outcome = { ok: false, error: e };
    }
    const next = await settle(p, d, taken.row, outcome);
    if (next) {
      await defer(p, d, rows.slice(i + 1), (outcome as { error: unknown }).error, next);
      return;
    }
  }
}

async function sendSummary(p: Pass, d: Destination & { kind: 'slack' }, rows: DeliveryRow[], send: (payload: unknown) => Promise<number>): Promise<void> {
  if (outOfTime(p)) {
    p.result.untouched.push(...rows);
    return;
  }
  const lease = leaseMs(p);
  const taken = (await Promise.all(rows.map((r) => claim(p, r, lease)))).filter((x) => x !== undefined);
  if (taken.length === 0) return;
  const views = taken.map((t) => t.view);
  const digest = p.deps.config.delivery.email.some((l) => l.enabled);
  let outcome: Outcome;
  try {
    outcome = { ok: true, attempts: await send(d.format === 'workflow' ? slackWorkflowSummary(views) : slackSummaryMessage(views, { digest })) };
  } catch (e) {
    outcome = { ok: false, error: e };
  }
  for (const t of taken) await settle(p, d, t.row, outcome, 'summarised');
}

async function sendWebhooks(p: Pass, d: Destination & { kind: 'webhook' }, resolved: Resolved, rows: DeliveryRow[]): Promise<void> {
  const key = resolved.key!;
  let failing: { cause: unknown; next: Date } | undefined;
  await mapLimit(rows, WEBHOOK_CONCURRENCY, async (row) => {
    if (failing !== undefined) return defer(p, d, [row], failing.cause, failing.next);
    if (outOfTime(p)) {
      p.result.untouched.push(row);
      return;
    }
    const taken = await claim(p, row, leaseMs(p));
    if (!taken) return;
    const event = storyMatchedEvent(taken.view, await p.cluster(row.storyId).catch(() => undefined));
    const body = JSON.stringify(event);
    let outcome: Outcome;
    try {
      const r = await postWithRetry({
        destinationId: d.id,
        post: p.post,
        url: resolved.url,
        // The same webhook-id and body on every attempt and after a crash; timestamp and signature per attempt.
        request: () => ({ body, headers: signedHeaders(key, event.id, p.deps.now(), body) }),
        policy: p.policy,
        sleep: p.sleep,
        now: p.deps.now,
        remainingMs: p.remaining,
      });
      outcome = { ok: true, attempts: r.attempts };
    } catch (e) {
      outcome = { ok: false, error: e };
    }
    const next = await settle(p, d, taken.row, outcome);
    if (next) failing ??= { cause: (outcome as { error: unknown }).error, next };
  });
}
