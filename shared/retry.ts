// The one retry helper and the one backoff curve. In-process retries (a delivery POST, a
// throttled SES call) go through `retrying`; durable schedules (an outbox row's next try, a
// failing source's next poll) are not loops but take their delay from `backoffDelay` too.
// p-retry and exponential-backoff were checked: neither takes a per-error delay (a
// receiver's Retry-After) or an injected sleep (tests, a Lambda's deadline), and their
// jitter (x1-2, or "full") would change the intervals users see.

export interface Backoff {
  /** Delay before the first retry; doubles each retry. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Each delay is spread by ±this fraction (default 0.25) so many clients do not retry in step. */
  jitter?: number;
}

/** Delay before retry number `retry` (1-based): base doubling up to max, with jitter. */
export function backoffDelay(b: Backoff, retry: number, random: () => number = Math.random): number {
  const base = Math.min(b.maxDelayMs, b.baseDelayMs * 2 ** (retry - 1));
  const jitter = b.jitter ?? 0.25;
  return Math.round(base * (1 - jitter + random() * 2 * jitter));
}

export interface RetryOptions {
  /** Total attempts including the first. */
  maxAttempts: number;
  /**
   * The wait before the next attempt after `error` (attempt is 1-based), or undefined to
   * stop and throw `error` now. It may throw a different error to stop with that one. It is
   * asked after the last attempt too, so an error it would not retry is thrown as it is.
   */
  delayMs: (error: unknown, attempt: number) => number | undefined;
  /** The error to throw when attempts ran out on an error that would have been retried; default that error. */
  exhausted?: (error: unknown, attempts: number) => unknown;
  sleep: (ms: number) => Promise<void>;
}

/** Runs `attempt` until it resolves, `delayMs` says stop, or maxAttempts are used up. */
export async function retrying<T>(attempt: (n: number) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      const wait = o.delayMs(e, n);
      if (wait === undefined) throw e;
      if (n >= o.maxAttempts) throw o.exhausted ? o.exhausted(e, n) : e;
      await o.sleep(wait);
    }
  }
}
