// Each function gets exactly the DynamoDB actions its code sends (adapters/dynamodb/client.ts
// sends six kinds of request, no more), through the table's own `grant`: no Scan, no
// DeleteItem, no DescribeTable, no `dynamodb:*`. A handler that starts calling a new
// operation adds it here, and the infra test shows the change.
import { type Grant, type IGrantable } from 'aws-cdk-lib/aws-iam';
import { type ITable } from 'aws-cdk-lib/aws-dynamodb';

/** The requests the store adapter makes: reads and writes. */
export const TABLE_READS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'] as const;
export const TABLE_WRITES = ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:BatchWriteItem'] as const;

/** What each function calls. */
export const TABLE_ACCESS = {
  /** listSourceStates: one Query. */
  dispatch: ['dynamodb:Query'],
  /** The whole pipeline: seen checks, clustering, story and state writes. */
  poll: [...TABLE_READS, ...TABLE_WRITES],
  /** Clusters, stories and the delivery outbox (conditional puts, leases by UpdateItem, the OUTBOX index by Query). */
  notify: [...TABLE_READS, ...TABLE_WRITES],
  /** storiesOfDay (Query), getDigest (GetItem), claimDigest (UpdateItem), finishDigest (PutItem). */
  digest: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:UpdateItem', 'dynamodb:PutItem'],
} as const satisfies Record<string, readonly string[]>;

/** Grants `fn` the named actions on the table and its indexes, and nothing else. */
export function grantTableAccess(table: ITable, fn: IGrantable, actions: readonly string[]): Grant {
  return table.grant(fn, ...actions);
}
