// What the clusterer needs from persistence: fingerprints, LSH band ownership and cluster
// membership. DynamoStore implements it over the table; createMemoryClusterIndex in memory.

/**
 * A key a story is found by: an LSH band as a number (band x 2^32 + its hash: minhash.ts
 * bandKey), or a headline or exact key as a string (`t#`, `h#`, `u#`, `g#` and a base-36 hash).
 * The table stores both as text (minhash.ts bandKeyText), as it always has.
 */
export type BandKey = number | string;

/** A story's dedupe fingerprint: its shingle hashes (sorted, unique) and its cluster. */
export interface Fingerprint {
  id: string;
  /** Leader id of the cluster this story belongs to (itself when leader). */
  clusterId: string;
  /** False while a new leader is still resolving a concurrent claim race. */
  settled: boolean;
  /** UTC ISO */
  publishedAt: string;
  outlet: string;
  /** UTC ISO, when the fingerprint was written. */
  createdAt: string;
  /**
   * Its place in the order stories claimed (or pointed) their bands, where a store keeps it (the
   * embedded store's single writer: sole-writer.ts): its rebuild replays the claims in this order.
   */
  seq?: number;
  /** Sorted unique hashes of the vocabulary bigrams (candidate bands, related coverage). */
  shingles: Uint32Array;
  /** Sorted unique hashes of the sampled long shingles (copy evidence). */
  copy: Uint32Array;
  /** The band and exact keys this story wanted (to tell which bands a concurrent rival contested). */
  keys: BandKey[];
}

/** Who owns an LSH band (or title/guid key): the first story to claim it. */
export interface BandOwner {
  storyId: string;
  /** UTC ISO publishedAt of the owner: a band far older than a claimer may be taken over. */
  publishedAt: string;
  /**
   * publishedAt in ms since the epoch, when the index keeps it (the memory index): compared
   * instead of the text, which saves reading the text of each owner among 100,000.
   */
  time?: number;
}

export interface Member {
  id: string;
  outlet: string;
  url: string;
  title: string;
}

export interface ClusterIndex {
  /** Fingerprints of those `ids` that have one. */
  getFingerprints(ids: string[]): Promise<Map<string, Fingerprint>>;
  /** Conditional create: false when this id already has a fingerprint. */
  putFingerprint(fp: Fingerprint): Promise<boolean>;
  /** Final cluster of a fingerprint (after a claim race). */
  settleFingerprint(id: string, clusterId: string): Promise<void>;
  /** Current owner of each band (aligned with `bands`; undefined where nobody owns it). */
  getBands(bands: readonly BandKey[]): Promise<(BandOwner | undefined)[]>;
  /** A story's own fingerprint (if it has one) and the owners of its keys, in one read. */
  lookup(id: string, bands: readonly BandKey[]): Promise<{ fingerprint?: Fingerprint; owners: (BandOwner | undefined)[] }>;
  /** Claims each band unless owned by a story published after `staleBefore`; returns the bands won. */
  claimBands(bands: readonly BandKey[], owner: BandOwner, staleBefore: string): Promise<BandKey[]>;
  /**
   * Points bands found free at lookup to a story that joined a cluster, without the claim's
   * condition (a batch write): these are hints for later copies, not a race to win.
   */
  pointBands(bands: readonly BandKey[], owner: BandOwner): Promise<void>;
  /** Records that `member` joined the cluster led by `leaderId` (idempotent). */
  addMember(leaderId: string, member: Member, addedAt: string): Promise<void>;
  /**
   * Loads what lookups need before the first one, for an index that loads (the embedded
   * store rebuilds its memory index): a poll starts it while its requests are out.
   */
  prepare?(): Promise<void>;
}
