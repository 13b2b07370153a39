// How delivery talks HTTP: a POST through the one client (shared/fetch/http-client.ts), so
// a receiver meets the same timeouts, guard, redirect rules and body cap as an outlet.
// Returns the status instead of throwing on 4xx/5xx so the retry policy decides; transport
// failures reject with FetchError (timeout, blocked, network), naming no URL.
import type { Settings } from '../config/schema/index.ts';
import { httpRequest } from '../fetch/http-client.ts';
import { guardKey } from '../fetch/http-hop.ts';
import { userAgent } from '../fetch/user-agent.ts';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POST `body` to `url`; rejects only on transport failures (FetchError). */
export type HttpPost = (url: string, body: string, headers: Record<string, string>) => Promise<HttpResponse>;

/** The longest one delivery request may take, connect to last byte. */
export const DELIVERY_TIMEOUT_MS = 10_000;
/** A receiver's answer is read for an error code only: the rest is not read. */
const MAX_RESPONSE_BYTES = 64 * 1024;
/** A moved receiver (307/308) is followed this far. */
const MAX_REDIRECTS = 3;

/**
 * The default HttpPost. The configured receiver is trusted wherever it is (an operator's
 * choice, as a trusted mirror is for the fetcher); a redirect from it to a private,
 * loopback or link-local address is refused unless settings.allowPrivateNetwork.
 */
export function createHttpPost(settings: Pick<Settings, 'allowPrivateNetwork' | 'contactUrl'>, timeoutMs = DELIVERY_TIMEOUT_MS): HttpPost {
  const ua = userAgent(settings.contactUrl);
  return async (url, body, headers) => {
    const res = await httpRequest(
      url,
      { method: 'POST', headers: { 'user-agent': ua, ...headers }, body: Buffer.from(body, 'utf8') },
      {
        timeoutMs,
        connectTimeoutMs: timeoutMs,
        maxBytes: MAX_RESPONSE_BYTES,
        overflow: 'truncate',
        maxRedirects: MAX_REDIRECTS,
        allowPrivateNetwork: settings.allowPrivateNetwork,
        trustedHosts: new Set(trusted(url)),
        // For Slack the URL is the secret: errors name its origin only.
        secretUrl: true,
      },
    );
    return { status: res.status, headers: res.headers, body: res.body.toString('utf8') };
  };
}

/** The receiver's own `host:port`; none for a URL that does not parse (the client refuses it). */
function trusted(url: string): string[] {
  try {
    return [guardKey(new URL(url))];
  } catch {
    return [];
  }
}
