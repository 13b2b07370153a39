// The shapes every stage of the pipeline agrees on. Sources produce Items; the
// pipeline turns a new, classified Item into a Story; delivery reads Stories.

/** One entry as a source reported it, after canonicalisation. */
export interface Item {
  /** Config id of the source that produced it. */
  sourceId: string;
  /** Publisher's display name (for aggregators: the original publisher). */
  outlet: string;
  /** Canonical article URL (tracking params, mobile hosts and fragments removed). */
  url: string;
  /** Feed guid/id when the feed has one, else the canonical URL. */
  guid: string;
  title: string;
  /** Teaser or full text from the feed, plain text. */
  summary: string;
  /** UTC ISO-8601, or null when the source gave no usable date. */
  publishedAt: string | null;
  author?: string;
  categories: string[];
  /** Full article text when the feed carried it or it was extracted from the page. */
  body?: string;
  image?: string;
}

/** Why a topic matched (or not): the evidence, ready to show a person. */
export interface TermHit {
  /** The configured term that matched (its canonical spelling). */
  term: string;
  /** The spelling actually found in the text (alias, other script). */
  found: string;
  field: 'title' | 'body';
  /** `masked`: found inside a longer word of the topic's `not` list (인도 in 인도네시아), or a two-syllable term split by a space (독일 in 단독 일정), so it counted 0. */
  kind: 'strong' | 'weak' | 'together' | 'passing' | 'exclude' | 'masked';
  /** The rule behind the hit when it is more than a plain term: a passing pattern, a gloss read through, a Hanja abbreviation, the `not` word it sits in. */
  rule?: string;
  /** Contribution to the score, after the title multiplier. */
  weight: number;
  count: number;
  /** A short window of the text around the first occurrence. */
  snippet: string;
}

export interface TopicWhy {
  matched: boolean;
  score: number;
  threshold: number;
  hits: TermHit[];
  /** Set when an exclusion term vetoed the topic. */
  vetoedBy?: string;
}

export interface Classification {
  /** Ids of matched topics: the primary topic (highest score) first, then by score, ties in config order. */
  topics: string[];
  /** Per topic that had any hit: the evidence. */
  why: Record<string, TopicWhy>;
}

/** A stored story: one article of one outlet, possibly a member of a cluster. */
export interface Story {
  /** Hash of the canonical URL. */
  id: string;
  url: string;
  title: string;
  outlet: string;
  sourceId: string;
  summary: string;
  /** UTC ISO-8601; falls back to firstSeenAt when the source gave no date. */
  publishedAt: string;
  /** UTC ISO-8601: when newswatch first wrote it. */
  firstSeenAt: string;
  /** Korea-time day (YYYY-MM-DD) of publishedAt: the digest's day. */
  day: string;
  topics: string[];
  why: Record<string, TopicWhy>;
  /** Id of the cluster leader (the first story seen of this cluster; itself when leader). */
  clusterId: string;
  leader: boolean;
  /**
   * Earlier stories (cluster leaders) reporting the same event in their own words: each
   * alerts on its own; delivery shows them together. Kept on the story so no read is needed.
   */
  related?: RelatedStory[];
  image?: string;
}

/** A related story as delivery shows it: outlet and linked title. */
export interface RelatedStory {
  id: string;
  outlet: string;
  title: string;
  url: string;
}

/** A cluster as delivery shows it: the leader and the other outlets that carried it. */
export interface ClusterView {
  leader: Story;
  /** Other members' outlets and URLs, in the order they were seen. */
  members: { id: string; outlet: string; url: string; title: string }[];
}
