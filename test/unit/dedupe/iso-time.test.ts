// Publication times read digit by digit (dedupe compares them many times a story): the same
// instant Date.parse gives for toISOString's form, and no guess for any other form.
import { describe, expect, it } from 'vitest';
import { isoTime } from '../../../shared/dedupe/iso-time.ts';

describe('isoTime', () => {
  it('reads every toISOString time as Date.parse does', () => {
    // Month ends, leap days, century years, the epoch and the last representable year.
    const times = [
      '1970-01-01T00:00:00.000Z',
      '2000-02-29T23:59:59.999Z',
      '2024-02-29T12:00:00.000Z',
      '2100-03-01T00:00:00.000Z',
      '9999-12-31T23:59:59.999Z',
    ].map(Date.parse);
    for (let t = Date.UTC(1999, 0, 1); t < Date.UTC(2031, 0, 1); t += 86_400_000 * 3 + 3_723_457) times.push(t);
    for (const t of times) {
      const s = new Date(t).toISOString();
      const read = isoTime(s);
      // A day past the 28th is left to Date.parse (-1); every other one is read here.
      if (new Date(t).getUTCDate() <= 28) expect(read, s).toBe(t);
      else expect(read, s).toBe(-1);
    }
  });

  it('declines any other form, so the caller falls back to Date.parse', () => {
    for (const s of [
      '2025-01-01T00:00:00.000+09:00',
      '2025-01-01T00:00:00Z',
      '2025-01-01',
      '2025-13-01T00:00:00.000Z',
      '2025-01-01T24:00:00.000Z',
      '1969-12-31T23:59:59.999Z',
      '2025-01-0aT00:00:00.000Z',
      '',
      'x'.repeat(24),
    ]) {
      expect(isoTime(s), s).toBe(-1);
    }
  });
});
