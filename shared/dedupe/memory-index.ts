// The ClusterIndex in memory, with the same first-claim-wins semantics as the table:
// the `newswatch dedupe` command, unit tests and the throughput benchmark use it.
import type { BandOwner, ClusterIndex, Fingerprint, Member } from './index-port.ts';

export interface MemoryClusterIndex extends ClusterIndex {
  /** Members recorded per leader, in the order they joined. */
  members(leaderId: string): Member[];
  readonly size: { fingerprints: number; bands: number };
}

/** An empty in-memory cluster index. */
export function createMemoryClusterIndex(): MemoryClusterIndex {
  const fps = new Map<string, Fingerprint>();
  // A band points at its owner's fingerprint: one reference per band, no copied strings.
  const bands = new Map<string, Fingerprint>();
  const members = new Map<string, Member[]>();
  return {
    get size() {
      return { fingerprints: fps.size, bands: bands.size };
    },
    members: (leaderId) => [...(members.get(leaderId) ?? [])],
    async getFingerprints(ids) {
      const out = new Map<string, Fingerprint>();
      for (const id of ids) {
        const fp = fps.get(id);
        if (fp) out.set(id, { ...fp });
      }
      return out;
    },
    async putFingerprint(fp) {
      if (fps.has(fp.id)) return false;
      fps.set(fp.id, { ...fp });
      return true;
    },
    async settleFingerprint(id, clusterId) {
      const fp = fps.get(id);
      if (fp) {
        fp.clusterId = clusterId;
        fp.settled = true;
      }
    },
    async getBands(keys) {
      const out = new Map<string, BandOwner>();
      for (const k of keys) {
        const fp = bands.get(k);
        if (fp) out.set(k, { storyId: fp.id, publishedAt: fp.publishedAt });
      }
      return out;
    },
    async claimBands(keys, owner, staleBefore) {
      const fp = fps.get(owner.storyId);
      if (!fp) return [];
      const won: string[] = [];
      for (const k of keys) {
        const current = bands.get(k);
        if (!current || current.publishedAt < staleBefore) {
          bands.set(k, fp);
          won.push(k);
        }
      }
      return won;
    },
    async addMember(leaderId, member) {
      const list = members.get(leaderId) ?? [];
      if (!list.some((m) => m.id === member.id)) list.push({ ...member });
      members.set(leaderId, list);
    },
  };
}
