// What a reader is shown as a topic's evidence, the same in Slack, the digest, webhooks, `run`,
// `stories` and `serve`: the hits that counted (not an exclusion, a word masked by `not`, or a
// mention in passing: those decide nothing), each by its configured term; a `together` group by
// the words it found (과학기술정보통신부 + GPU + 확보), not by every alternative of its definition
// (정부/과기정통부/과학기술정보통신부 + GPU/그래픽처리장치 + 확보/구매/…), which says little and
// fills a Slack line.
import type { TermHit, TopicWhy } from '../model.ts';

/** Whether a hit is evidence for its topic. */
export function isEvidence(hit: TermHit): boolean {
  return hit.kind !== 'exclude' && hit.kind !== 'passing' && hit.kind !== 'masked';
}

/** How a hit is named to a reader: its configured term, or a `together` group's words found. */
export function shownTerm(hit: TermHit): string {
  return hit.kind === 'together' ? hit.found : hit.term;
}

/** The distinct shown terms of these topics' evidence, in order. */
export function evidenceTerms(whys: Iterable<TopicWhy | undefined>): string[] {
  const terms: string[] = [];
  for (const why of whys) {
    for (const hit of why?.hits ?? []) {
      if (!isEvidence(hit)) continue;
      const term = shownTerm(hit);
      if (!terms.includes(term)) terms.push(term);
    }
  }
  return terms;
}
