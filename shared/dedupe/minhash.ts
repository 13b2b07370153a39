// MinHash signatures and LSH band keys over shingle hash sets. With r rows per band and b
// bands, two texts of Jaccard s share at least one band with probability 1-(1-s^r)^b.
import { mix32 } from './text.ts';

/** Seeds of the `count` hash functions h_i(x) = mix(x ^ seed_i): fixed, so keys are stable across runs and machines. */
function seeds(count: number): Uint32Array {
  const out = new Uint32Array(count);
  for (let i = 0; i < count; i++) out[i] = mix32(0x9e3779b9 + i * 0x61c88647);
  return out;
}

const seedCache = new Map<number, { a: Uint32Array; b: Uint32Array }>();

/** MinHash signature of length `count` of a shingle set (empty set: all 0xffffffff). */
export function minhash(shingles: Uint32Array, count: number): Uint32Array {
  let s = seedCache.get(count);
  if (!s) {
    const base = seeds(count * 2);
    // Odd multipliers make x -> a*x + b a bijection on 32-bit words; the shingle hashes are already mixed.
    s = { a: base.slice(0, count).map((v) => v | 1), b: base.slice(count) };
    seedCache.set(count, s);
  }
  const { a, b } = s;
  const sig = new Uint32Array(count).fill(0xffffffff);
  for (let j = 0; j < shingles.length; j++) {
    const x = shingles[j]!;
    for (let i = 0; i < count; i++) {
      const h = (Math.imul(a[i]!, x) + b[i]!) >>> 0;
      if (h < sig[i]!) sig[i] = h;
    }
  }
  return sig;
}

/** LSH band keys `<band>#<hash>` of a signature cut into `bands` bands of `rows` rows. */
export function bandKeys(signature: Uint32Array, bands: number, rows: number): string[] {
  const keys: string[] = [];
  for (let band = 0; band < bands; band++) {
    let h1 = 0x811c9dc5 ^ band;
    let h2 = 0x1b873593 + band;
    for (let r = 0; r < rows; r++) {
      const v = signature[band * rows + r]!;
      h1 = mix32(h1 ^ v);
      h2 = mix32(Math.imul(h2, 31) + v);
    }
    keys.push(`${band}#${h1.toString(36)}${h2.toString(36)}`);
  }
  return keys;
}
