// HTTP for newswatch: every request an outlet sees from us goes through here (the GET
// side of the one client in http-client.ts, with a per-host limiter and conditional GET).
import type { Settings } from '../config/schema/index.ts';
import { FetchError } from './errors.ts';
import { HostLimiter } from './host-limiter.ts';
import { headerValue, httpRequest, statusVerdict, type HttpLimits } from './http-client.ts';
import { userAgent } from './user-agent.ts';

export { FetchError, redactUrl, type FetchErrorKind } from './errors.ts';
export { decodeBody, normaliseCharset, type DecodedText } from './charset.ts';
export { isPrivateAddress } from './address-guard.ts';
export { parseRetryAfter } from './retry-after.ts';

/** The Accept header for an HTML page (an article, a list page). */
export const PAGE_ACCEPT = 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5';

export interface FetchOptions {
  etag?: string;
  lastModified?: string;
  accept?: string;
  /** Extra request headers (API keys); never logged. */
  headers?: Record<string, string>;
}

export interface FetchResponse {
  /** Final URL, after redirects. */
  url: string;
  status: number;
  notModified: boolean;
  body: Buffer;
  contentType?: string;
  etag?: string;
  lastModified?: string;
}

export interface Fetcher {
  get(url: string, opts?: FetchOptions): Promise<FetchResponse>;
}

export interface FetcherOverrides {
  /** The CLI's --allow-private-network; wins over settings.allowPrivateNetwork. */
  allowPrivateNetwork?: boolean;
  /** `host:port` pairs the SSRF guard lets through (a local mirror); redirects elsewhere are still checked. */
  trustedHosts?: string[];
}

/** Creates the fetcher every source and the article extractor use; limits come from `settings`. */
export function createFetcher(settings: Settings, overrides: FetcherOverrides = {}): Fetcher {
  const limiter = new HostLimiter(settings.perHostConcurrency);
  const allowPrivateNetwork = overrides.allowPrivateNetwork ?? settings.allowPrivateNetwork;
  const ua = userAgent(settings.contactUrl);
  const trustedHosts: ReadonlySet<string> = new Set(overrides.trustedHosts ?? []);

  const limits: HttpLimits = {
    timeoutMs: settings.timeoutMs,
    connectTimeoutMs: settings.connectTimeoutMs,
    maxBytes: settings.maxBytes,
    overflow: 'fail',
    maxRedirects: settings.maxRedirects,
    allowPrivateNetwork,
    trustedHosts,
    secretUrl: false,
  };

  async function get(url: string, opts: FetchOptions = {}): Promise<FetchResponse> {
    const headers: Record<string, string> = {
      'user-agent': ua,
      accept: opts.accept ?? '*/*',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5',
    };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

    const res = await httpRequest(
      url,
      { headers, ...(opts.headers ? { credentials: opts.headers } : {}), schedule: (host, hop) => limiter.run(host, hop) },
      limits,
    );
    const base = {
      url: res.url,
      status: res.status,
      ...optional('contentType', headerValue(res.headers, 'content-type')),
      ...optional('etag', headerValue(res.headers, 'etag')),
      ...optional('lastModified', headerValue(res.headers, 'last-modified')),
    };
    if (res.status === 304) return { ...base, notModified: true, body: Buffer.alloc(0) };
    if (res.status >= 200 && res.status < 300) return { ...base, notModified: false, body: res.body };

    const now = new Date();
    const verdict = statusVerdict(res.status, res.headers, now);
    const gone = res.status === 404 || res.status === 410;
    throw new FetchError('http', res.url, `HTTP ${res.status}${gone ? ' (the feed is gone: check its URL)' : ''}`, {
      status: res.status,
      retryable: verdict.retryable,
      ...(verdict.retryAfterMs !== undefined ? { retryAfter: new Date(now.getTime() + verdict.retryAfterMs) } : {}),
    });
  }

  return { get };
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
