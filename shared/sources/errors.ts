/** A source could not be read. The message starts with the source id, so a log line or CLI error says which one. */
export class SourceError extends Error {
  readonly sourceId: string;
  readonly retryable: boolean;
  readonly retryAfter?: Date;

  constructor(sourceId: string, message: string, extra: { retryable?: boolean; retryAfter?: Date; cause?: unknown } = {}) {
    super(`${sourceId}: ${message}`, extra.cause === undefined ? undefined : { cause: extra.cause });
    this.name = 'SourceError';
    this.sourceId = sourceId;
    this.retryable = extra.retryable ?? false;
    if (extra.retryAfter) this.retryAfter = extra.retryAfter;
  }
}
