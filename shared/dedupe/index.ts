// Syndication dedupe in two levels: copies (same id/canonical URL, guid, same outlet's
// headline, or the same source text re-run by another outlet, verified against the cluster's
// leader on long shingles) share one cluster; related coverage (the same event in another
// outlet's own words) is linked, not merged. See cluster.ts for the algorithm (the claim
// protocol), similarity.ts for fingerprints and verdicts, options.ts for the tunables.
export { bandsStaleBefore, createClusterer, DedupeError } from './cluster.ts';
export type { ClusterAssignment, Clusterer } from './cluster.ts';
export { DEFAULT_DEDUPE_OPTIONS } from './options.ts';
export type { DedupeOptions } from './options.ts';
export { fingerprintSets, probeOf, relatedPair, verifyPair } from './similarity.ts';
export type { DedupeInput, Verdict } from './similarity.ts';
export type { BandOwner, ClusterIndex, Fingerprint, Member } from './index-port.ts';
export { createMemoryClusterIndex } from './memory-index.ts';
export type { MemoryClusterIndex } from './memory-index.ts';
