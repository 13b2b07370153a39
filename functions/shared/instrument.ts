// Wraps a handler with the Powertools chores: Lambda context on every log line and
// flushing the invocation's metrics (when it added any) even when it throws. No cold-start
// metric: it would add one paid custom metric per function, and the REPORT log line has Init
// Duration.
import type { Context } from 'aws-lambda';
import { logger, metrics } from '../../adapters/powertools/observability.ts';

/** The handler `fn`, instrumented. */
export function instrumented<E, R>(fn: (event: E, context?: Context) => Promise<R>): (event: E, context?: Context) => Promise<R> {
  return async (event, context) => {
    if (context) logger.addContext(context);
    try {
      return await fn(event, context);
    } catch (e) {
      logger.error('invocation failed', e as Error);
      throw e;
    } finally {
      // An invocation may rightly add none (a digest already sent): flushing then only logs
      // Powertools' "No application metrics" warning to CloudWatch.
      if (metrics.hasStoredMetrics()) metrics.publishStoredMetrics();
    }
  };
}
