// `newswatch extract FILE|URL` as a user runs it (in-process, test/support/cli.ts): a saved or
// served article page is extracted; a file or response that is no HTML page (JSON, a feed,
// plain text, an image, an empty or binary file) is refused with a message saying so and exit 1,
// instead of printing as an article. URLs are served by a real server on 127.0.0.1.
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import { FIXTURES_DIR, startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';

let dir: string;
const newswatch = (...args: string[]) => runCli(args, { env: { NO_COLOR: '1' }, cwd: dir });

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'newswatch-extract-'));
  writeFileSync(join(dir, 'story.json'), JSON.stringify({ title: '딥시크, R1 공개', body: '<p>중국 딥시크가 R1을 공개했다.</p>' }));
  writeFileSync(join(dir, 'empty.html'), '');
  writeFileSync(join(dir, 'notes.txt'), '딥시크, R1 공개\n중국 딥시크가 추론 모델을 공개했다.\n');
  writeFileSync(join(dir, 'notes.md'), '# 딥시크, R1 공개<br>\n중국 딥시크가 <b>추론 모델</b>을 공개했다.\n');
  writeFileSync(
    join(dir, 'warned.html'),
    'Notice: Undefined index: id in /var/www/view.php on line 12\n<!DOCTYPE html><html><head><title>딥시크, R1 공개</title></head><body><p>본문</p></body></html>',
  );
  // The start of a PNG: a NUL byte among bytes that are not text in any charset.
  writeFileSync(join(dir, 'image.html'), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe, 0xfd, 0x80, 0x81]));
  // The start of an SQLite database: text that decodes, with NUL bytes in it.
  writeFileSync(join(dir, 'store.db'), Buffer.from('SQLite format 3\u0000\u0010\u0000\u0001\u0001\u0000@  ', 'latin1'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('newswatch extract FILE', () => {
  it('extracts a saved article page', async () => {
    const r = await newswatch('extract', join(import.meta.dirname, '../../fixtures/pages/aitimes-ndsoft-article.html'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: '딥시크, \'R1\' 오픈소스 공개…"o1급 추론 성능에 비용은 30분의 1"' });
  });

  it('extracts a saved page with a line of text before its markup', async () => {
    const r = await newswatch('extract', 'warned.html', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: '딥시크, R1 공개' });
  });

  it.each([
    ['story.json', 'it is JSON'],
    ['empty.html', 'it is empty'],
    ['notes.txt', 'it holds no HTML elements'],
    ['notes.md', 'it does not begin with an HTML tag'],
  ])('refuses %s: not an HTML page, exit 1, nothing printed as an article', async (file, why) => {
    const r = await newswatch('extract', file);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `newswatch extract: ${file} is not an HTML page (${why})\n` });
  });

  it('refuses a feed and says what reads one', async () => {
    const feed = join(import.meta.dirname, '../../fixtures/feeds/yna-news.xml');
    const r = await newswatch('extract', feed);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: `newswatch extract: ${feed} is not an HTML page (it is an RSS/Atom feed; read feeds with \`newswatch fetch URL\`)\n`,
    });
  });

  it.each([
    ['image.html', 'it is not text in any charset newswatch reads'],
    ['store.db', 'it is a binary file'],
  ])('refuses the binary file %s', async (file, why) => {
    const r = await newswatch('extract', file);
    expect(r).toEqual({ code: 1, stdout: '', stderr: `newswatch extract: ${file} is not an HTML page (${why})\n` });
  });
});

describe('newswatch extract URL', () => {
  const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0x49, 0x48, 0x44, 0x52, 0xff, 0xfe, 0x80]);
  const pages = readdirSync(join(FIXTURES_DIR, 'pages')).filter((f) => f.endsWith('.html'));
  let server: FixtureServer;
  const html = { 'content-type': 'text/html; charset=utf-8' };
  beforeAll(async () => {
    server = await startFixtureServer({
      ...Object.fromEntries(pages.map((f) => [`/${f}`, { file: `pages/${f}`, headers: html }])),
      '/plain-page': { file: 'pages/etoday-ai-chase-team.html', headers: { 'content-type': 'text/plain' } },
      '/api/story': { body: JSON.stringify({ title: '딥시크, R1 공개' }), headers: { 'content-type': 'application/json; charset=utf-8' } },
      '/api/untyped': { body: JSON.stringify({ title: '딥시크, R1 공개' }) },
      '/rss': { file: 'feeds/yna-news.xml', headers: { 'content-type': 'application/rss+xml; charset=utf-8' } },
      '/notes': { body: '딥시크, R1 공개\n중국 딥시크가 추론 모델을 공개했다.\n', headers: { 'content-type': 'text/plain; charset=utf-8' } },
      '/photo': { body: PNG, headers: { 'content-type': 'image/png' } },
      '/blank': { body: '', headers: html },
    });
  });
  afterAll(() => server?.close());
  const extractUrl = (path: string, ...args: string[]) => newswatch('extract', server.url(path), '--allow-private-network', ...args);

  it.each(pages)('extracts %s served over HTTP as it extracts the saved file at that address', async (page) => {
    const served = await extractUrl(`/${page}`, '--json');
    const saved = await newswatch('extract', join(FIXTURES_DIR, 'pages', page), '--url', server.url(`/${page}`), '--json');
    expect(served).toEqual({ code: 0, stdout: saved.stdout, stderr: '' });
    expect(JSON.parse(served.stdout)).toMatchObject({ title: expect.stringMatching(/\S/) as string });
  });

  it('extracts a page a server labels text/plain: the body decides, as for a file', async () => {
    const r = await extractUrl('/plain-page', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ title: "“'AI 추격조' 만들어야”…딥시크 등장에 머리 맞대는 민관" });
  });

  it.each([
    ['/api/story', 'served as application/json; it is JSON'],
    ['/api/untyped', 'it is JSON'],
    ['/rss', 'served as application/rss+xml; it is an RSS/Atom feed; read feeds with `newswatch fetch URL`'],
    ['/notes', 'served as text/plain; it holds no HTML elements'],
    ['/photo', 'served as image/png'],
    ['/blank', 'it is empty'],
  ])('refuses %s: not an HTML page, naming the URL and why, exit 1, nothing printed as an article', async (path, why) => {
    for (const tty of [false, true]) {
      const r = await runCli(['extract', server.url(path), '--allow-private-network'], { env: { NO_COLOR: '1' }, cwd: dir, tty: { stdout: tty } });
      expect(r).toEqual({ code: 1, stdout: '', stderr: `newswatch extract: ${server.url(path)} is not an HTML page (${why})\n` });
    }
  });
});
