// What every delivery shows about a story, computed once: topic labels, the matched
// terms (the "why"), the other outlets of its cluster. Raw text here; each format escapes.
import { evidenceTerms } from '../classify/evidence.ts';
import type { Config } from '../config/schema/index.ts';
import type { ClusterView, Story } from '../model.ts';
import { cleanText, shownTitle } from './escape.ts';

export interface StoryView {
  story: Story;
  title: string;
  summary: string;
  /** Labels of the story's matched topics, in the story's order: the primary topic first. */
  topicLabels: string[];
  /** Distinct matched terms across the matched topics (canonical spellings; a `together` group's words found). */
  terms: string[];
  /** Other outlets that carried the same story, in the order they were seen. */
  otherOutlets: string[];
  /** Mentions in passing of topics the story is not filed under, with the rule: `딥시크 ("제2의 *")`. */
  passing: string[];
}

/** Build the view of a story; `cluster` may be undefined when the store does not know it yet. */
export function storyView(config: Config, story: Story, cluster?: ClusterView): StoryView {
  const topicLabels = story.topics.map((t) => config.topics[t]?.label ?? t);
  const terms = evidenceTerms(story.topics.map((t) => story.why[t]));
  const otherOutlets: string[] = [];
  for (const m of cluster?.members ?? []) {
    if (m.id !== story.id && m.outlet !== story.outlet && !otherOutlets.includes(m.outlet)) otherOutlets.push(m.outlet);
  }
  if (cluster && cluster.leader.id !== story.id && cluster.leader.outlet !== story.outlet && !otherOutlets.includes(cluster.leader.outlet)) {
    otherOutlets.unshift(cluster.leader.outlet);
  }
  const passing: string[] = [];
  for (const [t, why] of Object.entries(story.why)) {
    if (story.topics.includes(t)) continue;
    for (const hit of why.hits) {
      const line = `${hit.term}${hit.rule?.startsWith('passing ') ? ` (${hit.rule.slice('passing '.length)})` : ''}`;
      if (hit.kind === 'passing' && !passing.includes(line)) passing.push(line);
    }
  }
  return { story, title: shownTitle(story.title), summary: cleanText(story.summary), topicLabels, terms, otherOutlets, passing };
}

/** The topic a story is filed under among `topics`: its primary (the classifier lists it first), else the next it has. */
export function primaryTopic(story: Story, topics: readonly string[]): string | undefined {
  return story.topics.find((t) => topics.includes(t));
}

/** The story's best score among `topics` (all its topics when empty). */
export function bestScore(story: Story, topics: readonly string[]): number {
  let best = 0;
  for (const t of story.topics) {
    if (topics.length > 0 && !topics.includes(t)) continue;
    best = Math.max(best, story.why[t]?.score ?? 0);
  }
  return best;
}

/** Does a destination with these routing settings want this story? */
export function wants(route: { topics: readonly string[]; minScore?: number | undefined }, story: Story): boolean {
  const matching = story.topics.filter((t) => route.topics.includes(t));
  if (matching.length === 0) return false;
  if (route.minScore === undefined) return true;
  return matching.some((t) => (story.why[t]?.score ?? 0) >= (route.minScore ?? 0));
}
