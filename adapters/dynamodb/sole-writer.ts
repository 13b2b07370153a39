// The embedded store (`newswatch run`'s dynalite, under its lock file) has one writer: this
// process. So its dedupe index lives in memory, where a lookup costs no request: the memory
// index, rebuilt from the fingerprints of the last week's stories on first use (a poll starts
// it while its feeds are on their way, through `prepare`). The table still gets every
// fingerprint, membership and story (a restart rebuilds from them), in batch writes shared by
// all the stories in flight instead of a conditional put each: a story's
// fingerprint and membership rows go out while the pipeline goes on, and its story row waits
// for them. BAND# items are not written: each fingerprint carries its keys, and the rebuild
// replays them in the order they were claimed, which each fingerprint row keeps (`seq`): stories
// stored in one poll share their createdAt to the millisecond, and a tie broken any other way
// gave some keys other owners after a restart, so later stories other clusters.
//
// DynamoDB still decides what is new. A story id the index does not know is looked up in the
// table (reads batched across stories) before it may lead or join, so a story older than the
// rebuilt week is found there, and its story write stays conditional. Only a story whose
// fingerprint this process has just created is written without a condition: the fingerprint
// is always written before its story, so such a story cannot be in the table yet. And when
// the table held no row at all as the index was rebuilt (a new store: the first `newswatch
// run`), every fingerprint in it is one this process made, and so in the index: an id the
// index does not know is not in the table either, and is not looked up (a first poll of 200
// feeds spent 8-16 BatchGetItems and a round trip per matched story on finding nothing).
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
/**
 * Claim sequence numbers a millisecond: a `seq` is at least its claim's clock time in µs, so the
 * order also holds across restarts (and against rows written before `seq`, placed by createdAt).
 */
const SEQ_PER_MS = 1000;

/** A fingerprint row's place in claim order: its `seq`, or (a row from before `seq`) its createdAt's. */
function claimOrder(fp: Fingerprint): number {
  if (fp.seq !== undefined) return fp.seq;
  const t = Date.parse(fp.createdAt);
  return Number.isFinite(t) ? t * SEQ_PER_MS : -Infinity;
}

/**
 * Before when a band's owner is stale for `fp`'s claim: counted from when its fingerprint was
 * made (its createdAt, else its publishedAt); undefined when neither is a time.
 */
function claimStaleBefore(fp: Fingerprint): string | undefined {
  const written = Date.parse(fp.createdAt);
  const at = new Date(Number.isFinite(written) ? written : Date.parse(fp.publishedAt));
  return Number.isNaN(at.getTime()) ? undefined : bandsStaleBefore(fp.publishedAt, at, DEFAULT_DEDUPE_OPTIONS.lateHours);
}

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
  /**
   * Fingerprints this process created, until their row is queued: a new leader's until it settles
   * (its row keeps the keys the memory index drops), a copy's until it points its bands (its row
   * carries its place in claim order). Stamped with that place (`seq`) as the index applies the claim.
   */
  const held = new Map<string, Fingerprint>();
  /** The last claim sequence number given (continued after a restart from the highest rebuilt). */
  let lastSeq = 0;

  function nextSeq(): number {
    const t = now().getTime();
    lastSeq = Number.isFinite(t) ? Math.max(lastSeq + 1, t * SEQ_PER_MS) : lastSeq + 1;
    return lastSeq;
  }

  /** `storyId` has just claimed or pointed its bands in the index: its row gets the next seq. */
  function claimed(storyId: string): void {
    const fp = held.get(storyId);
    if (!fp || fp.seq !== undefined) return;
    const stamped = { ...fp, seq: nextSeq() };
    // A leader's row goes out once it settles.
    if (fp.settled) release(stamped);
    else held.set(storyId, stamped);
  }

  /** Queues a held fingerprint's row before its story's. */
  function release(fp: Fingerprint): void {
    held.delete(fp.id);
    writeBefore(fp.id, { kind: 'fingerprint', fingerprint: fp.seq === undefined ? { ...fp, seq: nextSeq() } : fp });
  }

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

  /** The table held no row when the index was rebuilt: an id the index does not know is new (see above). */
  let emptyAtStart = false;

  async function rebuild(): Promise<void> {
    const today = now().getTime();
    const days = Array.from({ length: REBUILD_DAYS + 2 }, (_, i) => koreaDay(new Date(today - (i - 1) * 86_400_000)));
    // Asked side by side: this process writes no fingerprint before the rebuild ends (each write
    // waits for it), so a table empty at any moment of it holds only fingerprints the index will.
    const [empty, fps] = await Promise.all([table.isEmpty(), table.fingerprintsOfDays(days)]);
    // In the order they claimed, each takes the bands that were free (or stale) then: the rule by
    // which leaders claimed them and copies pointed them. Rows from before `seq`: by createdAt, then id.
    const order = new Map(fps.map((fp) => [fp, claimOrder(fp)]));
    fps.sort((a, b) => {
      const x = order.get(a)!;
      const y = order.get(b)!;
      return x < y ? -1 : x > y ? 1 : a.id.localeCompare(b.id);
    });
    for (const fp of fps) {
      if (fp.seq !== undefined && fp.seq > lastSeq) lastSeq = fp.seq;
      if (!(await index.putFingerprint(fp))) continue;
      const staleBefore = claimStaleBefore(fp);
      if (staleBefore === undefined) continue;
      await index.claimBands(fp.keys, { storyId: fp.id, publishedAt: fp.publishedAt }, staleBefore);
    }
    emptyAtStart = empty;
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
      if (!fingerprint && !emptyAtStart) {
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
      // Its row waits for its claim (see `held`); a new leader's until it settles: no other process waits on it.
      held.set(fp.id, fp);
      unwritten.add(fp.id);
      return true;
    },

    async settleFingerprint(id, clusterId) {
      await ready();
      await index.settleFingerprint(id, clusterId);
      const fp = held.get(id);
      if (fp) release({ ...fp, clusterId, settled: true });
    },

    async getBands(bands) {
      await ready();
      return index.getBands(bands);
    },

    async claimBands(bands, owner, staleBefore) {
      await ready();
      // The memory index applies the claim as it is called: the seq is taken in the same step.
      const won = index.claimBands(bands, owner, staleBefore);
      claimed(owner.storyId);
      return won;
    },

    async pointBands(bands, owner) {
      await ready();
      // Only the bands still free (or stale), by the rule the rebuild replays the pointing with: a
      // band another story claimed after this copy's lookup stays that story's, here as after a
      // restart (pointing over it gave later copies another cluster before a restart than after).
      const fp = held.get(owner.storyId);
      const staleBefore = fp && claimStaleBefore(fp);
      const done = staleBefore !== undefined ? index.claimBands(bands, owner, staleBefore) : index.pointBands(bands, owner);
      claimed(owner.storyId);
      await done;
    },

    async addMember(leaderId, member, addedAt) {
      const record: TableRecord = { kind: 'member', leaderId, member, addedAt };
      // A copy being assigned now: its story write waits for this one. Otherwise wait here.
      if (unwritten.has(member.id)) writeBefore(member.id, record);
      else await writes.add(record);
    },

    async putStory(story) {
      // A copy's fingerprint whose bands were never pointed still goes before its story.
      const fp = held.get(story.id);
      if (fp?.settled) release(fp);
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
