// The one Retry-After parser: outlets (fetch) and receivers (deliver) both read it here.
// A hostile or broken server must not stall us for years or crash the caller, so the delay
// is capped and anything unreadable or absurd is ignored (the caller's own backoff applies).

/** The longest Retry-After obeyed: 6 hours. A longer delay is cut to this. */
export const MAX_RETRY_AFTER_MS = 6 * 60 * 60 * 1000;

/** Delay seconds longer than this (~100 years) are nonsense, not a long wait: ignored. */
const ABSURD_SECONDS = 100 * 365 * 24 * 3600;

/**
 * Parses a Retry-After header (delay-seconds or an HTTP date) into milliseconds from `now`,
 * capped at `maxMs` (default 6 h). Undefined when absent, unreadable or absurd.
 */
export function retryAfterDelayMs(value: string | string[] | undefined, now: Date, maxMs: number = MAX_RETRY_AFTER_MS): number | undefined {
  const raw = Array.isArray(value) ? value[0] : value;
  if (raw === undefined) return undefined;
  const v = raw.trim();
  if (v === '') return undefined;
  let ms: number;
  if (/^\d+(\.\d+)?$/.test(v)) {
    const seconds = Number(v);
    if (!Number.isFinite(seconds) || seconds > ABSURD_SECONDS) return undefined;
    ms = Math.round(seconds * 1000);
  } else {
    // An HTTP date has a weekday or month name; a bare signed or odd number is not one.
    if (!/[a-z]/i.test(v)) return undefined;
    const at = Date.parse(v);
    if (!Number.isFinite(at)) return undefined;
    ms = Math.max(0, at - now.getTime());
    if (ms > ABSURD_SECONDS * 1000) return undefined;
  }
  return Math.min(ms, maxMs);
}

/** Parses a Retry-After header into the time the next request is allowed (capped at 6 h from `now`). */
export function parseRetryAfter(value: string | string[] | undefined, now: Date): Date | undefined {
  const ms = retryAfterDelayMs(value, now);
  return ms === undefined ? undefined : new Date(now.getTime() + ms);
}
