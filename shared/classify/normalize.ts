// Text normalisation for matching: NFKC (full-width -> half-width, compatibility
// forms), case-folding, one dash and one middle dot, and whitespace removed so that
// Hangul terms match regardless of spacing (소버린 AI = 소버린AI). Each output code
// unit remembers where it came from in the original text (snippets, lines); a gap in
// those origins means whitespace was removed there (Latin token boundaries).

import type { Automaton } from './matcher.ts';

/** Normalised text in reusable typed arrays; only the first `length` entries are valid. */
export interface Folded {
  length: number;
  /** Normalised UTF-16 code units, whitespace removed. */
  units: Uint16Array;
  /** Index in the original text of the character each unit came from. */
  origin: Int32Array;
  /**
   * Matches of the automaton stepped while folding (see foldInto): the first `matches`
   * entries are a state that ends a pattern and the unit index just past it.
   */
  matchState: Int32Array;
  matchEnd: Int32Array;
  matches: number;
  /** The automaton's state after the last unit (between the fast and the slow path of foldInto). */
  state: number;
  /** The text has decomposed Hangul jamo: compose it (NFC) and fold again. */
  jamo: boolean;
  /** foldInto saw an opening bracket: without one the text holds no gloss, and stripGlosses can be skipped. */
  paren: boolean;
}

const SPACE = -1;
const MULTI = -2;
// 0 = not computed yet; >0 = single unit + 1; SPACE; MULTI (see `multi`).
const foldTable = new Int32Array(65536);
const multi = new Map<number, string>();

const DASHES = new Set([0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2015, 0x2212, 0xfe58, 0xfe63, 0xff0d]);
const DOTS = new Set([0x00b7, 0x2027, 0x2219, 0x22c5, 0x30fb, 0x318d, 0xff65]);
const ZERO_WIDTH = new Set([0x200b, 0x200c, 0x200d, 0x2060, 0xfeff, 0x00ad]);

function computeFold(c: number): number {
  if (DASHES.has(c)) return 0x2d + 1;
  if (DOTS.has(c)) return 0xb7 + 1;
  if (ZERO_WIDTH.has(c)) return SPACE;
  if (c >= 0xd800 && c <= 0xdfff) return c + 1; // lone surrogate halves pass through
  const s = String.fromCharCode(c).normalize('NFKC').toLowerCase();
  if (/^\s+$/u.test(s)) return SPACE;
  if (s.length === 1) {
    const u = s.charCodeAt(0);
    if (DASHES.has(u)) return 0x2d + 1;
    if (DOTS.has(u)) return 0xb7 + 1;
    return u + 1;
  }
  multi.set(c, s.replace(/\s+/gu, ''));
  return MULTI;
}

/** Fresh buffers big enough for `capacity` normalised units (they grow on demand). */
export function createFolded(capacity = 4096): Folded {
  return {
    length: 0,
    units: new Uint16Array(capacity),
    origin: new Int32Array(capacity),
    matchState: new Int32Array(capacity),
    matchEnd: new Int32Array(capacity),
    matches: 0,
    state: 0,
    jamo: false,
    paren: false,
  };
}

/** Grows every buffer of `f` (there is at most one match per unit, so the match buffers keep the units' size). */
function grow(f: Folded, need: number): void {
  const size = Math.max(need, f.units.length * 2);
  const units = new Uint16Array(size);
  units.set(f.units);
  const origin = new Int32Array(size);
  origin.set(f.origin);
  const matchState = new Int32Array(size);
  matchState.set(f.matchState);
  const matchEnd = new Int32Array(size);
  matchEnd.set(f.matchEnd);
  f.units = units;
  f.origin = origin;
  f.matchState = matchState;
  f.matchEnd = matchEnd;
}

// Headlines abbreviate countries to one Hanja character (中 AI 굴기, 美 수출 통제, 日 정부, 韓 AI,
// 英 AI 인프라, 佛 마크롱, 獨 정부).
const HANJA_COUNTRIES = new Map<number, string>([
  [0x4e2d, '중국'],
  [0x7f8e, '미국'],
  [0x65e5, '일본'],
  [0x97d3, '한국'],
  [0x82f1, '영국'],
  [0x4f5b, '프랑스'],
  [0x7368, '독일'],
]);

/** The Hanja country abbreviations read in titles, as `中 = 중국` lines for explanations. */
export function hanjaReading(found: string): string | undefined {
  const readings: string[] = [];
  for (const ch of found) {
    const k = HANJA_COUNTRIES.get(ch.charCodeAt(0));
    if (k !== undefined && !readings.includes(`${ch} = ${k}`)) readings.push(`${ch} = ${k}`);
  }
  return readings.length > 0 ? readings.join(', ') : undefined;
}

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

/** A Han character that is not one of the country abbreviations: 英 in 英伟达 or 中 in 中國 is part of a word. */
function isOtherHan(c: number): boolean {
  return c >= 0x3400 && c <= 0x9fff && !HANJA_COUNTRIES.has(c);
}

/** Is the Hanja at `i` a country abbreviation standing alone (韓美 yes, 3日 / 中國 / 英伟达 no)? */
function isCountryAbbreviation(text: string, i: number): boolean {
  const before = i > 0 ? text.charCodeAt(i - 1) : 0x20;
  const after = i + 1 < text.length ? text.charCodeAt(i + 1) : 0x20;
  return !isDigit(before) && !isOtherHan(before) && !isOtherHan(after);
}

// Codes of FoldScan.codes: a text unit not seen yet, a unit dropped (whitespace, zero
// width), a unit that needs the slow path (a bracket, jamo, a Hanja country name, an NFKC
// expansion); any other code is (class << 16) | folded unit, and is > SPECIAL because a
// folded unit that is kept is above U+0020.
const UNSEEN = 0;
const SKIP = 1;
const SPECIAL = 2;

/**
 * The fold table joined with an automaton's classes (see foldScan): one read per text unit
 * gives its folded unit and its class, filled in as units are first seen.
 */
export interface FoldScan {
  readonly automaton: Automaton;
  readonly codes: Uint32Array;
}

/** Prepares folding with `automaton` stepped on the way (build once per automaton: 256 KB). */
export function foldScan(automaton: Automaton): FoldScan {
  return { automaton, codes: new Uint32Array(65536) };
}

/** An automaton that matches nothing: folding alone (terms, tests). */
const IDLE = foldScan({ classOf: new Uint16Array(65536), table: new Uint16Array(1), width: 1, firstOutput: 1 });

/** The FoldScan code of text unit `c`. */
function codeOf(c: number, classOf: Uint16Array): number {
  if ((c >= 0x1100 && c <= 0x11ff) || HANJA_COUNTRIES.has(c)) return SPECIAL;
  let u = c;
  if (c < 0x80) {
    if (c <= 0x20 || c === 0x7f) return SKIP;
    if (c >= 0x41 && c <= 0x5a) u = c + 0x20;
  } else if (c < 0xac00 || c > 0xd7a3) {
    let f = foldTable[c]!;
    if (f === 0) f = foldTable[c] = computeFold(c);
    if (f === SPACE) return SKIP;
    if (f === MULTI) return SPECIAL;
    u = f - 1;
  }
  if (u === 0x28) return SPECIAL;
  return ((classOf[u]! << 16) | u) >>> 0;
}

/**
 * Normalise `text` into `out` (reused between calls, so a classifier allocates nothing per
 * article). With `hanja`, the country abbreviations 中 美 日 韓 英 佛 獨 read as 중국 미국 일본
 * 한국 영국 프랑스 독일 when they stand alone (3日 is a date, 中國 and 英伟达 are words).
 *
 * With `scan` (see foldScan), its automaton is stepped on each unit as the unit is written,
 * and every state that ends a pattern is kept in `out.matchState`/`matchEnd` (Matcher.emit
 * reports them): one pass over the text instead of a fold and then a scan. Deciding a
 * match needs the units after it (token boundaries, passing patterns), so the matches are
 * read afterwards.
 */
export function foldInto(text: string, out: Folded, hanja = false, scan: FoldScan = IDLE): Folded {
  // NFKC expansions are rare; most texts need at most one unit per input unit.
  if (out.units.length < text.length + 16) grow(out, text.length + 16);
  out.length = 0;
  out.matches = 0;
  out.state = 0;
  out.jamo = false;
  out.paren = false;
  // The common units in a tight loop; most texts end there.
  const stop = foldRun(text, 0, out, scan);
  if (stop < text.length) foldRest(text, stop, out, scan, hanja);
  return out;
}

/** From the first unit that needs the slow path: that unit alone, then the tight loop again, to the end. */
function foldRest(text: string, from: number, out: Folded, scan: FoldScan, hanja: boolean): void {
  const length = text.length;
  for (let i = from; i < length; i = foldRun(text, i + 1, out, scan)) foldOne(text, i, out, scan, hanja);
}

/**
 * Folds and scans from `from` while each unit gives one unit (the folded unit and its
 * class in one read); returns where it stopped: the end, or a unit for foldOne.
 */
function foldRun(text: string, from: number, out: Folded, scan: FoldScan): number {
  const { codes } = scan;
  const { table, width, firstOutput } = scan.automaton;
  const { units, origin, matchState, matchEnd } = out;
  let n = out.length;
  let found = out.matches;
  let s = out.state;
  const length = text.length;
  let i = from;
  for (; i < length; i++) {
    const code = codes[text.charCodeAt(i)]!;
    if (code <= SPECIAL) {
      if (code === SKIP) continue;
      break;
    }
    // No capacity check: there is room for every remaining input unit (see foldOne).
    units[n] = code & 0xffff;
    origin[n++] = i;
    s = table[s * width + (code >>> 16)]!;
    if (s >= firstOutput) {
      matchState[found] = s;
      matchEnd[found++] = n;
    }
  }
  out.length = n;
  out.matches = found;
  out.state = s;
  return i;
}

/** Appends unit `u` (from text index `i`) and steps the automaton. */
function push(out: Folded, automaton: Automaton, u: number, i: number): void {
  const n = out.length;
  out.units[n] = u;
  out.origin[n] = i;
  out.length = n + 1;
  const s = (out.state = automaton.table[out.state * automaton.width + automaton.classOf[u]!]!);
  if (s >= automaton.firstOutput) {
    out.matchState[out.matches] = s;
    out.matchEnd[out.matches++] = n + 1;
  }
}

/** The unit at `i` on the slow path: first seen, decomposed jamo, a bracket, a Hanja country name, an NFKC expansion. */
function foldOne(text: string, i: number, out: Folded, scan: FoldScan, hanja: boolean): void {
  const c = text.charCodeAt(i);
  let code = scan.codes[c]!;
  if (code === UNSEEN) code = scan.codes[c] = codeOf(c, scan.automaton.classOf);
  if (code === SKIP) return;
  if (code !== SPECIAL) return push(out, scan.automaton, code & 0xffff, i);
  if (c >= 0x1100 && c <= 0x11ff) out.jamo = true;
  let several = hanja ? HANJA_COUNTRIES.get(c) : undefined;
  let u = c;
  if (several === undefined || !isCountryAbbreviation(text, i)) {
    several = undefined;
    if (c >= 0x80) {
      let f = foldTable[c]!;
      if (f === 0) f = foldTable[c] = computeFold(c);
      if (f === SPACE) return;
      if (f === MULTI) several = multi.get(c)!;
      else u = f - 1;
    }
  }
  if (several === undefined) {
    if (u === 0x28) out.paren = true;
    return push(out, scan.automaton, u, i);
  }
  // Several units for one: keep room for them and for every input unit still to come.
  const need = out.length + several.length + (text.length - i) + 16;
  if (need > out.units.length) grow(out, need);
  for (let k = 0; k < several.length; k++) {
    const v = several.charCodeAt(k);
    if (v === 0x28) out.paren = true;
    push(out, scan.automaton, v, i);
  }
}

/** A term normalised the same way as text: what the matcher looks for. */
export function foldTerm(term: string): string {
  const f = foldInto(term.normalize('NFC'), createFolded(term.length + 16));
  return String.fromCharCode(...f.units.subarray(0, f.length));
}

/** True when whitespace (or the start of the text) comes before unit `i`: its origin is not right after the previous unit's. */
export function spaceBefore(f: Folded, i: number): boolean {
  return i === 0 || f.origin[i]! - f.origin[i - 1]! > 1;
}

/** An ASCII digit after folding. */
export function isLatinDigit(u: number): boolean {
  return u >= 0x30 && u <= 0x39;
}

/** A Latin letter or digit after folding: these need token boundaries. */
export function isLatinAlnum(u: number): boolean {
  return (u >= 0x61 && u <= 0x7a) || (u >= 0x30 && u <= 0x39) || (u >= 0xdf && u <= 0x24f && u !== 0xf7);
}

/** Longest gloss read through: 소버린(Sovereign) AI, 인공지능(AI) 칩, 국가인공지능(AI)컴퓨팅센터. */
const GLOSS_MAX = 20;
const OPEN = 0x28;
const CLOSE = 0x29;

/**
 * `src` with every gloss removed: a short bracketed word attached to the word before it.
 * `joined[i]` = 1 marks the first unit after a removed gloss, so a match spanning it is a
 * term read through its gloss. Returns false (and leaves `out` alone) when there is none.
 */
export function stripGlosses(src: Folded, out: Folded, joined: { marks: Uint8Array }): boolean {
  const { units, length } = src;
  // Search only the valid part: the buffers keep the size of the longest text seen.
  const valid = units.subarray(0, length);
  let i = valid.indexOf(OPEN);
  if (i < 0) return false;
  if (out.units.length < length) grow(out, length);
  if (joined.marks.length < length) joined.marks = new Uint8Array(out.units.length);
  const marks = joined.marks;
  let n = 0;
  let stripped = false;
  let copied = 0;
  // No closure for the copying: most texts with a bracket have no gloss (a number in
  // brackets after a space), and one was made per text and field for nothing.
  for (; i >= 0; i = valid.indexOf(OPEN, i + 1)) {
    if (i === 0 || spaceBefore(src, i)) continue;
    let j = i + 1;
    while (j < length && j - i <= GLOSS_MAX + 1 && units[j] !== CLOSE && units[j] !== OPEN) j++;
    if (j >= length || units[j] !== CLOSE || j === i + 1 || j - i > GLOSS_MAX + 1) continue;
    n = copyUnits(src, out, marks, copied, i, n, stripped);
    copied = j + 1;
    stripped = true;
    i = j;
  }
  if (!stripped) return false;
  n = copyUnits(src, out, marks, copied, length, n, stripped);
  out.length = n;
  out.jamo = false;
  return true;
}

/** Copies units [from, to) of `src` into `out` from `n`; returns the new `n`. The first unit after a removed gloss is marked. */
function copyUnits(src: Folded, out: Folded, marks: Uint8Array, from: number, to: number, n: number, afterGloss: boolean): number {
  for (let k = from; k < to; k++) {
    out.units[n] = src.units[k]!;
    out.origin[n] = src.origin[k]!;
    marks[n++] = k === from && afterGloss ? 1 : 0;
  }
  return n;
}
