// The Store (and dedupe ClusterIndex) over one DynamoDB table, the same code against AWS
// and against dynalite. No transactions and no streams are used, so dynalite is a faithful peer.
//
// Item layouts (pk / sk):
//   STORY#<id>        / STORY             a story; matched ones carry gsi1pk=DAY#<korea day>,
//                                         gsi1sk=<publishedAt>#<id>; matched leaders carry alert=true
//   STORY#<leaderId>  / MEMBER#<id>       a member that joined the leader's cluster (addedAt orders them),
//                                         so `cluster(leaderId)` is one Query of the leader's partition
//   SEEN#<id>         / SEEN              an item whose article page was fetched and matched nothing;
//                                         expiresAt (epoch s) = TTL
//   KEPT#<id>         / KEPT              an item that matched nothing: title and lede for `tune`;
//                                         gsi1pk=KEPT#<korea day>, gsi1sk=<publishedAt>#<id>; expiresAt = TTL
//   FP#<id>           / FP                dedupe fingerprint: bigram and long-shingle hashes, clusterId, publishedAt, keys
//   BAND#<n>#<hash>   / BAND              LSH band (n = band number, `t` title key, `g` guid key):
//                                         the first story to claim it owns it (shared tables only:
//                                         the embedded store keeps its bands in memory, sole-writer.ts)
//   SOURCE            / <sourceId>        source state (with the ids its feed listed last), one
//                                         partition so listing is one Query
//   DELIVERY#<story>  / <destinationId>   the delivery outbox row (adapters/dynamodb/outbox.ts)
//   DIGEST#<day>#<list> / DIGEST          digest claim (lease) then sent/skipped
import {
  CreateTableCommand,
  DescribeTableCommand,
  ResourceInUseException,
  ResourceNotFoundException,
  ConditionalCheckFailedException,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { rowClient, type Row, type RowClient } from './client.ts';
import type { ClusterView, Story } from '../../shared/model.ts';
import type { BandOwner, ClusterIndex, Fingerprint, Member } from '../../shared/dedupe/index-port.ts';
import type { DigestRecord, ReadWindow, SourceState, Store } from '../../shared/store/port.ts';
import { koreaDay } from '../../shared/time.ts';
import { itemsOfKeptRow, keptRows, latestSeen } from './kept.ts';
import { createOutbox } from './outbox.ts';
import { TABLE } from './table.ts';
import { StoreError } from '../../shared/store/errors.ts';
import { toStoreError } from './errors.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tableName: string;
}

/** A row `putRecords` writes without a condition (the embedded store's single writer, adapters/dynamodb/sole-writer.ts). */
export type TableRecord =
  | { kind: 'fingerprint'; fingerprint: Fingerprint }
  | { kind: 'member'; leaderId: string; member: Member; addedAt: string }
  | { kind: 'story'; story: Story };

/** The DynamoDB store: implements the pipeline's Store and the dedupe ClusterIndex. */
export interface DynamoStore extends Store, ClusterIndex {
  readonly tableName: string;
  /** Number of DynamoDB requests made so far, by operation (for benchmarks and status). */
  readonly calls: Readonly<Record<string, number>>;
  /**
   * Writes rows in batch writes, without conditions: only for a table's single writer,
   * which knows (from its own reads and writes) that none of them is contested.
   */
  putRecords(records: TableRecord[]): Promise<void>;
  /** Fingerprints of the matched stories of these Korea days (from the day index). */
  fingerprintsOfDays(days: string[]): Promise<Fingerprint[]>;
}

const DEFAULT_LEASE_MS = 5 * 60_000;
const BATCH_GET_LIMIT = 100;
const BATCH_WRITE_LIMIT = 25;
const MAX_BATCH_RETRIES = 8;

type Key = { pk: string; sk: string };

const storyKey = (id: string): Key => ({ pk: `STORY#${id}`, sk: 'STORY' });
const seenKey = (id: string): Key => ({ pk: `SEEN#${id}`, sk: 'SEEN' });
const DAY_MS = 86_400_000;
/** Longest window read (days), and how many days' partitions are queried at once. */
const MAX_WINDOW_DAYS = 3 * 366;
const DAYS_AT_ONCE = 8;

/** The Korea days from `until` back to `since`, newest first (at most MAX_WINDOW_DAYS). */
function daysBetween(since: Date, untilMs: number): string[] {
  const until = untilMs;
  const last = koreaDay(since);
  const days: string[] = [];
  for (let t = until; ; t -= DAY_MS) {
    const day = koreaDay(new Date(t));
    if (day < last) break;
    days.push(day);
    if (days.length > MAX_WINDOW_DAYS) break;
  }
  return days;
}

/** The Korea days a window's stories are indexed under, newest first (a day ahead of `until`: feeds dated early). */
const windowDays = (window: ReadWindow): string[] => daysBetween(window.since, (window.until ?? window.now ?? new Date()).getTime() + DAY_MS);

/**
 * The Korea days kept items of a window may have been seen on: from two days before `since`
 * (a feed dating its items a day or two ahead) to a day after now (seen after `until`, still
 * published in the window).
 */
const keptDays = (window: ReadWindow, now: Date): string[] => daysBetween(new Date(window.since.getTime() - 2 * DAY_MS), now.getTime() + DAY_MS);

function inWindow(publishedAt: string, window: ReadWindow): boolean {
  const t = Date.parse(publishedAt);
  if (t < window.since.getTime()) return false;
  return window.until === undefined || t <= window.until.getTime();
}

const fpKey = (id: string): Key => ({ pk: `FP#${id}`, sk: 'FP' });
const bandKey = (band: string): Key => ({ pk: `BAND#${band}`, sk: 'BAND' });
const bandRow = (band: string, owner: BandOwner): Row => ({ ...bandKey(band), kind: 'band', ...owner });
const sourceKey = (id: string): Key => ({ pk: 'SOURCE', sk: id });
// Id lists are stored as one space-separated string: one attribute to encode instead of one
// per id (a source lists 30-100 ids, a fingerprint has 50 keys), less CPU on every write.
const joinIds = (ids: string[] | undefined): string | undefined => (ids && ids.length > 0 ? ids.join(' ') : undefined);
const splitIds = (value: unknown): string[] | undefined =>
  typeof value === 'string' ? value.split(' ').filter((id) => id.length > 0) : Array.isArray(value) ? value.map(String) : undefined;

const memberRow = (leaderId: string, member: Member, addedAt: string): Row => ({
  pk: `STORY#${leaderId}`,
  sk: `MEMBER#${member.id}`,
  kind: 'member',
  ...member,
  addedAt,
});

function storyRow(story: Story): Row {
  const row: Row = { ...story, ...storyKey(story.id), kind: 'story' };
  if (story.topics.length > 0) {
    row[TABLE.dayIndex.partitionKey] = `DAY#${story.day}`;
    row[TABLE.dayIndex.sortKey] = `${story.publishedAt}#${story.id}`;
    if (story.leader) row[TABLE.alertAttribute] = true;
  }
  return row;
}

const hashBytes = (h: Uint32Array) => new Uint8Array(h.buffer, h.byteOffset, h.byteLength);

function fingerprintRow(fp: Fingerprint): Row {
  return { ...fpKey(fp.id), kind: 'fingerprint', ...fp, shingles: hashBytes(fp.shingles), copy: hashBytes(fp.copy), keys: joinIds(fp.keys) };
}

/** A binary hash-set attribute as sorted uint32s (a copy: aligned and detached from the SDK buffer). */
function hashesOf(raw: unknown): Uint32Array {
  const bytes = raw instanceof Uint8Array ? new Uint8Array(raw) : new Uint8Array(0);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
}

const sourceRow = (state: SourceState): Row => ({ ...state, listed: joinIds(state.listed), ...sourceKey(state.id), kind: 'source' });

function sourceFromRow(row: Row): SourceState {
  const state = strip<SourceState>(row);
  const listed = splitIds(row['listed']);
  return listed ? { ...state, listed } : state;
}
const digestKey = (day: string, list: string): Key => ({ pk: `DIGEST#${day}#${list}`, sk: 'DIGEST' });

const KEY_ATTRS = new Set(['pk', 'sk', TABLE.dayIndex.partitionKey, TABLE.dayIndex.sortKey, TABLE.alertAttribute, 'kind', TABLE.ttlAttribute]);

function strip<T>(row: Row): T {
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!KEY_ATTRS.has(k)) out[k] = v;
  return out as T;
}

function isConditionFailure(err: unknown): boolean {
  return err instanceof ConditionalCheckFailedException || (err as { name?: string })?.name === 'ConditionalCheckFailedException';
}

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

/** A Store + ClusterIndex over `tableName` through `client` (the caller owns the client). */
export function createDynamoStore(options: DynamoStoreOptions): DynamoStore {
  const { tableName } = options;
  const doc = rowClient(options.client);
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

  /** Conditional write: true when it happened, false when the condition failed. */
  async function conditional(operation: string, fn: () => Promise<unknown>): Promise<boolean> {
    try {
      await send(operation, fn);
      return true;
    } catch (err) {
      if (isConditionFailure(err)) return false;
      throw err;
    }
  }

  async function get(operation: string, key: Key): Promise<Row | undefined> {
    return send(operation, () => doc.get(tableName, key, true));
  }

  /** BatchGetItem in chunks of 100, retrying UnprocessedKeys with backoff; returns rows by `pk|sk`. */
  async function batchGet(operation: string, keys: Key[], projection?: string[]): Promise<Map<string, Row>> {
    const out = new Map<string, Row>();
    const unique = [...new Map(keys.map((k) => [`${k.pk}|${k.sk}`, k])).values()];
    for (let i = 0; i < unique.length; i += BATCH_GET_LIMIT) {
      let pending: Key[] = unique.slice(i, i + BATCH_GET_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > MAX_BATCH_RETRIES) {
          throw new StoreError(operation, `${pending.length} keys still unprocessed after ${MAX_BATCH_RETRIES} retries [table ${tableName}]`, {
            retryable: true,
          });
        }
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const names: Record<string, string> = {};
        const expr = projection?.map((p, j) => {
          names[`#p${j}`] = p;
          return `#p${j}`;
        });
        const r = await send(operation, () => doc.batchGet(tableName, pending, { projection: expr?.join(','), names }));
        for (const row of r.items) out.set(`${row['pk']}|${row['sk']}`, row);
        pending = r.unprocessed as Key[];
      }
    }
    return out;
  }

  async function batchPut(operation: string, all: Row[]): Promise<void> {
    // A batch may not name one key twice (DynamoDB refuses it): the last row for a key wins, as in sequential puts.
    const rows = [...new Map(all.map((r) => [`${String(r['pk'])}|${String(r['sk'])}`, r])).values()];
    for (let i = 0; i < rows.length; i += BATCH_WRITE_LIMIT) {
      let pending = rows.slice(i, i + BATCH_WRITE_LIMIT);
      for (let attempt = 0; pending.length > 0; attempt++) {
        if (attempt > MAX_BATCH_RETRIES) {
          throw new StoreError(operation, `${pending.length} writes still unprocessed after ${MAX_BATCH_RETRIES} retries [table ${tableName}]`, {
            retryable: true,
          });
        }
        if (attempt > 0) await sleep(Math.min(1000, 25 * 2 ** attempt));
        const r = await send(operation, () => doc.batchPut(tableName, pending));
        pending = r.unprocessed;
      }
    }
  }

  async function queryAll(operation: string, input: Omit<Parameters<RowClient['query']>[0], 'TableName'>, limit = Infinity): Promise<Row[]> {
    const out: Row[] = [];
    let start: Row | undefined;
    do {
      const r = await send(operation, () => doc.query({ ...input, TableName: tableName, ...(start ? { ExclusiveStartKey: start } : {}) }));
      out.push(...r.items);
      start = r.lastKey;
    } while (start && out.length < limit);
    return out.slice(0, limit);
  }

  /** Day-index partitions `<prefix>#<day>` of the window, newest day first, each newest first. */
  async function readDays<T extends { publishedAt: string }>(
    operation: string,
    prefix: string,
    window: ReadWindow,
    convert: (row: Row) => T | undefined,
  ): Promise<T[]> {
    const limit = window.limit ?? Infinity;
    const out: T[] = [];
    const days = windowDays(window);
    for (let i = 0; i < days.length && out.length < limit; i += DAYS_AT_ONCE) {
      for (const row of await queryDays(operation, prefix, days.slice(i, i + DAYS_AT_ONCE))) {
        const item = convert(row);
        if (item && inWindow(item.publishedAt, window)) out.push(item);
      }
    }
    // Days are cut in Korea time and sorted within; a story's day is from its publishedAt, so
    // the concatenation is already newest first; sort anyway for rows written by older code.
    out.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
    return out.slice(0, limit);
  }

  /** The rows of the day-index partitions `<prefix>#<day>` of `days`, queried at once. */
  async function queryDays(operation: string, prefix: string, days: string[]): Promise<Row[]> {
    const perDay = await Promise.all(
      days.map((day) =>
        queryAll(operation, {
          IndexName: TABLE.dayIndex.name,
          KeyConditionExpression: '#pk = :pk',
          ExpressionAttributeNames: { '#pk': TABLE.dayIndex.partitionKey },
          ExpressionAttributeValues: { ':pk': `${prefix}#${day}` },
          ScanIndexForward: false,
        }),
      ),
    );
    return perDay.flat();
  }

  function ownersOf(bands: string[], rows: Map<string, Row>): (BandOwner | undefined)[] {
    return bands.map((band): BandOwner | undefined => {
      const row = rows.get(`BAND#${band}|BAND`);
      return row ? { storyId: String(row['storyId']), publishedAt: String(row['publishedAt']) } : undefined;
    });
  }

  function fingerprintFromRow(row: Row): Fingerprint {
    return {
      id: String(row['id']),
      clusterId: String(row['clusterId']),
      settled: row['settled'] === true,
      publishedAt: String(row['publishedAt']),
      outlet: String(row['outlet'] ?? ''),
      createdAt: String(row['createdAt'] ?? ''),
      shingles: hashesOf(row['shingles']),
      // Rows written before copy evidence existed have none: such a story leads nothing new.
      copy: hashesOf(row['copy']),
      keys: splitIds(row['keys']) ?? [],
    };
  }

  const store: DynamoStore = {
    tableName,
    calls,
    ...createOutbox({ doc, tableName, send, conditional, queryAll }),

    async unseen(ids, now) {
      if (ids.length === 0) return [];
      const keys = ids.flatMap((id) => [storyKey(id), seenKey(id)]);
      const rows = await batchGet('unseen', keys, ['pk', 'sk', TABLE.ttlAttribute]);
      const nowS = Math.floor(now.getTime() / 1000);
      return [...new Set(ids)].filter((id) => {
        if (rows.has(`STORY#${id}|STORY`)) return false;
        const seen = rows.get(`SEEN#${id}|SEEN`);
        // dynalite (and DynamoDB for up to days) keeps expired items: check expiry on read.
        return !seen || Number(seen[TABLE.ttlAttribute]) <= nowS;
      });
    },

    async savePolls(records) {
      const rows: Row[] = [];
      const kept = [];
      for (const { at, state, seen, keep } of records) {
        if (seen && seen.ids.length > 0) {
          const expiresAt = Math.floor(at.getTime() / 1000 + seen.ttlDays * 86_400);
          const seenAt = at.toISOString();
          rows.push(...[...new Set(seen.ids)].map((id) => ({ ...seenKey(id), kind: 'seen', id, seenAt, [TABLE.ttlAttribute]: expiresAt })));
        }
        if (keep && keep.days > 0 && keep.items.length > 0) kept.push(keptRows(keep.items, keep.days));
        if (state) rows.push(sourceRow(state));
      }
      for (const packed of await Promise.all(kept)) rows.push(...packed);
      await batchPut('savePolls', rows);
    },

    async putStory(story) {
      return conditional('putStory', () => doc.put({ TableName: tableName, Item: storyRow(story), ConditionExpression: 'attribute_not_exists(pk)' }));
    },

    async getStory(id) {
      const row = await get('getStory', storyKey(id));
      return row ? strip<Story>(row) : undefined;
    },

    async storiesOfDay(day) {
      const rows = await queryAll('storiesOfDay', {
        IndexName: TABLE.dayIndex.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.dayIndex.partitionKey },
        ExpressionAttributeValues: { ':pk': `DAY#${day}` },
      });
      return rows.map((r) => strip<Story>(r));
    },

    async listStories(window) {
      return readDays<Story>('listStories', 'DAY', window, (r) => strip<Story>(r));
    },

    async listUnmatched(window) {
      const now = window.now ?? new Date();
      const nowS = Math.floor(now.getTime() / 1000);
      const days = keptDays(window, now);
      const items = [];
      for (let i = 0; i < days.length; i += DAYS_AT_ONCE) {
        const rows = await queryDays('listUnmatched', 'KEPT', days.slice(i, i + DAYS_AT_ONCE));
        for (const unpacked of await Promise.all(rows.map((r) => itemsOfKeptRow(r, nowS)))) items.push(...unpacked);
      }
      const inside = latestSeen(items).filter((item) => inWindow(item.publishedAt, window));
      inside.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
      return inside.slice(0, window.limit ?? Infinity);
    },

    async cluster(leaderId) {
      const rows = await queryAll('cluster', {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `STORY#${leaderId}` },
        ConsistentRead: true,
      });
      const leaderRow = rows.find((r) => r['sk'] === 'STORY');
      if (!leaderRow) return undefined;
      const members = rows
        .filter((r) => String(r['sk']).startsWith('MEMBER#'))
        .sort((a, b) => String(a['addedAt']).localeCompare(String(b['addedAt'])) || String(a['id']).localeCompare(String(b['id'])))
        .map((r) => ({ id: String(r['id']), outlet: String(r['outlet']), url: String(r['url']), title: String(r['title']) }));
      const view: ClusterView = { leader: strip<Story>(leaderRow), members };
      return view;
    },

    async getSourceState(id) {
      const row = await get('getSourceState', sourceKey(id));
      return row ? sourceFromRow(row) : undefined;
    },

    async putSourceStates(states) {
      await batchPut('putSourceStates', states.map(sourceRow));
    },

    async putSourceState(state) {
      await send('putSourceState', () => doc.put({ TableName: tableName, Item: sourceRow(state) }));
    },

    async listSourceStates() {
      const rows = await queryAll('listSourceStates', {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': 'SOURCE' },
        ConsistentRead: true,
      });
      return rows.map(sourceFromRow);
    },

    async claimDigest(day, listId, now, leaseMs = DEFAULT_LEASE_MS) {
      const cutoff = new Date(now.getTime() - leaseMs).toISOString();
      return conditional('claimDigest', () =>
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
      await send('finishDigest', () => doc.put({ TableName: tableName, Item: { ...record, ...digestKey(record.day, record.listId), kind: 'digest' } }));
    },

    async getDigest(day, listId) {
      const row = await get('getDigest', digestKey(day, listId));
      return row ? strip<DigestRecord>(row) : undefined;
    },

    // ---- ClusterIndex (shared/dedupe/index-port.ts) ----

    async getFingerprints(ids) {
      const rows = await batchGet('getFingerprints', ids.map(fpKey));
      const out = new Map<string, Fingerprint>();
      for (const row of rows.values()) {
        const fp = fingerprintFromRow(row);
        out.set(fp.id, fp);
      }
      return out;
    },

    async putFingerprint(fp) {
      return conditional('putFingerprint', () => doc.put({ TableName: tableName, Item: fingerprintRow(fp), ConditionExpression: 'attribute_not_exists(pk)' }));
    },

    async settleFingerprint(id, clusterId) {
      await send('settleFingerprint', () =>
        doc.update({
          TableName: tableName,
          Key: fpKey(id),
          UpdateExpression: 'SET clusterId = :c, settled = :t',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':c': clusterId, ':t': true },
        }),
      );
    },

    async getBands(bands) {
      return ownersOf(bands, await batchGet('getBands', bands.map(bandKey)));
    },

    async lookup(id, bands) {
      const rows = await batchGet('lookup', [fpKey(id), ...bands.map(bandKey)]);
      const own = rows.get(`FP#${id}|FP`);
      return { ...(own ? { fingerprint: fingerprintFromRow(own) } : {}), owners: ownersOf(bands, rows) };
    },

    async claimBands(bands, owner, staleBefore) {
      // One conditional put per band: BatchWriteItem cannot carry conditions, and only one claimer may win.
      const won: string[] = [];
      await Promise.all(
        bands.map(async (band) => {
          const ok = await conditional('claimBand', () =>
            doc.put({
              TableName: tableName,
              Item: bandRow(band, owner),
              // A band owned by a story far older than any join window is free to take over.
              ConditionExpression: 'attribute_not_exists(pk) OR publishedAt < :stale',
              ExpressionAttributeValues: { ':stale': staleBefore },
            }),
          );
          if (ok) won.push(band);
        }),
      );
      return won;
    },

    async pointBands(bands, owner) {
      await batchPut(
        'pointBands',
        bands.map((band) => bandRow(band, owner)),
      );
    },

    async addMember(leaderId, member: Member, addedAt) {
      await conditional('addMember', () =>
        doc.put({ TableName: tableName, Item: memberRow(leaderId, member, addedAt), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    },

    async putRecords(records) {
      await batchPut(
        'putRecords',
        records.map((r) => {
          if (r.kind === 'fingerprint') return fingerprintRow(r.fingerprint);
          if (r.kind === 'member') return memberRow(r.leaderId, r.member, r.addedAt);
          return storyRow(r.story);
        }),
      );
    },

    async fingerprintsOfDays(days) {
      const perDay = await Promise.all(
        days.map((day) =>
          queryAll('fingerprintsOfDays', {
            IndexName: TABLE.dayIndex.name,
            KeyConditionExpression: '#pk = :pk',
            ProjectionExpression: 'id',
            ExpressionAttributeNames: { '#pk': TABLE.dayIndex.partitionKey },
            ExpressionAttributeValues: { ':pk': `DAY#${day}` },
          }),
        ),
      );
      const ids = perDay.flat().map((r) => String(r['id']));
      return [...(await store.getFingerprints(ids)).values()];
    },
  };
  return store;
}
