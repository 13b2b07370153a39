// People see Korea time; days are cut in Korea time. Korea has no DST, so a fixed
// +9h offset is exact and much cheaper than Intl for 500-story digests. Days come from
// shared/time.ts; this file formats them for Korean readers.
import { koreaDay, previousKoreaDay as dayBefore } from '../time.ts';

export { koreaDay };

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

function kst(date: Date): Date {
  return new Date(date.getTime() + KST_OFFSET_MS);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The day a digest sent at `now` is about: the Korea day before today's. */
export function digestDayFor(now: Date): string {
  return dayBefore(koreaDay(now));
}

/** The Korea day before the one containing `now` (the digest's day); same as digestDayFor. */
export const previousKoreaDay = digestDayFor;

/** `11월 22일` for a YYYY-MM-DD day. */
export function koreanMonthDay(day: string): string {
  const [, m, d] = day.split('-').map(Number);
  return `${m}월 ${d}일`;
}

/** `2026년 11월 22일 (일)` for a YYYY-MM-DD day. */
export function koreanLongDate(day: string): string {
  const [y, m, d] = day.split('-').map(Number);
  const weekday = '일월화수목금토'[new Date(Date.UTC(y ?? 1970, (m ?? 1) - 1, d ?? 1)).getUTCDay()];
  return `${y}년 ${m}월 ${d}일 (${weekday})`;
}

/** `09:05` Korea time of a UTC ISO instant. */
export function koreaClock(iso: string): string {
  const k = kst(new Date(iso));
  return `${pad(k.getUTCHours())}:${pad(k.getUTCMinutes())}`;
}

/** `11월 22일 09:05 KST` of a UTC ISO instant. */
export function koreaDateTime(iso: string): string {
  const k = kst(new Date(iso));
  return `${k.getUTCMonth() + 1}월 ${k.getUTCDate()}일 ${pad(k.getUTCHours())}:${pad(k.getUTCMinutes())} KST`;
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}
