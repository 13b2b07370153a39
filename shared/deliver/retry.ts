// What to do with an HTTP answer: done, wait and try again, or give up now. Slack and
// webhooks share it: 429 waits Retry-After, 5xx/timeouts back off, other 4xx never retry.
import { parseRetryAfter } from '../fetch/retry-after.ts';
import { DeliveryError } from './errors.ts';
import { HttpTransportError, type HttpPost, type HttpResponse } from './http-post.ts';

export interface RetryPolicy {
  /** Total attempts including the first. */
  maxAttempts: number;
  /** First backoff delay; doubles each retry, with ±25% jitter. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** A Retry-After longer than this is not waited for: the attempt fails as retryable. */
  maxRetryAfterMs: number;
}

/** Room kept after a wait for the next request and the row's bookkeeping. */
const SEND_MARGIN_MS = 12_000;

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 4, baseDelayMs: 500, maxDelayMs: 8_000, maxRetryAfterMs: 60_000 };

/** Retry-After in milliseconds from `now`, through the one parser the fetcher uses too (capped there). */
export function retryAfterMs(value: string | string[] | undefined, now: Date): number | undefined {
  const at = parseRetryAfter(Array.isArray(value) ? value[0] : value, now);
  const ms = at === undefined ? NaN : at.getTime() - now.getTime();
  // An unusable value (out of any date's range) is ignored: the backoff applies instead.
  return Number.isFinite(ms) ? Math.max(0, ms) : undefined;
}

/** Backoff before retry number `retry` (1-based). */
export function backoffMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const base = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return Math.round(base * (0.75 + random() * 0.5));
}

export interface SendOptions {
  destinationId: string;
  post: HttpPost;
  url: string;
  /** Builds body and headers per attempt (webhook signatures carry the attempt time). */
  request: (attempt: number) => { body: string; headers: Record<string, string> };
  policy: RetryPolicy;
  sleep: (ms: number) => Promise<void>;
  now: () => Date;
  /** Short description of a 4xx answer, e.g. Slack's `invalid_payload`. */
  describe?: (res: HttpResponse) => string;
  /** Time left to the caller (a Lambda's remaining time); a wait that would not fit ends the send. */
  remainingMs?: () => number;
}

/** Thrown (as a retryable DeliveryError) when the next wait would pass the caller's deadline. */
export function isOutOfTime(e: unknown): boolean {
  return (e as { outOfTime?: boolean } | null)?.outOfTime === true;
}

/** POST with the shared retry policy; resolves with the attempts made, throws DeliveryError. */
export async function postWithRetry(o: SendOptions): Promise<{ attempts: number; response: HttpResponse }> {
  let lastError: DeliveryError | undefined;
  for (let attempt = 1; attempt <= o.policy.maxAttempts; attempt++) {
    const { body, headers } = o.request(attempt);
    let waitMs: number;
    try {
      const res = await o.post(o.url, body, headers);
      if (res.status >= 200 && res.status < 300) return { attempts: attempt, response: res };
      const what = o.describe?.(res) ?? '';
      const label = `HTTP ${res.status}${what ? ` ${what}` : ''}`;
      if (res.status === 429) {
        const after = retryAfterMs(res.headers['retry-after'], o.now());
        lastError = new DeliveryError(o.destinationId, `rate limited (${label})`, true, {
          status: 429,
          ...(after !== undefined ? { retryAfterMs: after } : {}),
        });
        if (after !== undefined && after > o.policy.maxRetryAfterMs) {
          throw Object.assign(withAttempts(lastError, attempt), o.remainingMs && after + SEND_MARGIN_MS > o.remainingMs() ? { outOfTime: true } : {});
        }
        waitMs = after ?? backoffMs(o.policy, attempt);
      } else if (res.status >= 500 || res.status === 408) {
        lastError = new DeliveryError(o.destinationId, `receiver error (${label})`, true, { status: res.status });
        waitMs = backoffMs(o.policy, attempt);
      } else {
        // 4xx: the request itself is wrong or the destination is gone; retrying cannot help.
        throw withAttempts(
          new DeliveryError(o.destinationId, `rejected (${label}); not retried`, false, { status: res.status, code: what || undefined }),
          attempt,
        );
      }
    } catch (e) {
      if (e instanceof DeliveryError) throw e;
      const timedOut = e instanceof HttpTransportError && e.timedOut;
      lastError = new DeliveryError(o.destinationId, timedOut ? `timed out (${(e as Error).message})` : (e as Error).message, true);
      waitMs = backoffMs(o.policy, attempt);
    }
    if (attempt < o.policy.maxAttempts) {
      // Never sleep past the caller's deadline: the outbox row is rescheduled instead.
      if (o.remainingMs && waitMs + SEND_MARGIN_MS > o.remainingMs()) throw Object.assign(withAttempts(lastError!, attempt), { outOfTime: true });
      await o.sleep(waitMs);
    }
  }
  throw withAttempts(
    new DeliveryError(
      o.destinationId,
      `no success in ${o.policy.maxAttempts} attempts: ${stripId(lastError, o.destinationId)}`,
      true,
      lastError?.details ?? {},
    ),
    o.policy.maxAttempts,
  );
}

function stripId(e: DeliveryError | undefined, id: string): string {
  return e ? e.message.slice(id.length + 2) : 'unknown error';
}

/** Attempts made, carried on the error so reports and delivery records can show them. */
export function attemptsOf(e: unknown): number {
  return (e as { attempts?: number }).attempts ?? 1;
}

function withAttempts(e: DeliveryError, attempts: number): DeliveryError {
  return Object.assign(e, { attempts });
}
