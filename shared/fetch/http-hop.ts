// One HTTP exchange (GET or POST) over node:http/https with every limit enforced: connect
// and total timeouts, a byte cap on the wire and after decompression, and the SSRF guard on
// the socket. Redirects are the caller's (http-client.ts): this follows none.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { BlockedAddressError, guardedLookup, isPrivateAddress } from './address-guard.ts';
import { FetchError, type FetchErrorKind } from './errors.ts';

export interface HopLimits {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  /**
   * A body over maxBytes fails the request (a feed cut off is not a feed), or is cut to
   * maxBytes and the exchange ends there (a receiver's answer, read only for an error code:
   * its POST has landed, and failing it would send the message twice).
   */
  overflow: 'fail' | 'truncate';
  allowPrivateNetwork: boolean;
  /** `host:port` pairs exempt from the guard (a local mirror, a configured receiver); every other hop is still checked. */
  trustedHosts: ReadonlySet<string>;
  /** Absolute time (ms since epoch) by which the whole exchange, all hops, must be done. */
  deadline: number;
  /** The URL is itself a secret (a Slack webhook): errors name its origin only. */
  secretUrl: boolean;
}

export interface HopRequest {
  method: 'GET' | 'POST';
  headers: Record<string, string>;
  body?: Buffer;
}

export interface HopResult {
  status: number;
  headers: IncomingMessage['headers'];
  body: Buffer;
}

function decompressor(encoding: string | undefined, firstByte: number | undefined): zlib.Gunzip | zlib.Inflate | zlib.BrotliDecompress | undefined {
  switch ((encoding ?? '').trim().toLowerCase()) {
    case 'gzip':
    case 'x-gzip':
      return zlib.createGunzip();
    case 'br':
      return zlib.createBrotliDecompress();
    case 'deflate':
      // Some servers send raw deflate under this name; a zlib stream starts with 0x78.
      return firstByte === 0x78 ? zlib.createInflate() : zlib.createInflateRaw();
    default:
      return undefined;
  }
}

/** The `host:port` the guard's trusted list is keyed by. */
export function guardKey(url: URL): string {
  return `${url.hostname.replace(/^\[|\]$/g, '')}:${url.port || (url.protocol === 'https:' ? '443' : '80')}`;
}

/** Performs one request without following redirects; resolves with status, headers and the decoded-size-capped body. */
export function requestOnce(url: URL, request: HopRequest, limits: HopLimits): Promise<HopResult> {
  const href = url.toString();
  const fail = (kind: FetchErrorKind, message: string, cause?: unknown): FetchError =>
    new FetchError(kind, href, message, { secretUrl: limits.secretUrl, ...(cause === undefined ? {} : { cause }) });
  return new Promise<HopResult>((resolve, reject) => {
    let settled = false;
    const timers: NodeJS.Timeout[] = [];
    const finish = (err: Error | undefined, result?: HopResult): void => {
      if (settled) return;
      settled = true;
      for (const t of timers) clearTimeout(t);
      if (err) {
        req.destroy();
        reject(err);
      } else {
        resolve(result!);
        req.destroy(); // a truncated body is not read to its end
      }
    };

    const host = url.hostname.replace(/^\[|\]$/g, '');
    const guarded = !limits.allowPrivateNetwork && !limits.trustedHosts.has(guardKey(url));
    // Node skips `lookup` for literal IPs, so check those here.
    if (guarded && isIP(host) && isPrivateAddress(host)) {
      reject(fail('blocked', `refused to connect to ${host}: a private, loopback or link-local address`));
      return;
    }

    const mod = url.protocol === 'https:' ? https : http;
    const body = request.body;
    const req = mod.request(url, {
      method: request.method,
      headers: body ? { 'content-length': String(body.length), ...request.headers } : request.headers,
      agent: false, // a fresh socket per request: the guard sees every connection
      ...(guarded ? { lookup: guardedLookup } : {}),
    });

    const remaining = Math.max(1, limits.deadline - Date.now());
    timers.push(setTimeout(() => finish(fail('timeout', `no complete response within ${limits.timeoutMs} ms`)), remaining));

    req.on('socket', (socket: Socket) => {
      const connectTimer = setTimeout(
        () => finish(fail('timeout', `could not connect within ${limits.connectTimeoutMs} ms`)),
        Math.min(limits.connectTimeoutMs, remaining),
      );
      timers.push(connectTimer);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        // Belt and braces: the address the socket really reached.
        const addr = socket.remoteAddress;
        if (guarded && addr && isPrivateAddress(addr)) {
          finish(fail('blocked', `refused to connect to ${host} (${addr}): a private, loopback or link-local address`));
        }
      });
    });

    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof BlockedAddressError) finish(fail('blocked', err.message));
      else finish(fail('network', `network error: ${err.code ?? err.message}`, err));
    });

    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const truncate = limits.overflow === 'truncate';
      const declared = Number(res.headers['content-length']);
      if (!truncate && Number.isFinite(declared) && declared > limits.maxBytes) {
        finish(fail('too-large', `response is ${declared} bytes, over the ${limits.maxBytes}-byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let wireBytes = 0;
      let bodyBytes = 0;
      let stream: Readable = res;
      let inflater: ReturnType<typeof decompressor>;
      const done = (): void => finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks) });
      const tooLarge = (what: string): void => {
        inflater?.destroy();
        if (truncate) done();
        else finish(fail('too-large', `response ${what} over the ${limits.maxBytes}-byte limit`));
      };

      const onBodyData = (chunk: Buffer): void => {
        const room = limits.maxBytes - bodyBytes;
        bodyBytes += chunk.length;
        if (bodyBytes > limits.maxBytes) {
          if (truncate) chunks.push(chunk.subarray(0, room));
          return tooLarge(inflater ? 'decompresses to' : 'is');
        }
        chunks.push(chunk);
      };
      res.on('data', (chunk: Buffer) => {
        if (settled) return;
        wireBytes += chunk.length;
        if (wireBytes > limits.maxBytes && !truncate) return tooLarge('is');
        if (stream === res && inflater === undefined && status !== 304) {
          inflater = decompressor(res.headers['content-encoding'], chunk[0]);
          if (inflater) {
            stream = inflater;
            inflater.on('data', onBodyData);
            inflater.on('error', (e: Error) => finish(fail('network', `cannot decompress the ${res.headers['content-encoding']} body: ${e.message}`)));
            inflater.on('end', done);
          }
        }
        if (inflater) inflater.write(chunk);
        else onBodyData(chunk);
      });
      res.on('end', () => {
        if (inflater) inflater.end();
        else done();
      });
      res.on('aborted', () => finish(fail('network', 'the server closed the connection mid-response')));
      res.on('error', (e: Error) => finish(fail('network', `network error: ${e.message}`)));
    });

    req.end(body);
  });
}
