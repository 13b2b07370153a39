import { describe, expect, it } from 'vitest';
import { keptDays, windowDays } from '../../../adapters/dynamodb/day-window.ts';
import { MAX_WINDOW_DAYS } from '../../../shared/store/port.ts';
import { koreaDay } from '../../../shared/time.ts';

const NOW = new Date('2026-12-03T12:00:00Z');
const DAY = 86_400_000;

describe('the Korea days a read window covers', () => {
  it('reads the longest window --since takes whole, the kept items two days before it too', () => {
    const since = new Date(NOW.getTime() - MAX_WINDOW_DAYS * DAY);
    const stories = windowDays({ since, now: NOW });
    expect(stories[0]).toBe('2026-12-04'); // a feed may date an item a day ahead
    expect(stories.at(-1)).toBe(koreaDay(since));
    expect(stories).toHaveLength(MAX_WINDOW_DAYS + 2);
    const kept = keptDays({ since, now: NOW }, NOW);
    expect(kept.at(-1)).toBe(koreaDay(new Date(since.getTime() - 2 * DAY)));
    expect(new Set(kept).size).toBe(kept.length);
  });
});
