// The requests every part of the DynamoDB store makes, counted per operation and with vendor
// errors translated: single reads and writes, batch reads and writes (chunked to DynamoDB's
// limits, unprocessed keys retried with backoff), paginated queries, and the day index's
// partitions. Each concern's module (stories.ts, source-states.ts, poll-records.ts,
// clusters.ts, digests.ts, outbox.ts) gets one of these.
import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { setTimeout as sleep } from 'node:timers/promises';
import { StoreError } from '../../shared/store/errors.ts';
import { type Row, type RowClient, rowClient } from './client.ts';
import { toStoreError } from './errors.ts';
import { TABLE } from './table.ts';

export type Key = { pk: string; sk: string };
export type QueryInput = Omit<Parameters<RowClient['query']>[0], 'TableName'>;

const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_RETRIES = 8;

export interface TableIo {
  doc: RowClient;
  tableName: string;
  /** Requests made so far, by operation (for benchmarks and status). */
  calls: Record<string, number>;
  /** Runs one request, counted under `operation`; errors become StoreError (a failed condition is passed through). */
  send<T>(operation: string, fn: () => Promise<T>): Promise<T>;
  /** Conditional write: true when it happened, false when the condition failed. */
  conditional(operation: string, fn: () => Promise<unknown>): Promise<boolean>;
  /** A strongly consistent GetItem. */
  get(operation: string, key: Key): Promise<Row | undefined>;
  /** BatchGetItem in chunks of 100; returns rows by `pk|sk`. */
  batchGet(operation: string, keys: Key[], projection?: string[]): Promise<Map<string, Row>>;
  /** BatchWriteItem in chunks of 25 puts; the last row for a key wins. */
  batchPut(operation: string, rows: Row[]): Promise<void>;
  /** Every page of a Query (up to `limit` rows). */
  queryAll(operation: string, input: QueryInput, limit?: number): Promise<Row[]>;
  /** Every row of the table's partitions `pks`, queried at once. */
  queryPartitions(operation: string, pks: string[]): Promise<Row[]>;
  /** The rows of the day-index partitions `<prefix>#<day>` of `days`, queried at once, each partition newest first. */
  queryDays(operation: string, prefix: string, days: string[], projection?: string): Promise<Row[]>;
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

/** Retries `attempt` (which returns what is left to do) with backoff until nothing is left. */
async function untilDone<T>(operation: string, tableName: string, what: string, pending: T[], attempt: (pending: T[]) => Promise<T[]>): Promise<void> {
  for (let n = 0; pending.length > 0; n++) {
    if (n > MAX_BATCH_RETRIES) {
      throw new StoreError(operation, `${pending.length} ${what} still unprocessed after ${MAX_BATCH_RETRIES} retries [table ${tableName}]`, {
        retryable: true,
      });
    }
    if (n > 0) await sleep(Math.min(1000, 25 * 2 ** n));
    pending = await attempt(pending);
  }
}

export function createTableIo(client: DynamoDBClient, tableName: string): TableIo {
  const doc = rowClient(client);
  const calls: Record<string, number> = {};

  async function send<T>(operation: string, fn: () => Promise<T>): Promise<T> {
    calls[operation] = (calls[operation] ?? 0) + 1;
    try {
      return await fn();
    } catch (err) {
      if (isConditionFailure(err)) throw err;
      throw toStoreError(operation, tableName, err);
    }
  }

  const io: TableIo = {
    doc,
    tableName,
    calls,
    send,

    async conditional(operation, fn) {
      try {
        await send(operation, fn);
        return true;
      } catch (err) {
        if (isConditionFailure(err)) return false;
        throw err;
      }
    },

    get: (operation, key) => send(operation, () => doc.get(tableName, key, true)),

    async batchGet(operation, keys, projection) {
      const out = new Map<string, Row>();
      const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
      const names: Record<string, string> = {};
      const expr = projection?.map((p, j) => {
        names[`#p${j}`] = p;
        return `#p${j}`;
      });
      for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
        await untilDone(operation, tableName, 'keys', unique.slice(i, i + BATCH_GET_LIMIT) as Row[], async (pending) => {
          const r = await send(operation, () => doc.batchGet(tableName, pending, { projection: expr?.join(','), names }));
          for (const row of r.items) out.set(`${row['pk']}|${row['sk']}`, row);
          return r.unprocessed;
        });
      }
      return out;
    },

    async batchPut(operation, all) {
      // A batch may not name one key twice (DynamoDB refuses it): the last row for a key wins, as in sequential puts.
      const rows = [...new Map(all.map((r) => [`${String(r['pk'])}|${String(r['sk'])}`, r])).values()];
      for (let i = 0; i < rows.length; i += BATCH_WRITE_LIMIT) {
        await untilDone(operation, tableName, 'writes', rows.slice(i, i + BATCH_WRITE_LIMIT), async (pending) => {
          const r = await send(operation, () => doc.batchPut(tableName, pending));
          return r.unprocessed;
        });
      }
    },

    async queryAll(operation, input, limit = Infinity) {
      const out: Row[] = [];
      let start: Row | undefined;
      do {
        const r = await send(operation, () => doc.query({ ...input, TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
        out.push(...r.items);
        start = r.lastKey;
      } while (start && out.length < limit);
      return out.slice(0, limit);
    },

    async queryPartitions(operation, pks) {
      const perPk = await Promise.all(
        pks.map((pk) => io.queryAll(operation, { KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': pk } })),
      );
      return perPk.flat();
    },

    async queryDays(operation, prefix, days, projection) {
      const perDay = await Promise.all(
        days.map((day) =>
          io.queryAll(operation, {
            IndexName: TABLE.dayIndex.name,
            KeyConditionExpression: '#pk = :pk',
            ExpressionAttributeNames: { '#pk': TABLE.dayIndex.partitionKey },
            ExpressionAttributeValues: { ':pk': `${prefix}#${day}` },
            ScanIndexForward: false,
            ...(projection ? { ProjectionExpression: projection } : {}),
          }),
        ),
      );
      return perDay.flat();
    },
  };
  return io;
}

const KEY_ATTRS = new Set(['pk', 'sk', TABLE.dayIndex.partitionKey, TABLE.dayIndex.sortKey, TABLE.alertAttribute, 'kind', TABLE.ttlAttribute]);

/** A row without its keys, index keys and bookkeeping attributes: the record it stores. */
export function strip<T>(row: Row): T {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!KEY_ATTRS.has(k)) out[k] = v;
  return out as T;
}

// Id lists are stored as one space-separated string: one attribute to encode instead of one
// per id (a source lists 30-100 ids, a fingerprint has 50 keys), less CPU on every write.
export const joinIds = (ids: string[] | undefined): string | undefined => (ids && ids.length > 0 ? ids.join(' ') : undefined);
export const splitIds = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? value.split(' ').filter((id) => id.length > 0) : Array.isArray(value) ? value.map(String) : undefined;
