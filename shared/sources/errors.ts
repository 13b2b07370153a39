/** A source could not be read. The message starts with the source id, so a log line or CLI error says which one. */
import { NewswatchError } from '../retryable-error.ts';

export class SourceError extends NewswatchError {
  readonly sourceId: string;
  readonly retryAfter?: Date;

  constructor(sourceId: string, message: string, extra: { retryable?: boolean; retryAfter?: Date; cause?: unknown } = {}) {
    super(`${sourceId}: ${message}`, { retryable: extra.retryable ?? false, cause: extra.cause });
    this.name = 'SourceError';
    this.sourceId = sourceId;
    if (extra.retryAfter) this.retryAfter = extra.retryAfter;
  }
}
