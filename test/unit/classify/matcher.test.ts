import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../../shared/classify/matcher.ts';

/** Every (pattern, end) occurrence by brute force. */
function naive(patterns: string[], text: string): string[] {
  const out: string[] = [];
  patterns.forEach((p, id) => {
    for (let i = text.indexOf(p); i >= 0; i = text.indexOf(p, i + 1)) out.push(`${id}@${i + p.length}`);
  });
  return out.sort();
}

function scan(patterns: string[], text: string): string[] {
  const units = Uint16Array.from(text, (c) => c.charCodeAt(0));
  const out: string[] = [];
  compileMatcher(patterns).scan(units, units.length, (p, end) => out.push(`${p}@${end}`));
  return out.sort();
}

describe('compileMatcher (Aho-Corasick)', () => {
  it('finds overlapping and nested patterns', () => {
    const patterns = ['딥시크', '시크', '딥시크r1', 'r1', 'r10'];
    expect(scan(patterns, '딥시크r10과 딥시크r1')).toEqual(naive(patterns, '딥시크r10과 딥시크r1'));
  });

  it('agrees with brute force on random Hangul/Latin text', () => {
    // Deterministic pseudo-random generator, so a failure is reproducible.
    let seed = 42;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const alphabet = ['가', '나', '다', 'a', 'b', '1'];
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const patterns = [...new Set(Array.from({ length: 8 }, () => word(1 + rand(4))))];
      const text = word(300);
      expect(scan(patterns, text)).toEqual(naive(patterns, text));
    }
  });
});
