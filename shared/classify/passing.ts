// Passing mentions: a term written inside a pattern such as "제2의 *", "* 같은" or
// "* 등" is named as a yardstick or one of a list, not as the story's subject. The
// check runs on the normalised text (no spaces, folded case) around one mention.
import type { Passing } from '../config/schema/topics.ts';
import { foldTerm, isLatinAlnum, spaceBefore, type Folded } from './normalize.ts';

export interface PassingRule {
  /** As the user wrote it, for `why`. */
  pattern: string;
  /** Normalised words before and after the `*`. */
  before: string;
  after: string;
  /** Words after a `…` in the part after the `*` (`*, … 등`): they may come a few words later. */
  later: string;
  /** What a passing mention adds to the score. */
  weight: number;
}

/** Compiles a topic's `passing` list (validated by the config schema: one `*` each). */
export function compilePassing(list: readonly Passing[]): PassingRule[] {
  return list.map((p) => {
    const pattern = typeof p === 'string' ? p : p.pattern;
    const weight = typeof p === 'string' ? 0 : (p.weight ?? 0);
    const star = pattern.indexOf('*');
    const [after = '', later = ''] = pattern.slice(star + 1).split(GAP);
    return { pattern, before: foldTerm(pattern.slice(0, star)), after: foldTerm(after), later: foldTerm(later), weight };
  });
}

// Particles that may follow the pattern's last word (딥시크 등을, 딥시크 이후로).
const PARTICLES = new Set([
  '이',
  '가',
  '은',
  '는',
  '을',
  '를',
  '의',
  '에',
  '로',
  '도',
  '와',
  '과',
  '만',
  '으로',
  '에서',
  '에는',
  '에도',
  '까지',
  '부터',
  '처럼',
]);
const GLOSS_MAX = 20;
/** `…` in a pattern: a few words (up to this many letters, spaces not counted) within the sentence. */
export const GAP = '…';
const GAP_MAX = 12;

function isWordUnit(u: number): boolean {
  return (u >= 0xac00 && u <= 0xd7a3) || isLatinAlnum(u);
}

/** True when a word ends before unit `i`: start of text, a space, or punctuation. */
function boundaryBefore(f: Folded, i: number): boolean {
  return i === 0 || spaceBefore(f, i) || !isWordUnit(f.units[i - 1]!);
}

/** True when a word ends at unit `i`, allowing one particle (등을, 이후로). */
function boundaryAfter(f: Folded, i: number): boolean {
  const { units, length } = f;
  if (i >= length || spaceBefore(f, i) || !isWordUnit(units[i]!)) return true;
  for (const len of [1, 2]) {
    if (i + len > length) break;
    const word = String.fromCharCode(...units.subarray(i, i + len));
    if (PARTICLES.has(word) && (i + len >= length || spaceBefore(f, i + len) || !isWordUnit(units[i + len]!))) return true;
  }
  return false;
}

function equalsAt(f: Folded, at: number, s: string): boolean {
  if (at < 0 || at + s.length > f.length) return false;
  for (let k = 0; k < s.length; k++) if (f.units[at + k] !== s.charCodeAt(k)) return false;
  return true;
}

// Quotation marks around a name: ‘딥시크’에 이어, 제2의 "딥시크".
const OPENING_QUOTES = new Set([0x2018, 0x201c, 0x27, 0x22, 0x300c, 0x300e, 0x3008, 0x300a]);
const CLOSING_QUOTES = new Set([0x2019, 0x201d, 0x27, 0x22, 0x300d, 0x300f, 0x3009, 0x300b]);
const VERSION_WORD = '버전';

function isDigit(u: number): boolean {
  return u >= 0x30 && u <= 0x39;
}

/**
 * A model or version name right after the term is part of the mention: 딥시크 R1과 같은,
 * 딥시크-V3를 뛰어넘는, 딥시크 3.1버전에 이어. The name is one Latin token with a digit in it
 * (R1, V3.2, K2, 3.1), after a space or a hyphen, and may end in 버전.
 */
function afterVersion(f: Folded, i: number): number {
  const { units, length } = f;
  let j = i;
  if (j >= length) return i;
  if (units[j] === 0x2d) j++;
  else if (!spaceBefore(f, j)) return i;
  const from = j;
  let digit = false;
  while (
    j < length &&
    (isLatinAlnum(units[j]!) || (units[j] === 0x2e && j > from && j + 1 < length && isDigit(units[j + 1]!))) &&
    (j === from || !spaceBefore(f, j))
  ) {
    if (isDigit(units[j]!)) digit = true;
    j++;
  }
  if (!digit) return i;
  if (equalsAt(f, j, VERSION_WORD) && !spaceBefore(f, j)) j += VERSION_WORD.length;
  return j;
}

/** Index of the first rule the mention at units [start, end) fits, or -1. */
export function passingAt(rules: readonly PassingRule[], f: Folded, start: number, end: number): number {
  let after = afterVersion(f, end);
  // A gloss right after the term is part of the mention: 딥시크(DeepSeek)와 같은.
  if (after < f.length && f.units[after] === 0x28) {
    let j = after + 1;
    while (j < f.length && j - after <= GLOSS_MAX && f.units[j] !== 0x29) j++;
    if (j < f.length && f.units[j] === 0x29) after = j + 1;
  }
  // So are quotation marks around it.
  while (after < f.length && CLOSING_QUOTES.has(f.units[after]!)) after++;
  while (start > 0 && OPENING_QUOTES.has(f.units[start - 1]!)) start--;
  for (let r = 0; r < rules.length; r++) {
    const { before, after: tail, later } = rules[r]!;
    // Words around the * must be whole words; a pattern that starts or ends in punctuation (*·) needs no boundary there.
    if (before.length > 0 && !(equalsAt(f, start - before.length, before) && (!isWordUnit(before.charCodeAt(0)) || boundaryBefore(f, start - before.length))))
      continue;
    if (tail.length > 0 && !(equalsAt(f, after, tail) && (!isWordUnit(tail.charCodeAt(tail.length - 1)) || boundaryAfter(f, after + tail.length)))) continue;
    if (later.length > 0 && !laterAt(f, after + tail.length, later)) continue;
    return r;
  }
  return -1;
}

/** True when `words` start a word within GAP_MAX units after `from`, before a sentence ends. */
function laterAt(f: Folded, from: number, words: string): boolean {
  for (let at = from; at <= from + GAP_MAX && at < f.length; at++) {
    const u = f.units[at]!;
    if (u === 0x2e || u === 0x3f || u === 0x21 || u === 0x0a) return false;
    if (
      equalsAt(f, at, words) &&
      (at === from || spaceBefore(f, at) || !isWordUnit(f.units[at - 1]!)) &&
      (!isWordUnit(words.charCodeAt(words.length - 1)) || boundaryAfter(f, at + words.length))
    )
      return true;
  }
  return false;
}
