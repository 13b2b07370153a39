// The delivery outbox (shared/store/outbox-port.ts) over the single table, the same code on
// DynamoDB and dynalite: plain conditional updates, no transactions, TTL or streams.
//
//   DELIVERY#<storyId> / <destinationId>   the row (key unchanged from the old delivery record,
//                                          so a story delivered before the outbox is never re-sent)
// Open rows (pending, sending, failed) also carry the day index's keys:
//   gsi1pk = OUTBOX,           gsi1sk = <dueAt>#<storyId>#<destinationId>
// so "every due row" is one Query of one index partition, ordered by due time, whatever the
// story's day. A `sending` row's dueAt is its lease end: a dead sender's row comes due by itself.
// Given-up rows move to gsi1pk = OUTBOX#GIVEN-UP (gsi1sk = <gaveUpAt>#...); sent rows leave the index.
import type { Row, RowClient } from './client.ts';
import type { DeliveryRow, NewDelivery, Outbox } from '../../shared/store/outbox-port.ts';
import { TABLE } from './table.ts';

const OPEN = 'OUTBOX';
const GIVEN_UP = 'OUTBOX#GIVEN-UP';
const { partitionKey: GPK, sortKey: GSK, name: INDEX } = TABLE.dayIndex;

export interface OutboxTable {
  doc: RowClient;
  tableName: string;
  send<T>(operation: string, fn: () => Promise<T>): Promise<T>;
  conditional(operation: string, fn: () => Promise<unknown>): Promise<boolean>;
  queryAll(operation: string, input: Omit<Parameters<RowClient['query']>[0], 'TableName'>, limit?: number): Promise<Row[]>;
}

const key = (storyId: string, destinationId: string) => ({ pk: `DELIVERY#${storyId}`, sk: destinationId });
const indexSort = (at: string, storyId: string, destinationId: string) => `${at}#${storyId}#${destinationId}`;
const HIDDEN = new Set(['pk', 'sk', GPK, GSK, 'kind']);
/** The row's statuses as the update expressions name them. */
const STATUS: Row = { ':pending': 'pending', ':sending': 'sending', ':failed': 'failed', ':sent': 'sent', ':gaveUp': 'given-up' };

function rowOf(r: Row): DeliveryRow {
  const out: Row = {};
  for (const [k, v] of Object.entries(r)) if (!HIDDEN.has(k)) out[k] = v;
  const row = out as unknown as DeliveryRow;
  return { ...row, attempts: Number(row.attempts ?? 0) };
}

export function createOutbox(t: OutboxTable): Outbox {
  const { doc, tableName } = t;
  const names = { '#st': 'status', '#gpk': GPK, '#gsk': GSK, '#owner': 'owner' };

  /**
   * One conditional UpdateItem of a row. The names and status placeholders (`:pending`,
   * `:sending`, `:failed`, `:sent`, `:gaveUp`) the expressions use are filled in here:
   * DynamoDB refuses a request that defines one it does not use.
   */
  const update = (
    operation: string,
    storyId: string,
    destinationId: string,
    expr: { set: string; add?: string; remove?: string; condition: string; values: Row },
  ) => {
    const text = `${expr.set} ${expr.add ?? ''} ${expr.remove ?? ''} ${expr.condition}`;
    const used = <T>(placeholders: Record<string, T>) => Object.fromEntries(Object.entries(placeholders).filter(([p]) => new RegExp(`${p}(?!\\w)`).test(text)));
    return t.conditional(operation, () =>
      doc.update({
        TableName: tableName,
        Key: key(storyId, destinationId),
        UpdateExpression: `SET ${expr.set}${expr.add ? ` ADD ${expr.add}` : ''}${expr.remove ? ` REMOVE ${expr.remove}` : ''}`,
        ConditionExpression: expr.condition,
        ExpressionAttributeNames: used(names),
        ExpressionAttributeValues: { ...used(STATUS), ...expr.values },
      }),
    );
  };

  /** Back to pending and due at `at` (in the open index), from the states `condition` allows. */
  const requeue = (
    operation: string,
    storyId: string,
    destinationId: string,
    at: string,
    how: { set?: string; remove: string; condition: string; values?: Row },
  ) =>
    update(operation, storyId, destinationId, {
      set: `#st = :pending, dueAt = :at, updatedAt = :at, #gsk = :gsk${how.set ? `, ${how.set}` : ''}`,
      remove: how.remove,
      condition: how.condition,
      values: { ':at': at, ':gsk': indexSort(at, storyId, destinationId), ...how.values },
    });

  const queryIndex = (operation: string, pk: string, opts: { upTo?: string; newestFirst?: boolean; limit?: number } = {}) =>
    t.queryAll(
      operation,
      {
        IndexName: INDEX,
        KeyConditionExpression: opts.upTo ? '#gpk = :pk AND #gsk <= :upTo' : '#gpk = :pk',
        ExpressionAttributeNames: opts.upTo ? { '#gpk': GPK, '#gsk': GSK } : { '#gpk': GPK },
        ExpressionAttributeValues: { ':pk': pk, ...(opts.upTo ? { ':upTo': opts.upTo } : {}) },
        ...(opts.newestFirst ? { ScanIndexForward: false } : {}),
      },
      opts.limit,
    );

  const outbox: Outbox = {
    async enqueueDeliveries(rows, now) {
      const at = now.toISOString();
      const written = await Promise.all(
        rows.map((r: NewDelivery) =>
          t.conditional('enqueueDelivery', () =>
            doc.put({
              TableName: tableName,
              Item: {
                ...key(r.storyId, r.destinationId),
                kind: 'delivery',
                storyId: r.storyId,
                destinationId: r.destinationId,
                status: 'pending',
                attempts: 0,
                createdAt: at,
                updatedAt: at,
                dueAt: at,
                ...(r.publishedAt ? { publishedAt: r.publishedAt } : {}),
                [GPK]: OPEN,
                [GSK]: indexSort(at, r.storyId, r.destinationId),
              },
              // Any existing row wins: a sent alert is never queued again.
              ConditionExpression: 'attribute_not_exists(pk)',
            }),
          ),
        ),
      );
      return rows.filter((_, i) => written[i]);
    },

    async dueDeliveries(now, limit = 500) {
      // '~' sorts after '#': every row due at or before `now`, whatever follows the time.
      const rows = await queryIndex('dueDeliveries', OPEN, { upTo: `${now.toISOString()}~`, limit });
      return rows.map(rowOf);
    },

    async openDeliveries() {
      return (await queryIndex('openDeliveries', OPEN)).map(rowOf);
    },

    async givenUpDeliveries(limit = 100) {
      return (await queryIndex('givenUpDeliveries', GIVEN_UP, { newestFirst: true, limit })).map(rowOf);
    },

    async getDelivery(storyId, destinationId) {
      const row = await t.send('getDelivery', () => doc.get(tableName, key(storyId, destinationId), true));
      return row ? rowOf(row) : undefined;
    },

    async claimDelivery(storyId, destinationId, owner, now, leaseMs) {
      const at = now.toISOString();
      const until = new Date(now.getTime() + leaseMs).toISOString();
      const ok = await update('claimDelivery', storyId, destinationId, {
        set: '#st = :sending, #owner = :owner, dueAt = :until, updatedAt = :at, #gsk = :gsk',
        add: 'attempts :one',
        // Due (its next attempt or its lease has come) and still open: one claimer wins.
        condition: '#st IN (:pending, :failed, :sending) AND dueAt <= :at',
        values: { ':owner': owner, ':until': until, ':at': at, ':gsk': indexSort(until, storyId, destinationId), ':one': 1 },
      });
      if (!ok) return undefined;
      const row = await outbox.getDelivery(storyId, destinationId);
      return row?.owner === owner ? row : undefined;
    },

    async markSent(storyId, destinationId, now) {
      const at = now.toISOString();
      await update('markSent', storyId, destinationId, {
        set: '#st = :sent, sentAt = :at, updatedAt = :at',
        remove: '#gpk, #gsk, #owner, dueAt, lastError',
        condition: 'attribute_exists(pk)',
        values: { ':at': at },
      });
    },

    async markFailed(storyId, destinationId, owner, now, error, nextAttemptAt) {
      const next = nextAttemptAt.toISOString();
      // The lease owner's outcome counts; a row nobody holds (deferred unsent) may be rescheduled.
      const condition = owner === undefined ? '#st IN (:pending, :failed)' : '#st = :sending AND #owner = :owner';
      return update('markFailed', storyId, destinationId, {
        set: '#st = :failed, lastError = :error, dueAt = :next, updatedAt = :at, #gsk = :gsk',
        remove: '#owner',
        condition,
        values: {
          ':error': error,
          ':next': next,
          ':at': now.toISOString(),
          ':gsk': indexSort(next, storyId, destinationId),
          ...(owner === undefined ? {} : { ':owner': owner }),
        },
      });
    },

    async noteWaiting(storyId, destinationId, now, reason) {
      await update('noteWaiting', storyId, destinationId, {
        set: 'lastError = :reason, updatedAt = :at',
        condition: '#st IN (:pending, :failed)',
        values: { ':reason': reason, ':at': now.toISOString() },
      });
    },

    async giveUp(storyId, destinationId, now, reason) {
      const at = now.toISOString();
      await update('giveUp', storyId, destinationId, {
        set: '#st = :gaveUp, gaveUpAt = :at, updatedAt = :at, lastError = :reason, #gpk = :gpk, #gsk = :gsk',
        remove: '#owner, dueAt',
        condition: '#st IN (:pending, :failed, :sending)',
        values: {
          ':at': at,
          ':reason': reason,
          ':gpk': GIVEN_UP,
          ':gsk': indexSort(at, storyId, destinationId),
        },
      });
    },

    async markReported(storyId, destinationId, now) {
      await update('markReported', storyId, destinationId, {
        set: 'reportedAt = :at',
        condition: '#st = :gaveUp',
        values: { ':at': now.toISOString() },
      });
    },

    async releaseLeases(now) {
      const at = now.toISOString();
      const open = await outbox.openDeliveries();
      let released = 0;
      for (const r of open.filter((x) => x.status === 'sending')) {
        const ok = await requeue('releaseLeases', r.storyId, r.destinationId, at, { remove: '#owner', condition: '#st = :sending' });
        if (ok) released++;
      }
      return released;
    },

    async retryDelivery(storyId, destinationId, now) {
      return requeue('retryDelivery', storyId, destinationId, now.toISOString(), {
        set: 'retriedAt = :at, #gpk = :gpk',
        remove: 'gaveUpAt, reportedAt',
        condition: '#st IN (:pending, :failed, :gaveUp)',
        values: { ':gpk': OPEN },
      });
    },
  };
  return outbox;
}
