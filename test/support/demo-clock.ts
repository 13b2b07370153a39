// The clock for tests that read what the demo's fixture feeds (of 2025-02-06) left in a
// store: a month after that day, not today.
import { vi } from 'vitest';

/** The demo's clock: the fixture feeds are of 2025-02-06, Korea time. */
export const DEMO_NOW = Date.parse('2025-02-06T06:00:00Z');

/**
 * Sets this test file's clock (Date only: timers stay real, and the clock moves on with real
 * time) to a month after the demo's day. With today's clock a window from the fixtures' day
 * (`--since 2025-02-01`) spans hundreds of Korea days, each one query of the day index:
 * seconds of empty queries per command, more every day the suite gets older. A month, not
 * a day: a store seeded by `run --once` then is the one the real clock made (the fixtures'
 * stories are older than the week the dedupe index loads). Undo with vi.useRealTimers().
 */
export function useMonthAfterDemoClock(): void {
  vi.useFakeTimers({ toFake: ['Date'], now: DEMO_NOW + 30 * 86_400_000, shouldAdvanceTime: true });
}
