// The payloads our EventBridge schedules send (infra/constructs/polling.ts, digest.ts)
// and the message the dispatch Lambda queues for the poll Lambda.

/** Scheduler → dispatch, every tick. `scheduledTime` is `<aws.scheduler.scheduled-time>`. */
export interface TickEvent {
  kind: 'poll-tick';
  scheduledTime?: string;
}

/** Scheduler → digest, at a list's hour (`digest-send`) and 30 minutes later (`digest-check`). */
export interface DigestEvent {
  kind: 'digest-send' | 'digest-check';
  listId: string;
  scheduledTime?: string;
}

/** Scheduler → notify, every few minutes: send every due delivery of the outbox (retries, held alerts). */
export interface DeliverySweepEvent {
  kind: 'delivery-sweep';
  scheduledTime?: string;
}

/** dispatch → SQS → poll: one message per due source. */
export interface PollMessage {
  sourceId: string;
  /** UTC ISO of the tick that queued it, for logs. */
  queuedAt: string;
}

/** Read a poll message body; throws a clear error for anything else. */
export function parsePollMessage(body: string): PollMessage {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    throw new Error(`poll message is not JSON: ${JSON.stringify(body.slice(0, 80))}`);
  }
  const sourceId = (value as { sourceId?: unknown } | null)?.sourceId;
  if (typeof sourceId !== 'string' || sourceId === '') {
    throw new Error(`poll message has no sourceId: ${JSON.stringify(body.slice(0, 80))}`);
  }
  return { sourceId, queuedAt: String((value as { queuedAt?: unknown }).queuedAt ?? '') };
}
