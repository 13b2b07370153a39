// HTTP for newswatch: every request an outlet sees from us goes through here.
import type { Settings } from '../config/schema/index.ts';
import { FetchError } from './errors.ts';
import { HostLimiter } from './host-limiter.ts';
import { getOnce } from './http-get.ts';
import { parseRetryAfter } from './retry-after.ts';
import { userAgent } from './user-agent.ts';

export { FetchError, redactUrl, type FetchErrorKind } from './errors.ts';
export { decodeBody, normaliseCharset, type DecodedText } from './charset.ts';
export { isPrivateAddress } from './address-guard.ts';
export { parseRetryAfter } from './retry-after.ts';

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

const REDIRECT = new Set([301, 302, 303, 307, 308]);

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

  async function get(url: string, opts: FetchOptions = {}): Promise<FetchResponse> {
    let current: URL;
    try {
      current = new URL(url);
    } catch {
      throw new FetchError('network', url, 'not a valid URL', { retryable: false });
    }
    const headers: Record<string, string> = {
      'user-agent': ua,
      accept: opts.accept ?? '*/*',
      'accept-encoding': 'gzip, deflate, br',
      'accept-language': 'ko-KR,ko;q=0.9,en;q=0.5',
      ...opts.headers,
    };
    if (opts.etag) headers['if-none-match'] = opts.etag;
    if (opts.lastModified) headers['if-modified-since'] = opts.lastModified;

    const deadline = Date.now() + settings.timeoutMs;
    const visited = new Set<string>();
    const firstOrigin = current.origin;
    let hopHeaders = headers;
    for (let hop = 0; ; hop++) {
      if (current.protocol !== 'http:' && current.protocol !== 'https:') {
        throw new FetchError('blocked', current.toString(), `refused a ${current.protocol} URL: only http and https are fetched`);
      }
      visited.add(current.toString());
      const target = current;
      const res = await limiter.run(target.host, () =>
        getOnce(target, hopHeaders, {
          timeoutMs: settings.timeoutMs,
          connectTimeoutMs: Math.min(settings.connectTimeoutMs, settings.timeoutMs),
          maxBytes: settings.maxBytes,
          allowPrivateNetwork,
          trustedHosts,
          deadline,
        }),
      );
      const href = target.toString();
      const header = (name: string): string | undefined => {
        const v = res.headers[name];
        return Array.isArray(v) ? v[0] : v;
      };

      if (REDIRECT.has(res.status)) {
        const location = header('location');
        if (!location) throw new FetchError('redirect', href, `HTTP ${res.status} redirect without a Location header`, { status: res.status });
        let next: URL;
        try {
          next = new URL(location, target);
        } catch {
          throw new FetchError('redirect', href, `HTTP ${res.status} redirect to an invalid Location "${location.slice(0, 200)}"`, { status: res.status });
        }
        if (visited.has(next.toString())) {
          throw new FetchError('redirect', href, `redirect loop: ${next.toString()} was already visited`, { status: res.status });
        }
        if (hop + 1 > settings.maxRedirects) {
          throw new FetchError('redirect', url, `more than ${settings.maxRedirects} redirects`, { status: res.status });
        }
        // Credentials (a Naver API key, Authorization) are for the origin they were given
        // to: a redirect elsewhere, even to http on the same host, goes without them.
        if (next.origin !== firstOrigin) hopHeaders = withoutCredentials(headers, opts.headers);
        current = next;
        continue;
      }

      const base = {
        url: href,
        status: res.status,
        ...optional('contentType', header('content-type')),
        ...optional('etag', header('etag')),
        ...optional('lastModified', header('last-modified')),
      };
      if (res.status === 304) return { ...base, notModified: true, body: Buffer.alloc(0) };
      if (res.status >= 200 && res.status < 300) return { ...base, notModified: false, body: res.body };

      const retryAfter = res.status === 429 || res.status === 503 ? parseRetryAfter(header('retry-after'), new Date()) : undefined;
      const gone = res.status === 404 || res.status === 410;
      throw new FetchError('http', href, `HTTP ${res.status}${gone ? ' (the feed is gone: check its URL)' : ''}`, {
        status: res.status,
        retryable: res.status === 429 || res.status === 408 || res.status >= 500,
        ...(retryAfter ? { retryAfter } : {}),
      });
    }
  }

  return { get };
}

const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/** The request headers minus every caller-supplied header (API keys) and any credential header. */
function withoutCredentials(headers: Record<string, string>, callerHeaders: Record<string, string> | undefined): Record<string, string> {
  const drop = new Set([...CREDENTIAL_HEADERS, ...Object.keys(callerHeaders ?? {}).map((k) => k.toLowerCase())]);
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !drop.has(k.toLowerCase())));
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}
