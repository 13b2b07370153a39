// One error class for everything that can go wrong fetching a URL, so callers never
// inspect node:http or zlib errors. The URL in messages has secret query values removed.

export type FetchErrorKind = 'timeout' | 'too-large' | 'http' | 'redirect' | 'blocked' | 'network' | 'decode';

const SECRET_PARAM = /^(key|api[_-]?key|apikey|token|access[_-]?token|secret|client[_-]?secret|password|passwd|sig|signature|auth)$/i;

/** A URL safe to show in logs and errors: secret-looking query values replaced by `***`. */
export function redactUrl(url: string): string {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return url;
  }
  if (u.username || u.password) {
    u.username = '';
    u.password = '';
  }
  for (const name of [...u.searchParams.keys()]) {
    if (SECRET_PARAM.test(name)) u.searchParams.set(name, '***');
  }
  return u.toString();
}

import { NewswatchError } from '../retryable-error.ts';

export class FetchError extends NewswatchError {
  readonly url: string;
  readonly kind: FetchErrorKind;
  readonly status?: number;
  readonly retryAfter?: Date;

  constructor(kind: FetchErrorKind, url: string, message: string, extra: { status?: number; retryable?: boolean; retryAfter?: Date; cause?: unknown } = {}) {
    const safeUrl = redactUrl(url);
    super(`${message} (${safeUrl})`, { retryable: extra.retryable ?? (kind === 'timeout' || kind === 'network'), cause: extra.cause });
    this.name = 'FetchError';
    this.kind = kind;
    this.url = safeUrl;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
  }
}
