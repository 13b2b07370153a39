// Topic classification: every term of every topic is found in one pass over the
// normalised title and body (see matcher.ts), then each topic is scored from its
// hits. Compiled once per config; classify() is pure and allocates little.
import type { Classification, TermHit, TopicWhy } from '../model.ts';
import type { Config, Term } from '../config/schema/index.ts';
import { LIST_LINE, SHORT_LINE, lineFactor } from './lines.ts';
import { compileMatcher } from './matcher.ts';
import { createFolded, foldInto, foldTerm, isLatinAlnum, prepare, type Folded } from './normalize.ts';

/** A title hit counts this many times a prose body hit. */
export const TITLE_MULTIPLIER = 2;
/** Repeats in the body add up to this many single hits (after line factors). */
export const BODY_CAP = 2;
export const STRONG_WEIGHT = 3;
export const WEAK_WEIGHT = 1;
/** Spellings of one term this close together (a gloss in brackets) are one mention. */
const SAME_MENTION_GAP = 2;

export interface Article {
  title: string;
  body: string;
}

export interface Classifier {
  /** Topic ids in config order. */
  readonly topicIds: readonly string[];
  /** Topics that match the article, with the evidence for every topic that had a hit. */
  classify(article: Article): Classification;
}

type Kind = TermHit['kind'];

interface Slot {
  topic: number;
  term: string;
  kind: Kind;
  weight: number;
  /** For `together` members: the group they belong to. */
  group: number;
}

interface Group {
  topic: number;
  members: number[];
  weight: number;
}

interface Pattern {
  length: number;
  leftLatin: boolean;
  rightLatin: boolean;
  uses: number[];
}

/** Per-call evidence for one slot and one field. */
interface FieldHits {
  count: Int32Array;
  factor: Float64Array;
  maxFactor: Float64Array;
  /** First mention (for `found` and the snippet). */
  start: Int32Array;
  end: Int32Array;
  /** End of the latest mention (to merge a gloss with its term). */
  lastEnd: Int32Array;
}

function fieldHits(n: number): FieldHits {
  return { count: new Int32Array(n), factor: new Float64Array(n), maxFactor: new Float64Array(n), start: new Int32Array(n), end: new Int32Array(n), lastEnd: new Int32Array(n) };
}

/** Compiles the topics of a config into a classifier (do this once, at start). */
export function compileClassifier(topics: Config['topics']): Classifier {
  const topicIds = Object.keys(topics);
  const slots: Slot[] = [];
  const groups: Group[] = [];
  const patterns: Pattern[] = [];
  const patternIds = new Map<string, number>();

  const addSpelling = (spelling: string, slot: number): void => {
    const folded = foldTerm(spelling);
    if (folded.length === 0) return;
    let id = patternIds.get(folded);
    if (id === undefined) {
      id = patterns.length;
      patternIds.set(folded, id);
      patterns.push({
        length: folded.length,
        leftLatin: isLatinAlnum(folded.charCodeAt(0)),
        rightLatin: isLatinAlnum(folded.charCodeAt(folded.length - 1)),
        uses: [],
      });
    }
    if (!patterns[id]!.uses.includes(slot)) patterns[id]!.uses.push(slot);
  };

  topicIds.forEach((id, topic) => {
    const t = topics[id]!;
    // Spellings by folded form, so a `together` member can name a term and get its aliases.
    const spellingsOf = new Map<string, string[]>();
    const addTerms = (terms: readonly Term[], kind: Kind, weight: number): void => {
      for (const term of terms) {
        const canonical = typeof term === 'string' ? term : term.term;
        const spellings = typeof term === 'string' ? [term] : [term.term, ...term.aliases];
        const slot = slots.length;
        slots.push({ topic, term: canonical, kind, weight: typeof term === 'string' ? weight : (term.weight ?? weight), group: -1 });
        for (const s of spellings) {
          addSpelling(s, slot);
          spellingsOf.set(foldTerm(s), spellings);
        }
      }
    };
    addTerms(t.strong, 'strong', STRONG_WEIGHT);
    addTerms(t.weak, 'weak', WEAK_WEIGHT);
    addTerms(t.exclude, 'exclude', 0);
    for (const members of t.together) {
      const group = groups.length;
      const memberSlots: number[] = [];
      for (const member of members) {
        const slot = slots.length;
        slots.push({ topic, term: member, kind: 'together', weight: 0, group });
        for (const s of spellingsOf.get(foldTerm(member)) ?? [member]) addSpelling(s, slot);
        memberSlots.push(slot);
      }
      groups.push({ topic, members: memberSlots, weight: STRONG_WEIGHT });
    }
  });

  const matcher = compileMatcher([...patternIds.keys()]);
  const n = slots.length;
  const title = fieldHits(n);
  const body = fieldHits(n);
  const folded: Folded = createFolded();
  const touched: number[] = [];
  const isTouched = new Uint8Array(n);

  // Scan state for the callback (one closure, reused for every article).
  let hits: FieldHits = title;
  let text = '';
  let lineCache = new Map<number, number>();
  let inBody = false;

  const onMatch = (p: number, end: number): void => {
    const pattern = patterns[p]!;
    const start = end - pattern.length;
    const { units, spaceBefore, length } = folded;
    if (pattern.leftLatin && start > 0 && spaceBefore[start] === 0 && isLatinAlnum(units[start - 1]!)) return;
    if (pattern.rightLatin && end < length && spaceBefore[end] === 0 && isLatinAlnum(units[end]!)) {
      // A plural `s` (GPUs, H100s) still ends the token; anything else (H200, R10) does not.
      const plural = units[end] === 0x73 && (end + 1 >= length || spaceBefore[end + 1] === 1 || !isLatinAlnum(units[end + 1]!));
      if (!plural) return;
      end++;
    }
    const from = folded.origin[start]!;
    const to = folded.origin[end - 1]! + 1;
    const factor = inBody ? lineFactor(text, from, lineCache) : 1;
    for (const slot of pattern.uses) {
      if (!isTouched[slot]) {
        isTouched[slot] = 1;
        touched.push(slot);
      }
      if (hits.count[slot] === 0) {
        hits.start[slot] = from;
        hits.end[slot] = to;
      } else if (from - hits.lastEnd[slot]! <= SAME_MENTION_GAP) {
        // 그래픽처리장치(GPU), 딥시크(DeepSeek): a term and its gloss are one mention.
        if (to > hits.lastEnd[slot]!) hits.lastEnd[slot] = to;
        continue;
      }
      hits.lastEnd[slot] = to;
      hits.count[slot]!++;
      hits.factor[slot]! += factor;
      if (factor > hits.maxFactor[slot]!) hits.maxFactor[slot] = factor;
    }
  };

  const scanField = (value: string, into: FieldHits, isBody: boolean): string => {
    text = prepare(value);
    hits = into;
    inBody = isBody;
    if (isBody) lineCache = new Map();
    foldInto(text, folded);
    matcher.scan(folded.units, folded.length, onMatch);
    return text;
  };

  return {
    topicIds,
    classify(article) {
      const titleText = scanField(article.title ?? '', title, false);
      const bodyText = scanField(article.body ?? '', body, true);
      const result = score(titleText, bodyText);
      for (const slot of touched) {
        isTouched[slot] = 0;
        for (const f of [title, body]) {
          f.count[slot] = 0;
          f.factor[slot] = 0;
          f.maxFactor[slot] = 0;
        }
      }
      touched.length = 0;
      return result;
    },
  };

  function score(titleText: string, bodyText: string): Classification {
    const why: Record<string, TopicWhy> = {};
    const perTopic = new Map<number, { hits: TermHit[]; score: number; decisive: boolean; vetoedBy?: string }>();
    const entry = (topic: number) => {
      let e = perTopic.get(topic);
      if (!e) perTopic.set(topic, (e = { hits: [], score: 0, decisive: false }));
      return e;
    };
    const groupsSeen = new Set<number>();
    for (const slot of touched) {
      const s = slots[slot]!;
      if (s.kind === 'together') {
        groupsSeen.add(s.group);
        continue;
      }
      const e = entry(s.topic);
      if (s.kind === 'exclude') {
        const inTitle = title.count[slot]! > 0;
        const bodyCounts = body.maxFactor[slot]! >= SHORT_LINE;
        if (inTitle) e.hits.push(hitOf(s, slot, 'title', 0, title, titleText));
        if (body.count[slot]! > 0) e.hits.push(hitOf(s, slot, 'body', 0, body, bodyText));
        if ((inTitle || bodyCounts) && e.vetoedBy === undefined) e.vetoedBy = s.term;
        continue;
      }
      if (title.count[slot]! > 0) {
        const w = s.weight * TITLE_MULTIPLIER;
        e.hits.push(hitOf(s, slot, 'title', w, title, titleText));
        e.score += w;
      }
      if (body.count[slot]! > 0) {
        const w = s.weight * Math.min(BODY_CAP, body.factor[slot]!);
        e.hits.push(hitOf(s, slot, 'body', w, body, bodyText));
        e.score += w;
      }
      // A strong term decides alone only from the title or from article prose, not from page chrome.
      if (s.kind === 'strong' && (title.count[slot]! > 0 || body.maxFactor[slot]! > LIST_LINE)) e.decisive = true;
    }
    for (const g of groupsSeen) {
      const group = groups[g]!;
      if (!group.members.every((m) => title.count[m]! > 0 || body.count[m]! > 0)) continue;
      const allInTitle = group.members.every((m) => title.count[m]! > 0);
      // The group is as good as its weakest member's best line.
      const factor = allInTitle ? TITLE_MULTIPLIER : Math.min(...group.members.map((m) => (title.count[m]! > 0 ? 1 : body.maxFactor[m]!)));
      const w = group.weight * factor;
      const first = group.members[0]!;
      const field = allInTitle ? 'title' : 'body';
      const src = allInTitle ? title : body;
      const srcText = allInTitle ? titleText : bodyText;
      const found = group.members.map((m) => {
        const f = title.count[m]! > 0 && allInTitle ? title : body.count[m]! > 0 ? body : title;
        const t = f === title ? titleText : bodyText;
        return clean(t.slice(f.start[m]!, f.end[m]!));
      });
      const e = entry(group.topic);
      e.hits.push({
        term: group.members.map((m) => slots[m]!.term).join(' + '),
        found: found.join(' + '),
        field,
        kind: 'together',
        weight: round(w),
        count: Math.min(...group.members.map((m) => title.count[m]! + body.count[m]!)),
        snippet: snippet(srcText, src.count[first]! > 0 ? src.start[first]! : 0, src.count[first]! > 0 ? src.end[first]! : 0),
      });
      e.score += w;
      if (factor > LIST_LINE) e.decisive = true;
    }
    const matched: string[] = [];
    topicIds.forEach((id, topic) => {
      const e = perTopic.get(topic);
      if (!e) return;
      const threshold = topics[id]!.threshold;
      const score = round(e.score);
      // Weak terms need company: only a strong term or a together group (in the title or
      // article prose) can carry a topic; weak terms add to its score.
      const isMatch = e.vetoedBy === undefined && e.decisive && score >= threshold;
      e.hits.sort((a, b) => b.weight - a.weight || (a.field === 'title' ? -1 : 1));
      why[id] = { matched: isMatch, score, threshold, hits: e.hits, ...(e.vetoedBy !== undefined ? { vetoedBy: e.vetoedBy } : {}) };
      if (isMatch) matched.push(id);
    });
    return { topics: matched, why };
  }

  function hitOf(s: Slot, slot: number, field: 'title' | 'body', weight: number, f: FieldHits, t: string): TermHit {
    return {
      term: s.term,
      found: clean(t.slice(f.start[slot]!, f.end[slot]!)),
      field,
      kind: s.kind,
      weight: round(weight),
      count: f.count[slot]!,
      snippet: snippet(t, f.start[slot]!, f.end[slot]!),
    };
  }
}

const SNIPPET_SIDE = 30;

function snippet(text: string, from: number, to: number): string {
  const a = Math.max(0, from - SNIPPET_SIDE);
  const b = Math.min(text.length, to + SNIPPET_SIDE);
  return `${a > 0 ? '…' : ''}${clean(text.slice(a, b))}${b < text.length ? '…' : ''}`;
}

function clean(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
