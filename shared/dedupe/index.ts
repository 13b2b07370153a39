// Syndication dedupe: exact duplicates (same id/canonical URL, guid, same outlet's headline)
// and near-duplicates across outlets (MinHash/LSH over Korean character shingles, verified
// by exact overlap and publication time). See cluster.ts for the algorithm.
export { bandsStaleBefore, createClusterer, DedupeError, DEFAULT_DEDUPE_OPTIONS, verifyPair, probeOf } from './cluster.ts';
export type { ClusterAssignment, Clusterer, DedupeInput, DedupeOptions, Verdict } from './cluster.ts';
export type { BandOwner, ClusterIndex, Fingerprint, Member } from './index-port.ts';
export { createMemoryClusterIndex } from './memory-index.ts';
export type { MemoryClusterIndex } from './memory-index.ts';
