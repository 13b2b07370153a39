// The one error base class of newswatch. Every retry decision (delivery outbox, notify and
// poll handlers, source backoff) reads `retryable` from here and nowhere else, so a new
// error kind cannot be silently treated as "done".

export class NewswatchError extends Error {
  /** True when doing the same thing again later may succeed (throttling, 5xx, network, store down). */
  readonly retryable: boolean;

  constructor(message: string, options: { retryable: boolean; cause?: unknown }) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.retryable = options.retryable;
  }
}

/**
 * Whether an error may go away on a later attempt. Our own errors say so; anything else
 * (a bug, an SDK error that escaped its adapter) counts as retryable: handing work back
 * costs a retry, calling it done loses it.
 */
export function isRetryable(e: unknown): boolean {
  return e instanceof NewswatchError ? e.retryable : true;
}
