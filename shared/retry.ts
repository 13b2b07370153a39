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
  /**
   * The error to throw when the loop ends without success, with the attempts made;
   * `exhausted` when they ran out on an error that would have been retried. Default: the error.
   */
  fail?: (error: unknown, attempts: number, exhausted: boolean) => unknown;
  sleep: (ms: number) => Promise<void>;
}

/** Runs `attempt` until it resolves, `delayMs` says stop, or maxAttempts are used up. */
export async function retrying<T>(attempt: (n: number) => Promise<T>, o: RetryOptions): Promise<T> {
  for (let n = 1; ; n++) {
    try {
      return await attempt(n);
    } catch (e) {
      const fail = o.fail ?? ((error: unknown) => error);
      let wait: number | undefined;
      try {
        wait = o.delayMs(e, n);
      } catch (stop) {
        throw fail(stop, n, false);
      }
      if (wait === undefined) throw fail(e, n, false);
      if (n >= o.maxAttempts) throw fail(e, n, true);
      await o.sleep(wait);
    }
  }
}
