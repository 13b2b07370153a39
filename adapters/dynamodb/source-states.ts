// Each source's health and caching state (shared/store/port.ts SourceStateStore).
//   SOURCE / <sourceId>   source state, with the ids its feed listed last: one partition, so
//                         listing every source is one Query
import type { SourceState, SourceStateStore } from '../../shared/store/port.ts';
import type { Row } from './client.ts';
import { joinIds, type Key, splitIds, strip, type TableIo } from './table-io.ts';

const sourceKey = (id: string): Key => ({ pk: 'SOURCE', sk: id });

export const sourceRow = (state: SourceState): Row => ({ ...state, listed: joinIds(state.listed), ...sourceKey(state.id), kind: 'source' });

function sourceFromRow(row: Row): SourceState {
  const state = strip<SourceState>(row);
  const listed = splitIds(row['listed']);
  return listed ? { ...state, listed } : state;
}

export function createSourceStates(io: TableIo): SourceStateStore {
  const { doc, tableName } = io;
  return {
    async getSourceState(id) {
      const row = await io.get('getSourceState', sourceKey(id));
      return row ? sourceFromRow(row) : undefined;
    },

    async putSourceStates(states) {
      await io.batchPut('putSourceStates', states.map(sourceRow));
    },

    async putSourceState(state) {
      await io.send('putSourceState', () => doc.put({ TableName: tableName, Item: sourceRow(state) }));
    },

    async listSourceStates() {
      const rows = await io.queryAll('listSourceStates', {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SOURCE' },
        ConsistentRead: true,
      });
      return rows.map(sourceFromRow);
    },
  };
}
