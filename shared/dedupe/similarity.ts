// Similarity, the pure half of dedupe: a story's fingerprint (vocabulary bigrams, sampled
// long shingles, LSH band keys, exact and headline keys) and the verdicts on a pair: copy
// (verifyPair), related coverage (relatedPair), or how a key lookup's hit is judged. No store
// calls; cluster.ts runs the claim protocol over these.
import type { Fingerprint } from './index-port.ts';
import { bandKeys, minhash } from './minhash.ts';
import type { DedupeOptions } from './options.ts';
import { dedupeText, hashString, normalisedTitle, overlap, sampledShingleSet, shingleSet } from './text.ts';

export interface DedupeInput {
  id: string;
  url: string;
  title: string;
  body: string;
  outlet: string;
  /** UTC ISO */
  publishedAt: string;
  /** Feed guid when the feed has one: the same guid is the same story. */
  guid?: string;
  /**
   * Precomputed fingerprint sets (see `fingerprintSets`), for labelled sets kept without their
   * text; normally omitted and computed here.
   */
  sets?: { shingles: Uint32Array; copy: Uint32Array };
}

const HOUR = 3_600_000;

/** How a lookup reached a stored story: shared LSH bands, and whether an exact key matched. */
export interface Hit {
  bands: number;
  exact: boolean;
  title: boolean;
  /** The same normalised headline from any outlet (weaker: needs shared text too). */
  headline: boolean;
}

export interface Probe {
  id: string;
  shingles: Uint32Array;
  copy: Uint32Array;
  publishedAt: string;
  keys: string[];
  /** The same outlet's same headline ('' when the headline is empty). */
  titleKey: string;
  /** The same headline from any outlet ('' when too short to mean anything). */
  headlineKey: string;
  /** Exact keys: the same canonical URL or feed guid is the same story, whatever the text says. */
  exactKeys: Set<string>;
}

/** Counts, for `owner`, one key of `probe` it shares: an exact key, the title key, or a band. */
export function countHit<K>(hits: Map<K, Hit>, owner: K, probe: Probe, key: string): void {
  let h = hits.get(owner);
  if (!h) hits.set(owner, (h = { bands: 0, exact: false, title: false, headline: false }));
  if (probe.exactKeys.has(key)) h.exact = true;
  else if (key === probe.titleKey) h.title = true;
  else if (key === probe.headlineKey) h.headline = true;
  else h.bands++;
}

export interface Verdict {
  join: boolean;
  similarity: number;
}

type Sets = { shingles: Uint32Array; copy: Uint32Array; publishedAt: string };
const hoursApart = (a: { publishedAt: string }, b: { publishedAt: string }) => Math.abs(Date.parse(a.publishedAt) - Date.parse(b.publishedAt)) / HOUR;

/**
 * Whether `a` is a copy of `b` (b normally its cluster's leader): the share of the smaller
 * text's long shingles the two have in common, scaled by publication distance. `sameHeadline`
 * (the same normalised headline) lowers the bar: a re-run under the wire's own headline.
 */
export function verifyPair(a: Sets, b: Sets, o: DedupeOptions, sameHeadline = false): Verdict {
  const hours = hoursApart(a, b);
  if (!(hours <= o.lateHours)) return { join: false, similarity: 0 };
  const { containment, smaller } = overlap(a.copy, b.copy);
  const shared = Math.round(containment * smaller);
  if (shared < o.minShared) return { join: false, similarity: containment };
  const bar = hours <= o.windowHours ? (sameHeadline ? Math.min(o.titleContainment, o.containment) : o.containment) : o.lateContainment;
  return { join: containment >= bar, similarity: containment };
}

/** Whether `a` reports the same event as `b` (not a copy): shared vocabulary within relatedHours. */
export function relatedPair(a: Sets, b: Sets, o: DedupeOptions): Verdict {
  if (!(hoursApart(a, b) <= o.relatedHours)) return { join: false, similarity: 0 };
  const { jaccard } = overlap(a.shingles, b.shingles);
  return { join: jaccard >= o.relatedJaccard, similarity: jaccard };
}

/** The two sets a fingerprint keeps of a text: vocabulary bigrams and sampled long shingles. */
export function fingerprintSets(
  title: string,
  body: string,
  o: Pick<DedupeOptions, 'shingle' | 'copyShingle' | 'copySample' | 'maxChars'>,
): { shingles: Uint32Array; copy: Uint32Array } {
  const text = dedupeText(`${title}\n${body}`).slice(0, o.maxChars);
  return { shingles: shingleSet(text, o.shingle), copy: sampledShingleSet(text, o.copyShingle, o.copySample) };
}

/** The fingerprint-and-key computation for one input (pure). */
export function probeOf(input: DedupeInput, o: DedupeOptions): Probe {
  const { shingles, copy } = input.sets ?? fingerprintSets(input.title, input.body, o);
  const keys = shingles.length > 0 ? bandKeys(minhash(shingles, o.bands * o.rows, o.seed), o.bands, o.rows) : [];
  const title = normalisedTitle(input.title);
  // An empty headline is no key: every headline-less item of an outlet would share it.
  const titleKey = title ? `t#${hashString(`${input.outlet}\u0000${title}`).toString(36)}` : '';
  if (titleKey) keys.push(titleKey);
  const headlineKey = title.length >= 10 ? `h#${hashString(title).toString(36)}` : '';
  if (headlineKey) keys.push(headlineKey);
  const exactKeys = new Set<string>();
  const wide = (s: string) => `${hashString(s).toString(36)}${hashString(`${s}\u0001`).toString(36)}`;
  if (input.url) exactKeys.add(`u#${wide(input.url)}`);
  if (input.guid && input.guid !== input.url) exactKeys.add(`g#${wide(input.guid)}`);
  keys.push(...exactKeys);
  return { id: input.id, shingles, copy, publishedAt: input.publishedAt, keys, titleKey, headlineKey, exactKeys };
}

/** Verdict of `probe` against a stored fingerprint, given how the lookup reached it. */
export function judge(probe: Probe, fp: Pick<Fingerprint, 'shingles' | 'copy' | 'publishedAt'>, hit: Hit, o: DedupeOptions): Verdict {
  if (hit.exact) return { join: true, similarity: 1 };
  if (hit.title && hoursApart(probe, fp) <= o.titleHours) return { join: true, similarity: 1 };
  return verifyPair(probe, fp, o, hit.headline);
}

/** The hits worth verifying: exact-key owners first, then by shared bands (copies share many, chance hits one). */
export function strongest<K>(hits: Map<K, Hit>, maxCandidates: number): [K, Hit][] {
  return [...hits.entries()].sort(([, x], [, y]) => Number(y.exact || y.title) - Number(x.exact || x.title) || y.bands - x.bands).slice(0, maxCandidates);
}
