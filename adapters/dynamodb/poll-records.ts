// What polls write back beside their stories, and its reads (shared/store/port.ts PollRecordStore).
//   SEEN#<id> / SEEN   an item whose article page was fetched and matched nothing; expiresAt (epoch s) = TTL
//   KEPT#DAY#<day>     the polls' unmatched items for `tune` (kept.ts)
// and the source's state (source-states.ts), all in the batch writes `savePolls` shares
// among the polls of a cycle.
import type { PageRecord, PollRecordStore, UnmatchedItem } from '../../shared/store/port.ts';
import type { Row } from './client.ts';
import { DAYS_AT_ONCE, inWindow, keptDays } from './day-window.ts';
import { itemsOfKeptRow, KEPT_PARTITION, keptRows, LEGACY_KEPT_INDEX, latestSeen } from './kept.ts';
import { sourceRow } from './source-states.ts';
import { storyKey } from './stories.ts';
import type { Key, TableIo } from './table-io.ts';
import { TABLE } from './table.ts';

const seenKey = (id: string): Key => ({ pk: `SEEN#${id}`, sk: 'SEEN' });

export function createPollRecords(io: TableIo): PollRecordStore {
  return {
    async pageRecords(ids) {
      const out = new Map<string, PageRecord>();
      if (ids.length === 0) return out;
      const keys = ids.flatMap((id) => [storyKey(id), seenKey(id)]);
      const rows = await io.batchGet('pageRecords', keys, ['pk', 'sk', TABLE.ttlAttribute]);
      for (const id of ids) {
        const story = rows.has(`STORY#${id}|STORY`);
        const seen = rows.get(`SEEN#${id}|SEEN`);
        if (story || seen) out.set(id, { story, ...(seen ? { seenUntil: new Date(Number(seen[TABLE.ttlAttribute]) * 1000) } : {}) });
      }
      return out;
    },

    async savePolls(records) {
      const rows: Row[] = [];
      // The kept items of all the polls in the batch go in as few rows as they fit (by keep days).
      const kept = new Map<number, UnmatchedItem[]>();
      for (const { at, state, seen, keep } of records) {
        if (seen && seen.ids.length > 0) {
          const expiresAt = Math.floor(at.getTime() / 1000 + seen.ttlDays * 86_400);
          const seenAt = at.toISOString();
          rows.push(...[...new Set(seen.ids)].map((id) => ({ ...seenKey(id), kind: 'seen', id, seenAt, [TABLE.ttlAttribute]: expiresAt })));
        }
        if (keep && keep.days > 0 && keep.items.length > 0) {
          const items = kept.get(keep.days);
          if (items) items.push(...keep.items);
          else kept.set(keep.days, [...keep.items]);
        }
        if (state) rows.push(sourceRow(state));
      }
      for (const [days, items] of kept) rows.push(...keptRows(items, days));
      await io.batchPut('savePolls', rows);
    },

    async listUnmatched(window) {
      const now = window.now ?? new Date();
      const nowS = Math.floor(now.getTime() / 1000);
      const days = keptDays(window, now);
      const items: UnmatchedItem[] = [];
      for (let i = 0; i < days.length; i += DAYS_AT_ONCE) {
        const some = days.slice(i, i + DAYS_AT_ONCE);
        // The table's day partitions, and the index's for rows of the earlier layouts.
        const [rows, legacy] = await Promise.all([
          io.queryPartitions(
            'listUnmatched',
            some.map((day) => `${KEPT_PARTITION}#${day}`),
          ),
          io.queryDays('listUnmatched', LEGACY_KEPT_INDEX, some),
        ]);
        for (const row of [...rows, ...legacy]) items.push(...itemsOfKeptRow(row, nowS));
      }
      const inside = latestSeen(items).filter((item) => inWindow(item.publishedAt, window));
      inside.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
      return inside.slice(0, window.limit ?? Infinity);
    },
  };
}
