/** Parses a Retry-After header (delay in seconds or an HTTP date) into the time the next request is allowed. */
export function parseRetryAfter(value: string | undefined, now: Date): Date | undefined {
  if (value === undefined) return undefined;
  const v = value.trim();
  if (/^\d+$/.test(v)) return new Date(now.getTime() + Number(v) * 1000);
  const t = Date.parse(v);
  if (Number.isNaN(t)) return undefined;
  return new Date(Math.max(t, now.getTime()));
}
