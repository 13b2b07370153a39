// Topic classification: every term of every topic is found in the same pass that
// normalises the title and body (see normalize.ts and matcher.ts; a text with a gloss inside a term,
// 소버린(Sovereign) AI, gets a second pass with its glosses removed), then each topic is
// scored from its hits: strong and weak terms, `together` rules (a term of every member,
// close together), `passing` patterns (a yardstick or a hook counts 0 and decides nothing)
// and `exclude` vetoes. A term found inside a longer word of the topic's `not` list (인도 in
// 인도네시아) is masked: the `not` words are patterns of the same automaton, and a hit is
// checked against them when the hits are collected. A two-syllable term found across a space
// (독일 in 단독 일정) is masked too, by one look at the original text. Matched topics come
// highest score first: the primary topic.
// Compiled once per config; classify() is pure and allocates little.
import type { Classification, TermHit, TopicWhy } from '../model.ts';
import type { Config, Term } from '../config/schema/index.ts';
import { LIST_LINE, LineFactors, SHORT_LINE } from './lines.ts';
import { compileMatcher } from './matcher.ts';
import { createFolded, foldInto, foldScan, foldTerm, hanjaReading, isLatinAlnum, isLatinDigit, spaceBefore, stripGlosses, type Folded } from './normalize.ts';
import { compilePassing, passingAt, type PassingRule } from './passing.ts';

/** A title hit counts this many times a prose body hit. */
export const TITLE_MULTIPLIER = 2;
/** Repeats in the body add up to this many single hits (after line factors). */
export const BODY_CAP = 2;
export const STRONG_WEIGHT = 3;
export const WEAK_WEIGHT = 1;
/** Spellings of one term this close together (a gloss in brackets) are one mention. */
const SAME_MENTION_GAP = 2;
/**
 * Members of a `together` rule found in the body must sit this close (in characters, about
 * a sentence or two): terms far apart in a long article are not one idea.
 */
export const TOGETHER_NEAR = 120;

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
  /** The spelling as first written in the config (for `why`). */
  spelling: string;
  length: number;
  leftLatin: boolean;
  /** Starts with a Latin letter: it may follow digits (10GW, 8GPU). */
  leftLetter: boolean;
  rightLatin: boolean;
  uses: number[];
  /** The `not` words (Mask ids) this pattern spells. */
  masks: number[];
  /**
   * Two Hangul syllables configured as one word (독일, 중국, 정부): a space between them in
   * the text splits two words (단독 일정, 집중 국면, 일정 부분), so such a find is no mention.
   */
  pair: boolean;
}

/** A `not` word of one topic: a term hit inside it does not count. */
interface Mask {
  topic: number;
  /** As the user wrote it, for `why`. */
  word: string;
  /** spaces[k] = 1: the word as written has a space before its unit k, so the text may have one there too. */
  spaces: Uint8Array;
}

/** Per-call evidence for one slot and one field: plain mentions, and mentions in passing apart. */
interface FieldHits {
  count: Int32Array;
  factor: Float64Array;
  maxFactor: Float64Array;
  /** First mention (for `found` and the snippet). */
  start: Int32Array;
  end: Int32Array;
  /** A mention read through a gloss inside the term (소버린(Sovereign) AI). */
  glossed: Uint8Array;
  /** End of the latest mention (to merge a gloss with its term). */
  lastEnd: Int32Array;
  passCount: Int32Array;
  passFactor: Float64Array;
  passStart: Int32Array;
  passEnd: Int32Array;
  /** The passing rule of the first passing mention. */
  passRule: Int32Array;
  /** Mentions inside a `not` word: the first one, its pattern and its mask. */
  maskCount: Int32Array;
  maskStart: Int32Array;
  maskEnd: Int32Array;
  maskPattern: Int32Array;
  maskId: Int32Array;
  /** Finds of a two-syllable term split by a space (단독 일정 for 독일): the first one and its pattern. */
  splitCount: Int32Array;
  splitStart: Int32Array;
  splitEnd: Int32Array;
  splitPattern: Int32Array;
}

function fieldHits(n: number): FieldHits {
  return {
    count: new Int32Array(n),
    factor: new Float64Array(n),
    maxFactor: new Float64Array(n),
    start: new Int32Array(n),
    end: new Int32Array(n),
    glossed: new Uint8Array(n),
    lastEnd: new Int32Array(n),
    passCount: new Int32Array(n),
    passFactor: new Float64Array(n),
    passStart: new Int32Array(n),
    passEnd: new Int32Array(n),
    passRule: new Int32Array(n),
    maskCount: new Int32Array(n),
    maskStart: new Int32Array(n),
    maskEnd: new Int32Array(n),
    maskPattern: new Int32Array(n),
    maskId: new Int32Array(n),
    splitCount: new Int32Array(n),
    splitStart: new Int32Array(n),
    splitEnd: new Int32Array(n),
    splitPattern: new Int32Array(n),
  };
}

/** Compiles the topics of a config into a classifier (do this once, at start). */
export function compileClassifier(topics: Config['topics']): Classifier {
  const topicIds = Object.keys(topics);
  const slots: Slot[] = [];
  const groups: Group[] = [];
  const patterns: Pattern[] = [];
  const patternIds = new Map<string, number>();
  const masks: Mask[] = [];

  const patternOf = (spelling: string, folded: string): number => {
    let id = patternIds.get(folded);
    if (id === undefined) {
      id = patterns.length;
      patternIds.set(folded, id);
      const first = folded.charCodeAt(0);
      patterns.push({
        spelling,
        length: folded.length,
        leftLatin: isLatinAlnum(first),
        leftLetter: isLatinAlnum(first) && !isLatinDigit(first),
        rightLatin: isLatinAlnum(folded.charCodeAt(folded.length - 1)),
        uses: [],
        masks: [],
        pair: folded.length === 2 && isSyllable(first) && isSyllable(folded.charCodeAt(1)),
      });
    }
    return id;
  };

  const addSpelling = (spelling: string, slot: number): void => {
    const folded = foldTerm(spelling);
    if (folded.length === 0) return;
    const id = patternOf(spelling, folded);
    // A two-syllable term written with a space (미 국) asks for the split spelling too.
    if (/\s/u.test(spelling.trim())) patterns[id]!.pair = false;
    if (!patterns[id]!.uses.includes(slot)) patterns[id]!.uses.push(slot);
  };

  const addMask = (word: string, topic: number): void => {
    const f = foldInto(word.normalize('NFC'), createFolded(word.length + 16));
    if (f.length === 0) return;
    const spaces = new Uint8Array(f.length);
    for (let k = 1; k < f.length; k++) spaces[k] = spaceBefore(f, k) ? 1 : 0;
    const id = patternOf(word, String.fromCharCode(...f.units.subarray(0, f.length)));
    patterns[id]!.masks.push(masks.length);
    masks.push({ topic, word, spaces });
  };

  const passing: PassingRule[][] = topicIds.map((id) => compilePassing(topics[id]!.passing));

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
        // A member is a term or a list of terms any one of which will do; each term brings its aliases.
        const alternatives = typeof member === 'string' ? [member] : member;
        const slot = slots.length;
        slots.push({ topic, term: alternatives.join('/'), kind: 'together', weight: 0, group });
        for (const alt of alternatives) for (const s of spellingsOf.get(foldTerm(alt)) ?? [alt]) addSpelling(s, slot);
        memberSlots.push(slot);
      }
      groups.push({ topic, members: memberSlots, weight: STRONG_WEIGHT });
    }
    for (const word of t.not ?? []) addMask(word, topic);
  });

  const matcher = compileMatcher([...patternIds.keys()]);
  // The fold table joined with the automaton's classes: normalise and scan in one pass.
  const automaton = foldScan(matcher.automaton);
  // States where a `not` word ends: one look at the reached states tells whether a text has any.
  const maskStates = masks.length > 0 ? matcher.statesWith((p) => patterns[p]!.masks.length > 0) : undefined;
  const n = slots.length;
  // Per slot, looked up on every hit: the passing rules that apply (none for exclusions or a topic without any).
  const slotRules: (PassingRule[] | undefined)[] = slots.map((s) => (s.kind === 'exclude' || passing[s.topic]!.length === 0 ? undefined : passing[s.topic]));
  const title = fieldHits(n);
  const body = fieldHits(n);
  const folded: Folded = createFolded();
  const unglossed: Folded = createFolded();
  const joined = { marks: new Uint8Array(4096) };
  const touched: number[] = [];
  const isTouched = new Uint8Array(n);
  // Where each `together` member was found in the body (for the nearness check).
  const bodyAt: number[][] = slots.map(() => []);

  // Scan state for the callback (one closure, reused for every article).
  let hits: FieldHits = title;
  let text = '';
  let scanned: Folded = folded;
  /** Second pass over the text with glosses removed: only matches that span a removed gloss count. */
  let glossPass = false;
  const lineFactors = new LineFactors();
  let inBody = false;
  // `not` words found in the current field: [start, end) in folded units, and their mask.
  const spanStart: number[] = [];
  const spanEnd: number[] = [];
  const spanMask: number[] = [];
  /** Per topic: a `not` word of it was found in the current field. */
  const maskedTopic = new Uint8Array(topicIds.length);

  /** True when a token boundary rule stops a Latin pattern at [start, end) of `f`. */
  const latinCut = (pattern: Pattern, f: Folded, start: number, end: number): boolean => {
    const { units, length } = f;
    // Digits then letters are a number and its unit or a count (10GW, 1.5GW, 8GPU): a term that starts with a letter may follow digits.
    if (pattern.leftLatin && start > 0 && !spaceBefore(f, start) && isLatinAlnum(units[start - 1]!) && !(pattern.leftLetter && isLatinDigit(units[start - 1]!)))
      return true;
    return pattern.rightLatin && end < length && !spaceBefore(f, end) && isLatinAlnum(units[end]!);
  };

  const onMask = (p: number, end: number): void => {
    const pattern = patterns[p]!;
    if (pattern.masks.length === 0) return;
    const start = end - pattern.length;
    if (latinCut(pattern, folded, start, end)) return;
    for (const m of pattern.masks) {
      // A `not` word is one word as written: 인도 양국 is not 인도양.
      const { spaces, topic } = masks[m]!;
      let whole = true;
      for (let k = 1; k < pattern.length && whole; k++) if (spaces[k] === 0 && spaceBefore(folded, start + k)) whole = false;
      if (!whole) continue;
      spanStart.push(start);
      spanEnd.push(end);
      spanMask.push(m);
      maskedTopic[topic] = 1;
    }
  };

  /** The `not` word of `topic` that holds units [start, end) and is longer, or -1. */
  const maskAt = (topic: number, start: number, end: number): number => {
    for (let k = 0; k < spanStart.length; k++) {
      const m = spanMask[k]!;
      if (masks[m]!.topic === topic && spanStart[k]! <= start && end <= spanEnd[k]! && spanEnd[k]! - spanStart[k]! > end - start) return m;
    }
    return -1;
  };

  const onMatch = (p: number, end: number): void => {
    const pattern = patterns[p]!;
    const start = end - pattern.length;
    const { units, length } = scanned;
    if (glossPass) {
      let spans = false;
      for (let i = start + 1; i < end; i++) if (joined.marks[i] === 1) spans = true;
      if (!spans) return;
    }
    if (
      pattern.leftLatin &&
      start > 0 &&
      !spaceBefore(scanned, start) &&
      isLatinAlnum(units[start - 1]!) &&
      !(pattern.leftLetter && isLatinDigit(units[start - 1]!))
    )
      return;
    if (pattern.rightLatin && end < length && !spaceBefore(scanned, end) && isLatinAlnum(units[end]!)) {
      // A plural `s` (GPUs, H100s) still ends the token; anything else (H200, R10) does not.
      const plural = units[end] === 0x73 && (end + 1 >= length || spaceBefore(scanned, end + 1) || !isLatinAlnum(units[end + 1]!));
      if (!plural) return;
      end++;
    }
    const from = scanned.origin[start]!;
    const to = scanned.origin[end - 1]! + 1;
    // 단독 일정 is not 독일: the space between the two syllables splits two words. One look at the
    // original text between them, only when folding removed something there.
    if (pattern.pair && scanned.origin[start + 1]! - from > 1 && spaceIn(text, from + 1, scanned.origin[start + 1]!)) {
      for (const slot of pattern.uses) {
        if (!isTouched[slot]) {
          isTouched[slot] = 1;
          touched.push(slot);
        }
        if (hits.splitCount[slot] === 0) {
          hits.splitStart[slot] = from;
          hits.splitEnd[slot] = to;
          hits.splitPattern[slot] = p;
        }
        // `why` shows the first spelling split (a together member has several): count that one.
        if (hits.splitPattern[slot] === p) hits.splitCount[slot]!++;
      }
      return;
    }
    const factor = inBody ? lineFactors.at(from) : 1;
    for (const slot of pattern.uses) {
      const s = slots[slot]!;
      if (!isTouched[slot]) {
        isTouched[slot] = 1;
        touched.push(slot);
      }
      // Inside a `not` word (인도 in 인도네시아): not a mention, only shown in `why`.
      if (!glossPass && maskedTopic[s.topic] === 1) {
        const m = maskAt(s.topic, start, end);
        if (m >= 0) {
          if (hits.maskCount[slot] === 0) {
            hits.maskStart[slot] = from;
            hits.maskEnd[slot] = to;
            hits.maskPattern[slot] = p;
            hits.maskId[slot] = m;
          }
          hits.maskCount[slot]!++;
          continue;
        }
      }
      // A spelling found whole in the first pass (국가인공지능(AI)컴퓨팅센터) is not found again.
      if (glossPass && hits.count[slot]! > 0 && from < hits.lastEnd[slot]! && to > hits.start[slot]!) continue;
      if (!glossPass && hits.count[slot]! + hits.passCount[slot]! > 0 && from - hits.lastEnd[slot]! <= SAME_MENTION_GAP) {
        // 그래픽처리장치(GPU), 딥시크(DeepSeek): a term and its gloss are one mention.
        if (to > hits.lastEnd[slot]!) hits.lastEnd[slot] = to;
        continue;
      }
      if (!glossPass) hits.lastEnd[slot] = to;
      const rules = slotRules[slot];
      const rule = rules === undefined ? -1 : passingAt(rules, scanned, start, end);
      // A together member in passing is not found at all (엔비디아 ... AI 칩 관련 주가).
      if (rule >= 0 && s.kind === 'together') continue;
      if (rule >= 0) {
        if (hits.passCount[slot] === 0) {
          hits.passStart[slot] = from;
          hits.passEnd[slot] = to;
          hits.passRule[slot] = rule;
        }
        hits.passCount[slot]!++;
        hits.passFactor[slot]! += factor;
        continue;
      }
      if (hits.count[slot] === 0) {
        hits.start[slot] = from;
        hits.end[slot] = to;
        hits.glossed[slot] = glossPass ? 1 : 0;
      }
      if (inBody && s.kind === 'together') bodyAt[slot]!.push(from);
      hits.count[slot]!++;
      hits.factor[slot]! += factor;
      if (factor > hits.maxFactor[slot]!) hits.maxFactor[slot] = factor;
    }
  };

  const scanField = (value: string, into: FieldHits, isBody: boolean): string => {
    text = value;
    // One pass folds the text and runs the automaton over it. Decomposed Hangul (NFD jamo)
    // is rare: fold first, compose and fold again only if seen.
    if (foldInto(text, folded, !isBody, automaton).jamo) foldInto((text = text.normalize('NFC')), folded, !isBody, automaton);
    hits = into;
    inBody = isBody;
    if (isBody) lineFactors.reset(text);
    scanned = folded;
    glossPass = false;
    if (spanStart.length > 0) {
      for (const m of spanMask) maskedTopic[masks[m]!.topic] = 0;
      spanStart.length = spanEnd.length = spanMask.length = 0;
    }
    // `not` words end after the terms inside them: find them first, and only when the text has one.
    if (maskStates !== undefined) {
      const { matchState, matches } = folded;
      for (let m = 0; m < matches; m++) {
        if (maskStates[matchState[m]!] === 1) {
          matcher.emit(folded, onMask);
          break;
        }
      }
    }
    matcher.emit(folded, onMatch);
    // Most texts have no bracket at all, so no gloss to read through: no second pass.
    if (folded.paren && stripGlosses(folded, unglossed, joined)) {
      scanned = unglossed;
      glossPass = true;
      matcher.scan(unglossed.units, unglossed.length, onMatch);
      glossPass = false;
    }
    return text;
  };

  // Per-topic and per-group scratch, reset after each article (classify allocates only its result).
  const topicCount = topicIds.length;
  const topicScore = new Float64Array(topicCount);
  const topicDecisive = new Uint8Array(topicCount);
  const topicVeto: (string | undefined)[] = new Array<string | undefined>(topicCount);
  const topicHits: (TermHit[] | undefined)[] = new Array<TermHit[] | undefined>(topicCount);
  const groupSeen = new Uint8Array(groups.length);
  const groupsTouched: number[] = [];

  return {
    topicIds,
    classify(article) {
      const titleText = scanField(article.title ?? '', title, false);
      const bodyText = scanField(article.body ?? '', body, true);
      const result = score(titleText, bodyText);
      for (const slot of touched) {
        isTouched[slot] = 0;
        title.count[slot] = body.count[slot] = 0;
        title.factor[slot] = body.factor[slot] = 0;
        title.maxFactor[slot] = body.maxFactor[slot] = 0;
        title.passCount[slot] = body.passCount[slot] = 0;
        title.passFactor[slot] = body.passFactor[slot] = 0;
        title.maskCount[slot] = body.maskCount[slot] = 0;
        title.splitCount[slot] = body.splitCount[slot] = 0;
        // Only together members collect positions; setting an array's length is not free.
        const at = bodyAt[slot]!;
        if (at.length > 0) at.length = 0;
      }
      touched.length = 0;
      return result;
    },
  };

  function hitsOf(topic: number): TermHit[] {
    return (topicHits[topic] ??= []);
  }

  function score(titleText: string, bodyText: string): Classification {
    for (const slot of touched) {
      const s = slots[slot]!;
      if (title.maskCount[slot]! > 0) addMasked(hitsOf(s.topic), maskedHitOf(s, slot, 'title', title, titleText));
      if (body.maskCount[slot]! > 0) addMasked(hitsOf(s.topic), maskedHitOf(s, slot, 'body', body, bodyText));
      if (title.splitCount[slot]! > 0) addMasked(hitsOf(s.topic), splitHitOf(s, slot, 'title', title, titleText));
      if (body.splitCount[slot]! > 0) addMasked(hitsOf(s.topic), splitHitOf(s, slot, 'body', body, bodyText));
      if (s.kind === 'together') {
        if (!groupSeen[s.group]) {
          groupSeen[s.group] = 1;
          groupsTouched.push(s.group);
        }
        continue;
      }
      const hits = hitsOf(s.topic);
      const inTitle = title.count[slot]! > 0;
      const inBody = body.count[slot]! > 0;
      if (s.kind === 'exclude') {
        if (inTitle) hits.push(hitOf(s, slot, 'title', 0, title, titleText));
        if (inBody) hits.push(hitOf(s, slot, 'body', 0, body, bodyText));
        // Page chrome (list lines) cannot veto an article either.
        if ((inTitle || body.maxFactor[slot]! >= SHORT_LINE) && topicVeto[s.topic] === undefined) topicVeto[s.topic] = s.term;
        continue;
      }
      if (inTitle) {
        const w = s.weight * TITLE_MULTIPLIER;
        hits.push(hitOf(s, slot, 'title', w, title, titleText));
        topicScore[s.topic]! += w;
      }
      if (inBody) {
        const w = s.weight * Math.min(BODY_CAP, body.factor[slot]!);
        hits.push(hitOf(s, slot, 'body', w, body, bodyText));
        topicScore[s.topic]! += w;
      }
      // Mentions in passing add their rule's weight (default 0) where the term has no plain mention, and never decide.
      if (title.passCount[slot]! > 0) {
        const w = inTitle ? 0 : passing[s.topic]![title.passRule[slot]!]!.weight * TITLE_MULTIPLIER;
        hits.push(passingHitOf(s, slot, 'title', w, title, titleText));
        topicScore[s.topic]! += w;
      }
      if (body.passCount[slot]! > 0) {
        const w = inBody ? 0 : passing[s.topic]![body.passRule[slot]!]!.weight * Math.min(BODY_CAP, body.passFactor[slot]!);
        hits.push(passingHitOf(s, slot, 'body', w, body, bodyText));
        topicScore[s.topic]! += w;
      }
      // A strong term decides alone only from the title or from article prose, not from page chrome.
      if (s.kind === 'strong' && (inTitle || body.maxFactor[slot]! > LIST_LINE)) topicDecisive[s.topic] = 1;
    }
    for (const g of groupsTouched) {
      groupSeen[g] = 0;
      const group = groups[g]!;
      if (!group.members.every((m) => title.count[m]! > 0 || body.count[m]! > 0)) continue;
      const allInTitle = group.members.every((m) => title.count[m]! > 0);
      // Members found only in the body must be near one another; a member in the title frames the whole story.
      const inBodyOnly = group.members.filter((m) => title.count[m] === 0);
      if (inBodyOnly.length >= 2 && !bodyAt[inBodyOnly[0]!]!.some((a) => inBodyOnly.every((m) => bodyAt[m]!.some((p) => Math.abs(p - a) <= TOGETHER_NEAR))))
        continue;
      // The group is as good as its weakest member's best line.
      const factor = allInTitle ? TITLE_MULTIPLIER : Math.min(...group.members.map((m) => (title.count[m]! > 0 ? 1 : body.maxFactor[m]!)));
      const w = group.weight * factor;
      const first = group.members[0]!;
      const src = allInTitle || body.count[first] === 0 ? title : body;
      const found = group.members.map((m) => {
        const f = allInTitle || body.count[m] === 0 ? title : body;
        return clean(f === title ? titleText : bodyText, f.start[m]!, f.end[m]!);
      });
      const hit: TermHit = {
        term: group.members.map((m) => slots[m]!.term).join(' + '),
        found: found.join(' + '),
        field: allInTitle ? 'title' : 'body',
        kind: 'together',
        weight: round(w),
        count: Math.min(...group.members.map((m) => title.count[m]! + body.count[m]!)),
        snippet: snippet(src === title ? titleText : bodyText, src.start[first]!, src.end[first]!),
      };
      // Hanja is read in titles only: name it when a member was found there.
      const titleFound = group.members.filter((m) => title.count[m]! > 0).map((m) => titleText.slice(title.start[m]!, title.end[m]!));
      const rule = ruleOf(
        titleFound.join(' '),
        'title',
        group.members.some((m) => title.glossed[m] === 1 || body.glossed[m] === 1),
      );
      if (rule !== undefined) hit.rule = rule;
      hitsOf(group.topic).push(hit);
      topicScore[group.topic]! += w;
      if (factor > LIST_LINE) topicDecisive[group.topic] = 1;
    }
    groupsTouched.length = 0;

    const why: Record<string, TopicWhy> = {};
    const matched: string[] = [];
    for (let topic = 0; topic < topicCount; topic++) {
      const hits = topicHits[topic];
      if (hits === undefined) continue;
      const id = topicIds[topic]!;
      const threshold = topics[id]!.threshold;
      const total = round(topicScore[topic]!);
      const vetoedBy = topicVeto[topic];
      // Weak terms need company: only a strong term or a together group (in the title or
      // article prose) can carry a topic; weak terms add to its score.
      const isMatch = vetoedBy === undefined && topicDecisive[topic] === 1 && total >= threshold;
      hits.sort(byWeight);
      why[id] = vetoedBy === undefined ? { matched: isMatch, score: total, threshold, hits } : { matched: false, score: total, threshold, hits, vetoedBy };
      if (isMatch) matched.push(id);
      topicHits[topic] = undefined;
      topicScore[topic] = 0;
      topicDecisive[topic] = 0;
      topicVeto[topic] = undefined;
    }
    // The primary topic (the one the story is most about) first; a stable sort keeps config order on ties.
    if (matched.length > 1) matched.sort((a, b) => why[b]!.score - why[a]!.score);
    return { topics: matched, why };
  }

  function hitOf(s: Slot, slot: number, field: 'title' | 'body', weight: number, f: FieldHits, t: string): TermHit {
    const found = clean(t, f.start[slot]!, f.end[slot]!);
    const hit: TermHit = {
      term: s.term,
      found,
      field,
      kind: s.kind,
      weight: round(weight),
      count: f.count[slot]!,
      snippet: snippet(t, f.start[slot]!, f.end[slot]!),
    };
    const rule = ruleOf(found, field, f.glossed[slot] === 1);
    if (rule !== undefined) hit.rule = rule;
    return hit;
  }

  /** One masked hit per spelling, field and reason: a country in three `together` rules is one masked mention. */
  function addMasked(hits: TermHit[], hit: TermHit): void {
    if (!hits.some((h) => h.kind === 'masked' && h.term === hit.term && h.field === hit.field && h.rule === hit.rule)) hits.push(hit);
  }

  /** A two-syllable term found across a space (독일 in 단독 일정): shown as masked, with the reason. */
  function splitHitOf(s: Slot, slot: number, field: 'title' | 'body', f: FieldHits, t: string): TermHit {
    return {
      term: s.kind === 'together' ? patterns[f.splitPattern[slot]!]!.spelling : s.term,
      found: clean(t, f.splitStart[slot]!, f.splitEnd[slot]!),
      field,
      kind: 'masked',
      rule: SPLIT_RULE,
      weight: 0,
      count: f.splitCount[slot]!,
      snippet: snippet(t, f.splitStart[slot]!, f.splitEnd[slot]!),
    };
  }

  function maskedHitOf(s: Slot, slot: number, field: 'title' | 'body', f: FieldHits, t: string): TermHit {
    // A together member names its alternatives: show the one found.
    const term = s.kind === 'together' ? patterns[f.maskPattern[slot]!]!.spelling : s.term;
    return {
      term,
      found: clean(t, f.maskStart[slot]!, f.maskEnd[slot]!),
      field,
      kind: 'masked',
      rule: `inside "${masks[f.maskId[slot]!]!.word}", a \`not\` word`,
      weight: 0,
      count: f.maskCount[slot]!,
      snippet: snippet(t, f.maskStart[slot]!, f.maskEnd[slot]!),
    };
  }

  function passingHitOf(s: Slot, slot: number, field: 'title' | 'body', weight: number, f: FieldHits, t: string): TermHit {
    return {
      term: s.term,
      found: clean(t, f.passStart[slot]!, f.passEnd[slot]!),
      field,
      kind: 'passing',
      rule: `passing "${passing[s.topic]![f.passRule[slot]!]!.pattern}"`,
      weight: round(weight),
      count: f.passCount[slot]!,
      snippet: snippet(t, f.passStart[slot]!, f.passEnd[slot]!),
    };
  }
}

const HAN = /[\u3400-\u9fff]/;

/** The `rule` of a masked hit whose two syllables end one word and start the next. */
export const SPLIT_RULE = 'split by a space: the end of one word and the start of the next';

function isSyllable(u: number): boolean {
  return u >= 0xac00 && u <= 0xd7a3;
}

/** True when text[from, to) holds whitespace (what folding dropped there may also be a zero-width space or a gloss). */
function spaceIn(text: string, from: number, to: number): boolean {
  for (let i = from; i < to; i++) if (WHITESPACE.test(text[i]!)) return true;
  return false;
}

const WHITESPACE = /\s/u;

/** Names the reading rule behind a found spelling: a gloss read through, a Hanja country in a title. */
function ruleOf(found: string, field: 'title' | 'body', glossed: boolean): string | undefined {
  // Most hits have no rule: decide that without allocating.
  if (!glossed && (field === 'body' || !HAN.test(found))) return undefined;
  const rules: string[] = [];
  if (glossed) rules.push('gloss in brackets read through');
  const hanja = field === 'title' ? hanjaReading(found) : undefined;
  if (hanja !== undefined) rules.push(`Hanja ${hanja}`);
  return rules.length > 0 ? rules.join('; ') : undefined;
}

const SNIPPET_SIDE = 30;

/** A short window around a hit, not crossing into the lines before or after it. */
function snippet(text: string, from: number, to: number): string {
  // One pass finds the window and whether clean() has anything to collapse in it: a
  // whitespace unit other than one plain space (or two spaces) sends it to clean().
  let messy = false;
  let a = from;
  for (; a > 0 && from - a < SNIPPET_SIDE; a--) {
    const c = text.charCodeAt(a - 1);
    if (c === 0x0a) break;
    if (isSpace(c) && (c !== 0x20 || text.charCodeAt(a) === 0x20)) messy = true;
  }
  for (let i = from; i < to && !messy; i++) {
    const c = text.charCodeAt(i);
    if (isSpace(c) && (c !== 0x20 || text.charCodeAt(i + 1) === 0x20)) messy = true;
  }
  let b = to;
  for (; b < text.length && b - to < SNIPPET_SIDE; b++) {
    const c = text.charCodeAt(b);
    if (c === 0x0a) break;
    if (isSpace(c) && (c !== 0x20 || text.charCodeAt(b + 1) === 0x20)) messy = true;
  }
  const window = messy ? clean(text, a, b) : trimmed(text, a, b);
  const before = continues(text, a);
  const after = continues(text, b);
  if (before) return after ? `…${window}…` : `…${window}`;
  return after ? `${window}…` : window;
}

/** True when the line goes on past a window edge at `i` (an ellipsis is due). */
function continues(text: string, i: number): boolean {
  return i > 0 && i < text.length && text.charCodeAt(i) !== 0x0a && text.charCodeAt(i - 1) !== 0x0a;
}

/** Heaviest evidence first; the title before the body at equal weight. */
function byWeight(a: TermHit, b: TermHit): number {
  return b.weight - a.weight || (a.field === b.field ? 0 : a.field === 'title' ? -1 : 1);
}

function isSpace(c: number): boolean {
  return c <= 0x20 || c === 0xa0 || c === 0x3000;
}

/** True for whitespace other than one plain space: a tab, a line break, a no-break or ideographic space. */
function isMessySpace(c: number): boolean {
  return (c >= 0x09 && c <= 0x0d) || c === 0xa0 || c === 0x3000;
}

/**
 * text[from, to) with whitespace runs collapsed to one space, trimmed. This runs for every
 * hit and snippet: edges and the check for messy insides (tab, line break, NBSP, ideographic
 * space, two spaces) go by index on the text, so a clean span costs one slice and no regex.
 */
function clean(text: string, from: number, to: number): string {
  let a = from;
  let b = to;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  for (let i = a, prev = 0; i < b; i++) {
    const c = text.charCodeAt(i);
    if (isMessySpace(c) || (c === 0x20 && prev === 0x20)) return text.slice(a, b).replace(/\s+/g, ' ');
    prev = c;
  }
  return text.slice(a, b);
}

/** text[from, to) without the spaces at its ends, for a span with nothing else to clean. */
function trimmed(text: string, from: number, to: number): string {
  let a = from;
  let b = to;
  while (a < b && isSpace(text.charCodeAt(a))) a++;
  while (b > a && isSpace(text.charCodeAt(b - 1))) b--;
  return text.slice(a, b);
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}
