// The one way delivery talks HTTP: a POST with a hard timeout and a size-capped
// response. Returns the status instead of throwing on 4xx/5xx so the retry policy decides.
import http from 'node:http';
import https from 'node:https';

export interface HttpResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** POST `body` to `url`; rejects only on network errors and timeouts (with `timedOut` set). */
export type HttpPost = (url: string, body: string, headers: Record<string, string>) => Promise<HttpResponse>;

export class HttpTransportError extends Error {
  constructor(
    message: string,
    readonly timedOut: boolean,
  ) {
    super(message);
    this.name = 'HttpTransportError';
  }
}

const MAX_RESPONSE_BYTES = 64 * 1024;

/** The default HttpPost over node:http(s); `timeoutMs` covers the whole exchange. */
export function nodeHttpPost(timeoutMs = 10_000): HttpPost {
  return (url, body, headers) =>
    new Promise<HttpResponse>((resolve, reject) => {
      let target: URL;
      try {
        target = new URL(url);
      } catch {
        reject(new HttpTransportError('the URL is not valid', false));
        return;
      }
      const lib = target.protocol === 'https:' ? https : target.protocol === 'http:' ? http : undefined;
      if (!lib) {
        reject(new HttpTransportError(`unsupported URL scheme ${target.protocol}`, false));
        return;
      }
      const payload = Buffer.from(body, 'utf8');
      const req = lib.request(target, {
        method: 'POST',
        headers: { 'content-length': String(payload.length), 'user-agent': 'newswatch', ...headers },
        agent: false,
      });
      const timer = setTimeout(() => {
        req.destroy(new HttpTransportError(`no response within ${timeoutMs} ms`, true));
      }, timeoutMs);
      req.on('response', (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_RESPONSE_BYTES) chunks.push(c);
        });
        res.on('end', () => {
          clearTimeout(timer);
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') });
        });
        res.on('error', (e) => {
          clearTimeout(timer);
          reject(e instanceof HttpTransportError ? e : new HttpTransportError(e.message, false));
        });
      });
      req.on('error', (e) => {
        clearTimeout(timer);
        // Never echo the URL: for Slack it is the secret.
        const code = (e as NodeJS.ErrnoException).code;
        reject(e instanceof HttpTransportError ? e : new HttpTransportError(code ? `connection failed (${code})` : 'connection failed', false));
      });
      req.end(payload);
    });
}
