// The stories `newswatch stories` lists and `newswatch serve` shows: matched stories of a
// window, one entry per cluster (its leader, or its earliest copy when the leader is older
// than the window), with the copies, filters and the JSON shape of `stories --json`.
import { evidenceTerms, isEvidence, shownTerm } from '../shared/classify/evidence.ts';
import { foldTerm } from '../shared/classify/normalize.ts';
import type { Config } from '../shared/config/schema/index.ts';
import type { Story, TopicWhy } from '../shared/model.ts';
import type { Store } from '../shared/store/port.ts';
import { mapLimit } from '../shared/map-limit.ts';

export interface Copy {
  id: string;
  outlet: string;
  url: string;
  title: string;
}

/** Coverage of the same subject by other stories (not copies); filled when the store links them. */
export interface Related {
  id: string;
  title: string;
  url: string;
  outlet: string;
}

export interface StoryEntry {
  story: Story;
  /** Matched topics, the primary one first. */
  topics: string[];
  /** The other copies of its cluster (other outlets or URLs), in the order they were seen. */
  copies: Copy[];
  related: Related[];
}

export interface StoryFilter {
  since: Date;
  until?: Date;
  /** The reader's clock, where a window without `until` ends (default the real one). */
  now?: Date;
  topic?: string;
  /** Korean text, matched ignoring spacing, case and width (the classifier's normalisation). */
  search?: string;
  /** Outlet name (spacing-insensitive) or source id. */
  outlet?: string;
  limit?: number;
}

/**
 * The primary topic: the story's own `primaryTopic` when the classifier recorded one,
 * else the first matched topic (config order).
 */
export function topicsPrimaryFirst(story: Story): string[] {
  const primary = (story as Story & { primaryTopic?: string }).primaryTopic;
  return primary && story.topics.includes(primary) ? [primary, ...story.topics.filter((t) => t !== primary)] : [...story.topics];
}

/** Related coverage links, when the store has them (`related` on the story). */
export function relatedOf(story: Story): Related[] {
  const related = (story as Story & { related?: unknown }).related;
  if (!Array.isArray(related)) return [];
  return related.filter((r): r is Related => typeof r === 'object' && r !== null && typeof (r as Related).id === 'string');
}

/** Best score among the story's matched topics. */
export function scoreOf(story: Story): number {
  return Math.max(0, ...story.topics.map((t) => story.why[t]?.score ?? 0));
}

/** Distinct matched terms of the story's topics, primary topic first (see shared/classify/evidence.ts). */
export function termsOf(story: Story): string[] {
  return evidenceTerms(topicsPrimaryFirst(story).map((t) => story.why[t]));
}

/** Why one topic matched, in a line: `딥시크(제목), 추격조 — 7점 (기준 4점)`. */
export function whyLine(why: TopicWhy | undefined): string {
  if (!why) return '';
  const terms = [...new Set(why.hits.filter(isEvidence).map((h) => (h.field === 'title' ? `${shownTerm(h)}(제목)` : shownTerm(h))))];
  return `${terms.join(', ')} — ${Math.round(why.score * 10) / 10}점 (기준 ${why.threshold}점)`;
}

const folded = (text: string): string => foldTerm(text);

function matches(story: Story, f: StoryFilter, needle: string | undefined, outlet: string | undefined): boolean {
  if (f.topic && !story.topics.includes(f.topic)) return false;
  if (outlet && folded(story.outlet) !== outlet && story.sourceId !== f.outlet) return false;
  if (needle && !folded(story.title).includes(needle) && !folded(story.summary).includes(needle)) return false;
  return true;
}

/**
 * The entries of a window, newest first. Filters apply to any copy of a cluster (a search
 * that finds a copy's headline finds the story); `limit` counts entries.
 */
export async function listEntries(store: Store, filter: StoryFilter): Promise<StoryEntry[]> {
  const stories = await store.listStories({
    since: filter.since,
    ...(filter.until ? { until: filter.until } : {}),
    ...(filter.now ? { now: filter.now } : {}),
  });
  const needle = filter.search ? folded(filter.search) : undefined;
  const outlet = filter.outlet ? folded(filter.outlet) : undefined;
  const clusters = new Map<string, Story[]>();
  for (const s of stories) {
    const list = clusters.get(s.clusterId);
    if (list) list.push(s);
    else clusters.set(s.clusterId, [s]);
  }
  const chosen: Story[] = [];
  for (const members of clusters.values()) {
    if (!members.some((m) => matches(m, filter, needle, outlet))) continue;
    chosen.push(members.find((m) => m.leader) ?? members.reduce((a, b) => (a.publishedAt <= b.publishedAt ? a : b)));
  }
  chosen.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id));
  const shown = chosen.slice(0, filter.limit ?? chosen.length);
  return mapLimit(shown, 8, (story) => entryOf(store, story));
}

/** One story's entry: its cluster's copies read from the store (one query). */
export async function entryOf(store: Store, story: Story): Promise<StoryEntry> {
  const cluster = await store.cluster(story.clusterId);
  const all: Copy[] = [];
  if (cluster) {
    const l = cluster.leader;
    all.push({ id: l.id, outlet: l.outlet, url: l.url, title: l.title }, ...cluster.members);
  }
  const copies = all.filter((c, i) => c.id !== story.id && all.findIndex((o) => o.id === c.id) === i);
  return { story, topics: topicsPrimaryFirst(story), copies, related: relatedOf(story) };
}

/** The `stories --json` line of an entry: UTC times, the primary topic first. */
export function entryJson(e: StoryEntry): Record<string, unknown> {
  const s = e.story;
  const why: Record<string, TopicWhy> = {};
  for (const t of e.topics) if (s.why[t]) why[t] = s.why[t];
  return {
    id: s.id,
    title: s.title,
    url: s.url,
    outlet: s.outlet,
    publishedAt: new Date(s.publishedAt).toISOString(),
    topics: e.topics,
    score: scoreOf(s),
    why,
    copies: e.copies.map((c) => ({ id: c.id, outlet: c.outlet, url: c.url, title: c.title })),
    related: e.related,
  };
}

/** The config's label of a topic (its id when the config no longer has it). */
export const topicLabel = (config: Config, id: string): string => config.topics[id]?.label ?? id;
