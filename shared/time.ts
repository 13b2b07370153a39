// Time rules: store UTC ISO strings, show Korea time, cut days in Korea time.
// Korea has had no daylight saving since 1988, so a fixed +09:00 offset is exact.

const KST_OFFSET_MS = 9 * 60 * 60 * 1000;

/** The Korea-time calendar day (YYYY-MM-DD) of an instant. */
export function koreaDay(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + KST_OFFSET_MS).toISOString().slice(0, 10);
}

/** The Korea day before `day` (YYYY-MM-DD). */
export function previousKoreaDay(day: string): string {
  const t = Date.parse(`${day}T00:00:00Z`) - 24 * 60 * 60 * 1000;
  return new Date(t).toISOString().slice(0, 10);
}

/** UTC instant at which a Korea day starts. */
export function koreaDayStart(day: string): Date {
  return new Date(Date.parse(`${day}T00:00:00Z`) - KST_OFFSET_MS);
}

/** "2025-02-06 15:15" in Korea time, for people. */
export function formatKorea(at: Date | string): string {
  const t = typeof at === 'string' ? Date.parse(at) : at.getTime();
  return new Date(t + KST_OFFSET_MS).toISOString().slice(0, 16).replace('T', ' ');
}
