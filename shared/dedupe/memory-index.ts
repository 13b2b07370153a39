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
  // LSH bands `<n>#<hash>`: bandMaps[n] maps 31 bits of the key's hash to its owner. One
  // owner object per story is shared by all its bands (nothing allocated per lookup).
  const bandMaps: Map<number, BandOwner>[] = [];
  // Exact keys (`t#`, `u#`, `g#`) are few: kept by their string.
  const exact = new Map<string, BandOwner>();
  const owners = new Map<string, BandOwner>();
  const members = new Map<string, Member[]>();

  /** The map holding `key` and the key within it (no allocation: results go to `slotKey`). */
  let slotKey: number | string = 0;
  function slotMap(key: string): Map<number | string, BandOwner> {
    const band = Number.parseInt(key, 10); // the digits before '#'
    if (!(band >= 0)) {
      slotKey = key;
      return exact as Map<number | string, BandOwner>;
    }
    let map = bandMaps[band];
    if (!map) bandMaps[band] = map = new Map();
    // The part after '#' is a base-36 32-bit hash: halve it into a small integer key.
    slotKey = Number.parseInt(key.slice(key.indexOf('#') + 1), 36) >>> 1;
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
