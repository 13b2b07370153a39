// The one retry helper and backoff curve (shared/retry.ts): the intervals users see in
// delivery records and source states, and when a loop stops.
import { describe, expect, it } from 'vitest';
import { OUTBOX_BACKOFF } from '../../shared/deliver/outbox-sender.ts';
import { DEFAULT_RETRY } from '../../shared/deliver/retry.ts';
import { backoffDelay, retrying } from '../../shared/retry.ts';

describe('backoffDelay', () => {
  it('doubles from the base up to the cap, spread ±25%', () => {
    const low = () => 0;
    const high = () => 1;
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(DEFAULT_RETRY, n, () => 0.5))).toEqual([500, 1000, 2000, 4000, 8000]);
    expect(backoffDelay(DEFAULT_RETRY, 9, () => 0.5)).toBe(8000);
    expect(backoffDelay(DEFAULT_RETRY, 1, low)).toBe(375);
    expect(backoffDelay(DEFAULT_RETRY, 1, high)).toBe(625);
    // An outbox row: 10 s doubling to 30 min.
    expect(backoffDelay(OUTBOX_BACKOFF, 1, () => 0.5)).toBe(10_000);
    expect(backoffDelay(OUTBOX_BACKOFF, 20, high)).toBe(30 * 60_000 * 1.25);
  });

  it('without jitter gives the same delay every time (a failing source: twice its interval, doubling to 6 h)', () => {
    const source = { baseDelayMs: 2 * 5 * 60_000, maxDelayMs: 6 * 3_600_000, jitter: 0 };
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(source, n, Math.random) / 60_000)).toEqual([10, 20, 40, 80, 160, 320]);
    expect(backoffDelay(source, 7) / 60_000).toBe(360);
  });
});

describe('retrying', () => {
  const failing = (errors: unknown[], value = 'ok') => {
    const calls: number[] = [];
    return {
      calls,
      run: async (n: number) => {
        calls.push(n);
        const e = errors[n - 1];
        if (e !== undefined) throw e;
        return value;
      },
    };
  };

  it('waits what delayMs says between attempts and returns the first success', async () => {
    const slept: number[] = [];
    const f = failing([new Error('a'), new Error('b')]);
    const out = await retrying(f.run, { maxAttempts: 4, delayMs: (_e, n) => n * 100, sleep: async (ms) => void slept.push(ms) });
    expect(out).toBe('ok');
    expect(f.calls).toEqual([1, 2, 3]);
    expect(slept).toEqual([100, 200]);
  });

  it('stops at once on an error delayMs will not retry, and throws it as it is', async () => {
    const fatal = new Error('400');
    const f = failing([fatal]);
    await expect(retrying(f.run, { maxAttempts: 4, delayMs: () => undefined, sleep: async () => {} })).rejects.toBe(fatal);
    expect(f.calls).toEqual([1]);
  });

  it('throws what `fail` makes of the last error, with the attempts made and whether they ran out (else the error)', async () => {
    const opts = { maxAttempts: 3, delayMs: (e: unknown) => ((e as Error).message === 'fatal' ? undefined : 1), sleep: async () => {} };
    const fail = (e: unknown, n: number, exhausted: boolean) => new Error(`${(e as Error).message} after ${n}${exhausted ? ', out of attempts' : ''}`);
    await expect(retrying(failing([new Error('x'), new Error('y'), new Error('z')]).run, { ...opts, fail })).rejects.toThrow('z after 3, out of attempts');
    await expect(retrying(failing([new Error('x'), new Error('fatal')]).run, { ...opts, fail })).rejects.toThrow(/^fatal after 2$/);
    await expect(retrying(failing([new Error('x'), new Error('y'), new Error('z')]).run, opts)).rejects.toThrow('z');
  });

  it('lets delayMs stop with another error (a wait past the caller’s deadline)', async () => {
    const f = failing([new Error('busy')]);
    const late = new Error('out of time');
    await expect(
      retrying(f.run, {
        maxAttempts: 4,
        delayMs: () => {
          throw late;
        },
        sleep: async () => {},
      }),
    ).rejects.toBe(late);
  });
});
