// Which Korea days' index partitions a read window covers: stories are indexed by the day they
// were published, kept unmatched items by the day they were seen.
import { MAX_WINDOW_DAYS, type ReadWindow } from '../../shared/store/port.ts';
import { koreaDay } from '../../shared/time.ts';

const DAY_MS = 86_400_000;
/**
 * Most days one read covers: a `since` MAX_WINDOW_DAYS back is read whole, with the kept items'
 * margins (two days before it, a day after now); the cap only stops a window nobody checked.
 */
const MAX_DAYS_READ = MAX_WINDOW_DAYS + 4;
/** How many days' partitions are queried at once: a long window is mostly empty days, each one cheap Query. */
export const DAYS_AT_ONCE = 8;

/** The Korea days from `untilMs` back to `since`, newest first (at most MAX_DAYS_READ). */
function daysBetween(since: Date, untilMs: number): string[] {
  const last = koreaDay(since);
  const days: string[] = [];
  for (let t = untilMs; ; t -= DAY_MS) {
    const day = koreaDay(new Date(t));
    if (day < last) break;
    days.push(day);
    if (days.length >= MAX_DAYS_READ) break;
  }
  return days;
}

/** The Korea days a window's stories are indexed under, newest first (a day ahead of `until`: feeds dated early). */
export const windowDays = (window: ReadWindow): string[] => daysBetween(window.since, (window.until ?? window.now ?? new Date()).getTime() + DAY_MS);

/**
 * The Korea days kept items of a window may have been seen on: from two days before `since`
 * (a feed dating its items a day or two ahead) to a day after now (seen after `until`, still
 * published in the window).
 */
export const keptDays = (window: ReadWindow, now: Date): string[] => daysBetween(new Date(window.since.getTime() - 2 * DAY_MS), now.getTime() + DAY_MS);

/** Published within the window (`until` is open when absent). */
export function inWindow(publishedAt: string, window: ReadWindow): boolean {
  const t = Date.parse(publishedAt);
  if (t < window.since.getTime()) return false;
  return window.until === undefined || t <= window.until.getTime();
}
