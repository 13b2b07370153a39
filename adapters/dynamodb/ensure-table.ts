// Creating the table (the CLI's embedded store, tests); on AWS the CDK stack creates it.
import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceInUseException, ResourceNotFoundException } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../shared/store/errors.ts';
import { toStoreError } from './errors.ts';
import { TABLE } from './table.ts';

/** Creates the newswatch table exactly as adapters/dynamodb/table.ts describes, unless it exists. */
export async function ensureTable(client: DynamoDBClient, tableName: string): Promise<void> {
  try {
    await client.send(new DescribeTableCommand({ TableName: tableName }));
    return;
  } catch (err) {
    if (!(err instanceof ResourceNotFoundException) && (err as { name?: string })?.name !== 'ResourceNotFoundException') {
      throw toStoreError('ensureTable', tableName, err);
    }
  }
  const { partitionKey, sortKey, dayIndex } = TABLE;
  try {
    await client.send(
      new CreateTableCommand({
        TableName: tableName,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: partitionKey, AttributeType: 'S' },
          { AttributeName: sortKey, AttributeType: 'S' },
          { AttributeName: dayIndex.partitionKey, AttributeType: 'S' },
          { AttributeName: dayIndex.sortKey, AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: partitionKey, KeyType: 'HASH' },
          { AttributeName: sortKey, KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: dayIndex.name,
            KeySchema: [
              { AttributeName: dayIndex.partitionKey, KeyType: 'HASH' },
              { AttributeName: dayIndex.sortKey, KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
      }),
    );
  } catch (err) {
    // Another process created it between our describe and create: fine.
    if (!(err instanceof ResourceInUseException) && (err as { name?: string })?.name !== 'ResourceInUseException') {
      throw toStoreError('ensureTable', tableName, err);
    }
  }
  // Wait for ACTIVE (dynalite with createTableMs: 0 is immediate; AWS takes seconds).
  for (let i = 0; i < 120; i++) {
    const d = await client.send(new DescribeTableCommand({ TableName: tableName }));
    if (d.Table?.TableStatus === 'ACTIVE') return;
    await sleep(i < 10 ? 50 : 500);
  }
  throw new StoreError('ensureTable', `table ${tableName} did not become ACTIVE`, { retryable: true });
}
