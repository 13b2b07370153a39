// The DynamoDB client as the store uses it: plain JavaScript rows in and out, marshalled
// here with util-dynamodb. Not lib-dynamodb's document client: its marshalling middleware
// forbids the SDK's middleware cache, so every request rebuilt its middleware stack. With
// the cache and the quiet logger below a batch write costs ~30% less CPU (docs/benchmarks.md).
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
  type AttributeValue,
  type DynamoDBClientConfig,
  type PutItemCommandInput,
  type QueryCommandInput,
  type UpdateItemCommandInput,
} from '@aws-sdk/client-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';

/** A table row as plain JavaScript (strings, numbers, booleans, Uint8Array, lists, maps). */
export type Row = Record<string, unknown>;
type Marshalled = Record<string, AttributeValue>;

/**
 * The SDK's logger middleware filters every request and response through the operation
 * schema for an `info` line, even when the logger drops it (the default no-op logger has
 * `info`). It calls `info` and `error` only if present: without them nothing is walked.
 * Warnings and debug lines are dropped, as by the default logger.
 */
const quietLogger = { debug() {}, trace() {}, warn() {} } as unknown as NonNullable<DynamoDBClientConfig['logger']>;

/**
 * A DynamoDB client for the store. `cacheMiddleware` resolves each command's middleware once
 * instead of per request: add any middleware (request counters) before the first request.
 */
export function createDynamoClient(config: DynamoDBClientConfig = {}): DynamoDBClient {
  return new DynamoDBClient({ cacheMiddleware: true, logger: quietLogger, ...config });
}

const toItem = (row: Row): Marshalled => marshall(row, { removeUndefinedValues: true, convertClassInstanceToMap: false });
const fromItem = (item: Marshalled): Row => unmarshall(item);
const values = (v: Row | undefined) => (v ? { ExpressionAttributeValues: toItem(v) } : {});

/** Row-shaped inputs: the raw command's input with keys, items and values as plain objects. */
type WithRows<T, K extends keyof T> = Omit<T, K> & { [P in K]?: Row };

/** The requests the store makes, on plain rows. */
export interface RowClient {
  get(tableName: string, key: Row, consistent: boolean): Promise<Row | undefined>;
  put(input: WithRows<Omit<PutItemCommandInput, 'Item'>, 'ExpressionAttributeValues'> & { Item: Row }): Promise<void>;
  update(input: WithRows<Omit<UpdateItemCommandInput, 'Key'>, 'ExpressionAttributeValues'> & { Key: Row }): Promise<void>;
  query(input: WithRows<QueryCommandInput, 'ExpressionAttributeValues' | 'ExclusiveStartKey'>): Promise<{ items: Row[]; lastKey?: Row }>;
  /** One BatchGetItem (at most 100 keys); `unprocessed` are the keys to ask again. */
  batchGet(tableName: string, keys: Row[], options: { projection?: string; names?: Record<string, string> }): Promise<{ items: Row[]; unprocessed: Row[] }>;
  /** One BatchWriteItem of puts (at most 25 rows); `unprocessed` are the rows to write again. */
  batchPut(tableName: string, rows: Row[]): Promise<{ unprocessed: Row[] }>;
  /** Whether the table holds any row (a Scan of one key). */
  hasRows(tableName: string): Promise<boolean>;
}

export function rowClient(client: DynamoDBClient): RowClient {
  return {
    async get(TableName, key, ConsistentRead) {
      const r = await client.send(new GetItemCommand({ TableName, Key: toItem(key), ConsistentRead }));
      return r.Item ? fromItem(r.Item) : undefined;
    },
    async put({ Item, ExpressionAttributeValues, ...rest }) {
      await client.send(new PutItemCommand({ ...rest, Item: toItem(Item), ...values(ExpressionAttributeValues) }));
    },
    async update({ Key, ExpressionAttributeValues, ...rest }) {
      await client.send(new UpdateItemCommand({ ...rest, Key: toItem(Key), ...values(ExpressionAttributeValues) }));
    },
    async query({ ExpressionAttributeValues, ExclusiveStartKey, ...rest }) {
      const r = await client.send(
        new QueryCommand({ ...rest, ...values(ExpressionAttributeValues), ...(ExclusiveStartKey ? { ExclusiveStartKey: toItem(ExclusiveStartKey) } : {}) }),
      );
      return { items: (r.Items ?? []).map(fromItem), ...(r.LastEvaluatedKey ? { lastKey: fromItem(r.LastEvaluatedKey) } : {}) };
    },
    async batchGet(tableName, keys, { projection, names }) {
      const r = await client.send(
        new BatchGetItemCommand({
          RequestItems: {
            [tableName]: {
              Keys: keys.map(toItem),
              ConsistentRead: true,
              ...(projection ? { ProjectionExpression: projection, ExpressionAttributeNames: names } : {}),
            },
          },
        }),
      );
      return {
        items: (r.Responses?.[tableName] ?? []).map(fromItem),
        unprocessed: (r.UnprocessedKeys?.[tableName]?.Keys ?? []).map(fromItem),
      };
    },
    async batchPut(tableName, rows) {
      const r = await client.send(new BatchWriteItemCommand({ RequestItems: { [tableName]: rows.map((row) => ({ PutRequest: { Item: toItem(row) } })) } }));
      const left = r.UnprocessedItems?.[tableName] ?? [];
      return { unprocessed: left.flatMap((w) => (w.PutRequest?.Item ? [fromItem(w.PutRequest.Item)] : [])) };
    },
    async hasRows(TableName) {
      const r = await client.send(new ScanCommand({ TableName, Limit: 1, ConsistentRead: true, ProjectionExpression: 'pk' }));
      return (r.Items?.length ?? 0) > 0 || r.LastEvaluatedKey !== undefined;
    },
  };
}
