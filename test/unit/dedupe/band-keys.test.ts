// LSH band keys as numbers (band × 2^32 + hash): the table's text form, one to one; the
// memory index telling bands apart; and copies found among the stories in flight, whether
// few (compared key by key) or many (indexed by key).
import { describe, expect, it } from 'vitest';
import { type ClusterIndex, createClusterer, createMemoryClusterIndex, type DedupeInput } from '../../../shared/dedupe/index.ts';
import { bandHashOf, bandKey, bandKeyOf, bandKeyText, bandKeys, bandOf, minhash } from '../../../shared/dedupe/minhash.ts';

describe('band keys', () => {
  it('print as the table has always stored them, <band>#<hash in base 36>, and read back to the same key', () => {
    for (const [band, hash] of [
      [0, 0],
      [7, 1],
      [47, 0xffffffff],
      [12, 0x80000000],
      [63, 0x7fffffff],
      [1023, 0x1234abcd],
    ] as const) {
      const key = bandKey(band, hash);
      expect(Number.isSafeInteger(key)).toBe(true);
      expect([bandOf(key), bandHashOf(key)]).toEqual([band, hash]);
      expect(bandKeyText(key)).toBe(`${band}#${hash.toString(36)}`);
      expect(bandKeyOf(bandKeyText(key))).toBe(key);
    }
  });

  it('leave headline, exact and malformed keys as text', () => {
    for (const text of ['t#1x2y3z', 'h#abc', 'u#k2j4h5g6f7', 'g#0', '3#0a', '03#a', '1#zzzzzzz', '#a', '3#', '3#A']) {
      expect(bandKeyOf(text)).toBe(text);
      expect(bandKeyText(text)).toBe(text);
    }
  });

  it('differ between bands even when the bands hash alike', () => {
    const sig = new Uint32Array(8).fill(5); // every band's rows equal
    const keys = bandKeys(sig, 4, 2);
    expect(new Set(keys).size).toBe(4);
    expect(keys.map(bandOf)).toEqual([0, 1, 2, 3]);
    expect(bandKey(1, 99)).not.toBe(bandKey(2, 99));
    const shingles = Uint32Array.from([3, 0x9000_0000, 0xffff_fff0]);
    expect(bandKeys(minhash(shingles, 96), 48, 2)).toEqual(bandKeys(minhash(shingles, 96), 48, 2));
  });
});

describe('memory index bands', () => {
  const owner = (storyId: string, publishedAt = '2025-01-28T00:00:00.000Z') => ({ storyId, publishedAt });

  it('gives each band its own owner, whether the hashes or the bands are alike', async () => {
    const index = createMemoryClusterIndex();
    const h = 0x9e3779b9;
    const keys = [bandKey(0, h), bandKey(1, h), bandKey(0, h ^ 0x8000_0000), bandKey(0, h ^ 0x10), 't#abc', 'h#abc'];
    for (const [i, key] of keys.entries()) expect(await index.claimBands([key], owner(`s${i}`), '2000-01-01T00:00:00.000Z')).toEqual([key]);
    expect((await index.getBands(keys)).map((o) => o?.storyId)).toEqual(['s0', 's1', 's2', 's3', 's4', 's5']);
    expect(await index.getBands([bandKey(2, h), 'u#abc'])).toEqual([undefined, undefined]);
  });

  it('keeps every owner as it grows, and lets only stale bands be taken over', async () => {
    const index = createMemoryClusterIndex();
    // The same 417 hashes in each of 48 bands: told apart by band alone.
    const keys = Array.from({ length: 48 * 417 }, (_, i) => bandKey(i % 48, 2 * Math.floor(i / 48)));
    for (const [i, key] of keys.entries())
      await index.claimBands([key], owner(`s${i}`, i % 2 ? '2025-01-01T00:00:00.000Z' : '2025-02-01T00:00:00.000Z'), '2000-01-01T00:00:00.000Z');
    expect(index.size.bands).toBe(48 * 417);
    expect((await index.getBands(keys)).every((o, i) => o?.storyId === `s${i}`)).toBe(true);
    // Owners published before the 15th (the odd ones) are stale for this claimer.
    const won = await index.claimBands(keys.slice(0, 10), owner('late', '2025-02-10T00:00:00.000Z'), '2025-01-15T00:00:00.000Z');
    expect(won).toEqual(keys.slice(0, 10).filter((_, i) => i % 2 === 1));
    expect((await index.getBands(keys.slice(0, 4))).map((o) => o?.storyId)).toEqual(['s0', 'late', 's2', 'late']);
  });
});

describe('copies in flight in one process', () => {
  const body =
    '과학기술정보통신부는 국가 인공지능 컴퓨팅센터 구축 사업의 우선협상대상자로 삼성SDS 컨소시엄을 선정했다고 12일 밝혔다. 컨소시엄에는 네이버클라우드와 KT, 전라남도가 참여한다. 센터에는 GPU 1만5천장이 들어선다.';
  const copy = (i: number): DedupeInput => ({
    id: `c${i}`,
    url: `https://outlet${i}.example.kr/news/${i}`,
    title: `[속보] 국가AI컴퓨팅센터 삼성SDS 컨소시엄 ${i}`,
    body: `(서울=뉴스${i}) 기자 = ${body}`,
    outlet: `매체${i}`,
    publishedAt: '2025-09-12T01:00:00.000Z',
  });

  /** A memory index that counts leader elections (band claims): a copy found in flight claims nothing. */
  function counted() {
    const index = createMemoryClusterIndex();
    const claims: string[] = [];
    return {
      claims,
      index: {
        ...index,
        claimBands: (bands, owner, staleBefore) => (claims.push(owner.storyId), index.claimBands(bands, owner, staleBefore)),
      } satisfies ClusterIndex,
    };
  }

  // 10 are compared key by key, 40 are indexed by key: both must find the first copy.
  it.each([2, 10, 40])('join the first of %i copies assigned at once, one alert and one leader election', async (n) => {
    const { index, claims } = counted();
    const c = createClusterer(index);
    const all = await Promise.all(Array.from({ length: n }, (_, i) => c.assign(copy(i))));
    expect(all.filter((a) => a.leader).map((a) => a.clusterId)).toEqual(['c0']);
    expect(new Set(all.map((a) => a.clusterId))).toEqual(new Set(['c0']));
    expect(claims).toEqual(['c0']);
  });

  it.each([3, 40])('join one article listed twice (one URL, different teasers) among %i at once without electing it', async (n) => {
    const { index, claims } = counted();
    const c = createClusterer(index);
    const others = Array.from({ length: n - 2 }, (_, i) => ({
      ...copy(i + 1),
      id: `o${i}`,
      body: `다른 기사 ${i} ${'가나다라마바사'.repeat(i % 5)}`,
      title: `다른 제목 ${i}`,
    }));
    const twice = { ...copy(0), id: 'second', body: '짧은 요약문입니다.', title: '다른 제목' };
    const all = await Promise.all([copy(0), ...others, twice].map((s) => c.assign(s)));
    expect(all.at(-1)).toMatchObject({ clusterId: 'c0', leader: false, similarity: 1 });
    expect(claims).not.toContain('second');
  });
});
