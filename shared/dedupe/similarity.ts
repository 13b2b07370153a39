// Similarity, the pure half of dedupe: a story's fingerprint (vocabulary bigrams, sampled
// long shingles, LSH band keys, exact and headline keys) and the verdicts on a pair: copy
// (verifyPair), related coverage (relatedPair), or how a key lookup's hit is judged. No store
// calls; cluster.ts runs the claim protocol over these.
import type { BandKey, Fingerprint } from './index-port.ts';
import { isoTime } from './iso-time.ts';
import { lshKeys } from './minhash.ts';
import type { DedupeOptions } from './options.ts';
import {
  containmentAtLeast,
  dedupeSentences,
  hashString,
  hasHash,
  jaccardAtLeast,
  normalisedTitle,
  overlap,
  type SentenceShingles,
  copyShingles,
  shingleSet,
} from './text.ts';

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
  sets?: CopySets;
}

/** What a text is compared by: vocabulary bigrams, sampled long shingles, and those per sentence. */
export interface CopySets {
  shingles: Uint32Array;
  copy: Uint32Array;
  /** The sampled long shingles of each narrative sentence (not a quotation); not stored with the fingerprint. */
  sentences?: SentenceShingles;
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
  sentences?: SentenceShingles;
  publishedAt: string;
  /** publishedAt in ms (NaN when unreadable), read once: the probe is compared with every candidate. */
  time: number;
  keys: BandKey[];
  /** The same outlet's same headline ('' when the headline is empty). */
  titleKey: string;
  /** The same headline from any outlet ('' when too short to mean anything). */
  headlineKey: string;
  /** Exact keys: the same canonical URL or feed guid is the same story, whatever the text says. */
  exactKeys: Set<string>;
}

/** Counts, for `owner`, one key of `probe` it shares: an exact key, the title key, or a band. */
export function countHit<K>(hits: Map<K, Hit>, owner: K, probe: Probe, key: BandKey): void {
  let h = hits.get(owner);
  if (!h) hits.set(owner, (h = { bands: 0, exact: false, title: false, headline: false }));
  // An LSH band is a number (BandKey); exact and headline keys are strings.
  if (typeof key === 'number') h.bands++;
  else if (probe.exactKeys.has(key)) h.exact = true;
  else if (key === probe.titleKey) h.title = true;
  else if (key === probe.headlineKey) h.headline = true;
  else h.bands++;
}

export interface Verdict {
  join: boolean;
  similarity: number;
}

type Sets = { shingles: Uint32Array; copy: Uint32Array; publishedAt: string; time?: number };
const DAY = 24 * HOUR;
const KST = 9 * HOUR;

// Date.parse of the same strings over and over (the probe against each candidate, a leader
// against each copy) was a visible share of dedupe CPU, and a cache of parsed dates missed when
// the candidates are spread over 100,000 stories: a time in the form toISOString writes (what
// stories store) is read digit by digit instead; any other form goes through Date.parse, memoised.
const parsed = new Map<string, number>();
function timeOf(publishedAt: string): number {
  const t = isoTime(publishedAt);
  if (t >= 0) return t;
  let p = parsed.get(publishedAt);
  if (p === undefined) {
    if (parsed.size >= 10_000) parsed.clear();
    parsed.set(publishedAt, (p = Date.parse(publishedAt)));
  }
  return p;
}

/**
 * The length of the stretch of time a publication time `t` stands for. A page that shows only a
 * date is read as 00:00 Korea time (shared/extract/parse-date.ts): that stands for the whole
 * Korea day, not its first minute, so a copy run that afternoon is not 15 hours away from it.
 */
function spanLength(t: number): number {
  return (t + KST) % DAY === 0 ? DAY : 0;
}

/** Hours between two publication times (0 when one falls within the other's Korea day). */
export function hoursApart(a: { publishedAt: string; time?: number }, b: { publishedAt: string; time?: number }): number {
  const a0 = a.time ?? timeOf(a.publishedAt);
  const b0 = b.time ?? timeOf(b.publishedAt);
  return Math.max(0, a0 - (b0 + spanLength(b0)), b0 - (a0 + spanLength(a0))) / HOUR;
}

/**
 * Shared-sentence evidence of `a` against `b`'s sampled shingles: the narrative sentences of `a`
 * (quotations left out: independent reports quote the same statement) that reappear nearly word
 * for word in `b`, as a share of the shorter text. 0 unless at least `minSentences` reappear.
 */
export function sharedSentences(a: SentenceShingles, b: Uint32Array, o: DedupeOptions): number {
  let own = 0;
  let matched = 0;
  let count = 0;
  for (let i = 0; i < a.chars.length; i++) {
    const from = a.starts[i]!;
    const to = a.starts[i + 1]!;
    own += a.chars[i]!;
    if (to === from) continue;
    let found = 0;
    for (let j = from; j < to; j++) if (hasHash(b, a.hashes[j]!)) found++;
    if (found >= o.sentenceMatch * (to - from)) {
      matched += a.chars[i]!;
      count++;
    }
  }
  if (count < o.minSentences) return 0;
  // b's length from its sampled shingle count: the share is of the shorter text, as for containment.
  const other = b.length * o.copySample + o.copyShingle - 1;
  return matched / Math.max(1, Math.min(own, other));
}

/**
 * Whether `a` is a copy of `b` (b normally its cluster's leader), scaled by publication distance.
 * Within the window either of two kinds of evidence joins: the share of the smaller text's long
 * shingles the two have in common, or shared sentences (`a`'s narrative sentences found nearly
 * word for word in `b`: a release re-run with light edits shares its sentences, not its
 * paragraphs; fewer of them when the two texts' vocabularies are as close as a rewrite's: see
 * closeSentenceShare). `sameHeadline` (the same normalised headline) lowers the shingle bar: a re-run
 * under the wire's own headline. Later only a near-verbatim republication joins.
 */
export function verifyPair(a: Sets & { sentences?: SentenceShingles }, b: Sets, o: DedupeOptions, sameHeadline = false): Verdict {
  return verify(a, b, o, sameHeadline, false);
}

/** verifyPair where only a joining verdict matters: a pair that cannot join is `{ join: false, similarity: 0 }`. */
export function copyJoin(a: Sets & { sentences?: SentenceShingles }, b: Sets, o: DedupeOptions, sameHeadline = false): Verdict {
  return verify(a, b, o, sameHeadline, true);
}

function verify(a: Sets & { sentences?: SentenceShingles }, b: Sets, o: DedupeOptions, sameHeadline: boolean, joinOnly: boolean): Verdict {
  const hours = hoursApart(a, b);
  if (!(hours <= o.lateHours)) return { join: false, similarity: 0 };
  const bar = sameHeadline ? Math.min(o.titleContainment, o.containment) : o.containment;
  let containment: number;
  const smaller = Math.min(a.copy.length, b.copy.length);
  if (joinOnly) {
    // Below every bar that can join (the shingle bar, the sentence floor, the late bar): no join.
    // (A sentence share of 0 would join on no shared sentence at all: no shortcut then.)
    const floor = o.sentenceShare > 0 && o.closeSentenceShare > 0 ? Math.min(bar, o.sentenceFloor, o.lateContainment) : 0;
    containment = containmentAtLeast(a.copy, b.copy, floor);
    if (containment < 0) return { join: false, similarity: 0 };
  } else containment = overlap(a.copy, b.copy).containment;
  const shared = Math.round(containment * smaller);
  if (shared < o.minShared) return { join: false, similarity: containment };
  if (hours > o.windowHours) return { join: containment >= o.lateContainment, similarity: containment };
  if (containment >= bar) return { join: true, similarity: containment };
  const sentences = a.sentences && containment >= o.sentenceFloor ? sharedSentences(a.sentences, b.copy, o) : 0;
  const similarity = Math.max(containment, Math.min(sentences, 1));
  if (sentences >= o.sentenceShare) return { join: true, similarity };
  // Fewer shared sentences join when the two texts' whole vocabularies are as close as a
  // rewrite's: an outlet's own report of the event adds words of its own (its sources, its
  // numbers, its background), a re-run of one release does not. Read only in this band.
  const close = sentences >= o.closeSentenceShare && jaccardAtLeast(a.shingles, b.shingles, o.closeJaccard) >= 0;
  return { join: close, similarity };
}

/** Whether `a` reports the same event as `b` (not a copy): shared vocabulary within relatedHours. */
export function relatedPair(a: Sets, b: Sets, o: DedupeOptions): Verdict {
  if (!(hoursApart(a, b) <= o.relatedHours)) return { join: false, similarity: 0 };
  const { jaccard } = overlap(a.shingles, b.shingles);
  return { join: jaccard >= o.relatedJaccard, similarity: jaccard };
}

/** relatedPair's similarity when it joins, else -1 (the same verdict, without finishing a hopeless comparison). */
export function relatedJoin(a: Sets, b: Sets, o: DedupeOptions): number {
  if (!(hoursApart(a, b) <= o.relatedHours)) return -1;
  return jaccardAtLeast(a.shingles, b.shingles, o.relatedJaccard);
}

/**
 * The sets a text is compared by: vocabulary bigrams of the whole text, and the sampled long
 * shingles of its narrative (quotations left out), whole and per sentence.
 */
export function fingerprintSets(
  title: string,
  body: string,
  o: Pick<DedupeOptions, 'shingle' | 'copyShingle' | 'copySample' | 'maxChars' | 'sentenceMinChars'>,
): Required<CopySets> {
  const s = dedupeSentences(`${title}\n${body}`);
  return { shingles: shingleSet(s.text.slice(0, o.maxChars), o.shingle), ...copyShingles(s, o.copyShingle, o.copySample, o.sentenceMinChars, o.maxChars) };
}

/** A 64-bit key for a URL or guid, as two base-36 32-bit hashes (module level: no closure a story). */
function wide(s: string): string {
  return `${hashString(s).toString(36)}${hashString(`${s}\u0001`).toString(36)}`;
}

/** The fingerprint-and-key computation for one input (pure). */
export function probeOf(input: DedupeInput, o: DedupeOptions): Probe {
  const { shingles, copy, sentences } = input.sets ?? fingerprintSets(input.title, input.body, o);
  const keys: BandKey[] = shingles.length > 0 ? lshKeys(shingles, o.bands, o.rows, o.seed) : [];
  const title = normalisedTitle(input.title);
  // An empty headline is no key: every headline-less item of an outlet would share it.
  const titleKey = title ? `t#${hashString(`${input.outlet}\u0000${title}`).toString(36)}` : '';
  if (titleKey) keys.push(titleKey);
  const headlineKey = title.length >= 10 ? `h#${hashString(title).toString(36)}` : '';
  if (headlineKey) keys.push(headlineKey);
  const exactKeys = new Set<string>();
  if (input.url) exactKeys.add(`u#${wide(input.url)}`);
  if (input.guid && input.guid !== input.url) exactKeys.add(`g#${wide(input.guid)}`);
  keys.push(...exactKeys);
  return {
    id: input.id,
    shingles,
    copy,
    ...(sentences ? { sentences } : {}),
    publishedAt: input.publishedAt,
    time: timeOf(input.publishedAt),
    keys,
    titleKey,
    headlineKey,
    exactKeys,
  };
}

/** Verdict of `probe` against a stored fingerprint, given how the lookup reached it (as copyJoin: only a join is exact). */
export function judge(probe: Probe, fp: Pick<Fingerprint, 'shingles' | 'copy' | 'publishedAt'>, hit: Hit, o: DedupeOptions): Verdict {
  if (hit.exact) return { join: true, similarity: 1 };
  if (hit.title && hoursApart(probe, fp) <= o.titleHours) return { join: true, similarity: 1 };
  return copyJoin(probe, fp, o, hit.headline);
}

/** The hits worth verifying: exact-key owners first, then by shared bands (copies share many, chance hits one). */
export function strongest<K>(hits: Map<K, Hit>, maxCandidates: number): [K, Hit][] {
  if (!(maxCandidates >= 1 && maxCandidates <= 64)) return [...hits.entries()].sort(([, x], [, y]) => rank(y) - rank(x)).slice(0, maxCandidates);
  // The first maxCandidates of a stable sort, without sorting the rest: a new story reaches
  // dozens of owners by chance and only the few best are verified. Each entry goes after every
  // kept one ranked as high as it, so ties keep their order, as in the sort.
  const top: [K, Hit][] = [];
  for (const entry of hits) {
    const r = rank(entry[1]);
    if (top.length === maxCandidates && r <= rank(top[top.length - 1]![1])) continue;
    let at = top.length;
    while (at > 0 && r > rank(top[at - 1]![1])) at--;
    top.splice(at, 0, entry);
    if (top.length > maxCandidates) top.pop();
  }
  return top;
}

/** A hit's rank: an exact or title key first, then by shared bands. */
function rank(h: Hit): number {
  return (h.exact || h.title ? 2 ** 30 : 0) + h.bands;
}
