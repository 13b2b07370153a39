// containmentAtLeast and jaccardAtLeast stop early on a bound (a bitmap of the first set's
// hashes, then the merge's own): whatever stops them, they give the exact figure when it reaches
// `min` and -1 only when it does not, as the full comparison (overlap) says. And strongest, which
// picks the best candidates without sorting them all, picks those a stable sort would.
import { describe, expect, it } from 'vitest';
import { type Hit, strongest } from '../../../shared/dedupe/similarity.ts';
import { containmentAtLeast, jaccardAtLeast, overlap } from '../../../shared/dedupe/text.ts';

let seed = 0x9e3779b9;
function rand32(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return seed >>> 0;
}

/** Sorted unique hashes: `shared` of them taken from `common`, the rest fresh. */
function setOf(common: Uint32Array, shared: number, own: number): Uint32Array {
  const out = new Set<number>();
  for (let i = 0; i < shared; i++) out.add(common[i]!);
  while (out.size < shared + own) out.add(rand32());
  return Uint32Array.from([...out].sort((x, y) => x - y));
}

describe('containmentAtLeast and jaccardAtLeast', () => {
  it('agree with the exact overlap at every threshold, for sets sharing nothing to everything', () => {
    const common = Uint32Array.from({ length: 700 }, rand32);
    for (const [sizeA, sizeB] of [
      [600, 600],
      [320, 700],
      [700, 90],
      [64, 64],
      [30, 500],
    ] as const) {
      for (const share of [0, 0.05, 0.1, 0.15, 0.2, 0.4, 0.6, 0.8, 1]) {
        const shared = Math.floor(share * Math.min(sizeA, sizeB));
        const a = setOf(common, shared, sizeA - shared);
        const b = setOf(common, shared, sizeB - shared);
        const exact = overlap(a, b);
        for (const min of [0, 0.05, 0.1, 0.15, 0.2, 0.4, 0.8]) {
          // Compared one after another against the same first set, as a new story's candidates are.
          for (const [x, y] of [
            [a, b],
            [b, a],
          ] as const) {
            expect(containmentAtLeast(x, y, min)).toBe(exact.containment >= min ? exact.containment : -1);
            expect(jaccardAtLeast(x, y, min)).toBe(exact.jaccard >= min ? exact.jaccard : -1);
          }
        }
      }
    }
  });
});

describe('strongest', () => {
  it('picks the same candidates in the same order as a stable sort of all hits', () => {
    for (let round = 0; round < 200; round++) {
      const hits = new Map<string, Hit>();
      const count = rand32() % 60;
      for (let i = 0; i < count; i++) {
        const r = rand32();
        hits.set(`s${i}`, { bands: r % 5, exact: r % 31 === 0, title: r % 37 === 0, headline: r % 3 === 0 });
      }
      const sorted = [...hits.entries()].sort(([, x], [, y]) => Number(y.exact || y.title) - Number(x.exact || x.title) || y.bands - x.bands);
      for (const max of [1, 2, 8, 100]) expect(strongest(hits, max)).toEqual(sorted.slice(0, max));
    }
  });
});
