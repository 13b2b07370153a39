// Table stream (filtered to INSERTs of new matched leaders) → Slack and webhooks.
// Each story goes to each destination at most once: deliverStories claims a delivery
// record first, so a retried or bisected batch sends nothing twice. A destination that
// still fails after its retries is counted (the alarm) and kept as a `failed` record;
// only records we cannot read are handed back, so one broken webhook never stalls the stream.
import type { DynamoDBBatchResponse, DynamoDBStreamEvent } from 'aws-lambda';
import { deliverStories, type DeliverDeps } from '../../shared/deliver/index.ts';
import type { Story } from '../../shared/model.ts';
import { METRIC, MetricUnit, logger, metrics } from '../../shared/observability.ts';
import { storyFromRecord } from './story-image.ts';

/** The notify handler over the delivery dependencies. */
export function notifyHandler(deps: DeliverDeps): (event: DynamoDBStreamEvent) => Promise<DynamoDBBatchResponse> {
  return async (event) => {
    const leaders: Story[] = [];
    const batchItemFailures: { itemIdentifier: string }[] = [];
    for (const record of event.Records) {
      try {
        leaders.push(storyFromRecord(record));
      } catch (e) {
        logger.error('unreadable stream record', { eventID: record.eventID, error: (e as Error).message });
        batchItemFailures.push({ itemIdentifier: record.dynamodb?.SequenceNumber ?? record.eventID ?? '' });
      }
    }
    const reports = await deliverStories(deps, leaders);
    for (const r of reports) {
      if (r.status === 'failed') logger.error('delivery failed', { storyId: r.storyId, destinationId: r.destinationId, attempts: r.attempts, error: r.error });
      else logger.info('delivery', { storyId: r.storyId, destinationId: r.destinationId, status: r.status });
    }
    metrics.addMetric(METRIC.deliveryFailed, MetricUnit.Count, reports.filter((r) => r.status === 'failed').length);
    metrics.addMetric(METRIC.notifyBatchItemFailures, MetricUnit.Count, batchItemFailures.length);
    return { batchItemFailures };
  };
}
