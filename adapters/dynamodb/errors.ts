// DynamoDB SDK errors become the core's StoreError here, so the core never inspects an
// AWS SDK error: retryable or not, and unstorable when DynamoDB refused the item itself.
import { StoreError } from '../../shared/store/errors.ts';

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
  return new StoreError(operation, `${name}: ${e?.message ?? String(err)} [table ${tableName}]${hint}`, {
    retryable,
    unstorable: !retryable && name === 'ValidationException',
    cause: err,
  });
}
