// Naver's Search API allows 25,000 calls a day per application. This is a simple
// per-process counter per Korea-time day: enough for the CLI and one Lambda container,
// not a shared budget across containers (the poll interval keeps us far below it).

const calls = new Map<string, number>();

function koreaDay(now: Date): string {
  return new Date(now.getTime() + 9 * 3_600_000).toISOString().slice(0, 10);
}

/** Counts one call for `app` today; false (and not counted) when the day's quota is used up. */
export function takeNaverCall(app: string, quota: number, now: Date): boolean {
  const key = `${app}|${koreaDay(now)}`;
  const used = calls.get(key) ?? 0;
  if (used >= quota) return false;
  calls.set(key, used + 1);
  for (const k of calls.keys()) if (!k.endsWith(koreaDay(now))) calls.delete(k); // forget past days
  return true;
}

/** Calls counted for `app` on the Korea day of `now`. */
export function naverCallsToday(app: string, now: Date): number {
  return calls.get(`${app}|${koreaDay(now)}`) ?? 0;
}
