// The demo's outlets: bundled fixture feeds served over real HTTP on 127.0.0.1.
// Items between <!--cycle2--> markers appear from the second cycle on; a feed whose
// XML declaration says EUC-KR is sent as EUC-KR bytes; ETags make unchanged feeds 304.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import iconv from 'iconv-lite';

const FEEDS = new URL('./feeds/', import.meta.url);

export interface DemoServer {
  baseUrl: string;
  /** Which cycle's view of the feeds to serve (1 or 2). */
  setCycle(cycle: number): void;
  close(): Promise<void>;
}

/** Serve the demo feeds; `/broken.xml` always answers 500, as a real outage would. */
export async function startDemoServer(): Promise<DemoServer> {
  let cycle = 1;
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').replace(/^\/+/, '').split('?')[0] ?? '';
    if (name === 'broken.xml') {
      res.writeHead(500, { 'content-type': 'text/plain' }).end('internal error');
      return;
    }
    let text: string;
    try {
      if (!/^[a-z0-9.-]+\.xml$/.test(name)) throw new Error('bad name');
      text = readFileSync(new URL(name, FEEDS), 'utf8');
    } catch {
      res.writeHead(404).end('not found');
      return;
    }
    const view = cycle >= 2 ? text.replace(/<!--\/?cycle2-->\n?/g, '') : text.replace(/<!--cycle2-->[\s\S]*?<!--\/cycle2-->\n?/g, '');
    const euckr = /encoding="EUC-KR"/i.test(view);
    const body = euckr ? iconv.encode(view, 'cp949') : Buffer.from(view, 'utf8');
    const etag = `"${createHash('sha1').update(body).digest('hex').slice(0, 16)}"`;
    if (req.headers['if-none-match'] === etag) {
      res.writeHead(304, { etag }).end();
      return;
    }
    const type = name.endsWith('.atom.xml') ? 'application/atom+xml' : 'application/rss+xml';
    res.writeHead(200, { 'content-type': `${type}; charset=${euckr ? 'EUC-KR' : 'utf-8'}`, etag }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    setCycle: (c) => {
      cycle = c;
    },
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
