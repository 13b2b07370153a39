// SQS batch of poll messages → pollSource for each, concurrently (each message is a
// different source). A source's own failure is recorded in its state by the pipeline
// and is not a retry; a bad message or a store outage is handed back to SQS, whose
// DLQ keeps what keeps failing.
import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { METRIC, MetricUnit, logger, metrics } from '../../shared/observability.ts';
import { pollSource } from '../../shared/pipeline/index.ts';
import type { PipelineDeps } from '../../shared/pipeline/types.ts';
import { parsePollMessage } from '../shared/events.ts';

/** The poll handler over the pipeline's dependencies. */
export function pollHandler(deps: PipelineDeps): (event: SQSEvent) => Promise<SQSBatchResponse> {
  return async (event) => {
    const failed = await Promise.all(
      event.Records.map(async (record): Promise<string | undefined> => {
        try {
          const { sourceId } = parsePollMessage(record.body);
          const source = deps.config.sources.find((s) => s.id === sourceId);
          // A message queued before a config change: nothing to poll, nothing to keep.
          if (!source) return void logger.warn('poll message for a source not in the config', { sourceId });
          const report = await pollSource(deps, source);
          const { created, leaders, ...summary } = report;
          logger.info('polled', { ...summary, created: created.length, leaders: leaders.map((s) => s.id) });
          if (report.warnings.length > 0) logger.warn('source read with warnings', { sourceId, warnings: report.warnings });
          if (!report.ok) metrics.addMetric(METRIC.sourcePollFailed, MetricUnit.Count, 1);
          return undefined;
        } catch (e) {
          logger.error('poll message failed; SQS will retry it', { messageId: record.messageId, error: (e as Error).message });
          return record.messageId;
        }
      }),
    );
    const batchItemFailures = failed.flatMap((id) => (id ? [{ itemIdentifier: id }] : []));
    metrics.addMetric(METRIC.pollBatchItemFailures, MetricUnit.Count, batchItemFailures.length);
    return { batchItemFailures };
  };
}
