// Polling: Scheduler tick (Asia/Seoul) → dispatch Lambda → SQS, one message per due
// source → poll Lambda. The queue decouples the fan-out so one slow outlet never
// delays the others, and its DLQ keeps any source message that keeps failing.
import { Duration, TimeZone } from 'aws-cdk-lib';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Config } from '../../shared/config/schema/index.ts';
import { PipelineFunction } from './pipeline-function.ts';
import { grantSecretsRead, pollSecrets } from './secrets.ts';
import { grantTableAccess, TABLE_ACCESS } from './table-access.ts';

/** Poll Lambda timeout: one feed, its article pages at 4 at a time, within the fetch timeouts. */
export const POLL_TIMEOUT = Duration.minutes(2);
/** Sources one poll invocation handles (polled concurrently, each a different outlet). */
export const POLL_BATCH_SIZE = 5;
/** Deliveries of one source message before it goes to the DLQ. */
export const POLL_MAX_RECEIVES = 3;

export interface PollingProps {
  readonly config: Config;
  readonly table: ITable;
  /** Where the Scheduler puts tick events it could not deliver. */
  readonly scheduleDlq: IQueue;
  /** @default true */
  readonly bundle?: boolean;
}

/** The scheduled fan-out of source polls. */
export class Polling extends Construct {
  readonly dispatchFunction: PipelineFunction;
  readonly pollFunction: PipelineFunction;
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  /** Tick events the dispatch Lambda failed on, after Lambda's own retries (its on-failure destination). */
  readonly dispatchFailureQueue: Queue;
  /** Minutes between dispatch ticks. */
  readonly tickMinutes: number;

  constructor(scope: Construct, id: string, props: PollingProps) {
    super(scope, id);
    const { config, table } = props;
    const common = { config, bundle: props.bundle };

    this.deadLetterQueue = new Queue(this, 'PollDlq', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.queue = new Queue(this, 'PollQueue', {
      // AWS: at least 6x the function timeout, so a message is not redelivered while a
      // throttled or retried invocation is still working on it.
      visibilityTimeout: Duration.seconds(POLL_TIMEOUT.toSeconds() * 6),
      // A message older than a tick is stale: the next tick queues the source afresh.
      retentionPeriod: Duration.hours(1),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: POLL_MAX_RECEIVES },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });

    this.dispatchFunction = new PipelineFunction(this, 'Dispatch', {
      ...common,
      entry: 'functions/dispatch/handler.ts',
      description: 'newswatch: queue one poll message per due source',
      timeout: Duration.seconds(30),
      environment: { TABLE_NAME: table.tableName, QUEUE_URL: this.queue.queueUrl },
    });
    grantTableAccess(table, this.dispatchFunction, TABLE_ACCESS.dispatch);
    this.queue.grantSendMessages(this.dispatchFunction);
    // The Scheduler invokes dispatch asynchronously: an error is retried twice by Lambda,
    // then the event lands here (and its depth alarm fires) instead of vanishing.
    this.dispatchFailureQueue = new Queue(this, 'DispatchFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.dispatchFunction.configureAsyncInvoke({
      onFailure: new SqsDestination(this.dispatchFailureQueue),
      retryAttempts: 2,
    });

    this.pollFunction = new PipelineFunction(this, 'Poll', {
      ...common,
      entry: 'functions/poll/handler.ts',
      description: 'newswatch: poll sources end to end and store new stories',
      timeout: POLL_TIMEOUT,
      memorySize: 512,
      environment: { TABLE_NAME: table.tableName },
    });
    grantTableAccess(table, this.pollFunction, TABLE_ACCESS.poll);
    grantSecretsRead(this.pollFunction, this.pollFunction, pollSecrets(config));
    this.pollFunction.addEventSource(
      new SqsEventSource(this.queue, {
        batchSize: POLL_BATCH_SIZE,
        reportBatchItemFailures: true,
        // At most this many poll Lambdas at once, whatever the backlog: outlets see a
        // bounded number of newswatch clients, and the table a bounded write rate.
        maxConcurrency: config.deploy.pollConcurrency,
      }),
    );

    this.tickMinutes = tickMinutes(config);
    new Schedule(this, 'Tick', {
      description: `newswatch: dispatch due sources every ${this.tickMinutes} minutes`,
      schedule: tickExpression(this.tickMinutes),
      target: new LambdaInvoke(this.dispatchFunction, {
        input: ScheduleTargetInput.fromObject({ kind: 'poll-tick', scheduledTime: ContextAttribute.scheduledTime }),
        retryAttempts: 2,
        // A tick older than the interval is superseded by the next one.
        maxEventAge: Duration.minutes(Math.max(1, this.tickMinutes)),
        deadLetterQueue: props.scheduleDlq,
      }),
    });
  }
}

/** The dispatch interval: the shortest poll interval of any source, at most hourly. */
export function tickMinutes(config: Config): number {
  const intervals = [config.settings.pollMinutes, ...config.sources.flatMap((s) => (s.pollMinutes ? [s.pollMinutes] : []))];
  return Math.min(60, ...intervals);
}

/** A cron in Korea time: minutes 0, N, 2N… of every hour (hourly from 60 minutes up). */
export function tickExpression(minutes: number): ScheduleExpression {
  const minute = minutes >= 60 ? '0' : minutes === 1 ? '*' : `0/${minutes}`;
  return ScheduleExpression.cron({ minute, timeZone: TimeZone.ASIA_SEOUL });
}
