// Text normalisation for matching: NFKC (full-width -> half-width, compatibility
// forms), case-folding, one dash and one middle dot, and whitespace removed so that
// Hangul terms match regardless of spacing (소버린 AI = 소버린AI). Each output code
// unit remembers where it came from in the original text (snippets, lines); a gap in
// those origins means whitespace was removed there (Latin token boundaries).

/** Normalised text in reusable typed arrays; only the first `length` entries are valid. */
export interface Folded {
  length: number;
  /** Normalised UTF-16 code units, whitespace removed. */
  units: Uint16Array;
  /** Index in the original text of the character each unit came from. */
  origin: Int32Array;
  /** The text has decomposed Hangul jamo: compose it (NFC) and fold again. */
  jamo: boolean;
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
  return { length: 0, units: new Uint16Array(capacity), origin: new Int32Array(capacity), jamo: false };
}

function grow(f: Folded, need: number): void {
  const size = Math.max(need, f.units.length * 2);
  const units = new Uint16Array(size);
  units.set(f.units);
  const origin = new Int32Array(size);
  origin.set(f.origin);
  f.units = units;
  f.origin = origin;
}

/** Normalise `text` into `out` (reused between calls, so a classifier allocates nothing per article). */
export function foldInto(text: string, out: Folded): Folded {
  // NFKC expansions are rare; most texts need at most one unit per input unit.
  if (out.units.length < text.length + 16) grow(out, text.length + 16);
  let n = 0;
  let jamo = false;
  let units = out.units;
  let origin = out.origin;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c <= 0x20 || c === 0x7f) continue;
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
    } else if (c < 0xac00 || c > 0xd7a3) {
      if (c >= 0x1100 && c <= 0x11ff) jamo = true;
      let f = foldTable[c]!;
      if (f === 0) f = foldTable[c] = computeFold(c);
      if (f === SPACE) continue;
      if (f === MULTI) {
        const s = multi.get(c)!;
        // Keep room for this expansion and for every input unit still to come.
        if (n + s.length + (text.length - i) + 16 > units.length) {
          grow(out, n + s.length + text.length - i + 16);
          ({ units, origin } = out);
        }
        for (let k = 0; k < s.length; k++) {
          units[n] = s.charCodeAt(k);
          origin[n] = i;
          n++;
        }
        continue;
      }
      c = f - 1;
    }
    // No capacity check: there is room for every remaining input unit (see the MULTI branch).
    units[n] = c;
    origin[n] = i;
    n++;
  }
  out.length = n;
  out.jamo = jamo;
  return out;
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

/** A Latin letter or digit after folding: these need token boundaries. */
export function isLatinAlnum(u: number): boolean {
  return (u >= 0x61 && u <= 0x7a) || (u >= 0x30 && u <= 0x39) || (u >= 0xdf && u <= 0x24f && u !== 0xf7);
}
