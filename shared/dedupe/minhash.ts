// MinHash signatures and LSH band keys over shingle hash sets. With r rows per band and b
// bands, two texts of Jaccard s share at least one band with probability ~1-(1-s^r)^b.
//
// One-permutation hashing (Li, Owen & Zhang 2012) with rotation densification (Shrivastava &
// Li 2014): the shingle hashes are already well mixed, so each one goes to the bin its value
// falls in and each bin keeps its minimum; O(n) instead of O(n x bins), which is what makes
// 5,000 stories/s possible. Empty bins (short texts) borrow from the next non-empty bin.
import { mix32 } from './text.ts';

const EMPTY = 0xffffffff;
const TWO32 = 0x1_0000_0000;

/**
 * MinHash signature with `count` bins of a shingle set (empty set: all 0xffffffff). A non-zero
 * `seed` re-hashes the shingles first: another, independent permutation (for measuring variance).
 */
export function minhash(shingles: Uint32Array, count: number, seed = 0): Uint32Array {
  return minhashInto(new Uint32Array(count), shingles, seed);
}

// The signature of the story being fingerprinted: only its band keys are kept.
let scratch = new Uint32Array(0);

/** The LSH band keys (see bandKey) of a shingle set: its minhash cut into `bands` bands of `rows` rows. */
export function lshKeys(shingles: Uint32Array, bands: number, rows: number, seed = 0): number[] {
  if (scratch.length !== bands * rows) scratch = new Uint32Array(bands * rows);
  return bandKeys(minhashInto(scratch, shingles, seed), bands, rows);
}

function minhashInto(sig: Uint32Array, shingles: Uint32Array, seed: number): Uint32Array {
  const count = sig.length;
  sig.fill(EMPTY);
  for (let j = 0; j < shingles.length; j++) {
    const x = seed === 0 ? shingles[j]! : mix32(shingles[j]! ^ seed);
    const bin = Math.floor((x / TWO32) * count);
    if (x < sig[bin]!) sig[bin] = x;
  }
  if (shingles.length === 0) return sig;
  // Densify: an empty bin takes the next non-empty bin's value, re-hashed by the distance so
  // two texts agree on a borrowed bin exactly when they agree on the bin it came from.
  for (let i = 0; i < count; i++) {
    if (sig[i] !== EMPTY) continue;
    for (let d = 1; d < count; d++) {
      const v = sig[(i + d) % count]!;
      if (v !== EMPTY) {
        sig[i] = mix32(v + Math.imul(d, 0x9e3779b9)) | 0x1; // never EMPTY by accident
        break;
      }
    }
  }
  return sig;
}

// A band key is a number, band x 2^32 + the band's 32-bit hash (below 2^53 for any band count
// up to 2^21: exact). Per story 48 of them are built, looked up, claimed and tracked in flight;
// as strings (`<band>#<hash in base 36>`) building, hashing and parsing them was a fifth of the
// dedupe CPU. The string form is kept for the table (BAND# rows, the FP# row's `keys`):
// bandKeyText / bandKeyOf convert, one to one, so rows written before read back the same.
const SPAN = 0x1_0000_0000;

/** The key of `band` whose rows hash to `hash` (a uint32). */
export function bandKey(band: number, hash: number): number {
  return band * SPAN + hash;
}

/** The band number of a band key. */
export function bandOf(key: number): number {
  return Math.floor(key / SPAN);
}

/** The 32-bit hash of a band key. */
export function bandHashOf(key: number): number {
  return key >>> 0; // ToUint32 is the key modulo 2^32: exact for any safe integer
}

/** A key as the table stores it: a band as `<band>#<hash in base 36>`, any other key as it is. */
export function bandKeyText(key: number | string): string {
  return typeof key === 'number' ? `${bandOf(key)}#${bandHashOf(key).toString(36)}` : key;
}

const BAND_TEXT = /^(\d{1,6})#([0-9a-z]{1,7})$/;

/** bandKeyText's inverse: `<band>#<base 36>` of a 32-bit hash is a band key, anything else stays a string. */
export function bandKeyOf(text: string): number | string {
  const m = BAND_TEXT.exec(text);
  if (!m) return text;
  const hash = Number.parseInt(m[2]!, 36);
  // Only the canonical form (what bandKeyText writes) maps to a number: "3#0a" stays a string,
  // so a number always prints back to the text it came from.
  return hash < SPAN && hash.toString(36) === m[2] && String(Number(m[1])) === m[1] ? bandKey(Number(m[1]), hash) : text;
}

/** LSH band keys (see bandKey) of a signature cut into `bands` bands of `rows` rows. */
export function bandKeys(signature: Uint32Array, bands: number, rows: number): number[] {
  const keys: number[] = new Array<number>(bands);
  for (let band = 0; band < bands; band++) {
    let h1 = 0x811c9dc5 ^ band;
    let h2 = 0x1b873593 + band;
    for (let r = 0; r < rows; r++) {
      const v = signature[band * rows + r]!;
      h1 = mix32(h1 ^ v);
      h2 = mix32(Math.imul(h2, 31) + v);
    }
    // 32 bits per band: among the few thousand stories alive in a join window, collisions are negligible.
    keys[band] = bandKey(band, mix32(h1 ^ h2) >>> 0);
  }
  return keys;
}
