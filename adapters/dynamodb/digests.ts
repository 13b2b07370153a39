// The daily digest's claims (shared/store/port.ts DigestStore).
//   DIGEST#<day>#<list> / DIGEST   a claim (with a lease), then sent, skipped or failed
import type { DigestRecord, DigestStore } from '../../shared/store/port.ts';
import { type Key, strip, type TableIo } from './table-io.ts';

const DEFAULT_LEASE_MS = 5 * 60_000;

const digestKey = (day: string, list: string): Key => ({ pk: `DIGEST#${day}#${list}`, sk: 'DIGEST' });

export function createDigests(io: TableIo): DigestStore {
  const { doc, tableName } = io;
  return {
    async claimDigest(day, listId, now, leaseMs = DEFAULT_LEASE_MS) {
      const cutoff = new Date(now.getTime() - leaseMs).toISOString();
      return io.conditional('claimDigest', () =>
        doc.update({
          TableName: tableName,
          Key: digestKey(day, listId),
          UpdateExpression: 'SET #st = :claimed, claimedAt = :now, #day = :day, listId = :list, kind = :kind',
          ConditionExpression: 'attribute_not_exists(pk) OR #st = :failed OR (#st = :claimed AND claimedAt < :cutoff)',
          ExpressionAttributeNames: { '#st': 'status', '#day': 'day' },
          ExpressionAttributeValues: {
            ':claimed': 'claimed',
            ':failed': 'failed',
            ':now': now.toISOString(),
            ':cutoff': cutoff,
            ':day': day,
            ':list': listId,
            ':kind': 'digest',
          },
        }),
      );
    },

    async finishDigest(record) {
      await io.send('finishDigest', () => doc.put({ TableName: tableName, Item: { ...record, ...digestKey(record.day, record.listId), kind: 'digest' } }));
    },

    async getDigest(day, listId) {
      const row = await io.get('getDigest', digestKey(day, listId));
      return row ? strip<DigestRecord>(row) : undefined;
    },
  };
}
