// Time rules: store UTC ISO strings, show Korea time, cut days in Korea time.
// Korea has had no daylight saving since 1988, so a fixed +09:00 offset is exact (and
// much cheaper than Intl for a 500-story digest).

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The Korea wall-clock time of an instant, in a Date's UTC fields. */
function koreaClockOf(at: Date | string): Date {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + KST_OFFSET_MS);
}

const pad = (n: number): string => String(n).padStart(2, '0');

/** The Korea-time calendar day (YYYY-MM-DD) of an instant. */
export function koreaDay(at: Date | string): string {
  return koreaClockOf(at).toISOString().slice(0, 10);
}

/** The calendar day before `day` (YYYY-MM-DD). */
export function dayBefore(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10);
}

/** The day a digest sent at `now` is about: the Korea day before today's. */
export function digestDayFor(now: Date): string {
  return dayBefore(koreaDay(now));
}

/** True for a real calendar day written YYYY-MM-DD. */
export function isDay(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(value);
}

/** "2025-02-06 15:15" in Korea time, for the terminal. */
export function formatKorea(at: Date | string): string {
  return koreaClockOf(at).toISOString().slice(0, 16).replace('T', ' ');
}

/** `09:05` Korea time of an instant. */
export function koreaClock(at: Date | string): string {
  const k = koreaClockOf(at);
  return `${pad(k.getUTCHours())}:${pad(k.getUTCMinutes())}`;
}

/** `11월 22일 09:05 KST` of an instant. */
export function koreaDateTime(at: Date | string): string {
  const k = koreaClockOf(at);
  return `${k.getUTCMonth() + 1}월 ${k.getUTCDate()}일 ${koreaClock(at)} KST`;
}

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
