// The fetcher against a real HTTP server on 127.0.0.1: limits, redirects, conditional
// GET, Retry-After and the SSRF guard as an outlet (or an attacker) would exercise them.
import zlib from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/config/schema/settings.ts';
import { createFetcher, FetchError } from '../../../shared/fetch/index.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';

const settings = (over: Record<string, unknown> = {}) =>
  settingsSchema.parse({ timeoutMs: 1500, connectTimeoutMs: 1000, maxBytes: 1024 * 1024, allowPrivateNetwork: true, ...over });

let server: FixtureServer;
// 50 MB of zeros, gzipped once: compressing it inside the request handler blocked this
// process's event loop for as long as the fetch timeout on a loaded machine.
let bombBody: Buffer | undefined;
const bomb = (): Buffer => (bombBody ??= zlib.gzipSync(Buffer.alloc(50 * 1024 * 1024)));
beforeAll(async () => {
  bomb();
  server = await startFixtureServer({
    '/feed.xml': {
      file: 'feeds/yna-news.xml',
      headers: { 'content-type': 'application/rss+xml; charset=utf-8', etag: '"v1"', 'last-modified': 'Mon, 27 Jan 2025 01:00:00 GMT' },
    },
    '/gz.xml': { file: 'feeds/yna-news.xml', gzip: true },
    '/br.xml': { handler: (_q, r) => r.writeHead(200, { 'content-encoding': 'br' }).end(zlib.brotliCompressSync(Buffer.from('브로틀리 본문'))) },
    '/deflate.xml': { handler: (_q, r) => r.writeHead(200, { 'content-encoding': 'deflate' }).end(zlib.deflateSync(Buffer.from('디플레이트 본문'))) },
    '/slow': { body: 'late', delayMs: 5000 },
    '/drip': { drip: { chunk: '<', everyMs: 50 } },
    '/huge': { drip: { chunk: Buffer.alloc(1024 * 1024, 0x61), everyMs: 1, count: 20 } },
    '/huge-declared': { body: Buffer.alloc(2 * 1024 * 1024, 0x61) },
    '/bomb': {
      handler: (_q, r) => r.writeHead(200, { 'content-encoding': 'gzip', 'content-type': 'application/rss+xml' }).end(bomb()),
    },
    '/loop-a': { redirect: '/loop-b' },
    '/loop-b': { redirect: '/loop-a' },
    '/hop1': { redirect: '/hop2', status: 301 },
    '/hop2': { redirect: '/feed.xml', status: 308 },
    '/chain0': { redirect: '/chain1' },
    '/chain1': { redirect: '/chain2' },
    '/chain2': { redirect: '/chain3' },
    '/chain3': { redirect: '/chain4' },
    '/chain4': { redirect: '/chain5' },
    '/chain5': { redirect: '/chain6' },
    '/chain6': { redirect: '/feed.xml' },
    '/gone': { status: 410, body: 'gone' },
    '/to-file': { redirect: 'file:///etc/passwd' },
    '/to-nowhere': { redirect: 'http://exa mple.com:99999/' },
    '/busy': { status: 429, headers: { 'retry-after': '120' } },
    '/unavailable': { status: 503, headers: { 'retry-after': 'Wed, 21 Oct 2099 07:28:00 GMT' } },
    '/broken': { status: 500, body: 'oops' },
    '/to-localhost': { redirect: 'http://127.0.0.1:9/feed.xml' },
    '/to-metadata': { redirect: 'http://169.254.169.254/latest/meta-data/' },
    '/conditional': {
      handler: (req, res) => {
        if (req.headers['if-none-match'] === '"v1"') return void res.writeHead(304).end();
        res.writeHead(200, { etag: '"v1"' }).end('fresh');
      },
    },
  });
});
afterAll(() => server.close());

async function failure(p: Promise<unknown>): Promise<FetchError> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(FetchError);
  return e as FetchError;
}

describe('fetcher', () => {
  it('fetches a feed with its validators and a User-Agent naming newswatch and the contact URL', async () => {
    const res = await createFetcher(settings({ contactUrl: 'https://example.org/newswatch' })).get(server.url('/feed.xml'));
    expect(res.status).toBe(200);
    expect(res.body.toString('utf8')).toContain('연합뉴스');
    expect(res.etag).toBe('"v1"');
    expect(res.lastModified).toBe('Mon, 27 Jan 2025 01:00:00 GMT');
    const ua = server.requests.at(-1)!.headers['user-agent'];
    expect(ua).toMatch(/^newswatch\/\d+\.\d+\.\d+ \(\+https:\/\/example\.org\/newswatch\)$/);
  });

  it('sends the validators back and reports "not modified" on 304', async () => {
    const f = createFetcher(settings());
    const res = await f.get(server.url('/conditional'), { etag: '"v1"', lastModified: 'Mon, 27 Jan 2025 01:00:00 GMT' });
    expect(res.notModified).toBe(true);
    expect(server.requests.at(-1)!.headers['if-modified-since']).toBe('Mon, 27 Jan 2025 01:00:00 GMT');
    expect((await f.get(server.url('/conditional'))).body.toString()).toBe('fresh');
  });

  it('decompresses gzip, br and deflate', async () => {
    const f = createFetcher(settings());
    expect((await f.get(server.url('/gz.xml'))).body.toString()).toContain('연합뉴스');
    expect((await f.get(server.url('/br.xml'))).body.toString()).toBe('브로틀리 본문');
    expect((await f.get(server.url('/deflate.xml'))).body.toString()).toBe('디플레이트 본문');
  });

  it('gives up on a server that does not answer in time', async () => {
    const e = await failure(createFetcher(settings({ timeoutMs: 300 })).get(server.url('/slow')));
    expect(e.kind).toBe('timeout');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('/slow');
  });

  it('gives up on a slow drip that never ends (total timeout, not idle timeout)', async () => {
    const started = Date.now();
    const e = await failure(createFetcher(settings({ timeoutMs: 400 })).get(server.url('/drip')));
    expect(e.kind).toBe('timeout');
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('stops reading a 20 MB body at the cap', async () => {
    const e = await failure(createFetcher(settings()).get(server.url('/huge')));
    expect(e.kind).toBe('too-large');
    const declared = await failure(createFetcher(settings()).get(server.url('/huge-declared')));
    expect(declared.kind).toBe('too-large');
  });

  it('stops inflating a gzip bomb at the cap', async () => {
    const e = await failure(createFetcher(settings()).get(server.url('/bomb')));
    expect(e.kind).toBe('too-large');
    expect(e.message).toMatch(/decompresses to over/);
  });

  it('follows redirects and reports the final URL', async () => {
    const res = await createFetcher(settings()).get(server.url('/hop1'));
    expect(res.url).toBe(server.url('/feed.xml'));
  });

  it('refuses a redirect loop and a chain of more than 5 redirects', async () => {
    const loop = await failure(createFetcher(settings()).get(server.url('/loop-a')));
    expect(loop.kind).toBe('redirect');
    expect(loop.message).toMatch(/loop/);
    const chain = await failure(createFetcher(settings()).get(server.url('/chain0')));
    expect(chain.kind).toBe('redirect');
    expect(chain.message).toMatch(/more than 5 redirects/);
  });

  it('refuses a redirect to a non-http scheme or an invalid Location', async () => {
    const file = await failure(createFetcher(settings()).get(server.url('/to-file')));
    expect(file.kind).toBe('blocked');
    expect(file.message).toMatch(/file: URL/);
    const invalid = await failure(createFetcher(settings()).get(server.url('/to-nowhere')));
    expect(invalid.kind).toBe('redirect');
  });

  it('reports 404/410 as not retryable and 500 as retryable', async () => {
    const gone = await failure(createFetcher(settings()).get(server.url('/gone')));
    expect([gone.kind, gone.status, gone.retryable]).toEqual(['http', 410, false]);
    const missing = await failure(createFetcher(settings()).get(server.url('/nowhere')));
    expect([missing.status, missing.retryable]).toEqual([404, false]);
    const broken = await failure(createFetcher(settings()).get(server.url('/broken')));
    expect([broken.status, broken.retryable]).toEqual([500, true]);
  });

  it('surfaces Retry-After on 429 (seconds) and 503 (HTTP date)', async () => {
    const before = Date.now();
    const busy = await failure(createFetcher(settings()).get(server.url('/busy')));
    expect(busy.status).toBe(429);
    expect(busy.retryAfter!.getTime()).toBeGreaterThanOrEqual(before + 119_000);
    const down = await failure(createFetcher(settings()).get(server.url('/unavailable')));
    // A date decades away is obeyed for 6 hours at most.
    expect(down.retryAfter!.getTime() - Date.now()).toBeLessThanOrEqual(6 * 3600_000);
    expect(down.retryAfter!.getTime() - before).toBeGreaterThan(6 * 3600_000 - 60_000);
  });

  it('keeps at most perHostConcurrency requests in flight to one host', async () => {
    let inFlight = 0;
    let peak = 0;
    server.route('/counted', {
      handler: (_req, res) => {
        inFlight++;
        peak = Math.max(peak, inFlight);
        setTimeout(() => {
          inFlight--;
          res.end('ok');
        }, 80);
      },
    });
    const f = createFetcher(settings({ perHostConcurrency: 2 }));
    await Promise.all(Array.from({ length: 6 }, () => f.get(server.url('/counted'))));
    expect(peak).toBe(2);
  });

  it('keeps secret query values out of error messages', async () => {
    const e = await failure(createFetcher(settings()).get(server.url('/gone?client_secret=s3cr3t&q=딥시크')));
    expect(e.message).not.toContain('s3cr3t');
    expect(e.url).not.toContain('s3cr3t');
  });
});

describe('SSRF guard (allowPrivateNetwork off)', () => {
  it('refuses a literal loopback URL', async () => {
    const e = await failure(createFetcher(settings({ allowPrivateNetwork: false })).get(server.url('/feed.xml')));
    expect(e.kind).toBe('blocked');
  });

  it('refuses a host name that resolves to loopback', async () => {
    const e = await failure(createFetcher(settings({ allowPrivateNetwork: false })).get(`http://localhost:${new URL(server.origin).port}/feed.xml`));
    expect(e.kind).toBe('blocked');
    expect(e.message).toMatch(/127\.0\.0\.1|::1/);
  });

  it('refuses loopback, metadata and IPv4-mapped IPv6 literals', async () => {
    const f = createFetcher(settings({ allowPrivateNetwork: false }));
    for (const target of [
      'http://127.0.0.1:9/feed.xml',
      'http://169.254.169.254/latest/meta-data/',
      'http://[::ffff:127.0.0.1]/',
      'http://[::1]/',
      'http://10.0.0.5/',
      // IPv4 carried inside IPv6: compatible, SIIT, 6to4, NAT64 (well-known and local-use prefixes).
      'http://[::7f00:1]/',
      'http://[::ffff:0:7f00:1]/',
      'http://[2002:7f00:1::]/',
      'http://[64:ff9b::a9fe:a9fe]/',
      'http://[64:ff9b:1::7f00:1]/',
    ]) {
      const e = await failure(f.get(target));
      expect(e.kind, target).toBe('blocked');
    }
  });

  it('checks every redirect hop: a trusted first hop cannot bounce to 127.0.0.1 or 169.254.169.254', async () => {
    const f = createFetcher(settings({ allowPrivateNetwork: false }), { trustedHosts: [new URL(server.origin).host] });
    expect((await f.get(server.url('/hop1'))).status).toBe(200); // same trusted host: fine
    const local = await failure(f.get(server.url('/to-localhost')));
    expect(local.kind).toBe('blocked');
    expect(local.message).toContain('127.0.0.1');
    const metadata = await failure(f.get(server.url('/to-metadata')));
    expect(metadata.kind).toBe('blocked');
    expect(metadata.message).toContain('169.254.169.254');
  });

  it('never sends API keys or Authorization to another origin on a redirect', async () => {
    const other = await startFixtureServer({ '/feed.xml': { file: 'feeds/yna-news.xml' } });
    try {
      server.route('/to-other', { redirect: other.url('/feed.xml') });
      const keys = { 'X-Naver-Client-Id': 'id-123', 'X-Naver-Client-Secret': 'secret-456', Authorization: 'Bearer tok' };
      const res = await createFetcher(settings()).get(server.url('/to-other'), { headers: keys });
      expect(res.status).toBe(200);
      const first = server.requests.filter((r) => r.path === '/to-other').at(-1)!;
      expect(first.headers['x-naver-client-secret']).toBe('secret-456'); // the origin they were given to
      const second = other.requests.at(-1)!;
      expect(second.path).toBe('/feed.xml');
      expect(second.headers['x-naver-client-id']).toBeUndefined();
      expect(second.headers['x-naver-client-secret']).toBeUndefined();
      expect(second.headers.authorization).toBeUndefined();
      expect(second.headers['user-agent']).toMatch(/newswatch/i); // the rest still goes
      // A redirect on the same origin keeps them (the API moving a path).
      server.route('/same-a', { redirect: '/same-b' });
      server.route('/same-b', { body: 'ok' });
      await createFetcher(settings()).get(server.url('/same-a'), { headers: keys });
      expect(server.requests.filter((r) => r.path === '/same-b').at(-1)!.headers['x-naver-client-secret']).toBe('secret-456');
    } finally {
      await other.close();
    }
  });

  it('the CLI/test override wins over the config switch', async () => {
    const res = await createFetcher(settings({ allowPrivateNetwork: false }), { allowPrivateNetwork: true }).get(server.url('/feed.xml'));
    expect(res.status).toBe(200);
  });
});
