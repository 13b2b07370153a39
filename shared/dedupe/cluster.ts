// Assigns each new story to a cluster, in two levels. *Copies* (same guid or URL, the same
// outlet's same headline, or the same source text re-run by any outlet) join the cluster of
// the first copy seen, its leader: one alert. *Related coverage* (independent reports of the
// same event: shared vocabulary, little shared text) stays its own story and alerts on its
// own, but is linked to the clusters it relates to (`related`), so delivery can show them
// together. Lookups are key reads of LSH bands over character bigrams; a candidate is a copy
// only if its cluster's LEADER shares long shingles (6 characters, spaces removed) with the
// new story, so one article bridging two independent reports cannot chain them together.
import type { BandOwner, ClusterIndex, Fingerprint, Member } from './index-port.ts';
import { bandKeys, minhash } from './minhash.ts';
import { dedupeText, hashString, normalisedTitle, overlap, sampledShingleSet, shingleSet } from './text.ts';
import { setTimeout as sleep } from 'node:timers/promises';

/** A dedupe invariant broke (never for bad input: that is clustered as well as it can be). */
export class DedupeError extends Error {
  override readonly name = 'DedupeError';
  constructor(message: string) {
    super(`dedupe: ${message}`);
  }
}

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

export interface ClusterAssignment {
  /** Id of the cluster leader (the input's own id when it leads). */
  clusterId: string;
  leader: boolean;
  /** Overlap with the copy it joined (1 for an exact key match). */
  similarity?: number;
  /**
   * Leader ids of other clusters reporting the same event in their own words (strongest
   * first). Set for a new leader only: a copy shows with its leader's links.
   */
  related?: string[];
}

export interface Clusterer {
  /** The cluster of a new story; a joining copy is recorded as a member of it already. Idempotent per id. */
  assign(input: DedupeInput): Promise<ClusterAssignment>;
  /** Records a member (idempotent; assign has already done it for joining copies). */
  addMember(leaderId: string, member: Member): Promise<void>;
}

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
   * At most this many candidates (those sharing the most bands first) are read and verified:
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
// shingles, 1 in 2 kept. Over dev's same-event pairs (full shingle sets), containment 0.35
// takes 11 of its 19 copy pairs and 1 of ~360 independent reports; 0.30 takes 15 and 6; 0.25
// takes 18 and 16 (8-character shingles: 7/1 at 0.35, 14/4 at 0.25; 5-character: 15/5 at
// 0.35). Clustering dev (leader check, the eval's sweep) 0.35 gives the best precision short of
// losing half the recall. Related coverage: bigram Jaccard 0.15 (0.20 cuts dev's related
// recall from 81 % to 49 %). After 12 h only near-verbatim republications join: the same
// market-report template filled in on the next trading day shares its boilerplate
// (test/integration/dedupe).
export const DEFAULT_DEDUPE_OPTIONS: DedupeOptions = {
  shingle: 2,
  copyShingle: 6,
  copySample: 2,
  maxChars: 1500,
  bands: 48,
  rows: 2,
  seed: 0,
  windowHours: 12,
  containment: 0.35,
  minShared: 6,
  titleContainment: 0.15,
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

const HOUR = 3_600_000;

/** How a lookup reached a stored story: shared LSH bands, and whether an exact key matched. */
interface Hit {
  bands: number;
  exact: boolean;
  title: boolean;
  /** The same normalised headline from any outlet (weaker: needs shared text too). */
  headline: boolean;
}

interface Probe {
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
function countHit<K>(hits: Map<K, Hit>, owner: K, probe: Probe, key: string): void {
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

/**
 * Bands owned by stories published before this may be taken over by a story published at
 * `publishedAt`: they are far older than any join window (the clock caps a future feed date).
 */
export function bandsStaleBefore(publishedAt: string, now: Date, lateHours: number): string {
  const reference = Math.min(Date.parse(publishedAt), now.getTime());
  return new Date(reference - 2 * lateHours * HOUR).toISOString();
}

/** A clusterer over `index` (DynamoStore in production, the memory index in the CLI and tests). */
export function createClusterer(index: ClusterIndex, options: Partial<DedupeOptions> = {}): Clusterer {
  const o: DedupeOptions = { ...DEFAULT_DEDUPE_OPTIONS, ...options };

  /** Verdict of `probe` against a stored fingerprint, given how the lookup reached it. */
  function judge(probe: Probe, fp: Pick<Fingerprint, 'shingles' | 'copy' | 'publishedAt'>, hit: Hit): Verdict {
    if (hit.exact) return { join: true, similarity: 1 };
    if (hit.title && hoursApart(probe, fp) <= o.titleHours) return { join: true, similarity: 1 };
    return verifyPair(probe, fp, o, hit.headline);
  }

  /**
   * A fingerprint's final cluster: waits briefly while its writer is still settling a race.
   * A fingerprint left unsettled for longer than that was abandoned (its poller died): its
   * provisional cluster stands, without waiting.
   */
  async function settledCluster(fp: Fingerprint): Promise<string> {
    let current = fp;
    const age = o.now().getTime() - Date.parse(fp.createdAt);
    const budget = Number.isFinite(age) ? Math.min(o.settleWaitMs, o.settleWaitMs - age) : o.settleWaitMs;
    // Doubling waits: a burst of copies waiting on one racing leader must not flood the store with reads.
    for (let waited = 0, step = 10; !current.settled && waited < budget; waited += step, step *= 2) {
      await sleep(Math.min(step, budget - waited));
      current = (await index.getFingerprints([fp.id])).get(fp.id) ?? current;
    }
    return current.clusterId;
  }

  /**
   * The result for `input` once its cluster is known. A joining copy is recorded as a member
   * here, before the caller writes the story: a poller killed between the two cannot lose
   * the membership (the record is keyed by member id, so repeating it is harmless).
   */
  async function result(input: DedupeInput, clusterId: string, similarity?: number): Promise<ClusterAssignment> {
    if (clusterId === input.id) return { clusterId, leader: true };
    await index.addMember(clusterId, { id: input.id, outlet: input.outlet, url: input.url, title: input.title }, o.now().toISOString());
    return { clusterId, leader: false, ...(similarity !== undefined ? { similarity } : {}) };
  }

  /** The story was assigned before (a retried poll, or a concurrent poller got there first). */
  async function existing(input: DedupeInput): Promise<ClusterAssignment> {
    const fp = (await index.getFingerprints([input.id])).get(input.id);
    if (!fp) throw new DedupeError(`fingerprint of story ${input.id} (${input.url}) was expected but is missing`);
    return result(input, await settledCluster(fp));
  }

  interface Candidates {
    /** Clusters this story is a copy of, as their leaders' fingerprints, best similarity first. */
    copies: { fp: Fingerprint; verdict: Verdict }[];
    /** Clusters reporting the same event in other words: leader id -> bigram Jaccard. */
    related: Map<string, number>;
  }

  /**
   * Verified candidates among the owners of `keys` (owners[i] owns keys[i]). An exact key (URL,
   * guid, the same outlet's headline) joins the owner's cluster; otherwise the new story must be
   * a copy of the owner's cluster LEADER, not merely of the member that owns the band: a chain
   * of pairwise-similar articles (A ~ B ~ C with A and C independent) cannot merge A and C.
   */
  async function candidates(probe: Probe, keys: readonly string[], owners: readonly (BandOwner | undefined)[]): Promise<Candidates> {
    const hits = new Map<string, Hit>();
    for (let i = 0; i < keys.length; i++) {
      const w = owners[i];
      if (w && w.storyId !== probe.id) countHit(hits, w.storyId, probe, keys[i]!);
    }
    const found: Candidates = { copies: [], related: new Map() };
    if (hits.size === 0) return found;
    const ranked = strongest(hits);
    const fps = await index.getFingerprints(ranked.map(([id]) => id));
    // Leaders of the candidates that are members, in one more read (none when all lead).
    const missing = new Set<string>();
    for (const fp of fps.values()) if (!fps.has(fp.clusterId)) missing.add(fp.clusterId);
    const leaders = missing.size > 0 ? await index.getFingerprints([...missing]) : new Map<string, Fingerprint>();
    const seen = new Set<string>();
    for (const [storyId, hit] of ranked) {
      const fp = fps.get(storyId);
      if (!fp) continue; // a claim whose fingerprint write failed: ignore
      if (hit.exact || hit.title) {
        const verdict = judge(probe, fp, hit);
        if (verdict.join) {
          found.copies.push({ fp, verdict });
          continue;
        }
      }
      const leader = fps.get(fp.clusterId) ?? leaders.get(fp.clusterId);
      if (leader && !seen.has(leader.id)) {
        seen.add(leader.id);
        const verdict = verifyPair(probe, leader, o, hit.headline && leader.id === fp.id);
        if (verdict.join) {
          found.copies.push({ fp: leader, verdict });
          continue;
        }
      }
      const rel = relatedPair(probe, fp, o);
      if (rel.join && rel.similarity > (found.related.get(fp.clusterId) ?? 0)) found.related.set(fp.clusterId, rel.similarity);
    }
    found.copies.sort((x, y) => y.verdict.similarity - x.verdict.similarity);
    return found;
  }

  /** The strongest related clusters other than `own`, as ClusterAssignment.related. */
  function relatedOf(found: Candidates | undefined, own: string): string[] | undefined {
    if (!found) return undefined;
    const ids = [...found.related.entries()]
      .filter(([id]) => id !== own && !found.copies.some((c) => c.fp.id === id))
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, o.maxRelated)
      .map(([id]) => id);
    return ids.length > 0 ? ids : undefined;
  }

  /** The hits worth verifying: exact-key owners first, then by shared bands (copies share many, chance hits one). */
  function strongest<K>(hits: Map<K, Hit>): [K, Hit][] {
    return [...hits.entries()].sort(([, x], [, y]) => Number(y.exact || y.title) - Number(x.exact || x.title) || y.bands - x.bands).slice(0, o.maxCandidates);
  }

  const before = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
    a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

  // Stories being assigned in this process, by key. A copy of one of them waits for it and
  // joins its cluster instead of racing it through the store: a wire story reaching twenty
  // polled outlets in one cycle costs twenty joins, not twenty contested leader elections.
  interface InFlight {
    probe: Probe;
    /**
     * Its cluster, as soon as it is decided (before its own writes); undefined if it failed
     * (the waiter then goes to the store itself). Copies of copies thus wait for the first
     * story's decision only, not for each other in a chain.
     */
    cluster: Promise<string | undefined>;
  }
  const inFlight = new Map<string, InFlight[]>();

  /** The best verified copy among the stories in flight here, if any (pure, no store call). */
  function inFlightCopy(probe: Probe): { entry: InFlight; verdict: Verdict } | undefined {
    const hits = new Map<InFlight, Hit>();
    for (const k of probe.keys) {
      for (const e of inFlight.get(k) ?? []) countHit(hits, e, probe, k);
    }
    let best: { entry: InFlight; verdict: Verdict } | undefined;
    for (const [entry, hit] of strongest(hits)) {
      const verdict = judge(probe, entry.probe, hit);
      if (verdict.join && (!best || verdict.similarity > best.verdict.similarity)) best = { entry, verdict };
    }
    return best;
  }

  function enter(entry: InFlight): void {
    for (const k of entry.probe.keys) {
      const list = inFlight.get(k);
      if (list) list.push(entry);
      else inFlight.set(k, [entry]);
    }
  }

  function leave(entry: InFlight): void {
    for (const k of entry.probe.keys) {
      const list = inFlight.get(k)?.filter((e) => e !== entry) ?? [];
      if (list.length > 0) inFlight.set(k, list);
      else inFlight.delete(k);
    }
  }

  /** Records `input` as a copy in `clusterId`, pointing its free bands at it. */
  async function join(input: DedupeInput, probe: Probe, free: string[], clusterId: string, similarity: number): Promise<ClusterAssignment> {
    const createdAt = o.now().toISOString();
    const fp: Fingerprint = {
      id: input.id,
      clusterId,
      settled: true,
      publishedAt: input.publishedAt,
      outlet: input.outlet,
      createdAt,
      shingles: probe.shingles,
      copy: probe.copy,
      keys: probe.keys,
    };
    if (!(await index.putFingerprint(fp))) return existing(input);
    // Point the still-free bands here too, so later copies closer to this copy than to the
    // leader find the cluster (eval: recall 71% with, 64% without). Unconditional, as one
    // batch: only leaders race for bands; a copy's bands are hints that lead to its cluster.
    await index.pointBands(free, { storyId: input.id, publishedAt: input.publishedAt });
    return result(input, clusterId, similarity);
  }

  return {
    async assign(input) {
      const probe = probeOf(input, o);
      const copyOf = inFlightCopy(probe);
      let decide!: (clusterId: string | undefined) => void;
      const entry: InFlight = { probe, cluster: new Promise((r) => (decide = r)) };
      enter(entry);
      try {
        const copied = copyOf && (await copyOf.entry.cluster);
        if (copied) decide(copied);
        const assignment = await assignProbe(
          input,
          probe,
          copied && { clusterId: copied, via: copyOf.entry.probe.id, similarity: copyOf.verdict.similarity },
          decide,
        );
        decide(assignment.clusterId); // no-op when decided above
        return assignment;
      } catch (e) {
        decide(undefined);
        throw e;
      } finally {
        leave(entry);
      }
    },

    async addMember(leaderId, member) {
      await index.addMember(leaderId, member, o.now().toISOString());
    },
  };

  /**
   * Assigns through the store; `copied` is the cluster of the in-flight story (`via`) this one
   * copies. `decide` is told the cluster as soon as it is known, before the writes that record it.
   */
  async function assignProbe(
    input: DedupeInput,
    probe: Probe,
    copied: { clusterId: string; via: string; similarity: number } | undefined | '',
    decide: (clusterId: string) => void,
  ): Promise<ClusterAssignment> {
    // The story's own fingerprint (a retried poll) and its bands' owners in one read.
    const { fingerprint: assigned, owners } = await index.lookup(input.id, probe.keys);
    if (assigned) return result(input, await settledCluster(assigned));

    const staleBefore = bandsStaleBefore(input.publishedAt, o.now(), o.lateHours);
    const free = probe.keys.filter((_, i) => {
      const w = owners[i];
      return !w || w.publishedAt < staleBefore;
    });
    if (copied && (copied.clusterId === copied.via || (await copiesLeader(probe, copied.clusterId)))) {
      return join(input, probe, free, copied.clusterId, copied.similarity);
    }

    const found = await candidates(probe, probe.keys, owners);
    const best = found.copies[0];
    if (best) {
      const clusterId = await settledCluster(best.fp);
      decide(clusterId);
      return join(input, probe, free, clusterId, best.verdict.similarity);
    }
    return lead(input, probe, free, staleBefore, found);
  }

  /** Whether `probe` is a copy of the leader of `clusterId` (the in-flight story it copies is a member). */
  async function copiesLeader(probe: Probe, clusterId: string): Promise<boolean> {
    const leader = (await index.getFingerprints([clusterId])).get(clusterId);
    return !leader || verifyPair(probe, leader, o).join;
  }

  /** No earlier copy: lead, unless a concurrent copy in another process claims the same bands at the same time. */
  async function lead(input: DedupeInput, probe: Probe, free: string[], staleBefore: string, found: Candidates): Promise<ClusterAssignment> {
    const createdAt = o.now().toISOString();
    const owner = { storyId: input.id, publishedAt: input.publishedAt };

    const mine: Fingerprint = {
      id: input.id,
      clusterId: input.id,
      settled: false,
      publishedAt: input.publishedAt,
      outlet: input.outlet,
      createdAt,
      shingles: probe.shingles,
      copy: probe.copy,
      keys: probe.keys,
    };
    if (!(await index.putFingerprint(mine))) return existing(input);
    const won = new Set(await index.claimBands(free, owner, staleBefore));
    const lost = free.filter((k) => !won.has(k));
    let clusterId = input.id;
    let similarity: number | undefined;
    if (lost.length > 0) {
      // Each band I failed to claim went to a concurrent claimer who wanted it too. Resolve
      // each verified rival the same way it will resolve me: the one that won none of the
      // bands both wanted yields; when both won some, the earlier fingerprint leads.
      const rivals = (await candidates(probe, lost, await index.getBands(lost))).copies;
      let leaderRival: (typeof rivals)[number] | undefined;
      for (const r of rivals) {
        const rivalWanted = new Set(r.fp.keys);
        const iWonShared = [...won].some((k) => rivalWanted.has(k));
        const yieldToRival = !iWonShared || before(r.fp, mine);
        if (yieldToRival && (!leaderRival || before(r.fp, leaderRival.fp))) leaderRival = r;
      }
      if (leaderRival) {
        clusterId = await settledCluster(leaderRival.fp);
        similarity = leaderRival.verdict.similarity;
      }
    }
    await index.settleFingerprint(input.id, clusterId);
    const assignment = await result(input, clusterId, similarity);
    const related = assignment.leader ? relatedOf(found, clusterId) : undefined;
    return related ? { ...assignment, related } : assignment;
  }
}
