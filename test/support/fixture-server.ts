// A real HTTP server on 127.0.0.1 that serves fixture files with per-route behaviour,
// for tests that must exercise the network path (no mocked fetch).
//
//   const server = await startFixtureServer({
//     '/feed.xml': { file: 'feeds/yna-news.xml', headers: { 'content-type': 'application/rss+xml' } },
//     '/slow': { body: 'x', delayMs: 5000 },                 // wait before the headers
//     '/drip': { drip: { chunk: 'a', everyMs: 100 } },         // a byte every 100 ms, forever
//     '/gz': { file: 'feeds/x.xml', gzip: true },              // Content-Encoding: gzip
//     '/old': { redirect: '/feed.xml' },                       // 302 Location: /feed.xml
//     '/busy': { status: 429, headers: { 'retry-after': '120' } },
//     '/custom': { handler: (req, res) => res.end('...') },    // anything else
//   });
//   server.url('/feed.xml');  // http://127.0.0.1:<port>/feed.xml
//   server.requests           // every request seen: method, path, headers
//   server.route('/late', { body: 'added later' });
//   await server.close();
//
// `file` is relative to test/fixtures/. Routes match on the path without the query;
// an unknown path is a 404.
import { readFileSync } from 'node:fs';
import http, { type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';

export const FIXTURES_DIR = fileURLToPath(new URL('../fixtures/', import.meta.url));

export interface FixtureRoute {
  /** Response status (default 200; 302 when `redirect` is set). */
  status?: number;
  headers?: Record<string, string>;
  /** Literal body. */
  body?: string | Buffer;
  /** Body read from test/fixtures/<file>. */
  file?: string;
  /** Wait this long before sending anything. */
  delayMs?: number;
  /** Send the headers, then `chunk` every `everyMs` (for `count` chunks, default: until the client leaves). */
  drip?: { chunk: string | Buffer; everyMs: number; count?: number };
  /** Gzip the body and send Content-Encoding: gzip. */
  gzip?: boolean;
  /** Redirect to this location (relative or absolute). */
  redirect?: string;
  /** Full control: handle the request yourself. */
  handler?: (req: IncomingMessage, res: ServerResponse) => void;
}

export interface FixtureServer {
  /** Origin, e.g. http://127.0.0.1:41234 */
  origin: string;
  /** Absolute URL of a path on this server. */
  url(path: string): string;
  /** Every request received, in order. */
  requests: { method: string; path: string; headers: IncomingHttpHeaders }[];
  /** Adds or replaces a route. */
  route(path: string, route: FixtureRoute): void;
  close(): Promise<void>;
}

/** Reads a fixture file (path relative to test/fixtures/). */
export function fixture(file: string): Buffer {
  return readFileSync(FIXTURES_DIR + file);
}

/** Starts a fixture server on 127.0.0.1 on a free port. */
export async function startFixtureServer(routes: Record<string, FixtureRoute> = {}): Promise<FixtureServer> {
  const table = new Map(Object.entries(routes));
  const requests: FixtureServer['requests'] = [];
  const timers = new Set<NodeJS.Timeout>();

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    requests.push({ method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers });
    const route = table.get(path);
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const respond = (): void => serve(route, req, res, timers);
    if (route.delayMs) {
      const t = setTimeout(respond, route.delayMs);
      timers.add(t);
    } else respond();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    url: (path) => origin + path,
    requests,
    route: (path, route) => void table.set(path, route),
    close: () =>
      new Promise<void>((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function serve(route: FixtureRoute, req: IncomingMessage, res: ServerResponse, timers: Set<NodeJS.Timeout>): void {
  if (route.handler) return route.handler(req, res);
  const headers: Record<string, string> = { ...route.headers };
  if (route.redirect !== undefined) {
    res.writeHead(route.status ?? 302, { ...headers, location: route.redirect }).end();
    return;
  }
  if (route.drip) {
    const { chunk, everyMs, count } = route.drip;
    res.writeHead(route.status ?? 200, headers);
    let sent = 0;
    const t = setInterval(() => {
      if (res.destroyed || (count !== undefined && sent >= count)) {
        clearInterval(t);
        timers.delete(t);
        if (!res.destroyed) res.end();
        return;
      }
      res.write(chunk);
      sent++;
    }, everyMs);
    timers.add(t);
    return;
  }
  let body: Buffer = route.file !== undefined ? fixture(route.file) : Buffer.from(route.body ?? '');
  if (route.gzip) {
    body = zlib.gzipSync(body);
    headers['content-encoding'] = 'gzip';
  }
  headers['content-length'] ??= String(body.length);
  res.writeHead(route.status ?? 200, headers).end(body);
}
