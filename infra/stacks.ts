// Two stacks: the stateful one (the table) and the stateless one (functions, queues,
// schedules, alarms). The stacks only compose constructs; redeploying or destroying
// the stateless stack never touches the data.
import { CfnOutput, Duration, Fn, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import { type ITable, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Config } from '../shared/config/schema/index.ts';
import { Alerts } from './constructs/alerts.ts';
import { Digest } from './constructs/digest.ts';
import { Monitoring } from './constructs/monitoring.ts';
import { Polling } from './constructs/polling.ts';
import { Store } from './constructs/store.ts';
import { TABLE } from '../adapters/dynamodb/table.ts';

/** The table, retained on stack deletion. */
export class DataStack extends Stack {
  readonly store: Store;

  constructor(scope: Construct, id: string, props: StackProps & { removalPolicy?: RemovalPolicy } = {}) {
    super(scope, id, { terminationProtection: true, ...props });
    this.store = new Store(this, 'Store', { removalPolicy: props.removalPolicy });
    // Named exports: the service stack imports these by name, so the two stacks stay
    // independent templates and the names in IAM policies are stable.
    const table = this.store.table;
    new CfnOutput(this, 'TableName', { value: table.tableName, exportName: tableExports(this.stackName).name });
    new CfnOutput(this, 'TableArn', { value: table.tableArn, exportName: tableExports(this.stackName).arn });
    new CfnOutput(this, 'TableStreamArn', { value: table.tableStreamArn!, exportName: tableExports(this.stackName).streamArn });
  }
}

/** Export names of the table's name, ARN and stream ARN. */
export function tableExports(dataStackName: string): { name: string; arn: string; streamArn: string } {
  return { name: `${dataStackName}-TableName`, arn: `${dataStackName}-TableArn`, streamArn: `${dataStackName}-TableStreamArn` };
}

export interface ServiceStackProps extends StackProps {
  readonly config: Config;
  /** Name of the DataStack whose table this stack uses (through its named exports). */
  readonly dataStackName: string;
  /** Bundle the Lambda code with esbuild; template tests turn it off. @default true */
  readonly bundle?: boolean;
}

/** Polling, alerts, digest and monitoring over the table of the DataStack. */
export class ServiceStack extends Stack {
  readonly polling: Polling;
  readonly alerts: Alerts;
  readonly digest: Digest;
  readonly monitoring: Monitoring;
  readonly scheduleDlq: Queue;
  readonly table: ITable;
  readonly dataStackName: string;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    super(scope, id, props);
    const { config, bundle } = props;
    this.dataStackName = props.dataStackName;
    const names = tableExports(props.dataStackName);
    const table = Table.fromTableAttributes(this, 'Table', {
      tableArn: Fn.importValue(names.arn),
      tableStreamArn: Fn.importValue(names.streamArn),
      globalIndexes: [TABLE.dayIndex.name],
    });
    this.table = table;

    this.scheduleDlq = new Queue(this, 'ScheduleDlq', {
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    this.polling = new Polling(this, 'Polling', { config, table, bundle, scheduleDlq: this.scheduleDlq });
    this.alerts = new Alerts(this, 'Alerts', { config, table, bundle });
    this.digest = new Digest(this, 'Digest', { config, table, bundle, scheduleDlq: this.scheduleDlq });
    this.monitoring = new Monitoring(this, 'Monitoring', {
      config,
      deadLetterQueues: {
        PollDlq: this.polling.deadLetterQueue,
        NotifyFailureQueue: this.alerts.failureQueue,
        ScheduleDlq: this.scheduleDlq,
        DispatchFailureQueue: this.polling.dispatchFailureQueue,
        DigestFailureQueue: this.digest.failureQueue,
      },
      dispatchFunction: this.polling.dispatchFunction,
      pollQueue: this.polling.queue,
      pollFunction: this.polling.pollFunction,
      notifyFunction: this.alerts.notifyFunction,
      digestFunction: this.digest.digestFunction,
      tickMinutes: this.polling.tickMinutes,
    });
  }
}
