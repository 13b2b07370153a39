import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../shared/fetch/index.ts';
import { MAX_RETRY_AFTER_MS, retryAfterDelayMs } from '../../../shared/fetch/retry-after.ts';

const now = new Date('2025-01-28T03:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', '2025-01-28T03:02:00.000Z'],
    ['0', '2025-01-28T03:00:00.000Z'],
    ['Tue, 28 Jan 2025 04:00:00 GMT', '2025-01-28T04:00:00.000Z'],
    ['Tue, 28 Jan 2025 01:00:00 GMT', '2025-01-28T03:00:00.000Z'], // in the past: now
    // Longer than 6 hours: cut to 6 hours, not obeyed for ten years.
    [String(10 * 365 * 24 * 3600), '2025-01-28T09:00:00.000Z'],
    ['Sat, 28 Jan 2035 03:00:00 GMT', '2025-01-28T09:00:00.000Z'],
  ])('%s', (v, expected) => expect(parseRetryAfter(v, now)?.toISOString()).toBe(expected));

  it.each([['soon'], [undefined], [''], ['99999999999999999'], ['1e400'], ['-5'], ['Infinity'], ['NaN'], ['12abc'], ['Sat, 28 Jan 275760 03:00:00 GMT']])(
    'ignores %s (the caller backs off on its own)',
    (v) => expect(parseRetryAfter(v, now)).toBeUndefined(),
  );

  it('never yields a date that cannot be written', () => {
    for (const v of ['99999999999999999', '9'.repeat(400), String(Number.MAX_SAFE_INTEGER)]) {
      const d = parseRetryAfter(v, now);
      if (d) expect(() => d.toISOString()).not.toThrow();
    }
  });
});

describe('retryAfterDelayMs', () => {
  it('reads delay-seconds (fractions too), the first of repeated headers, and caps at 6 h', () => {
    expect(retryAfterDelayMs('2.5', now)).toBe(2500);
    expect(retryAfterDelayMs(['30', '40'], now)).toBe(30_000);
    expect(retryAfterDelayMs('99999999999999999', now)).toBeUndefined();
    expect(retryAfterDelayMs(String(10 * 365 * 24 * 3600), now)).toBe(MAX_RETRY_AFTER_MS);
  });
});
