// The SES adapter of the email-sender port: SendRawEmail (custom headers need a raw
// message); throttling is retried with backoff; SDK errors become DeliveryError here.
import { SendRawEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { EmailSender, OutgoingEmail } from '../../shared/deliver/email-sender.ts';
import { DeliveryError } from '../../shared/deliver/errors.ts';
import { DEFAULT_RETRY } from '../../shared/deliver/retry.ts';
import { realSleep } from '../../shared/deliver/types.ts';
import { backoffDelay, retrying } from '../../shared/retry.ts';

const THROTTLED = new Set(['TooManyRequestsException', 'ThrottlingException', 'Throttling', 'LimitExceededException', 'SendingPausedException']);

function isThrottle(e: unknown): boolean {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number }; $retryable?: { throttling?: boolean } };
  return THROTTLED.has(err.name ?? '') || err.$metadata?.httpStatusCode === 429 || err.$retryable?.throttling === true;
}

export interface SesSenderOptions {
  /** Waits between throttled attempts (tests pass a no-op). */
  sleep?: (ms: number) => Promise<void>;
  maxAttempts?: number;
}

/** An EmailSender over SES SendRawEmail. */
export function createSesSender(ses: SESClient, opts: SesSenderOptions = {}): EmailSender {
  const sleep = opts.sleep ?? realSleep;
  return {
    send: async (mail) => {
      const { messageId } = await sendRawEmail(ses, mail, sleep, opts.maxAttempts);
      return { messageId };
    },
  };
}

/** Send one raw message; resolves with the SES message id and the attempts it took. */
export async function sendRawEmail(
  ses: SESClient,
  mail: OutgoingEmail,
  sleep: (ms: number) => Promise<void>,
  maxAttempts = 5,
): Promise<{ messageId: string; attempts: number }> {
  return retrying(
    async (attempt) => {
      const out = await ses.send(new SendRawEmailCommand({ Destinations: mail.to, RawMessage: { Data: Buffer.from(mail.raw, 'utf8') } }));
      return { messageId: out.MessageId ?? '', attempts: attempt };
    },
    {
      maxAttempts,
      sleep,
      delayMs: (e, attempt) => (isThrottle(e) ? backoffDelay({ ...DEFAULT_RETRY, baseDelayMs: 1000 }, attempt) : undefined),
      fail: (e, attempts) => sesError(mail, e, attempts),
    },
  );
}

/** An SES failure as a DeliveryError, retryable when throttled or a 5xx. */
function sesError(mail: OutgoingEmail, e: unknown, attempts: number): DeliveryError {
  const err = e as Error & { $metadata?: { httpStatusCode?: number } };
  const status = err.$metadata?.httpStatusCode;
  const retryable = isThrottle(e) || (status !== undefined && status >= 500);
  return new DeliveryError(
    mail.listId,
    `SES did not accept the digest (${err.name}${status ? `, HTTP ${status}` : ''}: ${err.message})${isThrottle(e) ? ` after ${attempts} attempts` : ''}`,
    retryable,
    { ...(status ? { status } : {}), code: err.name },
  );
}
