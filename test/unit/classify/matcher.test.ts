import { describe, expect, it } from 'vitest';
import { compileMatcher } from '../../../shared/classify/matcher.ts';
import { createFolded, foldInto, foldScan, foldTerm } from '../../../shared/classify/normalize.ts';

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

describe('foldInto with the automaton stepped on the way', () => {
  /** Matches of one pass (fold and scan together) and of two (fold, then scan the folded units). */
  function bothWays(patterns: string[], text: string, hanja: boolean): { fused: string[]; apart: string[]; units: string } {
    const matcher = compileMatcher(patterns.map(foldTerm));
    const fused: string[] = [];
    const folded = foldInto(text, createFolded(8), hanja, foldScan(matcher.automaton));
    matcher.emit(folded, (p, end) => fused.push(`${p}@${end}`));
    const apart: string[] = [];
    const plain = foldInto(text, createFolded(8), hanja);
    matcher.scan(plain.units, plain.length, (p, end) => apart.push(`${p}@${end}`));
    return { fused, apart, units: String.fromCharCode(...folded.units.subarray(0, folded.length)) };
  }

  it('finds what a scan of the folded text finds, through spaces, case, expansions and Hanja readings', () => {
    const patterns = ['소버린 AI', 'GPU', '중국', '(주)엔비디아', 'ai칩', 'H100'];
    // Full-width letters, ㈜ (NFKC: "(주)"), a zero-width space, 中 read as 중국 in a title, a
    // bracket (the slow path), and a text long enough to grow the buffers from 8 units.
    const text = `中 ＧＰＵ 소버린\u200bＡＩ ㈜엔비디아 AI 칩 (H100) ${'가나다 '.repeat(40)}소버린 ai`;
    const { fused, apart, units } = bothWays(patterns, text, true);
    expect(fused).toEqual(apart);
    expect(fused.length).toBe(7);
    expect(units.startsWith('중국gpu소버린ai(주)엔비디아ai칩(h100)')).toBe(true);
  });

  it('agrees with fold-then-scan on random text with spaces, capitals and brackets', () => {
    let seed = 7;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const alphabet = ['가', '나', 'A', 'b', ' ', '(', ')', '中', '㈜', '1'];
    const word = (len: number) => Array.from({ length: len }, () => alphabet[rand(alphabet.length)]).join('');
    for (let round = 0; round < 50; round++) {
      const patterns = [...new Set(Array.from({ length: 6 }, () => word(1 + rand(4)).trim()))].filter((p) => foldTerm(p).length > 0);
      const { fused, apart } = bothWays(patterns, word(200), round % 2 === 0);
      expect(fused).toEqual(apart);
    }
  });
});
