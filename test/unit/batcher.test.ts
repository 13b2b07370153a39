import { describe, expect, it } from 'vitest';
import { createBatcher } from '../../shared/batcher.ts';

describe('createBatcher', () => {
  it('writes full batches at once and the rest after the wait, and each caller learns when its item is written', async () => {
    const writes: number[][] = [];
    const batcher = createBatcher(async (items: number[]) => void writes.push(items), { max: 3, waitMs: 30 });
    const started = Date.now();
    const all = Promise.all([1, 2, 3, 4, 5].map((n) => batcher.add(n)));
    expect(writes).toEqual([[1, 2, 3]]); // the full batch went out without waiting
    await all;
    expect(writes).toEqual([
      [1, 2, 3],
      [4, 5],
    ]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
  });

  it('sends what is pending at once when flushed, and the flushed batch is not sent again', async () => {
    const writes: number[][] = [];
    const batcher = createBatcher(async (items: number[]) => void writes.push(items), { max: 10, waitMs: 60_000 });
    const both = Promise.all([batcher.add(1), batcher.add(2)]);
    expect(writes).toEqual([]);
    batcher.flush();
    expect(writes).toEqual([[1, 2]]);
    await both; // resolved by the flush, not after the minute's wait
    batcher.flush();
    expect(writes).toEqual([[1, 2]]);
  });

  it('rejects every caller of a failed batch with its error, and keeps serving later items', async () => {
    let fail = true;
    const batcher = createBatcher(
      async (items: string[]) => {
        if (fail) throw new Error(`store down (${items.length} items)`);
      },
      { max: 10, waitMs: 1 },
    );
    const results = await Promise.allSettled([batcher.add('a'), batcher.add('b')]);
    expect(results.map((r) => (r.status === 'rejected' ? (r.reason as Error).message : 'ok'))).toEqual(['store down (2 items)', 'store down (2 items)']);
    fail = false;
    await expect(batcher.add('c')).resolves.toBeUndefined();
  });
});

describe('createBatcher as a batch read', () => {
  it('gives each caller the result for its own item, from one request per batch', async () => {
    const requests: string[][] = [];
    const stored = new Map([
      ['a', 1],
      ['c', 3],
    ]);
    const reader = createBatcher(
      async (ids: string[]) => {
        requests.push(ids);
        return ids.map((id) => stored.get(id));
      },
      { max: 100, waitMs: 5 },
    );
    const got = await Promise.all(['a', 'b', 'c'].map((id) => reader.add(id)));
    expect(got).toEqual([1, undefined, 3]);
    expect(requests).toEqual([['a', 'b', 'c']]);
  });
});
