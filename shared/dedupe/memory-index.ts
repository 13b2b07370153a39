// The ClusterIndex in memory, with the same first-claim-wins semantics as the table:
// the `newswatch dedupe` command, unit tests and the throughput benchmark use it.
// Compact enough for 100,000 stories: LSH bands live in one Map per band number keyed by
// 31 bits of the band hash (small integers, no key strings kept), and settled fingerprints drop the
// key list that only a concurrent claim race needs.
import type { BandOwner, ClusterIndex, Fingerprint, Member } from './index-port.ts';

export interface MemoryClusterIndex extends ClusterIndex {
  /** Members recorded per leader, in the order they joined. */
  members(leaderId: string): Member[];
  readonly size: { fingerprints: number; bands: number };
}

/** An empty in-memory cluster index. */
export function createMemoryClusterIndex(): MemoryClusterIndex {
  const fps = new Map<string, Fingerprint>();
  // LSH bands `<n>#<hash>`: bandMaps[2n] and [2n + 1] map 31 bits of the key's hash (the top one
  // choosing the map) to its owner. One owner object per story is shared by all its bands
  // (nothing allocated per lookup).
  const bandMaps: Map<number, BandOwner>[] = [];
  // Exact keys (`t#`, `u#`, `g#`) are few: kept by their string.
  const exact = new Map<string, BandOwner>();
  const owners = new Map<string, BandOwner>();
  const members = new Map<string, Member[]>();

  /** The map holding `key` and the key within it (no allocation: results go to `slotKey`). */
  let slotKey: number | string = 0;
  function slotMap(key: string): Map<number | string, BandOwner> {
    // `<digits>#<base-36 hash>`, parsed by hand: no substring, no parseInt.
    let band = 0;
    let i = 0;
    for (let c = key.charCodeAt(0); c >= 48 && c <= 57; c = key.charCodeAt(++i)) band = band * 10 + (c - 48);
    if (i === 0 || key.charCodeAt(i) !== 35) {
      slotKey = key;
      return exact as Map<number | string, BandOwner>;
    }
    let hash = 0;
    for (let j = i + 1; j < key.length; j++) {
      const c = key.charCodeAt(j);
      hash = hash * 36 + (c <= 57 ? c - 48 : c - 87);
    }
    // The 32-bit hash halved (31 bits), split by its top bit over two maps so each key is a
    // 30-bit small integer (V8 keeps those unboxed; larger numbers are heap objects).
    const half = hash >>> 1;
    const slot = 2 * band + (half >>> 30);
    let map = bandMaps[slot];
    if (!map) bandMaps[slot] = map = new Map();
    slotKey = half & 0x3fffffff;
    return map as Map<number | string, BandOwner>;
  }

  /** One owner object per story, shared by all its bands. */
  function sharedOwner(owner: BandOwner): BandOwner {
    let shared = owners.get(owner.storyId);
    if (!shared) owners.set(owner.storyId, (shared = { storyId: owner.storyId, publishedAt: owner.publishedAt }));
    return shared;
  }

  return {
    get size() {
      return { fingerprints: fps.size, bands: bandMaps.reduce((n, m) => n + (m?.size ?? 0), exact.size) };
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
      for (let i = 0; i < keys.length; i++) out[i] = slotMap(keys[i]!).get(slotKey);
      return out;
    },
    async lookup(id, keys) {
      const fingerprint = fps.get(id);
      return { ...(fingerprint ? { fingerprint } : {}), owners: await this.getBands(keys) };
    },
    async claimBands(keys, owner, staleBefore) {
      const shared = sharedOwner(owner);
      const won: string[] = [];
      for (const key of keys) {
        const map = slotMap(key);
        const current = map.get(slotKey);
        if (!current || current.publishedAt < staleBefore) {
          map.set(slotKey, shared);
          won.push(key);
        }
      }
      return won;
    },
    async pointBands(keys, owner) {
      const shared = sharedOwner(owner);
      for (const key of keys) slotMap(key).set(slotKey, shared);
    },
    async addMember(leaderId, member) {
      const list = members.get(leaderId) ?? [];
      if (!list.some((m) => m.id === member.id)) list.push({ ...member });
      members.set(leaderId, list);
    },
  };
}
