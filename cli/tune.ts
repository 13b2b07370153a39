// What an edited config would change: the stored items of a window (matched stories and the
// unmatched items kept for keepUnmatchedDays) classified again, compared per topic with
// before: either what the store recorded, or a base config classifying the same text.
import { compileClassifier } from '../shared/classify/index.ts';
import type { Config } from '../shared/config/schema/index.ts';
import type { Classification, Story, TopicWhy } from '../shared/model.ts';
import type { UnmatchedItem } from '../shared/store/port.ts';

/** One item as tune replays it: the text kept of it and what was decided then. */
export interface ReplayItem {
  id: string;
  title: string;
  /** The start of its text (a story's summary, an unmatched item's lede). */
  text: string;
  url: string;
  outlet: string;
  publishedAt: string;
  /** Topics the store recorded (empty for unmatched items). */
  storedTopics: string[];
  storedWhy: Record<string, TopicWhy>;
}

export interface TuneChange {
  item: ReplayItem;
  /** Evidence under the edited config (why it matches now, or why it falls short). */
  why?: TopicWhy;
  /** Evidence before (the stored or base classification). */
  before?: TopicWhy;
}

export interface TopicDiff {
  topic: string;
  label: string;
  /** In the edited config, not the base / in the base, not the edited config. */
  added: boolean;
  removed: boolean;
  newlyMatched: TuneChange[];
  dropped: TuneChange[];
  /** Items matching it before and after. */
  kept: number;
}

export interface TuneResult {
  items: number;
  stories: number;
  unmatched: number;
  topics: TopicDiff[];
  drops: number;
  gains: number;
}

/** One item per cluster (its leader, else its earliest copy) plus the kept unmatched items not stored as stories. */
export function replayItems(stories: Story[], unmatched: UnmatchedItem[]): ReplayItem[] {
  const byCluster = new Map<string, Story>();
  for (const s of stories) {
    const shown = byCluster.get(s.clusterId);
    if (!shown || (s.leader && !shown.leader) || (!shown.leader && s.publishedAt < shown.publishedAt)) byCluster.set(s.clusterId, s);
  }
  const storyIds = new Set(stories.map((s) => s.id));
  const items: ReplayItem[] = [...byCluster.values()].map((s) => ({
    id: s.id,
    title: s.title,
    text: s.summary,
    url: s.url,
    outlet: s.outlet,
    publishedAt: s.publishedAt,
    storedTopics: s.topics,
    storedWhy: s.why,
  }));
  for (const u of unmatched) {
    if (storyIds.has(u.id)) continue;
    items.push({ id: u.id, title: u.title, text: u.lede, url: u.url, outlet: u.outlet, publishedAt: u.publishedAt, storedTopics: [], storedWhy: {} });
  }
  return items.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt) || a.id.localeCompare(b.id));
}

/**
 * Classify every item with `edited` and compare, per topic, with `base` on the same text, or
 * (no base) with what the store recorded.
 */
export function tune(items: ReplayItem[], edited: Config, base?: Config): TuneResult {
  const after = compileClassifier(edited.topics);
  const before = base ? compileClassifier(base.topics) : undefined;
  const baseTopics = base ? Object.keys(base.topics) : [...new Set(items.flatMap((i) => i.storedTopics))];
  const editedTopics = Object.keys(edited.topics);
  const order = [...editedTopics, ...baseTopics.filter((t) => !editedTopics.includes(t))];
  const diffs = new Map<string, TopicDiff>(
    order.map((t) => [
      t,
      {
        topic: t,
        label: edited.topics[t]?.label ?? base?.topics[t]?.label ?? t,
        // Without a base, "before" is only what the window's items recorded: an empty window says nothing about any topic.
        added: !baseTopics.includes(t) && (base !== undefined || (items.length > 0 && !items.some((i) => i.storedTopics.includes(t)))),
        removed: !editedTopics.includes(t),
        newlyMatched: [],
        dropped: [],
        kept: 0,
      },
    ]),
  );
  for (const item of items) {
    const article = { title: item.title, body: item.text };
    const now: Classification = after.classify(article);
    const then: Classification = before ? before.classify(article) : { topics: item.storedTopics, why: item.storedWhy };
    for (const t of order) {
      const was = then.topics.includes(t);
      const is = now.topics.includes(t);
      const d = diffs.get(t)!;
      if (was && is) d.kept++;
      else if (is) d.newlyMatched.push({ item, ...(now.why[t] ? { why: now.why[t] } : {}), ...(then.why[t] ? { before: then.why[t] } : {}) });
      else if (was) d.dropped.push({ item, ...(now.why[t] ? { why: now.why[t] } : {}), ...(then.why[t] ? { before: then.why[t] } : {}) });
    }
  }
  const topics = [...diffs.values()];
  return {
    items: items.length,
    stories: items.filter((i) => i.storedTopics.length > 0).length,
    unmatched: items.filter((i) => i.storedTopics.length === 0).length,
    topics,
    drops: topics.reduce((n, d) => n + d.dropped.length, 0),
    gains: topics.reduce((n, d) => n + d.newlyMatched.length, 0),
  };
}

/** Why a drop happened, in a line. */
export function dropReason(change: TuneChange, removed: boolean): string {
  if (removed) return '주제가 설정에서 빠짐 (topic removed)';
  const why = change.why;
  const was = change.before && (!change.why || termList(change.before) !== termList(change.why)) ? termList(change.before) : '';
  if (why?.vetoedBy) return `제외어 "${why.vetoedBy}"에 걸림${was ? ` (전: ${was})` : ''}`;
  if (!why) return `맞는 단어가 없음${was ? ` (전: ${was})` : ''}`;
  // Below the threshold, or enough weight from weak terms only (they never carry a topic alone).
  const short = why.score < why.threshold ? `${fmt(why.score)}점 < 기준 ${why.threshold}점` : '강한 단어 없음';
  return `${short}${why.hits.length ? `: ${termList(why)}` : ''}${was ? ` (전: ${was})` : ''}`;
}

/** Why a new match happened, in a line. */
export function gainReason(change: TuneChange): string {
  const why = change.why;
  return why ? `${termList(why)} — ${fmt(why.score)}점 (기준 ${why.threshold}점)` : '';
}

function termList(why: TopicWhy): string {
  return [...new Set(why.hits.filter((h) => h.kind !== 'exclude' && h.kind !== 'masked').map((h) => (h.field === 'title' ? `${h.term}(제목)` : h.term)))].join(
    ', ',
  );
}

const fmt = (n: number): string => String(Math.round(n * 10) / 10);
