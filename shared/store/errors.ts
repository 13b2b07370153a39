// The store's own error: adapters translate SDK errors into it so the core never
// inspects an AWS SDK error.
import { NewswatchError } from '../retryable-error.ts';

export class StoreError extends NewswatchError {
  override readonly name = 'StoreError';
  /** The store operation that failed, e.g. `putStory`. */
  readonly operation: string;

  constructor(operation: string, message: string, options: { retryable: boolean; cause?: unknown }) {
    super(`store ${operation}: ${message}`, options);
    this.operation = operation;
  }
}

const RETRYABLE = new Set([
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'RequestLimitExceeded',
  'InternalServerError',
  'ServiceUnavailable',
  'LimitExceededException',
  'TimeoutError',
]);

/** Wraps any error from the DynamoDB client as a StoreError naming the operation and table. */
export function toStoreError(operation: string, tableName: string, err: unknown): StoreError {
  if (err instanceof StoreError) return err;
  const e = err as { name?: string; message?: string; code?: string; $metadata?: { httpStatusCode?: number } };
  const name = e?.name ?? 'Error';
  const status = e?.$metadata?.httpStatusCode;
  const network = ['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE'].includes(e?.code ?? '');
  // A store that is down, missing or throttling may come back: only a request DynamoDB
  // refuses as invalid (ValidationException: an item too large, a bad expression) is final.
  const retryable = RETRYABLE.has(name) || network || (status !== undefined && status >= 500) || name !== 'ValidationException';
  let hint = '';
  if (name === 'ResourceNotFoundException') hint = ` (does table '${tableName}' exist? the CLI creates it; on AWS, cdk deploy does)`;
  if (network) hint = ' (is the store endpoint running?)';
  return new StoreError(operation, `${name}: ${e?.message ?? String(err)} [table ${tableName}]${hint}`, { retryable, cause: err });
}

/**
 * True when the store refused this item itself (DynamoDB's ValidationException: over 400 KB,
 * an empty key...): writing it again can never succeed, and other items are not to blame.
 */
export function isUnstorable(err: unknown): boolean {
  if (!(err instanceof StoreError) || err.retryable) return false;
  const cause = err.cause as { name?: unknown } | undefined;
  return cause?.name === 'ValidationException';
}
