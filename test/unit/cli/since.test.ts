import { describe, expect, it } from 'vitest';
import { parseSince } from '../../../cli/since.ts';
import { MAX_WINDOW_DAYS } from '../../../shared/store/port.ts';

const NOW = new Date('2026-12-03T12:00:00Z');
const DAY = 86_400_000;

describe('--since', () => {
  it('reads a duration back from now, and a day as its Korea midnight', () => {
    expect(parseSince('36h', NOW).toISOString()).toBe('2026-12-02T00:00:00.000Z');
    expect(parseSince('2025-02-06', NOW).toISOString()).toBe('2025-02-05T15:00:00.000Z');
  });

  it('takes a window of up to three years', () => {
    expect(parseSince(`${MAX_WINDOW_DAYS}d`, NOW).getTime()).toBe(NOW.getTime() - MAX_WINDOW_DAYS * DAY);
    expect(parseSince('2023-12-05', NOW).toISOString()).toBe('2023-12-04T15:00:00.000Z');
  });

  it('refuses a longer one, saying how far it reaches, instead of reading part of it', () => {
    expect(() => parseSince(`${MAX_WINDOW_DAYS + 1}d`, NOW)).toThrow(
      `--since ${MAX_WINDOW_DAYS + 1}d reaches back 1,096 days; newswatch reads at most 1,095 days (3 years) back`,
    );
    // The demo's day, asked for in 2028.
    expect(() => parseSince('2025-02-06', new Date('2028-02-10T00:00:00Z'))).toThrow(/^--since 2025-02-06 reaches back 1,100 days; /);
  });
});
