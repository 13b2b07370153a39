// Scheduler at a list's hour → the digest through SES, at most once a day (the store's
// claim). Thirty minutes later the same Lambda checks it went out: DigestLate = 1 when
// it did not, which is what the alarm watches.
import { runDigest, type DigestDeps, type DigestResult } from '../../shared/deliver/index.ts';
import { digestDayFor } from '../../shared/time.ts';
import { METRIC, MetricUnit, logger, metrics } from '../../adapters/powertools/observability.ts';
import type { DigestEvent } from '../shared/events.ts';

export type DigestOutcome = DigestResult | { listId: string; day: string; late: boolean };

/** The digest handler over its dependencies. */
export function digestHandler(deps: DigestDeps): (event: DigestEvent) => Promise<DigestOutcome> {
  return async (event) => {
    const { listId } = event;
    if (event.kind === 'digest-check') {
      const day = digestDayFor(deps.now());
      const record = await deps.store.getDigest(day, listId);
      const late = record?.status !== 'sent' && record?.status !== 'skipped';
      if (late) logger.error('digest not sent', { listId, day, status: record?.status ?? 'never claimed' });
      metrics.addMetric(METRIC.digestLate, MetricUnit.Count, late ? 1 : 0);
      return { listId, day, late };
    }
    const result = await runDigest(deps, listId);
    logger.info('digest', { ...result });
    if (result.status === 'sent') metrics.addMetric(METRIC.digestSent, MetricUnit.Count, 1);
    // Failing the invocation lets the Scheduler's retries try again once the claim's lease ends.
    if (result.status === 'failed') throw new Error(`digest ${listId} for ${result.day} failed: ${result.error ?? 'unknown error'}`);
    return result;
  };
}
