// Alerts: the table stream invokes the notify Lambda for each new matched cluster
// leader. The database decided "new" (the conditional write won); the filter keeps
// every other write (seen markers, source state, members) from invoking anything.
import { Duration } from 'aws-cdk-lib';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';
import { FilterCriteria, FilterRule, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { DynamoEventSource, SqsDlq } from 'aws-cdk-lib/aws-lambda-event-sources';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Config } from '../../shared/config/schema/index.ts';
import { TABLE } from '../../shared/store/table.ts';
import { PipelineFunction } from './pipeline-function.ts';
import { grantSecretsRead, notifySecrets } from './secrets.ts';

/** Retries of a failing stream batch (bisected each time) before it goes to the failure queue. */
export const NOTIFY_RETRY_ATTEMPTS = 5;
/** An alert older than this is news no more: it goes to the failure queue instead. */
export const NOTIFY_MAX_RECORD_AGE = Duration.hours(6);

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
      timeout: Duration.minutes(1),
      environment: { TABLE_NAME: table.tableName },
    });
    // Reads clusters and stories; writes the delivery records that make retries send nothing twice.
    table.grantReadWriteData(this.notifyFunction);
    grantSecretsRead(this.notifyFunction, this.notifyFunction, notifySecrets(config));

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
