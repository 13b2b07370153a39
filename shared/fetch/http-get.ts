// One GET over node:http/https with every limit enforced: connect and total timeouts,
// a byte cap on the wire and after decompression, and the SSRF guard on the socket.
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { isIP, type Socket } from 'node:net';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import { BlockedAddressError, guardedLookup, isPrivateAddress } from './address-guard.ts';
import { FetchError } from './errors.ts';

export interface HopLimits {
  timeoutMs: number;
  connectTimeoutMs: number;
  maxBytes: number;
  allowPrivateNetwork: boolean;
  /** `host:port` pairs exempt from the guard (a local mirror); every other hop is still checked. */
  trustedHosts: ReadonlySet<string>;
  /** Absolute time (ms since epoch) by which the whole fetch, all hops, must be done. */
  deadline: number;
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

/** Performs one request without following redirects; resolves with status, headers and the decoded-size-capped body. */
export function getOnce(url: URL, headers: Record<string, string>, limits: HopLimits): Promise<HopResult> {
  const href = url.toString();
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
      } else resolve(result!);
    };

    const host = url.hostname.replace(/^\[|\]$/g, '');
    const port = url.port || (url.protocol === 'https:' ? '443' : '80');
    const guarded = !limits.allowPrivateNetwork && !limits.trustedHosts.has(`${host}:${port}`);
    // Node skips `lookup` for literal IPs, so check those here.
    if (guarded && isIP(host) && isPrivateAddress(host)) {
      reject(new FetchError('blocked', href, `refused to connect to ${host}: a private, loopback or link-local address`));
      return;
    }

    const mod = url.protocol === 'https:' ? https : http;
    const req = mod.request(url, {
      method: 'GET',
      headers,
      agent: false, // a fresh socket per request: the guard sees every connection
      ...(guarded ? { lookup: guardedLookup } : {}),
    });

    const remaining = Math.max(1, limits.deadline - Date.now());
    timers.push(setTimeout(() => finish(new FetchError('timeout', href, `no complete response within ${limits.timeoutMs} ms`)), remaining));

    req.on('socket', (socket: Socket) => {
      const connectTimer = setTimeout(
        () => finish(new FetchError('timeout', href, `could not connect within ${limits.connectTimeoutMs} ms`)),
        Math.min(limits.connectTimeoutMs, remaining),
      );
      timers.push(connectTimer);
      socket.once(url.protocol === 'https:' ? 'secureConnect' : 'connect', () => clearTimeout(connectTimer));
      socket.once('connect', () => {
        clearTimeout(connectTimer);
        // Belt and braces: the address the socket really reached.
        const addr = socket.remoteAddress;
        if (guarded && addr && isPrivateAddress(addr)) {
          finish(new FetchError('blocked', href, `refused to connect to ${host} (${addr}): a private, loopback or link-local address`));
        }
      });
    });

    req.on('error', (err: NodeJS.ErrnoException) => {
      if (err instanceof BlockedAddressError) {
        finish(new FetchError('blocked', href, err.message));
      } else {
        finish(new FetchError('network', href, `network error: ${err.code ?? err.message}`, { cause: err }));
      }
    });

    req.on('response', (res: IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const declared = Number(res.headers['content-length']);
      if (Number.isFinite(declared) && declared > limits.maxBytes) {
        finish(new FetchError('too-large', href, `response is ${declared} bytes, over the ${limits.maxBytes}-byte limit`));
        return;
      }
      const chunks: Buffer[] = [];
      let wireBytes = 0;
      let bodyBytes = 0;
      let stream: Readable = res;
      let inflater: ReturnType<typeof decompressor>;
      const tooLarge = (what: string): void => finish(new FetchError('too-large', href, `response ${what} over the ${limits.maxBytes}-byte limit`));

      const onBodyData = (chunk: Buffer): void => {
        bodyBytes += chunk.length;
        if (bodyBytes > limits.maxBytes) {
          inflater?.destroy();
          return tooLarge(inflater ? 'decompresses to' : 'is');
        }
        chunks.push(chunk);
      };
      res.on('data', (chunk: Buffer) => {
        wireBytes += chunk.length;
        if (wireBytes > limits.maxBytes) return tooLarge('is');
        if (stream === res && inflater === undefined && status !== 304) {
          inflater = decompressor(res.headers['content-encoding'], chunk[0]);
          if (inflater) {
            stream = inflater;
            inflater.on('data', onBodyData);
            inflater.on('error', (e: Error) =>
              finish(new FetchError('network', href, `cannot decompress the ${res.headers['content-encoding']} body: ${e.message}`)),
            );
            inflater.on('end', () => finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks) }));
          }
        }
        if (inflater) inflater.write(chunk);
        else onBodyData(chunk);
      });
      res.on('end', () => {
        if (inflater) inflater.end();
        else finish(undefined, { status, headers: res.headers, body: Buffer.concat(chunks) });
      });
      res.on('aborted', () => finish(new FetchError('network', href, 'the server closed the connection mid-response')));
      res.on('error', (e: Error) => finish(new FetchError('network', href, `network error: ${e.message}`)));
    });

    req.end();
  });
}
