// One error class for everything that can go wrong in an HTTP exchange (a feed's GET, a
// delivery's POST), so callers never inspect node:http or zlib errors. The URL in messages
// has secret query values removed; a URL that is itself the secret (a Slack webhook) is
// named by its origin only.
import { NewswatchError } from '../retryable-error.ts';

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

function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return '(a URL not shown)';
  }
}

export class FetchError extends NewswatchError {
  readonly url: string;
  readonly kind: FetchErrorKind;
  readonly status?: number;
  readonly retryAfter?: Date;

  constructor(
    kind: FetchErrorKind,
    url: string,
    message: string,
    extra: { status?: number; retryable?: boolean; retryAfter?: Date; cause?: unknown; secretUrl?: boolean } = {},
  ) {
    const safeUrl = extra.secretUrl ? originOf(url) : redactUrl(url);
    super(extra.secretUrl ? message : `${message} (${safeUrl})`, {
      retryable: extra.retryable ?? (kind === 'timeout' || kind === 'network'),
      cause: extra.cause,
    });
    this.name = 'FetchError';
    this.kind = kind;
    this.url = safeUrl;
    if (extra.status !== undefined) this.status = extra.status;
    if (extra.retryAfter !== undefined) this.retryAfter = extra.retryAfter;
  }
}
