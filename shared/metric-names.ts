// Names shared by the Lambdas that emit custom metrics and the CDK monitoring
// construct that alarms on them, so the two never drift.

export const SERVICE_NAME = 'newswatch';
export const METRICS_NAMESPACE = 'newswatch';

export const METRIC = {
  /** Sources whose failing streak is older than deploy.sourceFailingMinutes (dispatch, every tick). */
  sourcesFailingTooLong: 'SourcesFailingTooLong',
  /** Sources whose poll reported an error (poll). */
  sourcePollFailed: 'SourcePollFailed',
  /** SQS messages the poll Lambda handed back as batch item failures. */
  pollBatchItemFailures: 'PollBatchItemFailures',
  /** Story deliveries that ended failed (notify). */
  deliveryFailed: 'DeliveryFailed',
  /** Deliveries given up (older than settings.deliveryGiveUpHours, or their destination left the config). */
  deliveryGaveUp: 'DeliveryGaveUp',
  /** Stream records the notify Lambda handed back for retry. */
  notifyBatchItemFailures: 'NotifyBatchItemFailures',
  /** 1 when a list's digest was neither sent nor skipped by the check 30 minutes after its hour. */
  digestLate: 'DigestLate',
  /** Digests sent (digest). */
  digestSent: 'DigestSent',
  /** Messages the dispatch Lambda queued (one per due source). */
  sourcesDispatched: 'SourcesDispatched',
} as const;
