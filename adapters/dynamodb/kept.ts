// Unmatched items kept for `newswatch tune`: one row per source per poll, not one per item.
// A first poll of 200 feeds kept ~5,800 items; as a row each they were ~400 batch writes and
// most of the cycle's CPU (docs/benchmarks.md#poll-pipeline-testbenchpollbenchts). Now a poll's
// items are one gzipped JSON list of tuples, split into a few rows only when it would pass
// DynamoDB's 400 KB item limit.
//
//   KEPT#<sourceId> / POLL#<seenAt>#<first id>   items (binary: gzip of [[id, url, title, lede,
//                                                outlet, publishedAt], ...]), sourceId, seenAt, count;
//                                                gsi1pk=KEPT#<korea day of seenAt>,
//                                                gsi1sk=<seenAt>#<sourceId>#<first id>; expiresAt = TTL
//
// The first id in the key makes two polls of one source at one instant (a fixed clock) two
// rows, and a retried poll of the same items the same row again. Rows of the older layout
// (`KEPT#<id>` / `KEPT`, one item, indexed by its publication day under the same `KEPT#<day>`
// partitions) are still read until they expire.
import { constants, gunzipSync, gzipSync } from 'node:zlib';
import type { UnmatchedItem } from '../../shared/store/port.ts';
import { koreaDay } from '../../shared/time.ts';
import type { Row } from './client.ts';
import { TABLE } from './table.ts';

/**
 * Synchronous, and at the fastest level: for a poll's ~20 KB the thread-pool form cost 5× the
 * CPU (and more of the poller's thread, not less), and level 1 compresses the tuples nearly
 * as well as the default.
 */
const gzip = (text: string): Uint8Array => gzipSync(text, { level: constants.Z_BEST_SPEED });

/** Kept title and lede are capped (the lede is a summary already, ~300 characters). */
const KEPT_TITLE_MAX = 300;
const KEPT_LEDE_MAX = 600;
/**
 * Compressed bytes per row: DynamoDB's limit is 400 KB for the whole item, names and keys
 * included; the rest of the row is under 1 KB.
 */
export const KEPT_ROW_BYTES = 350_000;

type Tuple = [id: string, url: string, title: string, lede: string, outlet: string, publishedAt: string];

const { partitionKey: GPK, sortKey: GSK } = TABLE.dayIndex;

const tupleOf = (i: UnmatchedItem): Tuple => [i.id, i.url, i.title.slice(0, KEPT_TITLE_MAX), i.lede.slice(0, KEPT_LEDE_MAX), i.outlet, i.publishedAt];

/** Gzipped lists of at most `limit` bytes: a list that is larger is cut into as many parts as it needs, and a tenth more. */
function pack(items: UnmatchedItem[], limit: number): { items: UnmatchedItem[]; bytes: Uint8Array }[] {
  const bytes = gzip(JSON.stringify(items.map(tupleOf)));
  if (bytes.byteLength <= limit || items.length === 1) return [{ items, bytes }];
  const parts = Math.min(items.length, Math.ceil((bytes.byteLength / limit) * 1.1));
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => pack(items.slice(i * size, (i + 1) * size), limit)).flat();
}

/**
 * The rows keeping `items` (any sources, any poll times: grouped here) until `days` after
 * they were seen. `limit` is the compressed size a row may reach (tests lower it).
 */
export function keptRows(items: UnmatchedItem[], days: number, limit = KEPT_ROW_BYTES): Row[] {
  const polls = new Map<string, UnmatchedItem[]>();
  for (const item of items) {
    const key = `${item.sourceId}\n${item.seenAt}`;
    const group = polls.get(key);
    if (group) group.push(item);
    else polls.set(key, [item]);
  }
  return [...polls.values()].flatMap((group) => {
    const { sourceId, seenAt } = group[0]!;
    const expiresAt = Math.floor(Date.parse(seenAt) / 1000 + days * 86_400);
    return pack(group, limit).map(
      (chunk): Row => ({
        pk: `KEPT#${sourceId}`,
        sk: `POLL#${seenAt}#${chunk.items[0]!.id}`,
        kind: 'kept',
        sourceId,
        seenAt,
        count: chunk.items.length,
        items: chunk.bytes,
        [GPK]: `KEPT#${koreaDay(seenAt)}`,
        [GSK]: `${seenAt}#${sourceId}#${chunk.items[0]!.id}`,
        [TABLE.ttlAttribute]: expiresAt,
      }),
    );
  });
}

/** The items of a kept row (either layout); none when it has expired by `nowS` (epoch seconds). */
export function itemsOfKeptRow(row: Row, nowS: number): UnmatchedItem[] {
  // dynalite has no TTL and DynamoDB deletes late: expired rows are dropped on read.
  if (!(Number(row[TABLE.ttlAttribute]) > nowS)) return [];
  const packed = row['items'];
  if (!(packed instanceof Uint8Array)) return [legacyItem(row)];
  const sourceId = String(row['sourceId']);
  const seenAt = String(row['seenAt']);
  const tuples = JSON.parse(gunzipSync(packed).toString('utf8')) as Tuple[];
  return tuples.map(([id, url, title, lede, outlet, publishedAt]) => ({ id, url, title, lede, outlet, sourceId, publishedAt, seenAt }));
}

function legacyItem(row: Row): UnmatchedItem {
  const s = (k: string) => String(row[k] ?? '');
  return {
    id: s('id'),
    url: s('url'),
    title: s('title'),
    lede: s('lede'),
    outlet: s('outlet'),
    sourceId: s('sourceId'),
    publishedAt: s('publishedAt'),
    seenAt: s('seenAt'),
  };
}

/**
 * Of items kept more than once (two sources listed one article, or a feed listed it again),
 * the latest seen, as the row per item of the older layout kept the latest write.
 */
export function latestSeen(items: UnmatchedItem[]): UnmatchedItem[] {
  const byId = new Map<string, UnmatchedItem>();
  for (const item of items) {
    const had = byId.get(item.id);
    if (!had || had.seenAt < item.seenAt) byId.set(item.id, item);
  }
  return [...byId.values()];
}
