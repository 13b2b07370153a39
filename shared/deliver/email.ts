// The SES adapter: SendRawEmail (custom headers need a raw message); throttling is retried
// with backoff; SDK errors become DeliveryError here.
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import { DeliveryError } from './errors.ts';
import { backoffMs, DEFAULT_RETRY } from './retry.ts';

const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException', 'SendingPausedException']);

function isThrottle(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return THROTTLED.has(err.name ?? '') || err.$metadata?.httpStatusCode === 429 || err.$retryable?.throttling === true;
}

/** Send one raw message; resolves with the SES message id. */
export async function sendRawEmail(
  ses: SESClient,
  listId: string,
  raw: string,
  to: string[],
  sleep: (ms: number) => Promise<void>,
  maxAttempts = 5,
): Promise<{ messageId: string; attempts: number }> {
  for (let attempt = 1; ; attempt++) {
    try {
      const out = await ses.send(new SendRawEmailCommand({ Destinations: to, RawMessage: { Data: Buffer.from(raw, 'utf8') } }));
      return { messageId: out.MessageId ?? '', attempts: attempt };
    } catch (e) {
      const err = e as Error & { $metadata?: { httpStatusCode?: number } };
      const status = err.$metadata?.httpStatusCode;
      if (isThrottle(e) && attempt < maxAttempts) {
        await sleep(backoffMs({ ...DEFAULT_RETRY, baseDelayMs: 1000 }, attempt));
        continue;
      }
      const retryable = isThrottle(e) || (status !== undefined && status >= 500);
      throw new DeliveryError(
        listId,
        `SES did not accept the digest (${err.name}${status ? `, HTTP ${status}` : ''}: ${err.message})${isThrottle(e) ? ` after ${attempt} attempts` : ''}`,
        retryable,
        { ...(status ? { status } : {}), code: err.name },
      );
    }
  }
}
