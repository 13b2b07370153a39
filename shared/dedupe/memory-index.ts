// The ClusterIndex in memory, with the same first-claim-wins semantics as the table:
// the `newswatch dedupe` command, the embedded store, unit tests and the throughput benchmark use it.
// Compact and quick for 100,000 stories (1.7 million band keys): LSH bands live in one
// open-addressing hash table of 32-bit integers (band number, 31 bits of the band hash, owner),
// so a lookup reads one or two adjacent cells and allocates nothing; settled fingerprints drop the
// key list that only a concurrent claim race needs.
import type { BandKey, BandOwner, ClusterIndex, Fingerprint, Member } from './index-port.ts';
import { bandHashOf, bandOf } from './minhash.ts';
import { isoTime } from './iso-time.ts';

export interface MemoryClusterIndex extends ClusterIndex {
  /** Members recorded per leader, in the order they joined. */
  members(leaderId: string): Member[];
  readonly size: { fingerprints: number; bands: number };
}

/**
 * Band number and 31 bits of the band hash -> owner number, by linear probing. Three int32
 * cells a slot: the hash's top 31 bits, the band, the owner number + 1 (0: an empty slot).
 * Bands are never removed (a stale band is taken over in place), so no tombstones.
 * (31 bits: the index has always told bands apart by the hash's top 31 bits.)
 */
class BandTable {
  private cells = new Int32Array(3 << 12);
  private mask = (1 << 12) - 1;
  size = 0;

  /** The cell offset holding (band, half), or of the empty slot where it would go. */
  private find(band: number, half: number): number {
    const cells = this.cells;
    const mask = this.mask;
    // `half` is already well mixed (a murmur3 finaliser's output): its low bits pick the slot.
    for (let slot = (half ^ Math.imul(band, 0x9e3779b1)) & mask; ; slot = (slot + 1) & mask) {
      const at = slot * 3;
      if (cells[at + 2] === 0 || (cells[at] === half && cells[at + 1] === band)) return at;
    }
  }

  /** Where `key` is or would go: pass to ownerAt and put (valid until the next put). */
  slot(key: number): number {
    return this.find(bandOf(key), bandHashOf(key) >>> 1);
  }

  /** The owner number at a slot, or -1. */
  ownerAt(at: number): number {
    return this.cells[at + 2]! - 1;
  }

  /** Sets `key`'s owner; `at` is slot(key). */
  put(key: number, at: number, owner: number): void {
    if (this.cells[at + 2] === 0) {
      // Grow at 3/4 full: probes stay short.
      if (4 * (this.size + 1) > 3 * (this.mask + 1)) {
        this.grow();
        at = this.slot(key);
      }
      this.size++;
      this.cells[at] = bandHashOf(key) >>> 1;
      this.cells[at + 1] = bandOf(key);
    }
    this.cells[at + 2] = owner + 1;
  }

  private grow(): void {
    const old = this.cells;
    this.cells = new Int32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    for (let at = 0; at < old.length; at += 3) {
      if (old[at + 2] === 0) continue;
      const to = this.find(old[at + 1]!, old[at]!);
      this.cells[to] = old[at]!;
      this.cells[to + 1] = old[at + 1]!;
      this.cells[to + 2] = old[at + 2]!;
    }
  }
}

/** An empty in-memory cluster index. */
export function createMemoryClusterIndex(): MemoryClusterIndex {
  const fps = new Map<string, Fingerprint>();
  const bands = new BandTable();
  // Headline and exact keys (`t#`, `h#`, `u#`, `g#`) are few: kept by their string.
  const exact = new Map<string, number>();
  // One owner object per story, shared by all its keys; the tables hold its number.
  const owners: BandOwner[] = [];
  const ownerNumbers = new Map<string, number>();
  const members = new Map<string, Member[]>();

  function ownerNumber(owner: BandOwner): number {
    let n = ownerNumbers.get(owner.storyId);
    if (n === undefined) {
      const time = isoTime(owner.publishedAt);
      const kept: BandOwner = { storyId: owner.storyId, publishedAt: owner.publishedAt };
      if (time >= 0) kept.time = time;
      n = owners.push(kept) - 1;
      ownerNumbers.set(owner.storyId, n);
    }
    return n;
  }

  function ownerOf(key: BandKey): BandOwner | undefined {
    const n = typeof key === 'number' ? bands.ownerAt(bands.slot(key)) : (exact.get(key) ?? -1);
    return n < 0 ? undefined : owners[n];
  }

  /** Whether owner `n` was published before `staleBefore` (`staleTime` its isoTime). */
  function olderThan(n: number, staleBefore: string, staleTime: number): boolean {
    const owner = owners[n]!;
    return owner.time !== undefined && staleTime >= 0 ? owner.time < staleTime : owner.publishedAt < staleBefore;
  }

  /** Makes owner `n` own `key` if `staleBefore` is undefined or its owner is older (or none); whether it does now. */
  function point(key: BandKey, n: number, staleBefore?: string, staleTime = -1): boolean {
    if (typeof key === 'number') {
      const at = bands.slot(key);
      const current = bands.ownerAt(at);
      if (staleBefore !== undefined && current >= 0 && !olderThan(current, staleBefore, staleTime)) return false;
      bands.put(key, at, n);
      return true;
    }
    const current = exact.get(key);
    if (staleBefore !== undefined && current !== undefined && !olderThan(current, staleBefore, staleTime)) return false;
    exact.set(key, n);
    return true;
  }

  return {
    get size() {
      return { fingerprints: fps.size, bands: bands.size + exact.size };
    },
    members: (leaderId) => [...(members.get(leaderId) ?? [])],
    async getFingerprints(ids) {
      const out = new Map<string, Fingerprint>();
      for (const id of ids) {
        const fp = fps.get(id);
        if (fp) out.set(id, fp); // read-only to callers: no copy
      }
      return out;
    },
    async putFingerprint(fp) {
      if (fps.has(fp.id)) return false;
      fps.set(fp.id, { ...fp, keys: fp.settled ? [] : fp.keys });
      return true;
    },
    async settleFingerprint(id, clusterId) {
      const fp = fps.get(id);
      if (fp) {
        fp.clusterId = clusterId;
        fp.settled = true;
        fp.keys = [];
      }
    },
    async getBands(keys) {
      const out = new Array<BandOwner | undefined>(keys.length);
      for (let i = 0; i < keys.length; i++) out[i] = ownerOf(keys[i]!);
      return out;
    },
    async lookup(id, keys) {
      const fingerprint = fps.get(id);
      return { ...(fingerprint ? { fingerprint } : {}), owners: await this.getBands(keys) };
    },
    async claimBands(keys, owner, staleBefore) {
      const n = ownerNumber(owner);
      const won: BandKey[] = [];
      const staleTime = isoTime(staleBefore);
      for (const key of keys) if (point(key, n, staleBefore, staleTime)) won.push(key);
      return won;
    },
    async pointBands(keys, owner) {
      const n = ownerNumber(owner);
      for (const key of keys) point(key, n);
    },
    async addMember(leaderId, member) {
      const list = members.get(leaderId) ?? [];
      if (!list.some((m) => m.id === member.id)) list.push({ ...member });
      members.set(leaderId, list);
    },
  };
}
