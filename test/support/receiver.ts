// A real HTTP receiver on 127.0.0.1 for Slack and webhook tests: records every request
// (headers, raw body, arrival time) and answers from a per-path script, e.g.
//
//   const rx = await startReceiver();
//   rx.script('/hook', [{ status: 500 }, { status: 429, headers: { 'retry-after': '1' } }]); // then 200 ok
//   rx.script('/bad', [{ status: 400, body: 'invalid_payload' }], { repeat: true });
//   rx.latency('/slow', 200);           // every answer on /slow waits 200 ms
//   rx.url('/hook'); rx.requests('/hook'); await rx.close();
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ScriptedResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: string;
  /** Wait this long before answering (to provoke client timeouts). */
  delayMs?: number;
}

export interface ReceivedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** performance.now() when the request body was complete. */
  at: number;
}

export interface Receiver {
  url(path: string): string;
  /** Answers for the next requests to `path`, in order; afterwards 200 `ok` (or the last, with repeat). */
  script(path: string, responses: ScriptedResponse[], opts?: { repeat?: boolean }): void;
  /** Delay every answer on `path` by `ms`. */
  latency(path: string, ms: number): void;
  requests(path?: string): ReceivedRequest[];
  reset(): void;
  close(): Promise<void>;
}

/** Start a receiver on 127.0.0.1 at a free port (or `port`: a destination that was down comes back). */
export async function startReceiver(opts: { port?: number } = {}): Promise<Receiver> {
  const scripts = new Map<string, { queue: ScriptedResponse[]; repeat: boolean }>();
  const latencies = new Map<string, number>();
  let received: ReceivedRequest[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const path = (req.url ?? '/').split('?')[0] ?? '/';
      received.push({ method: req.method ?? 'GET', path, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), at: performance.now() });
      const s = scripts.get(path);
      const next: ScriptedResponse = (s && (s.repeat && s.queue.length === 1 ? s.queue[0] : s.queue.shift())) || {};
      const delay = (next.delayMs ?? 0) + (latencies.get(path) ?? 0);
      const answer = (): void => {
        if (res.destroyed) return;
        res.writeHead(next.status ?? 200, { 'content-type': 'text/plain', ...next.headers });
        res.end(next.body ?? 'ok');
      };
      if (delay > 0) setTimeout(answer, delay);
      else answer();
    });
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (path) => `http://127.0.0.1:${port}${path}`,
    script: (path, responses, opts = {}) => scripts.set(path, { queue: [...responses], repeat: opts.repeat ?? false }),
    latency: (path, ms) => latencies.set(path, ms),
    requests: (path) => (path === undefined ? [...received] : received.filter((r) => r.path === path)),
    reset: () => {
      received = [];
      scripts.clear();
      latencies.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
