// Digest: for each email list, a Scheduler at the list's hour in Korea time invokes
// the digest Lambda (which sends through SES), and a second one 30 minutes later
// asks it to check the day's digest went out; the check emits the DigestLate metric.
import { Duration, TimeZone } from 'aws-cdk-lib';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ContextAttribute, Schedule, ScheduleExpression, ScheduleTargetInput } from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import { EmailIdentity } from 'aws-cdk-lib/aws-ses';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Config } from '../../shared/config/schema/index.ts';
import { PipelineFunction } from './pipeline-function.ts';
import { grantTableAccess, TABLE_ACCESS } from './table-access.ts';

/** Minutes after a list's hour at which a digest not yet sent raises the alarm. */
export const DIGEST_LATE_MINUTES = 30;

export interface DigestProps {
  readonly config: Config;
  readonly table: ITable;
  /** Where the Scheduler puts events it could not deliver. */
  readonly scheduleDlq: IQueue;
  /** @default true */
  readonly bundle?: boolean;
}

/** Daily email digests through SES. */
export class Digest extends Construct {
  readonly digestFunction: PipelineFunction;
  /** Digest events the function failed on, after Lambda's own retries (its on-failure destination). */
  readonly failureQueue: Queue;
  /** SES identities the function may send as (from each list's `from`). */
  readonly identities: string[];

  constructor(scope: Construct, id: string, props: DigestProps) {
    super(scope, id);
    const { config, table } = props;

    this.digestFunction = new PipelineFunction(this, 'Digest', {
      config,
      bundle: props.bundle,
      entry: 'functions/digest/handler.ts',
      description: 'newswatch: send the daily digest of each email list',
      timeout: Duration.minutes(2),
      memorySize: 512,
      environment: { TABLE_NAME: table.tableName },
    });
    // Reads the day's stories; writes the claim that makes the digest go out once a day.
    grantTableAccess(table, this.digestFunction, TABLE_ACCESS.digest);
    // Scheduler invokes asynchronously: a digest that fails after Lambda's two retries is kept here.
    this.failureQueue = new Queue(this, 'DigestFailures', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.digestFunction.configureAsyncInvoke({
      onFailure: new SqsDestination(this.failureQueue),
      retryAttempts: 2,
    });

    // Sending is allowed as the address or its domain: whichever the operator verified; the
    // digest goes out through SendRawEmail only (grantSendEmail would add ses:SendEmail).
    this.identities = [...new Set(config.delivery.email.flatMap((list) => sesIdentities(list.from)))].sort();
    this.identities.forEach((identity, i) => {
      EmailIdentity.fromEmailIdentityName(this, `Identity${i}`, identity).grant(this.digestFunction, 'ses:SendRawEmail');
    });

    for (const list of config.delivery.email) {
      if (!list.enabled) continue;
      const target = (input: Record<string, unknown>) =>
        new LambdaInvoke(this.digestFunction, {
          input: ScheduleTargetInput.fromObject({ ...input, listId: list.id, scheduledTime: ContextAttribute.scheduledTime }),
          retryAttempts: 3,
          maxEventAge: Duration.minutes(DIGEST_LATE_MINUTES - 5),
          deadLetterQueue: props.scheduleDlq,
        });
      new Schedule(this, `Send-${list.id}`, {
        description: `newswatch: digest of ${list.id} at ${list.hour}:00 Korea time`,
        schedule: ScheduleExpression.cron({ minute: '0', hour: String(list.hour), timeZone: TimeZone.ASIA_SEOUL }),
        target: target({ kind: 'digest-send' }),
      });
      new Schedule(this, `Check-${list.id}`, {
        description: `newswatch: check the ${list.id} digest went out by ${list.hour}:${DIGEST_LATE_MINUTES}`,
        schedule: ScheduleExpression.cron({
          minute: String(DIGEST_LATE_MINUTES),
          hour: String(list.hour),
          timeZone: TimeZone.ASIA_SEOUL,
        }),
        target: target({ kind: 'digest-check' }),
      });
    }
  }
}

/** The SES identities a `from` may be verified as: the address and its domain. */
export function sesIdentities(from: string): string[] {
  const address = (/<([^>]+)>/.exec(from)?.[1] ?? from).trim().toLowerCase();
  const domain = address.split('@')[1];
  return domain ? [address, domain] : [address];
}
