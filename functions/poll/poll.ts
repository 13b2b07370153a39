// SQS batch of poll messages → pollSource for each, concurrently (each message is a
// different source). A source's own failure is recorded in its state by the pipeline
// and is not a retry; a bad message or a store outage is handed back to SQS, whose
// DLQ keeps what keeps failing.
//
// Deadline: a message is started only with START_BUDGET_MS of the invocation left, and one
// still polling SAFETY_MS before the end is handed back too (its writes are conditional, so
// the retry stores nothing twice). A store error is retryable: the message goes back.
import type { Context, SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { METRIC, MetricUnit, logger, metrics } from '../../adapters/powertools/observability.ts';
import { pollSource } from '../../shared/pipeline/index.ts';
import type { PipelineDeps } from '../../shared/pipeline/types.ts';
import { parsePollMessage } from '../shared/events.ts';

/** Kept back from the remaining time to answer SQS and flush metrics. */
const SAFETY_MS = 3_000;

/** The poll handler over the pipeline's dependencies. */
export function pollHandler(deps: PipelineDeps): (event: SQSEvent, context?: Context) => Promise<SQSBatchResponse> {
  // A feed fetch, its article pages and the store writes: no new poll starts with less left.
  const startBudgetMs = deps.config.settings.timeoutMs * 2 + SAFETY_MS;
  return async (event, context) => {
    const remaining = (): number => (context ? context.getRemainingTimeInMillis() : Infinity);
    const failed = await Promise.all(
      event.Records.map(async (record): Promise<string | undefined> => {
        if (remaining() < startBudgetMs) {
          logger.warn('too little time left to poll; handed back', { messageId: record.messageId, remainingMs: remaining() });
          return record.messageId;
        }
        try {
          const { sourceId } = parsePollMessage(record.body);
          const source = deps.config.sources.find((s) => s.id === sourceId);
          // A message queued before a config change: nothing to poll, nothing to keep.
          if (!source) return void logger.warn('poll message for a source not in the config', { sourceId });
          const report = await beforeDeadline(pollSource(deps, source), remaining() - SAFETY_MS);
          if (report === undefined) {
            logger.warn('poll still running at the deadline; handed back', { messageId: record.messageId, sourceId });
            return record.messageId;
          }
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

/** `work`'s result, or undefined when it has not settled within `ms`. */
async function beforeDeadline<T>(work: Promise<T>, ms: number): Promise<T | undefined> {
  if (!Number.isFinite(ms)) return work;
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), Math.max(0, ms));
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
