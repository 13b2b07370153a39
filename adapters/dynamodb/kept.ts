// Unmatched items kept for `newswatch tune`: the items of the polls that share a batch write
// (`savePolls`) are one gzipped row, not a row per item nor per source. A first poll of 200
// feeds kept ~5,800 items; as a row each they were ~400 batch writes and most of the cycle's
// CPU, as a row per source 200 rows of per-row store work (docs/benchmarks.md#poll-pipeline-testbenchpollbenchts).
//
//   KEPT#DAY#<korea day seen> / POLL#<seenAt>#<sourceId>#<first id>
//       items (binary: gzip of [[sourceId, seenAt, [[id, url, title, lede, outlet, publishedAt], ...]], ...]),
//       count; expiresAt = TTL
//
// The rows are partitioned by the Korea day their items were seen, in the table itself: the
// `byDay` index does not hold them (they carry no gsi1pk), so each blob is written once, not
// also copied into the index. A row is cut in a few only when it would pass DynamoDB's 400 KB
// item limit. The first poll's key makes a retried batch the same row again.
//
// Rows of the earlier layouts are still read until they expire (keepUnmatchedDays after they
// were written, 7 by default): `KEPT#<sourceId>` / `POLL#<seenAt>#<first id>` (one source's
// poll, with `sourceId` and `seenAt` attributes and a list of tuples) and `KEPT#<id>` / `KEPT`
// (one item); both sit in the `byDay` index under `KEPT#<day>`.
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

/** The table partition of the kept rows of the polls seen on a Korea day. */
export const KEPT_PARTITION = 'KEPT#DAY';
/** The `byDay` index partitions (`KEPT#<day>`) of the earlier layouts' rows. */
export const LEGACY_KEPT_INDEX = 'KEPT';

type Tuple = [id: string, url: string, title: string, lede: string, outlet: string, publishedAt: string];
/** One poll's items: its source, when it was seen, its items. */
type Poll = [sourceId: string, seenAt: string, items: Tuple[]];

const tupleOf = (i: UnmatchedItem): Tuple => [i.id, i.url, i.title.slice(0, KEPT_TITLE_MAX), i.lede.slice(0, KEPT_LEDE_MAX), i.outlet, i.publishedAt];

/** The items as polls: runs of one source and seen time (a poll's items come together). */
function pollsOf(items: UnmatchedItem[]): Poll[] {
  const polls: Poll[] = [];
  let last: Poll | undefined;
  for (const item of items) {
    if (!last || last[0] !== item.sourceId || last[1] !== item.seenAt) polls.push((last = [item.sourceId, item.seenAt, []]));
    last[2].push(tupleOf(item));
  }
  return polls;
}

/** Gzipped lists of at most `limit` bytes: a list that is larger is cut into as many parts as it needs, and a tenth more. */
function pack(items: UnmatchedItem[], limit: number): { items: UnmatchedItem[]; bytes: Uint8Array }[] {
  const bytes = gzip(JSON.stringify(pollsOf(items)));
  if (bytes.byteLength <= limit || items.length === 1) return [{ items, bytes }];
  const parts = Math.min(items.length, Math.ceil((bytes.byteLength / limit) * 1.1));
  const size = Math.ceil(items.length / parts);
  return Array.from({ length: Math.ceil(items.length / size) }, (_, i) => pack(items.slice(i * size, (i + 1) * size), limit)).flat();
}

/**
 * The rows keeping `items` (any sources, any poll times) until `days` after they were seen:
 * one row per Korea day they were seen on, more only past `limit` compressed bytes (tests
 * lower it). A row expires `days` after the latest poll in it (a batch's polls are seconds apart).
 */
export function keptRows(items: UnmatchedItem[], days: number, limit = KEPT_ROW_BYTES): Row[] {
  const byDay = new Map<string, UnmatchedItem[]>();
  // A poll's items share their seen time: its Korea day is worked out once, not per item.
  const dayOf = new Map<string, string>();
  for (const item of items) {
    let day = dayOf.get(item.seenAt);
    if (day === undefined) dayOf.set(item.seenAt, (day = koreaDay(item.seenAt)));
    const group = byDay.get(day);
    if (group) group.push(item);
    else byDay.set(day, [item]);
  }
  return [...byDay].flatMap(([day, group]) => {
    return pack(group, limit).map((chunk): Row => {
      const first = chunk.items[0]!;
      const lastSeen = chunk.items.reduce((at, i) => (i.seenAt > at ? i.seenAt : at), first.seenAt);
      return {
        pk: `${KEPT_PARTITION}#${day}`,
        sk: `POLL#${first.seenAt}#${first.sourceId}#${first.id}`,
        kind: 'kept',
        count: chunk.items.length,
        items: chunk.bytes,
        [TABLE.ttlAttribute]: Math.floor(Date.parse(lastSeen) / 1000 + days * 86_400),
      };
    });
  });
}

/** The items of a kept row (any layout); none when it has expired by `nowS` (epoch seconds). */
export function itemsOfKeptRow(row: Row, nowS: number): UnmatchedItem[] {
  // dynalite has no TTL and DynamoDB deletes late: expired rows are dropped on read.
  if (!(Number(row[TABLE.ttlAttribute]) > nowS)) return [];
  const packed = row['items'];
  if (!(packed instanceof Uint8Array)) return [legacyItem(row)];
  const list = JSON.parse(gunzipSync(packed).toString('utf8')) as Poll[] | Tuple[];
  // The per-source layout names its poll on the row and lists bare tuples.
  const polls: Poll[] = typeof row['sourceId'] === 'string' ? [[row['sourceId'], String(row['seenAt']), list as Tuple[]]] : (list as Poll[]);
  return polls.flatMap(([sourceId, seenAt, tuples]) =>
    tuples.map(([id, url, title, lede, outlet, publishedAt]) => ({ id, url, title, lede, outlet, sourceId, publishedAt, seenAt })),
  );
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
