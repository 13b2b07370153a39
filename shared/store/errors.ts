// The store's own error: adapters translate SDK errors into it so the core never
// inspects an AWS SDK error.
import { NewswatchError } from '../retryable-error.ts';

export class StoreError extends NewswatchError {
  override readonly name = 'StoreError';
  /** The store operation that failed, e.g. `putStory`. */
  readonly operation: string;
  /** The store refused this item itself (too large, a bad key): writing it again can never succeed. */
  readonly unstorable: boolean;

  constructor(operation: string, message: string, options: { retryable: boolean; unstorable?: boolean; cause?: unknown }) {
    super(`store ${operation}: ${message}`, options);
    this.operation = operation;
    this.unstorable = options.unstorable ?? false;
  }
}

/**
 * True when the store refused this item itself (the adapter says so: DynamoDB's
 * ValidationException, over 400 KB, an empty key...): writing it again can never succeed,
 * and other items are not to blame.
 */
export function isUnstorable(err: unknown): boolean {
  return err instanceof StoreError && !err.retryable && err.unstorable;
}
