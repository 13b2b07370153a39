// What to do with an HTTP answer: done, wait and try again, or give up now. Slack and
// webhooks share it: 429 (and 503) wait Retry-After, 5xx/timeouts back off, other 4xx never
// retry. The answer's meaning is the HTTP client's (statusVerdict), the loop is shared/retry.ts.
import { FetchError } from '../fetch/errors.ts';
import { statusVerdict } from '../fetch/http-client.ts';
import { isRetryable } from '../retryable-error.ts';
import { backoffDelay, retrying } from '../retry.ts';
import { DeliveryError } from './errors.ts';
import type { HttpPost, HttpResponse } from './http-post.ts';

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
  return retrying(
    async (attempt) => {
      const { body, headers } = o.request(attempt);
      let res: HttpResponse;
      try {
        res = await o.post(o.url, body, headers);
      } catch (e) {
        throw transportError(o.destinationId, e);
      }
      if (res.status >= 200 && res.status < 300) return { attempts: attempt, response: res };
      throw answerError(o, res);
    },
    {
      maxAttempts: o.policy.maxAttempts,
      sleep: o.sleep,
      delayMs: (e, attempt) => {
        const err = e as DeliveryError;
        if (!err.retryable) return undefined;
        const after = err.details.retryAfterMs;
        const waitMs = after ?? backoffDelay(o.policy, attempt);
        const late = o.remainingMs !== undefined && waitMs + SEND_MARGIN_MS > o.remainingMs();
        // A Retry-After past the policy's patience ends the send now: the row is due again then.
        if (after !== undefined && after > o.policy.maxRetryAfterMs) throw late ? outOfTime(err) : err;
        // Never sleep past the caller's deadline: the outbox row is rescheduled instead.
        if (late && attempt < o.policy.maxAttempts) throw outOfTime(err);
        return waitMs;
      },
      fail: (e, n, exhausted) => {
        const err = e as DeliveryError;
        const final = exhausted
          ? new DeliveryError(o.destinationId, `no success in ${n} attempts: ${err.message.slice(o.destinationId.length + 2)}`, true, err.details)
          : err;
        return withAttempts(final, n);
      },
    },
  );
}

function outOfTime(e: DeliveryError): DeliveryError {
  return Object.assign(e, { outOfTime: true });
}

/** A transport failure (timeout, refused address, connection error) as a DeliveryError. */
function transportError(destinationId: string, e: unknown): DeliveryError {
  const message = (e as Error).message;
  const timedOut = e instanceof FetchError && e.kind === 'timeout';
  return new DeliveryError(destinationId, timedOut ? `timed out (${message})` : message, isRetryable(e));
}

/** A non-2xx answer as a DeliveryError, retryable as the HTTP client judges it. */
function answerError(o: SendOptions, res: HttpResponse): DeliveryError {
  const what = o.describe?.(res) ?? '';
  const label = `HTTP ${res.status}${what ? ` ${what}` : ''}`;
  const verdict = statusVerdict(res.status, res.headers, o.now());
  const details = { status: res.status, ...(verdict.retryAfterMs !== undefined ? { retryAfterMs: verdict.retryAfterMs } : {}) };
  if (res.status === 429) return new DeliveryError(o.destinationId, `rate limited (${label})`, true, details);
  if (verdict.retryable) return new DeliveryError(o.destinationId, `receiver error (${label})`, true, details);
  // 4xx: the request itself is wrong or the destination is gone; retrying cannot help.
  return new DeliveryError(o.destinationId, `rejected (${label}); not retried`, false, { status: res.status, code: what || undefined });
}

/** Attempts made, carried on the error so reports and delivery records can show them. */
export function attemptsOf(e: unknown): number {
  return (e as { attempts?: number }).attempts ?? 1;
}

function withAttempts(e: DeliveryError, attempts: number): DeliveryError {
  return Object.assign(e, { attempts });
}
