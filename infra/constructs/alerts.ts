// Alerts: the table stream invokes the notify Lambda for each new matched cluster
// leader. The database decided "new" (the conditional write won); the filter keeps
// every other write (seen markers, source state, members) from invoking anything.
// A Scheduler rule invokes the same function every few minutes to sweep the delivery
// outbox: retries after backoff or Retry-After, alerts held by a missing secret, rows of
// a sender that died (its lease ends with its invocation).
import { Duration } from 'aws-cdk-lib';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Schedule, ScheduleExpression, ScheduleTargetInput, ContextAttribute } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct } from 'constructs';
import { DELIVERY_TIMEOUT_MS } from '../../shared/deliver/http-post.ts';
import { DEFAULT_RETRY } from '../../shared/deliver/retry.ts';
import { SEND_BUDGET_MS } from '../../shared/deliver/outbox-sender.ts';
import { destinationsOf } from '../../shared/deliver/destinations.ts';
import type { Config } from '../../shared/config/schema/index.ts';
import { TABLE } from '../../adapters/dynamodb/table.ts';
import { PipelineFunction } from './pipeline-function.ts';
import { grantSecretsRead, notifySecrets } from './secrets.ts';
import { grantTableAccess, TABLE_ACCESS } from './table-access.ts';

/** Retries of a failing stream batch (bisected each time) before it goes to the failure queue. */
export const NOTIFY_RETRY_ATTEMPTS = 5;
/** An alert older than this is news no more: it goes to the failure queue instead. */
export const NOTIFY_MAX_RECORD_AGE = Duration.hours(6);

/** How often the Scheduler sweeps the outbox for due deliveries. */
export const DELIVERY_SWEEP_MINUTES = 5;

/**
 * The longest one send can take with every retry: each attempt times out, each wait is the
 * longest backoff or Retry-After the sender accepts, plus the budget it keeps for bookkeeping.
 * The notify timeout is above it, so a send under way is never cut by the timeout (the
 * handler itself stops starting sends well before).
 */
export function worstSendMs(policy = DEFAULT_RETRY): number {
  const waits = (policy.maxAttempts - 1) * Math.max(policy.maxDelayMs, policy.maxRetryAfterMs);
  return policy.maxAttempts * DELIVERY_TIMEOUT_MS + waits + SEND_BUDGET_MS;
}

/** The notify Lambda's timeout: a full send with its worst retries, and room for the rest of a batch. */
export const NOTIFY_TIMEOUT = Duration.seconds(Math.ceil((worstSendMs() + 60_000) / 1000));

export interface AlertsProps {
  readonly config: Config;
  readonly table: ITable;
  /** @default true */
  readonly bundle?: boolean;
}

/** Stream-triggered notifications to Slack and webhooks. */
export class Alerts extends Construct {
  readonly notifyFunction: PipelineFunction;
  /** Stream batches that exhausted their retries (metadata of the records, for replay). */
  readonly failureQueue: Queue;

  constructor(scope: Construct, id: string, props: AlertsProps) {
    super(scope, id);
    const { config, table } = props;

    this.notifyFunction = new PipelineFunction(this, 'Notify', {
      config,
      bundle: props.bundle,
      entry: 'functions/notify/handler.ts',
      description: 'newswatch: send new matched stories to Slack and webhooks',
      timeout: NOTIFY_TIMEOUT,
      environment: { TABLE_NAME: table.tableName },
    });
    // Reads clusters and stories; writes the delivery records that make retries send nothing twice.
    grantTableAccess(table, this.notifyFunction, TABLE_ACCESS.notify);
    grantSecretsRead(this.notifyFunction, this.notifyFunction, notifySecrets(config));

    // No Slack or webhook destination: nothing can be queued, nothing to sweep.
    if (destinationsOf(config).length > 0)
      new Schedule(this, 'DeliverySweep', {
        description: `newswatch: send due deliveries of the outbox every ${DELIVERY_SWEEP_MINUTES} minutes`,
        schedule: ScheduleExpression.rate(Duration.minutes(DELIVERY_SWEEP_MINUTES)),
        target: new LambdaInvoke(this.notifyFunction, {
          input: ScheduleTargetInput.fromObject({ kind: 'delivery-sweep', scheduledTime: ContextAttribute.scheduledTime }),
          retryAttempts: 1,
          // The next sweep supersedes a late one.
          maxEventAge: Duration.minutes(DELIVERY_SWEEP_MINUTES),
        }),
      });

    this.failureQueue = new Queue(this, 'NotifyFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.notifyFunction.addEventSource(
      new DynamoEventSource(table, {
        startingPosition: StartingPosition.LATEST,
        batchSize: 10,
        bisectBatchOnError: true,
        reportBatchItemFailures: true,
        retryAttempts: NOTIFY_RETRY_ATTEMPTS,
        maxRecordAge: NOTIFY_MAX_RECORD_AGE,
        onFailure: new SqsDlq(this.failureQueue),
        filters: [
          FilterCriteria.filter({
            eventName: FilterRule.isEqual('INSERT'),
            dynamodb: { NewImage: { [TABLE.alertAttribute]: { BOOL: FilterRule.isEqual(true) } } },
          }),
        ],
      }),
    );
  }
}
