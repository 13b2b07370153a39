// The dedupe tunables and their measured defaults.

export interface DedupeOptions {
  /** Vocabulary shingle length in characters (LSH bands, related coverage), spaces removed. */
  shingle: number;
  /** Copy-evidence shingle length: long enough that only a shared source text shares many. */
  copyShingle: number;
  /** Keep 1 in this many copy shingles (a power of two; chosen by hash, see sampledShingleSet). */
  copySample: number;
  /** Only the first this many normalised characters (headline and lede) are shingled: copies share the top. */
  maxChars: number;
  bands: number;
  rows: number;
  /** MinHash permutation seed (0: the shingle hashes themselves). All stores must agree on it. */
  seed: number;
  /** Copies published within this many hours join on the normal thresholds. */
  windowHours: number;
  /** A copy shares at least this share of the smaller text's (sampled) long shingles with the leader... */
  containment: number;
  /** ...and at least this many of them (short texts share few by chance). */
  minShared: number;
  /** With the same headline (any outlet, normalised) this lower share is enough. */
  titleContainment: number;
  /**
   * Shared sentences, the second kind of copy evidence: a narrative sentence (not mostly a
   * quotation) of at least this many normalised characters counts...
   */
  sentenceMinChars: number;
  /** ...as reappearing when at least this share of its sampled long shingles is in the other text... */
  sentenceMatch: number;
  /** ...and the texts are copies when at least this many reappear... */
  minSentences: number;
  /** ...and they make up at least this share of the shorter text. */
  sentenceShare: number;
  /**
   * A lower shared-sentence share that joins when the two texts' vocabulary bigram Jaccard is at
   * least `closeJaccard`: a rewrite of one release keeps its words, an outlet's own report of the
   * event adds words of its own. Above 1: off.
   */
  closeSentenceShare: number;
  closeJaccard: number;
  /** Sentences are only looked at when the shingle containment is at least this (unrelated texts cost nothing). */
  sentenceFloor: number;
  /**
   * A story that is a copy of a cluster's member (not of its leader) joins too when it shares at
   * least this share of its long shingles with the leader itself: two copies of one release
   * rewritten differently each keep enough of it, an independent report borrowing from one
   * copy shares little with the leader (no chaining). Above 1: leader only.
   */
  memberLeaderFloor: number;
  /** Between windowHours and this, only near-identical texts join (a late republication). */
  lateHours: number;
  lateContainment: number;
  /** Related coverage: bigram Jaccard at least this (an event's shared vocabulary)... */
  relatedJaccard: number;
  /** ...published within this many hours of each other. */
  relatedHours: number;
  /** At most this many related clusters are linked to a story. */
  maxRelated: number;
  /**
   * At most this many candidates (owners of the URL, guid or same-outlet headline key first, then
   * those sharing the most bands) are read and verified:
   * topical stories share a band or two by chance, true copies share several.
   */
  maxCandidates: number;
  /** The same outlet's same headline within this many hours is the same story. */
  titleHours: number;
  /** How long to wait for a concurrent new leader to settle its cluster. */
  settleWaitMs: number;
  now: () => Date;
}

// Measured on test/eval/data/syndication-dev.jsonl (npm run eval; figures in docs/dedupe.md).
// Bigram bands find candidates (48 bands of 2 rows: a pair of texts with bigram Jaccard 0.15
// shares a band with probability ~0.66, copies almost surely). Copy evidence: 6-character
// shingles, 1 in 2 kept, of the narrative only: quotations are left out (sentences that are
// mostly one, and the quoted words inside the others), since independent reports quote the
// same statement. Then either 40% of the smaller text's shingles are shared, or shared
// sentences: at least 2 narrative sentences (15+ characters) of the new story with 40% of
// their shingles in the leader, making up 60% of the shorter text (light edits keep a release's
// sentences, not its paragraphs). Dev sweep (the eval prints it): containment 0.35 instead of
// 0.4 gains no pair and merges five without times (P 90%), 0.45 loses with-times recall (R 89.5%);
// the sentence rule, when added, took with-times recall from 58% to 89%; a share of 0.5 instead
// of 0.6 merges independent reports (P 86% with times); 3 sentences instead of 2 lose recall.
// Shared sentences of 50% join when the whole texts' bigram Jaccard is at least 0.32 (a rewrite
// keeps the release's vocabulary; an outlet's own report adds its own): of the dev pairs under
// the other bars with 50-60% shared sentences, the related ones have Jaccard <= 0.30, the copies
// >= 0.337 (0.45 instead of 0.5 would reach a related pair at 0.348 with 47%); in the
// clusterer any Jaccard bar from 0.28 to 0.34 with a share of 0.45-0.55 gives the same with-times
// result (docs/dedupe.md, version 5).
// A copy of a member joins when it shares 20% with the leader: on dev with times it finds 4
// more copy pairs and no wrong merge at any floor from 0.05 to 0.25 (0.3 finds none of them);
// the bridge test (13% with the leader) needs a floor.
// Related coverage: bigram Jaccard 0.15 (0.20 cuts dev's related recall without times from 81 % to 50 %).
// After 12 h only near-verbatim republications join: the same market-report template filled in
// on the next trading day shares its boilerplate (test/integration/dedupe).
export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = {
  shingle: 2,
  copyShingle: 6,
  copySample: 2,
  maxChars: 1500,
  bands: 48,
  rows: 2,
  seed: 0,
  windowHours: 12,
  containment: 0.4,
  minShared: 6,
  titleContainment: 0.15,
  sentenceMinChars: 15,
  sentenceMatch: 0.4,
  minSentences: 2,
  sentenceShare: 0.6,
  closeSentenceShare: 0.5,
  closeJaccard: 0.32,
  sentenceFloor: 0.1,
  memberLeaderFloor: 0.2,
  lateHours: 48,
  lateContainment: 0.8,
  relatedJaccard: 0.15,
  relatedHours: 36,
  maxRelated: 5,
  maxCandidates: 8,
  titleHours: 12,
  settleWaitMs: 2_000,
  now: () => new Date(),
};
