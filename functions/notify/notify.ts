// Table stream (filtered to INSERTs of new matched leaders) and a scheduled sweep → the
// delivery outbox → Slack and webhooks. A stream record's alerts are queued (only if
// absent: a retried or bisected batch queues nothing twice) and sent at once; what cannot
// be sent now stays in the outbox, where the sweep (EventBridge Scheduler, every few
// minutes) finds it due, whatever the story's day.
//
// Deadlines: no send starts without SEND_BUDGET_MS left, a lease never outlives the
// invocation, and a retry wait that would pass the deadline reschedules the row instead.
// Records whose alerts time ran out on, or whose store calls failed (a store error is
// retryable, never "done"), go back to the stream as batch item failures.
import type { Context, DynamoDBBatchResponse, DynamoDBRecord, DynamoDBStreamEvent } from 'aws-lambda';
import { alertsFor, sendDue, type DeliverDeps, type SendResult } from '../../shared/deliver/index.ts';
import type { Story } from '../../shared/model.ts';
import { METRIC, MetricUnit, logger, metrics } from '../../adapters/powertools/observability.ts';
import type { DeliverySweepEvent } from '../shared/events.ts';
import { storyFromRecord } from './story-image.ts';

/** Kept back from the Lambda's remaining time for returning the response and flushing metrics. */
const SAFETY_MS = 3_000;

export type NotifyEvent = DynamoDBStreamEvent | DeliverySweepEvent;

const isSweep = (e: NotifyEvent): e is DeliverySweepEvent => (e as DeliverySweepEvent).kind === 'delivery-sweep';

/** The notify handler over the delivery dependencies. */
export function notifyHandler(deps: DeliverDeps): (event: NotifyEvent, context?: Context) => Promise<DynamoDBBatchResponse> {
  return async (event, context) => {
    const remainingMs = context ? () => context.getRemainingTimeInMillis() - SAFETY_MS : undefined;
    const opts = { ...(remainingMs ? { remainingMs } : {}), ...(context?.awsRequestId ? { owner: `notify:${context.awsRequestId}` } : {}) };
    if (isSweep(event)) {
      const result = await sendDue(deps, opts);
      await account(deps, result, 0);
      // A store outage fails the invocation: the Scheduler retries it, and the next sweep runs anyway.
      if (result.errors.length > 0) throw result.errors[0];
      return { batchItemFailures: [] };
    }

    const failed = new Set<DynamoDBRecord>();
    const leaders: { record: DynamoDBRecord; story: Story }[] = [];
    for (const record of event.Records) {
      try {
        leaders.push({ record, story: storyFromRecord(record) });
      } catch (e) {
        logger.error('unreadable stream record', { eventID: record.eventID, error: (e as Error).message });
        failed.add(record);
      }
    }
    const stories = leaders.map((l) => l.story);
    let result: SendResult = { reports: [], waiting: [], givenUp: [], untouched: [], errors: [] };
    try {
      const owed = alertsFor(deps.config, stories, deps.now());
      if (owed.length > 0) await deps.store.enqueueDeliveries(owed, deps.now());
      result = await sendDue(deps, { ...opts, storyIds: new Set(owed.map((r) => r.storyId)), known: new Map(stories.map((s) => [s.id, s])) });
    } catch (e) {
      result.errors.push(e as Error);
    }
    const handBack = new Set(result.untouched.map((r) => r.storyId));
    for (const { record, story } of leaders) {
      // A store error may have hit any of them: all go back; rows already sent stay sent.
      if (result.errors.length > 0 || handBack.has(story.id)) failed.add(record);
    }
    for (const e of result.errors) logger.error('delivery store error; records handed back for retry', { error: e.message });
    if (result.untouched.length > 0)
      logger.warn('out of time; the rest is handed back', { untouched: result.untouched.map((r) => `${r.storyId}/${r.destinationId}`) });
    await account(deps, result, failed.size);
    const batchItemFailures = [...failed].map((r) => ({ itemIdentifier: r.dynamodb?.SequenceNumber ?? r.eventID ?? '' }));
    return { batchItemFailures };
  };
}

/** Log each outcome, count failures and give-ups (the alarms' input), and mark give-ups reported. */
async function account(deps: DeliverDeps, result: SendResult, handedBack: number): Promise<void> {
  for (const r of result.reports) {
    if (r.status === 'failed') logger.error('delivery failed', { storyId: r.storyId, destinationId: r.destinationId, attempts: r.attempts, error: r.error });
    else logger.info('delivery', { storyId: r.storyId, destinationId: r.destinationId, status: r.status, ...(r.error ? { reason: r.error } : {}) });
  }
  for (const w of result.waiting) logger.error('destination waits for its secret', { destinationId: w.destinationId, message: w.message });
  metrics.addMetric(METRIC.deliveryFailed, MetricUnit.Count, result.reports.filter((r) => r.status === 'failed').length);
  metrics.addMetric(METRIC.deliveryGaveUp, MetricUnit.Count, result.givenUp.length);
  metrics.addMetric(METRIC.notifyBatchItemFailures, MetricUnit.Count, handedBack);
  for (const g of result.givenUp) {
    logger.error('delivery given up', { storyId: g.storyId, destinationId: g.destinationId, reason: g.lastError });
    await deps.store.markReported(g.storyId, g.destinationId, deps.now()).catch(() => {});
  }
}
