// The digest's content: the day's matched stories grouped by topic, each cluster once,
// biggest and most recent first; related coverage (other outlets' own reports of the same
// event) shown under the first of them as 관련 보도 instead of as clusters of their own.
import { evidenceTerms } from '../classify/evidence.ts';
import type { Config } from '../config/schema/index.ts';
import type { Story } from '../model.ts';
import { cleanText, shownTitle } from './escape.ts';
import { primaryTopic, wants } from './story-view.ts';

export interface DigestCluster {
  /** The story shown: the cluster leader when it is of this day, else its earliest member. */
  story: Story;
  /** Distinct outlets that carried it, the shown story's first. */
  outlets: string[];
  /** Other copies, for the "also at" links. */
  others: { outlet: string; url: string }[];
  /** Matched terms of the shown topic. */
  terms: string[];
  /** Labels of the story's other topics (it is filed under its primary topic only). */
  tags: string[];
  /** Latest publication among the copies (UTC ISO). */
  latestAt: string;
  /** Other clusters of the day reporting the same event in their own words (관련 보도), earliest first. */
  related: { outlet: string; title: string; url: string }[];
}

export interface DigestSection {
  topicId: string;
  label: string;
  clusters: DigestCluster[];
}

export interface DigestContent {
  day: string;
  sections: DigestSection[];
  /** Clusters across sections (each cluster counts once). */
  total: number;
}

/** Group one day's stories for a list: `route` gives the topics (in order) and optional minScore. */
export function groupDigest(
  config: Config,
  day: string,
  stories: Story[],
  route: { topics: readonly string[]; minScore?: number | undefined } = { topics: Object.keys(config.topics) },
): DigestContent {
  const byCluster = new Map<string, Story[]>();
  for (const s of stories) {
    if (!wants(route, s)) continue;
    const list = byCluster.get(s.clusterId);
    if (list) list.push(s);
    else byCluster.set(s.clusterId, [s]);
  }
  const sections = new Map<string, DigestCluster[]>(route.topics.map((t) => [t, []]));
  const entries: { topic: string; cluster: DigestCluster }[] = [];
  for (const members of byCluster.values()) {
    members.sort((a, b) => Number(b.leader) - Number(a.leader) || a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
    const shown = members[0]!;
    // Each cluster goes once, under its primary topic (a story's topics list it first) among
    // the list's topics: never under a topic it only mentions.
    const topic = primaryTopic(shown, route.topics) ?? members.map((m) => primaryTopic(m, route.topics)).find((t) => t !== undefined)!;
    const outlets: string[] = [];
    const others: { outlet: string; url: string }[] = [];
    for (const m of members) {
      const outlet = cleanText(m.outlet);
      if (!outlets.includes(outlet)) {
        outlets.push(outlet);
        if (m !== shown) others.push({ outlet, url: m.url });
      }
    }
    const terms = evidenceTerms(members.map((m) => m.why[topic]));
    const latestAt = members.reduce((a, m) => (m.publishedAt > a ? m.publishedAt : a), shown.publishedAt);
    const tags = shown.topics.filter((t) => t !== topic).map((t) => config.topics[t]?.label ?? t);
    entries.push({ topic, cluster: { story: shown, outlets, others, terms, tags, latestAt, related: [] } });
  }
  for (const { topic, cluster } of foldRelated(entries)) sections.get(topic)!.push(cluster);
  const out: DigestSection[] = [];
  let total = 0;
  for (const [topicId, clusters] of sections) {
    if (clusters.length === 0) continue;
    clusters.sort((a, b) => b.outlets.length - a.outlets.length || b.latestAt.localeCompare(a.latestAt));
    total += clusters.length;
    out.push({ topicId, label: config.topics[topicId]?.label ?? topicId, clusters });
  }
  return { day, sections: out, total };
}

/**
 * Folds clusters linked as related coverage (Story.related) into the earliest of them: the
 * others become its 관련 보도 lines. Links run both ways and chain (A~B, B~C: one group).
 */
function foldRelated<T extends { cluster: DigestCluster }>(entries: T[]): T[] {
  const byId = new Map<string, T>();
  for (const e of entries) byId.set(e.cluster.story.clusterId, e);
  const parent = new Map<T, T>();
  const find = (e: T): T => {
    let r = e;
    while (parent.has(r)) r = parent.get(r)!;
    return r;
  };
  for (const e of entries) {
    for (const ref of e.cluster.story.related ?? []) {
      const other = byId.get(ref.id);
      if (!other) continue;
      const [x, y] = [find(e), find(other)];
      if (x !== y) parent.set(x, y);
    }
  }
  const groups = new Map<T, T[]>();
  for (const e of entries) {
    const root = find(e);
    const list = groups.get(root);
    if (list) list.push(e);
    else groups.set(root, [e]);
  }
  const out: T[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.cluster.story.publishedAt.localeCompare(b.cluster.story.publishedAt) || a.cluster.story.id.localeCompare(b.cluster.story.id));
    const [head, ...rest] = group;
    for (const r of rest)
      head!.cluster.related.push({
        outlet: cleanText(r.cluster.story.outlet),
        title: shownTitle(r.cluster.story.title),
        url: r.cluster.story.url,
      });
    out.push(head!);
  }
  return out;
}
