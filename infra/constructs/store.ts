// The one table (docs/architecture.md#data-model). Stateful: it lives in its own stack and is retained
// when the stack goes, so no deploy or teardown of the functions can lose data.
import { RemovalPolicy } from 'aws-cdk-lib';
import { AttributeType, BillingMode, StreamViewType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import { TABLE } from '../../adapters/dynamodb/table.ts';

export interface StoreProps {
  /** @default RemovalPolicy.RETAIN */
  readonly removalPolicy?: RemovalPolicy;
}

/** The newswatch table: on-demand, byDay index, TTL, point-in-time recovery, new-image stream. */
export class Store extends Construct {
  readonly table: Table;

  constructor(scope: Construct, id: string, props: StoreProps = {}) {
    super(scope, id);
    this.table = new Table(this, 'Table', {
      partitionKey: { name: TABLE.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.sortKey, type: AttributeType.STRING },
      billingMode: BillingMode.PAY_PER_REQUEST,
      timeToLiveAttribute: TABLE.ttlAttribute,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      // The notify Lambda needs the written story, not the old one (there is none on INSERT).
      stream: StreamViewType.NEW_IMAGE,
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
      // RETAIN keeps it when the stack goes; this keeps it from a console click or a stray API call.
      deletionProtection: true,
    });
    this.table.addGlobalSecondaryIndex({
      indexName: TABLE.dayIndex.name,
      partitionKey: { name: TABLE.dayIndex.partitionKey, type: AttributeType.STRING },
      sortKey: { name: TABLE.dayIndex.sortKey, type: AttributeType.STRING },
    });
  }
}
