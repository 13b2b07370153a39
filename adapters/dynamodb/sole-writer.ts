// The embedded store (`newswatch run`'s dynalite, under its lock file) has one writer: this
// process. So its dedupe index lives in memory, where a lookup costs no request: the memory
// index, rebuilt from the fingerprints of the last week's stories on first use (a poll starts
// it while its feeds are on their way, through `prepare`). The table still gets every
// fingerprint, membership and story (a restart rebuilds from them), in batch writes shared by
// all the stories in flight instead of a conditional put each: a story's
// fingerprint and membership rows go out while the pipeline goes on, and its story row waits
// for them. BAND# items are not written: each fingerprint carries its keys, and the rebuild
// replays them.
//
// DynamoDB still decides what is new. A story id the index does not know is looked up in the
// table (reads batched across stories) before it may lead or join, so a story older than the
// rebuilt week is found there, and its story write stays conditional. Only a story whose
// fingerprint this process has just created is written without a condition: the fingerprint
// is always written before its story, so such a story cannot be in the table yet.
import { createBatcher } from '../../shared/batcher.ts';
import { bandsStaleBefore, createMemoryClusterIndex, DEFAULT_DEDUPE_OPTIONS, type Fingerprint } from '../../shared/dedupe/index.ts';
import { koreaDay } from '../../shared/time.ts';
import type { DynamoStore, TableRecord } from './store.ts';
import { createIsolatedWrites } from '../../shared/store/isolated-writes.ts';

/**
 * Korea days of stories whose fingerprints are loaded at start-up, before today (plus
 * tomorrow, for feeds dated ahead). Copies join within 48 h of each other and LSH bands go
 * stale after 96 h, so a week covers every copy that arrives up to five days late.
 */
const REBUILD_DAYS = 7;
/** How long a row waits for others to share its batch write: a few ms of an alert's latency. */
const WRITE_WAIT_MS = 5;
/** How long an unknown id waits for others to share its BatchGetItem. */
const READ_WAIT_MS = 10;

export interface SoleWriterOptions {
  /** The pipeline's clock: the rebuilt days are counted back from it. */
  now?: () => Date;
}

/** `table` for its only writer: the ClusterIndex in memory, written through in batches. */
export function createSoleWriterStore(table: DynamoStore, options: SoleWriterOptions = {}): DynamoStore {
  const now = options.now ?? (() => new Date());
  const index = createMemoryClusterIndex();
  // Rows of every source in flight share a batch; a row the table refuses fails only its own story.
  const writes = createIsolatedWrites<TableRecord>((records) => table.putRecords(records), { max: 25, waitMs: WRITE_WAIT_MS });
  const stored = createBatcher<string, Fingerprint | undefined>(
    async (ids) => {
      const found = await table.getFingerprints(ids);
      return ids.map((id) => found.get(id));
    },
    { max: 100, waitMs: READ_WAIT_MS },
  );
  /** Stories whose fingerprint this process created and whose story is not written yet. */
  const unwritten = new Set<string>();
  /** Story writes in flight: a second put of the same id (two feeds, one article) waits for the first. */
  const storyWrites = new Map<string, Promise<boolean>>();
  /** New leaders' fingerprints until they settle: their table row keeps the keys the memory index drops. */
  const unsettled = new Map<string, Fingerprint>();
  /**
   * A story's fingerprint and membership rows, written in the background while its cluster
   * is decided and awaited by its story write: a restart that finds the story finds them, and
   * a story costs one round trip before its own write instead of one per row.
   */
  const owed = new Map<string, { records: TableRecord[]; written: Promise<unknown> }>();

  function writeBefore(storyId: string, record: TableRecord): void {
    const entry = owed.get(storyId) ?? { records: [], written: Promise.resolve() };
    entry.records.push(record);
    entry.written = Promise.all([entry.written, writes.add(record)]);
    entry.written.catch(() => {}); // a failure surfaces in the story's write, which retries it
    owed.set(storyId, entry);
  }

  /** Waits for the rows owed before `storyId`'s story; writes them again if their batch failed. */
  async function settleOwed(storyId: string): Promise<void> {
    const entry = owed.get(storyId);
    if (!entry) return;
    await entry.written.catch(() => Promise.all(entry.records.map((r) => writes.add(r))));
    if (owed.get(storyId) === entry) owed.delete(storyId);
  }

  let loading: Promise<void> | undefined;
  const ready = (): Promise<void> =>
    (loading ??= rebuild().catch((e: unknown) => {
      loading = undefined; // the next call tries again
      throw e;
    }));

  async function rebuild(): Promise<void> {
    const today = now().getTime();
    const days = Array.from({ length: REBUILD_DAYS + 2 }, (_, i) => koreaDay(new Date(today - (i - 1) * 86_400_000)));
    const fps = await table.fingerprintsOfDays(days);
    // In the order they were written, each takes the bands that were free (or stale) then:
    // the rule by which leaders claimed them and copies pointed them.
    fps.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    for (const fp of fps) {
      if (!(await index.putFingerprint(fp))) continue;
      const written = Date.parse(fp.createdAt);
      const at = new Date(Number.isFinite(written) ? written : Date.parse(fp.publishedAt));
      if (Number.isNaN(at.getTime())) continue;
      await index.claimBands(fp.keys, { storyId: fp.id, publishedAt: fp.publishedAt }, bandsStaleBefore(fp.publishedAt, at, DEFAULT_DEDUPE_OPTIONS.lateHours));
    }
  }

  async function known(id: string): Promise<Fingerprint | undefined> {
    return (await index.getFingerprints([id])).get(id);
  }

  return {
    ...table,

    prepare: ready,

    async getFingerprints(ids) {
      await ready();
      return index.getFingerprints(ids);
    },

    async lookup(id, keys) {
      await ready();
      let fingerprint = await known(id);
      if (!fingerprint) {
        fingerprint = (await stored.add(id)) ?? (await known(id));
        // Older than the rebuilt days (a feed listing an old article again): remembered from now on.
        if (fingerprint) await index.putFingerprint(fingerprint);
      }
      // Owners after the read: stories assigned meanwhile have claimed their bands.
      const owners = await index.getBands(keys);
      return { ...(fingerprint ? { fingerprint } : {}), owners };
    },

    async putFingerprint(fp) {
      await ready();
      if (!(await index.putFingerprint(fp))) return false;
      // A new leader's fingerprint reaches the table once settled: no other process waits on it.
      if (fp.settled) writeBefore(fp.id, { kind: 'fingerprint', fingerprint: fp });
      else unsettled.set(fp.id, fp);
      unwritten.add(fp.id);
      return true;
    },

    async settleFingerprint(id, clusterId) {
      await ready();
      await index.settleFingerprint(id, clusterId);
      const fp = unsettled.get(id);
      unsettled.delete(id);
      if (fp) writeBefore(id, { kind: 'fingerprint', fingerprint: { ...fp, clusterId, settled: true } });
    },

    async getBands(bands) {
      await ready();
      return index.getBands(bands);
    },

    async claimBands(bands, owner, staleBefore) {
      await ready();
      return index.claimBands(bands, owner, staleBefore);
    },

    async pointBands(bands, owner) {
      await ready();
      await index.pointBands(bands, owner);
    },

    async addMember(leaderId, member, addedAt) {
      const record: TableRecord = { kind: 'member', leaderId, member, addedAt };
      // A copy being assigned now: its story write waits for this one. Otherwise wait here.
      if (unwritten.has(member.id)) writeBefore(member.id, record);
      else await writes.add(record);
    },

    async putStory(story) {
      await settleOwed(story.id);
      const earlier = storyWrites.get(story.id);
      if (earlier && (await earlier.catch(() => false))) return false;
      const fresh = unwritten.delete(story.id);
      const write = fresh ? writes.add({ kind: 'story', story }).then(() => true) : table.putStory(story);
      storyWrites.set(story.id, write);
      try {
        return await write;
      } catch (e) {
        if (fresh) unwritten.add(story.id); // still not written: a retry may write it freely
        throw e;
      } finally {
        if (storyWrites.get(story.id) === write) storyWrites.delete(story.id);
      }
    },
  };
}
