// Assigns each new story to a cluster, in two levels. *Copies* (same guid or URL, the same
// outlet's same headline, or the same source text re-run by any outlet) join the cluster of
// the first copy seen, its leader: one alert. *Related coverage* (independent reports of the
// same event: shared vocabulary, little shared text) stays its own story and alerts on its
// own, but is linked to the clusters it relates to (`related`), so delivery can show them
// together. Lookups are key reads of LSH bands over character bigrams; a candidate is a copy
// only if its cluster's LEADER shares long shingles (6 characters, spaces removed) with the
// new story, so one article bridging two independent reports cannot chain them together; or if
// it copies a member and still shares a fifth of its text with the leader (two outlets' own
// edits of one release are each far from it in other places).
//
// This file is the claim protocol: in-flight copies within one process, band claims and
// settling against concurrent pollers in the store. The similarity it relies on (fingerprints,
// verdicts) is in similarity.ts, the tunables in options.ts.
import { setTimeout as sleep } from 'node:timers/promises';
import type { BandKey, BandOwner, ClusterIndex, Fingerprint, Member } from './index-port.ts';
import { DEFAULT_DEDUPE_OPTIONS, type DedupeOptions } from './options.ts';
import { countHit, type DedupeInput, type Hit, hoursApart, judge, type Probe, probeOf, relatedJoin, strongest, type Verdict, copyJoin } from './similarity.ts';
import { isoTime } from './iso-time.ts';
import { bandOf } from './minhash.ts';
import { containmentAtLeast } from './text.ts';

/** A dedupe invariant broke (never for bad input: that is clustered as well as it can be). */
export class DedupeError extends Error {
  override readonly name = 'DedupeError';
  constructor(message: string) {
    super(`dedupe: ${message}`);
  }
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

const HOUR = 3_600_000;

/**
 * Bands owned by stories published before this may be taken over by a story published at
 * `publishedAt`: they are far older than any join window (the clock caps a future feed date).
 */
export function bandsStaleBefore(publishedAt: string, now: Date, lateHours: number): string {
  const reference = Math.min(Date.parse(publishedAt), now.getTime());
  return new Date(reference - 2 * lateHours * HOUR).toISOString();
}

/** Above this many stories in flight in one process, they are indexed by key (see createClusterer's `flying`). */
const INDEX_IN_FLIGHT = 32;

/** How many recent assignments a clusterer remembers (see `recent`): a first poll cycle's matches. */
const RECENT_ASSIGNED = 4096;

/** Whether `keys` (a probe's) hold `key`; `strings` are its keys that are strings. */
function holds(keys: readonly BandKey[], strings: readonly string[], key: BandKey): boolean {
  if (typeof key === 'string') return strings.includes(key);
  // A probe has one key per band, and probeOf puts band n's at position n: one comparison.
  const band = bandOf(key);
  const there = keys[band];
  if (there === key) return true;
  if (typeof there === 'number' && bandOf(there) === band) return false;
  return keys.includes(key);
}

/** A clusterer over `index` (DynamoStore in production, the memory index in the CLI and tests). */
export function createClusterer(index: ClusterIndex, options: Partial<DedupeOptions> = {}): Clusterer {
  const o: DedupeOptions = { ...DEFAULT_DEDUPE_OPTIONS, ...options };

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
    /** Stories in flight here reporting the same event (their clusters are not known yet), with their bigram Jaccard. */
    flying: { entry: InFlight; similarity: number }[];
  }

  /**
   * Verified candidates among the owners of `keys` (owners[i] owns keys[i]). An exact key (URL,
   * guid, the same outlet's headline) joins the owner's cluster; otherwise the new story must be
   * a copy of the owner's cluster LEADER, not merely of the member that owns the band: a chain
   * of pairwise-similar articles (A ~ B ~ C with A and C independent) cannot merge A and C.
   *
   * `flyingOwners[i]`, when given, is the story in flight here that will own keys[i] once
   * written (keys[i] free in the store): it is ranked among the stored owners, as it would be
   * had it been written first, and compared for related coverage only (copies in flight are
   * found by inFlightCopies). One ranking, one cap: which stories happen to be in flight together
   * must not change how many candidates a story is compared with.
   */
  async function candidates(
    probe: Probe,
    keys: readonly BandKey[],
    owners: readonly (BandOwner | undefined)[],
    flyingOwners: readonly (InFlight | undefined)[] = [],
  ): Promise<Candidates> {
    const hits = new Map<string, Hit>();
    const inFlight = new Map<string, InFlight>();
    for (let i = 0; i < keys.length; i++) {
      const f = flyingOwners[i];
      const id = f ? f.probe.id : owners[i]?.storyId;
      if (id === undefined || id === probe.id) continue;
      if (f) inFlight.set(id, f);
      countHit(hits, id, probe, keys[i]!);
    }
    const found: Candidates = { copies: [], related: new Map(), flying: [] };
    if (hits.size === 0) return found;
    const ranked = strongest(hits, o.maxCandidates);
    let stored = ranked;
    if (inFlight.size > 0) {
      stored = [];
      for (const candidate of ranked) {
        const entry = inFlight.get(candidate[0]);
        if (!entry) stored.push(candidate);
        else {
          const similarity = relatedJoin(probe, entry.probe, o);
          if (similarity >= 0) found.flying.push({ entry, similarity });
        }
      }
      if (stored.length === 0) return found;
    }
    const fps = await index.getFingerprints(stored.map(([id]) => id));
    // Leaders of the candidates that are members, in one more read (none when all lead).
    const missing = new Set<string>();
    for (const fp of fps.values()) if (!fps.has(fp.clusterId)) missing.add(fp.clusterId);
    const leaders = missing.size > 0 ? await index.getFingerprints([...missing]) : new Map<string, Fingerprint>();
    const seen = new Set<string>();
    for (const [storyId, hit] of stored) {
      const fp = fps.get(storyId);
      if (!fp) continue; // a claim whose fingerprint write failed: ignore
      if (hit.exact || hit.title) {
        const verdict = judge(probe, fp, hit, o);
        if (verdict.join) {
          found.copies.push({ fp, verdict });
          continue;
        }
      }
      const leader = fps.get(fp.clusterId) ?? leaders.get(fp.clusterId);
      if (leader && !seen.has(leader.id)) {
        const verdict = copyJoin(probe, leader, o, hit.headline && leader.id === fp.id);
        if (verdict.join) {
          seen.add(leader.id);
          found.copies.push({ fp: leader, verdict });
          continue;
        }
        // A copy of this member (itself a verified copy of the leader) that also shares enough
        // of the leader's text: another rewrite of the same source, not an article borrowing from one copy.
        if (fp.id !== leader.id) {
          const via = copyJoin(probe, fp, o, hit.headline);
          if (via.join && sharesWithLeader(probe, leader)) {
            seen.add(leader.id);
            found.copies.push({ fp: leader, verdict: via });
            continue;
          }
        }
      }
      const rel = relatedJoin(probe, fp, o);
      if (rel >= 0 && rel > (found.related.get(fp.clusterId) ?? 0)) found.related.set(fp.clusterId, rel);
    }
    found.copies.sort((x, y) => y.verdict.similarity - x.verdict.similarity);
    return found;
  }

  /**
   * The strongest related clusters other than `own`, as ClusterAssignment.related; `flying` are
   * the clusters of the related stories that were in flight (see Candidates.flying), once decided.
   */
  function relatedOf(found: Candidates | undefined, own: string, flying: ReadonlyMap<string, number> = new Map()): string[] | undefined {
    if (!found) return undefined;
    const related = new Map(found.related);
    for (const [id, similarity] of flying) if (similarity > (related.get(id) ?? -1)) related.set(id, similarity);
    const ids = [...related.entries()]
      .filter(([id]) => id !== own && !found.copies.some((c) => c.fp.id === id))
      .sort(([a, x], [b, y]) => y - x || a.localeCompare(b))
      .slice(0, o.maxRelated)
      .map(([id]) => id);
    return ids.length > 0 ? ids : undefined;
  }

  const before = (a: { createdAt: string; id: string }, b: { createdAt: string; id: string }) =>
    a.createdAt < b.createdAt || (a.createdAt === b.createdAt && a.id < b.id);

  // Stories being assigned in this process, by key. A copy of one of them waits for it and
  // joins its cluster instead of racing it through the store: a wire story reaching twenty
  // polled outlets in one cycle costs twenty joins, not twenty contested leader elections.
  interface InFlight {
    probe: Probe;
    /** The probe's keys that are strings (headline and exact keys), once another story compares with it. */
    strings?: string[];
    /**
     * Its cluster, as soon as it is decided (before its own writes); undefined if it failed
     * (the waiter then goes to the store itself). Copies of copies thus wait for the first
     * story's decision only, not for each other in a chain.
     */
    cluster: Promise<string | undefined>;
    /** Settles once it has asked the index for its bands (or given up): see Turn. */
    claimed: Promise<void>;
    claim: () => void;
  }
  /**
   * A story's turn to claim or point its bands: after the stories entered before it that it left
   * keys to (see assignProbe), so the index sees the claims in the order of arrival, the order
   * the embedded store's rebuild replays them in. `done` is called as it asks for its own.
   */
  interface Turn {
    wait: () => Promise<void>;
    done: () => void;
  }
  interface InFlightCopy {
    entry: InFlight;
    verdict: Verdict;
    keyed: boolean;
  }
  // In enter order. Usually few (one at a time in `newswatch dedupe`): a copy is found by
  // comparing keys with each. With many (a first poll cycle stores every feed's matches at
  // once) they are also indexed by key. Both give the hits in the same order.
  const flying: InFlight[] = [];
  let byKey: Map<BandKey, InFlight[]> | undefined;

  /**
   * The verified copies among the stories in flight here, best first (pure, no store call);
   * `keyed`: found by an exact key or the same outlet's headline (judged as a stored owner found so).
   */
  function inFlightCopies(probe: Probe): InFlightCopy[] {
    if (flying.length === 0) return [];
    const hits = new Map<InFlight, Hit>();
    if (byKey) {
      for (const k of probe.keys) {
        for (const e of byKey.get(k) ?? []) countHit(hits, e, probe, k);
      }
    } else {
      // As the index would: an entry counts from the first of the probe's keys it shares.
      const reached: { entry: InFlight; first: number }[] = [];
      for (const entry of flying) {
        entry.strings ??= entry.probe.keys.filter((k): k is string => typeof k === 'string');
        const strings = entry.strings;
        const first = probe.keys.findIndex((k) => holds(entry.probe.keys, strings, k));
        if (first >= 0) reached.push({ entry, first });
      }
      reached.sort((a, b) => a.first - b.first); // stable: ties stay in enter order
      for (const { entry } of reached) {
        for (const k of probe.keys) if (holds(entry.probe.keys, entry.strings!, k)) countHit(hits, entry, probe, k);
      }
    }
    const copies: InFlightCopy[] = [];
    for (const [entry, hit] of strongest(hits, o.maxCandidates)) {
      const verdict = judge(probe, entry.probe, hit, o);
      if (verdict.join) copies.push({ entry, verdict, keyed: hit.exact || hit.title });
    }
    return copies.sort((x, y) => y.verdict.similarity - x.verdict.similarity); // stable: ties in rank order
  }

  /** The first story in flight on each of `probe`'s keys (taken before `probe` enters): who would own the key once written. */
  function firstInFlight(probe: Probe): Map<BandKey, InFlight> {
    const first = new Map<BandKey, InFlight>();
    if (byKey) {
      for (const k of probe.keys) {
        const owner = byKey.get(k)?.[0];
        if (owner) first.set(k, owner);
      }
      return first;
    }
    for (const entry of flying) {
      entry.strings ??= entry.probe.keys.filter((k): k is string => typeof k === 'string');
      for (const k of probe.keys) if (!first.has(k) && holds(entry.probe.keys, entry.strings, k)) first.set(k, entry);
    }
    return first;
  }

  /**
   * A new leader's related clusters, with those of the related stories that were in flight when
   * it looked (their bands not yet claimed in the store, so the lookup could not find them: two
   * outlets' own reports of one event stored in one poll were never linked), once decided. Only
   * stories entered before this one are waited for, so two can never wait for each other.
   */
  async function withRelated(assignment: ClusterAssignment, found: Candidates): Promise<ClusterAssignment> {
    const flying = new Map<string, number>();
    for (const { entry, similarity } of found.flying) {
      const cluster = await entry.cluster;
      if (cluster && similarity > (flying.get(cluster) ?? -1)) flying.set(cluster, similarity);
    }
    const related = relatedOf(found, assignment.clusterId, flying);
    return related ? { ...assignment, related } : assignment;
  }

  function indexKeys(entry: InFlight): void {
    for (const k of entry.probe.keys) {
      const list = byKey!.get(k);
      if (list) list.push(entry);
      else byKey!.set(k, [entry]);
    }
  }

  function enter(entry: InFlight): void {
    flying.push(entry);
    if (byKey) indexKeys(entry);
    else if (flying.length > INDEX_IN_FLIGHT) {
      byKey = new Map();
      for (const e of flying) indexKeys(e);
    }
  }

  function leave(entry: InFlight): void {
    const at = flying.lastIndexOf(entry);
    if (at >= 0) flying.splice(at, 1);
    if (!byKey) return;
    if (flying.length === 0) {
      byKey = undefined;
      return;
    }
    for (const k of entry.probe.keys) {
      const list = byKey.get(k);
      // Usually the story is alone on its key: drop the list without copying it.
      if (list && !(list.length === 1 && list[0] === entry)) {
        const rest = list.filter((e) => e !== entry);
        if (rest.length > 0) {
          byKey.set(k, rest);
          continue;
        }
      }
      byKey.delete(k);
    }
  }

  // Clusters of the stories this process assigned last (final once assigned): a copy's stored
  // band owners that are known members of the in-flight cluster it joins need no read. Bounded.
  const recent = new Map<string, string>();
  function remember(id: string, clusterId: string): void {
    recent.delete(id);
    recent.set(id, clusterId);
    if (recent.size > RECENT_ASSIGNED) recent.delete(recent.keys().next().value!);
  }

  function fingerprintOf(input: DedupeInput, probe: Probe, clusterId: string, settled: boolean): Fingerprint {
    const { shingles, copy, keys } = probe;
    return { id: input.id, clusterId, settled, publishedAt: input.publishedAt, outlet: input.outlet, createdAt: o.now().toISOString(), shingles, copy, keys };
  }

  /** Records `input` as a copy in `clusterId`, pointing its free bands at it. */
  async function join(input: DedupeInput, probe: Probe, free: BandKey[], turn: Turn, clusterId: string, similarity: number): Promise<ClusterAssignment> {
    const fp = fingerprintOf(input, probe, clusterId, true);
    if (!(await index.putFingerprint(fp))) return existing(input);
    await turn.wait();
    // Point the still-free bands here too, so later copies closer to this copy than to the
    // leader find the cluster (eval: recall 71% with, 64% without). Unconditional, as one
    // batch: only leaders race for bands; a copy's bands are hints that lead to its cluster.
    const pointed = index.pointBands(free, { storyId: input.id, publishedAt: input.publishedAt });
    turn.done();
    await pointed;
    return result(input, clusterId, similarity);
  }

  return {
    async assign(input) {
      const probe = probeOf(input, o);
      const copies = inFlightCopies(probe);
      const first = firstInFlight(probe);
      const looked: { found?: Candidates } = {};
      let settle!: (clusterId: string | undefined) => void;
      let claim!: () => void;
      const entry: InFlight = { probe, cluster: new Promise((r) => (settle = r)), claimed: new Promise((r) => (claim = r)), claim };
      // Each cluster told is final (a copy's, or a leader's after its race): remembered at once,
      // before the story's writes, for the copies in flight whose keys it is about to own.
      let told = false;
      const decide = (clusterId: string | undefined) => {
        if (told) return;
        told = true;
        if (clusterId !== undefined) remember(input.id, clusterId);
        settle(clusterId);
      };
      enter(entry);
      // Its own read goes out now, beside the wait for the copies in flight, not after it: a
      // copy decides once its read is back, so a copy of a copy waited for one read after
      // another, and twenty copies of one wire story in a first poll were twenty reads in a row
      // (~0.3 s at the end of the poll bench's cycle). Read now, its owners are at least as
      // recent as the stories in flight noted above: one of those that claims a key meanwhile is
      // met as that key's stored owner, as it was when the read came later.
      const lookedUp = index.lookup(input.id, probe.keys);
      lookedUp.catch(() => {}); // awaited in assignProbe; a copy failing before that must not leave it unhandled
      try {
        // Decided in assignProbe, once the store has said whether a stored copy beats these.
        // Only stories entered before this one are waited for: two never wait for each other.
        const copied: Copied[] = [];
        for (const { entry, verdict, keyed } of copies) {
          const clusterId = await entry.cluster;
          if (!clusterId) continue;
          copied.push({ clusterId, via: entry.probe.id, similarity: verdict.similarity, keyed });
          // Nothing beats an exact copy of a leader, or one found by key: the rest are not waited
          // for (copies of one wire story in one poll wait for the first, not for each other).
          if (verdict.similarity >= 1 && (keyed || clusterId === entry.probe.id)) break;
        }
        const assignment = await assignProbe(input, probe, entry, lookedUp, copied, decide, first, looked);
        decide(assignment.clusterId); // no-op when decided in assignProbe
        const found = looked.found;
        return assignment.leader && found && found.flying.length > 0 ? await withRelated(assignment, found) : assignment;
      } catch (e) {
        decide(undefined);
        throw e;
      } finally {
        entry.claim(); // no-op once claimed; a story that claimed nothing must not hold up later ones
        leave(entry);
      }
    },

    async addMember(leaderId, member) {
      await index.addMember(leaderId, member, o.now().toISOString());
    },
  };

  /** A story in flight here (`via`) that the new story copies, with its cluster once decided. */
  interface Copied {
    clusterId: string;
    via: string;
    similarity: number;
    /** Found by an exact key or the same outlet's headline (see inFlightCopies). */
    keyed: boolean;
  }

  /**
   * Assigns through the store (`lookedUp`: its read, made as it entered); `copied` are the
   * in-flight stories this one copies, best first.
   * `decide` is told the cluster as soon as it is known, before the writes that record it.
   */
  async function assignProbe(
    input: DedupeInput,
    probe: Probe,
    entry: InFlight,
    lookedUp: ReturnType<ClusterIndex['lookup']>,
    copied: readonly Copied[],
    decide: (clusterId: string) => void,
    first: ReadonlyMap<BandKey, InFlight>,
    looked: { found?: Candidates },
  ): Promise<ClusterAssignment> {
    // The story's own fingerprint (a retried poll) and its bands' owners, read as it entered.
    const { fingerprint: assigned, owners } = await lookedUp;
    if (assigned) return result(input, await settledCluster(assigned));

    const staleBefore = bandsStaleBefore(input.publishedAt, o.now(), o.lateHours);
    const staleTime = isoTime(staleBefore);
    // The keys this story will claim (a leader) or point at itself (a copy).
    const free: BandKey[] = [];
    // On a key no stored story owns, the first story in flight that has it will own it once
    // written; this story leaves the key to it, as it would one at a time. A story entered later
    // that claimed the key first (its lookup answered sooner) changed whom later stories compare.
    const flyingOwners: (InFlight | undefined)[] = [];
    const leftTo = new Map<InFlight, BandKey[]>();
    for (let i = 0; i < probe.keys.length; i++) {
      const w = owners[i];
      // Both times in toISOString's form: the numbers compare as the texts do.
      if (!w || (w.time !== undefined && staleTime >= 0 ? w.time < staleTime : w.publishedAt < staleBefore)) {
        const earlier = first.size > 0 ? first.get(probe.keys[i]!) : undefined;
        if (earlier) {
          flyingOwners[i] = earlier;
          const left = leftTo.get(earlier);
          if (left) left.push(probe.keys[i]!);
          else leftTo.set(earlier, [probe.keys[i]!]);
        } else free.push(probe.keys[i]!);
      }
    }
    const turn: Turn = {
      // The keys left to a story that then failed are this story's to claim (or point): left
      // unowned, the next copy of the text would find no cluster and alert again.
      wait: async () => {
        for (const [e, keys] of leftTo) {
          await e.claimed;
          if ((await e.cluster) === undefined) free.push(...keys);
        }
      },
      done: entry.claim,
    };
    const inFlight = copied.length > 0 ? await closestInFlight(probe, copied) : undefined;
    if (inFlight) {
      // A stored story outside the in-flight copies' clusters may be a closer copy (an in-flight
      // one may lead a cluster of its own that this story only partly copies): compare them,
      // reading candidates only when such an owner exists and the in-flight copy is not already
      // exact (similarity 1 cannot be beaten; most copies of a wire story in one poll are).
      const mine = copied.filter((c) => c.clusterId === inFlight.clusterId);
      const outside = owners.map((w) => (w && !mine.some((c) => inCluster(w.storyId, c)) ? w : undefined));
      const stored = inFlight.similarity < 1 && outside.some(Boolean) ? (await candidates(probe, probe.keys, outside)).copies[0] : undefined;
      if (stored && stored.verdict.similarity > inFlight.similarity) {
        const clusterId = await settledCluster(stored.fp);
        decide(clusterId);
        return join(input, probe, free, turn, clusterId, stored.verdict.similarity);
      }
      decide(inFlight.clusterId);
      return join(input, probe, free, turn, inFlight.clusterId, inFlight.similarity);
    }

    const found = await candidates(probe, probe.keys, owners, flyingOwners);
    looked.found = found;
    const best = found.copies[0];
    if (best) {
      const clusterId = await settledCluster(best.fp);
      decide(clusterId);
      return join(input, probe, free, turn, clusterId, best.verdict.similarity);
    }
    return lead(input, probe, free, turn, staleBefore, found);
  }

  /** Whether `storyId` is known (from this process) to be in the cluster of the in-flight copy. */
  function inCluster(storyId: string, copied: { clusterId: string; via: string }): boolean {
    return storyId === copied.clusterId || storyId === copied.via || recent.get(storyId) === copied.clusterId;
  }

  /**
   * The closest of the in-flight copies' clusters, each with the similarity `candidates` gives a
   * stored one, so that the two compare like for like (docs/dedupe.md, copies polled at the same
   * moment): a keyed copy by its own verdict; otherwise by the verdict on the cluster's LEADER,
   * or, when that fails, on the copied member if the story shares enough with the leader too.
   * A member's own verdict against stored leaders made the cluster depend on whether the member
   * was in flight or stored. Undefined when none holds. Leaders are read in one call, if at all.
   */
  async function closestInFlight(probe: Probe, copied: readonly Copied[]): Promise<{ clusterId: string; similarity: number } | undefined> {
    // Clusters whose leader is itself among the copies: that verdict is the leader's already.
    const leaderCopied = new Set(copied.filter((c) => c.via === c.clusterId).map((c) => c.clusterId));
    const unread = new Set(copied.filter((c) => !c.keyed && !leaderCopied.has(c.clusterId)).map((c) => c.clusterId));
    const leaders = unread.size > 0 ? await index.getFingerprints([...unread]) : new Map<string, Fingerprint>();
    let best: { clusterId: string; similarity: number } | undefined;
    const consider = (clusterId: string, similarity: number) => {
      if (!best || similarity > best.similarity) best = { clusterId, similarity };
    };
    for (const c of copied) {
      if (c.keyed || c.via === c.clusterId) {
        consider(c.clusterId, c.similarity);
        continue;
      }
      if (leaderCopied.has(c.clusterId)) continue; // weighed by its leader's verdict, above
      const leader = leaders.get(c.clusterId);
      // Its leader's fingerprint missing (its write failed): the member's verdict stands.
      if (!leader) {
        consider(c.clusterId, c.similarity);
        continue;
      }
      const verdict = copyJoin(probe, leader, o);
      if (verdict.join) consider(c.clusterId, verdict.similarity);
      else if (sharesWithLeader(probe, leader)) consider(c.clusterId, c.similarity);
    }
    return best;
  }

  /** Whether a verified copy of a member shares enough text with the member's leader to join (see memberLeaderFloor). */
  function sharesWithLeader(probe: Probe, leader: Fingerprint): boolean {
    return hoursApart(probe, leader) <= o.windowHours && containmentAtLeast(probe.copy, leader.copy, o.memberLeaderFloor) >= 0;
  }

  /** No earlier copy: lead, unless a concurrent copy in another process claims the same bands at the same time. */
  async function lead(input: DedupeInput, probe: Probe, free: BandKey[], turn: Turn, staleBefore: string, found: Candidates): Promise<ClusterAssignment> {
    const owner = { storyId: input.id, publishedAt: input.publishedAt };
    // Unsettled until its band race is resolved (docs/dedupe.md, copies polled at the same moment).
    const mine = fingerprintOf(input, probe, input.id, false);
    if (!(await index.putFingerprint(mine))) return existing(input);
    await turn.wait();
    const claiming = index.claimBands(free, owner, staleBefore);
    turn.done();
    const won = new Set(await claiming);
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
