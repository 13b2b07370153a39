// One Logger and one Metrics for the whole process (docs/operations.md): every module logs
// through these, so log lines share the service name and metrics one namespace.
// Powertools reads POWERTOOLS_LOG_LEVEL itself; nothing here reads the environment.
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/metric-names.ts';

export { MetricUnit } from '@aws-lambda-powertools/metrics';
export { METRIC, METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/metric-names.ts';

/** Structured JSON logger; add `sourceId` / `storyId` keys where known. */
export const logger = new Logger({ serviceName: SERVICE_NAME });

/** CloudWatch EMF metrics; flushed by each handler at the end of an invocation. */
export const metrics = new Metrics({ namespace: METRICS_NAMESPACE, serviceName: SERVICE_NAME });
