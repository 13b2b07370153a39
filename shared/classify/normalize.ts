// Text normalisation for matching: NFKC (full-width -> half-width, compatibility
// forms), case-folding, one dash and one middle dot, and whitespace removed so that
// Hangul terms match regardless of spacing (소버린 AI = 소버린AI). Each output code
// unit remembers where it came from in the original text (snippets, lines) and
// whether whitespace preceded it (Latin token boundaries).

/** Normalised text in reusable typed arrays; only the first `length` entries are valid. */
export interface Folded {
  length: number;
  /** Normalised UTF-16 code units, whitespace removed. */
  units: Uint16Array;
  /** Index in the original text of the character each unit came from. */
  origin: Int32Array;
  /** 1 when whitespace (or the start of the text) preceded this unit. */
  spaceBefore: Uint8Array;
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
  return { length: 0, units: new Uint16Array(capacity), origin: new Int32Array(capacity), spaceBefore: new Uint8Array(capacity) };
}

function grow(f: Folded, need: number): void {
  const size = Math.max(need, f.units.length * 2);
  const units = new Uint16Array(size);
  units.set(f.units);
  const origin = new Int32Array(size);
  origin.set(f.origin);
  const spaceBefore = new Uint8Array(size);
  spaceBefore.set(f.spaceBefore);
  f.units = units;
  f.origin = origin;
  f.spaceBefore = spaceBefore;
}

/** Normalise `text` into `out` (reused between calls, so a classifier allocates nothing per article). */
export function foldInto(text: string, out: Folded): Folded {
  // NFKC expansions are rare; most texts need at most one unit per input unit.
  if (out.units.length < text.length + 16) grow(out, text.length + 16);
  let n = 0;
  let space = 1;
  let units = out.units;
  let origin = out.origin;
  let spaceBefore = out.spaceBefore;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c < 0x80) {
      if (c <= 0x20 || c === 0x7f) {
        space = 1;
        continue;
      }
      if (c >= 0x41 && c <= 0x5a) c += 0x20;
    } else if (c < 0xac00 || c > 0xd7a3) {
      let f = foldTable[c]!;
      if (f === 0) f = foldTable[c] = computeFold(c);
      if (f === SPACE) {
        space = 1;
        continue;
      }
      if (f === MULTI) {
        const s = multi.get(c)!;
        if (n + s.length + 1 >= units.length) {
          grow(out, n + s.length + text.length - i + 16);
          ({ units, origin, spaceBefore } = out);
        }
        for (let k = 0; k < s.length; k++) {
          units[n] = s.charCodeAt(k);
          origin[n] = i;
          spaceBefore[n] = space;
          space = 0;
          n++;
        }
        continue;
      }
      c = f - 1;
    }
    if (n >= units.length) {
      grow(out, n + text.length - i + 16);
      ({ units, origin, spaceBefore } = out);
    }
    units[n] = c;
    origin[n] = i;
    spaceBefore[n] = space;
    space = 0;
    n++;
  }
  out.length = n;
  return out;
}

/** A term normalised the same way as text: what the matcher looks for. */
export function foldTerm(term: string): string {
  const f = foldInto(prepare(term), createFolded(term.length + 16));
  return String.fromCharCode(...f.units.subarray(0, f.length));
}

/** Compose decomposed Hangul (text copied from macOS arrives as NFD jamo) before matching. */
export function prepare(text: string): string {
  return /[\u1100-\u11ff]/.test(text) ? text.normalize('NFC') : text;
}

/** A Latin letter or digit after folding: these need token boundaries. */
export function isLatinAlnum(u: number): boolean {
  return (u >= 0x61 && u <= 0x7a) || (u >= 0x30 && u <= 0x39) || (u >= 0xdf && u <= 0x24f && u !== 0xf7);
}
