import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../../shared/fetch/index.ts';

const now = new Date('2025-01-28T03:00:00Z');

describe('parseRetryAfter', () => {
  it.each([
    ['120', '2025-01-28T03:02:00.000Z'],
    ['0', '2025-01-28T03:00:00.000Z'],
    ['Tue, 28 Jan 2025 04:00:00 GMT', '2025-01-28T04:00:00.000Z'],
    ['Tue, 28 Jan 2025 01:00:00 GMT', '2025-01-28T03:00:00.000Z'], // in the past: now
  ])('%s', (v, expected) => expect(parseRetryAfter(v, now)?.toISOString()).toBe(expected));

  it('ignores what it cannot read', () => {
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});
