// The dedupe index over the table (shared/dedupe/index-port.ts ClusterIndex), and the
// unconditioned row writes of the embedded store's single writer (sole-writer.ts).
//   FP#<id>         / FP    dedupe fingerprint: bigram and long-shingle hashes, clusterId, settled,
//                           publishedAt, outlet, createdAt, keys, seq (the embedded store's claim
//                           order, for its rebuild; absent in shared tables)
//   BAND#<n>#<hash> / BAND  LSH band (n = band number, or `t`/`h`/`u`/`g`: an outlet's headline, a headline, a URL, a guid): the first
//                           story to claim it owns it (shared tables only: the embedded store
//                           keeps its bands in memory)
// Members (STORY#<leader> / MEMBER#<id>) are laid out in stories.ts.
import type { BandKey, BandOwner, ClusterIndex, Fingerprint, Member } from '../../shared/dedupe/index-port.ts';
import { bandKeyOf, bandKeyText } from '../../shared/dedupe/minhash.ts';
import type { Story } from '../../shared/model.ts';
import type { Row } from './client.ts';
import { memberRow, storyRow } from './stories.ts';
import { joinIds, type Key, splitIds, type TableIo } from './table-io.ts';

/** A row `putRecords` writes without a condition (the embedded store's single writer, adapters/dynamodb/sole-writer.ts). */
export type TableRecord =
  | { kind: 'fingerprint'; fingerprint: Fingerprint }
  | { kind: 'member'; leaderId: string; member: Member; addedAt: string }
  | { kind: 'story'; story: Story };

/** The ClusterIndex, plus what the single writer and its rebuild need. */
export interface ClusterTable extends ClusterIndex {
  /**
   * Writes rows in batch writes, without conditions: only for a table's single writer,
   * which knows (from its own reads and writes) that none of them is contested.
   */
  putRecords(records: TableRecord[]): Promise<void>;
  /** Fingerprints of the matched stories of these Korea days (from the day index). */
  fingerprintsOfDays(days: string[]): Promise<Fingerprint[]>;
  /** Whether the table holds no row at all (the single writer's rebuild: see sole-writer.ts). */
  isEmpty(): Promise<boolean>;
}

const fpKey = (id: string): Key => ({ pk: `FP#${id}`, sk: 'FP' });
// A band's row key is its text form (`BAND#<n>#<base 36>`), the same as before band keys were numbers.
const bandKey = (band: BandKey): Key => ({ pk: `BAND#${bandKeyText(band)}`, sk: 'BAND' });
const bandRow = (band: BandKey, owner: BandOwner): Row => ({ ...bandKey(band), kind: 'band', ...owner });

const hashBytes = (h: Uint32Array) => new Uint8Array(h.buffer, h.byteOffset, h.byteLength);

function fingerprintRow(fp: Fingerprint): Row {
  return { ...fpKey(fp.id), kind: 'fingerprint', ...fp, shingles: hashBytes(fp.shingles), copy: hashBytes(fp.copy), keys: joinIds(fp.keys.map(bandKeyText)) };
}

/** A binary hash-set attribute as sorted uint32s (a copy: aligned and detached from the SDK buffer). */
function hashesOf(raw: unknown): Uint32Array {
  const bytes = raw instanceof Uint8Array ? new Uint8Array(raw) : new Uint8Array(0);
  return new Uint32Array(bytes.buffer, bytes.byteOffset, Math.floor(bytes.byteLength / 4));
}

function fingerprintFromRow(row: Row): Fingerprint {
  return {
    id: String(row['id']),
    clusterId: String(row['clusterId']),
    settled: row['settled'] === true,
    publishedAt: String(row['publishedAt']),
    outlet: String(row['outlet'] ?? ''),
    createdAt: String(row['createdAt'] ?? ''),
    // Rows of shared tables, and of embedded stores before claim order was kept, have none.
    ...(typeof row['seq'] === 'number' ? { seq: row['seq'] } : {}),
    shingles: hashesOf(row['shingles']),
    // Rows written before copy evidence existed have none: such a story leads nothing new.
    copy: hashesOf(row['copy']),
    keys: (splitIds(row['keys']) ?? []).map(bandKeyOf),
  };
}

function ownersOf(bands: readonly BandKey[], rows: Map<string, Row>): (BandOwner | undefined)[] {
  return bands.map((band): BandOwner | undefined => {
    const row = rows.get(`BAND#${bandKeyText(band)}|BAND`);
    return row ? { storyId: String(row['storyId']), publishedAt: String(row['publishedAt']) } : undefined;
  });
}

export function createClusterTable(io: TableIo): ClusterTable {
  const { doc, tableName } = io;
  const clusters: ClusterTable = {
    async getFingerprints(ids) {
      const rows = await io.batchGet('getFingerprints', ids.map(fpKey));
      const out = new Map<string, Fingerprint>();
      for (const row of rows.values()) {
        const fp = fingerprintFromRow(row);
        out.set(fp.id, fp);
      }
      return out;
    },

    async putFingerprint(fp) {
      return io.conditional('putFingerprint', () =>
        doc.put({ TableName: tableName, Item: fingerprintRow(fp), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    },

    async settleFingerprint(id, clusterId) {
      await io.send('settleFingerprint', () =>
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
      return ownersOf(bands, await io.batchGet('getBands', bands.map(bandKey)));
    },

    async lookup(id, bands) {
      const rows = await io.batchGet('lookup', [fpKey(id), ...bands.map(bandKey)]);
      const own = rows.get(`FP#${id}|FP`);
      return { ...(own ? { fingerprint: fingerprintFromRow(own) } : {}), owners: ownersOf(bands, rows) };
    },

    async claimBands(bands, owner, staleBefore) {
      // One conditional put per band: BatchWriteItem cannot carry conditions, and only one claimer may win.
      const won: BandKey[] = [];
      await Promise.all(
        bands.map(async (band) => {
          const ok = await io.conditional('claimBand', () =>
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
      await io.batchPut(
        'pointBands',
        bands.map((band) => bandRow(band, owner)),
      );
    },

    async addMember(leaderId, member: Member, addedAt) {
      await io.conditional('addMember', () =>
        doc.put({ TableName: tableName, Item: memberRow(leaderId, member, addedAt), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    },

    async putRecords(records) {
      await io.batchPut(
        'putRecords',
        records.map((r) => {
          if (r.kind === 'fingerprint') return fingerprintRow(r.fingerprint);
          if (r.kind === 'member') return memberRow(r.leaderId, r.member, r.addedAt);
          return storyRow(r.story);
        }),
      );
    },

    async fingerprintsOfDays(days) {
      const rows = await io.queryDays('fingerprintsOfDays', 'DAY', days, 'id');
      return [...(await clusters.getFingerprints(rows.map((r) => String(r['id'])))).values()];
    },

    async isEmpty() {
      return !(await io.send('isEmpty', () => io.doc.hasRows(io.tableName)));
    },
  };
  return clusters;
}
