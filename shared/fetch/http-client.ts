// The one HTTP client of newswatch: feeds and pages (GET) and Slack and webhook deliveries
// (POST) go through here, so timeouts, the SSRF guard, redirects, body caps and what counts
// as retryable are decided once. Built on node:http/https (see docs/architecture.md, "What
// stays hand-written and why"): the guard needs the DNS lookup and the socket, and the caps
// need the bytes on the wire and after decompression.
import type { IncomingHttpHeaders } from 'node:http';
import { FetchError } from './errors.ts';
import { requestOnce, type HopLimits } from './http-hop.ts';
import { retryAfterDelayMs } from './retry-after.ts';

export interface HttpLimits extends Omit<HopLimits, 'deadline'> {
  maxRedirects: number;
}

export interface HttpRequest {
  method?: 'GET' | 'POST';
  /** Headers sent on every hop. */
  headers: Record<string, string>;
  /** Headers for the first origin only (API keys): a redirect elsewhere goes without them. */
  credentials?: Record<string, string>;
  body?: Buffer;
  /** Runs each hop (a per-host limiter); default: at once. */
  schedule?: <T>(host: string, hop: () => Promise<T>) => Promise<T>;
}

export interface HttpResponse {
  /** Final URL, after redirects. */
  url: string;
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/** Redirects a GET follows; a POST follows only those that keep its method and body. */
const REDIRECT_GET = new Set([301, 302, 303, 307, 308]);
const REDIRECT_POST = new Set([307, 308]);
/** Headers that carry credentials whoever set them. */
const CREDENTIAL_HEADERS = new Set(['authorization', 'proxy-authorization', 'cookie']);

/**
 * One request, redirects followed (up to `maxRedirects`, loops refused, every hop through
 * the guard). Resolves with any status: what a non-2xx answer means is `statusVerdict`'s.
 * Rejects with FetchError: timeout, too-large, redirect, blocked, network.
 */
export async function httpRequest(url: string, request: HttpRequest, limits: HttpLimits): Promise<HttpResponse> {
  let current: URL;
  try {
    current = new URL(url);
  } catch {
    throw new FetchError('network', url, 'not a valid URL', { retryable: false, secretUrl: limits.secretUrl });
  }
  const method = request.method ?? 'GET';
  const follows = method === 'GET' ? REDIRECT_GET : REDIRECT_POST;
  const schedule = request.schedule ?? ((_host, hop) => hop());
  const deadline = Date.now() + limits.timeoutMs;
  const hop = { ...limits, deadline, connectTimeoutMs: Math.min(limits.connectTimeoutMs, limits.timeoutMs) };
  const firstOrigin = current.origin;
  const visited = new Set<string>();
  let headers = { ...request.headers, ...request.credentials };
  for (let n = 0; ; n++) {
    if (current.protocol !== 'http:' && current.protocol !== 'https:') {
      throw new FetchError('blocked', current.toString(), `refused a ${current.protocol} URL: only http and https are fetched`, {
        secretUrl: limits.secretUrl,
      });
    }
    visited.add(current.toString());
    const target = current;
    const sent = headers;
    const res = await schedule(target.host, () => requestOnce(target, { method, headers: sent, ...(request.body ? { body: request.body } : {}) }, hop));
    const href = target.toString();
    if (!follows.has(res.status)) return { url: href, ...res };

    const redirectError = (message: string): FetchError => new FetchError('redirect', href, message, { status: res.status, secretUrl: limits.secretUrl });
    const location = headerValue(res.headers, 'location');
    if (!location) throw redirectError(`HTTP ${res.status} redirect without a Location header`);
    let next: URL;
    try {
      next = new URL(location, target);
    } catch {
      throw redirectError(`HTTP ${res.status} redirect to an invalid Location "${location.slice(0, 200)}"`);
    }
    if (visited.has(next.toString())) throw redirectError(`redirect loop: ${limits.secretUrl ? 'a URL' : next.toString()} was already visited`);
    if (n + 1 > limits.maxRedirects) {
      throw new FetchError('redirect', url, `more than ${limits.maxRedirects} redirects`, { status: res.status, secretUrl: limits.secretUrl });
    }
    // Credentials (a Naver API key, Authorization, a receiver's user:password) are for the
    // origin they were given to: a redirect elsewhere, even to http on the same host, goes
    // without them. Node sends a URL's user:password itself, and a Location has none.
    if (next.origin !== firstOrigin) headers = withoutCredentials(request.headers);
    current = next;
  }
}

function withoutCredentials(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).filter(([k]) => !CREDENTIAL_HEADERS.has(k.toLowerCase())));
}

/** A header's first value. */
export function headerValue(headers: IncomingHttpHeaders, name: string): string | undefined {
  const v = headers[name];
  return Array.isArray(v) ? v[0] : v;
}

export interface StatusVerdict {
  /** Asking again later may succeed: 408, 429 and 5xx. Any other 4xx is the request's fault. */
  retryable: boolean;
  /** The server's Retry-After (429, 503), capped at 6 h; undefined when absent or unreadable. */
  retryAfterMs?: number;
}

/** What a non-2xx answer means, for an outlet and a receiver alike. */
export function statusVerdict(status: number, headers: IncomingHttpHeaders, now: Date): StatusVerdict {
  const retryable = status === 429 || status === 408 || status >= 500;
  const retryAfterMs = status === 429 || status === 503 ? retryAfterDelayMs(headers['retry-after'], now) : undefined;
  return retryAfterMs === undefined ? { retryable } : { retryable, retryAfterMs };
}
