// `newswatch fetch` as a user runs it (in-process, test/support/cli.ts), against fixture feeds
// on 127.0.0.1: Korean titles and UTC dates for RSS, Atom, EUC-KR and HTML-list sources;
// clear errors, exit 1.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Item } from '../../../shared/model.ts';
import { runCli } from '../../support/cli.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';

let server: FixtureServer;
let dir: string;
let config: string;

const newswatch = (...args: string[]) => runCli(args, { env: { NO_COLOR: '1' } });

const items = (stdout: string): Item[] =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Item);

beforeAll(async () => {
  server = await startFixtureServer({
    '/rss/news.xml': { file: 'feeds/yna-news.xml', headers: { 'content-type': 'application/rss+xml; charset=UTF-8' } },
    '/rss/latest-atom.xml': { file: 'feeds/mt-latest-atom.xml' },
    '/media/news_rss.xml': { file: 'feeds/boannews-euckr.xml', headers: { 'content-type': 'text/xml' } },
    '/board/lists/': { file: 'pages/dcinside-programming-list.html', headers: { 'content-type': 'text/html; charset=UTF-8' } },
    '/gone.xml': { status: 404 },
  });
  dir = mkdtempSync(join(tmpdir(), 'newswatch-cli-'));
  config = join(dir, 'newswatch.config.yaml');
  writeFileSync(
    config,
    `version: 1
topics:
  deepseek: { label: DeepSeek, strong: [딥시크] }
sources:
  - { id: yna, kind: rss, outlet: 연합뉴스, url: "${server.url('/rss/news.xml')}" }
  - { id: mt, kind: rss, outlet: 머니투데이, url: "${server.url('/rss/latest-atom.xml')}" }
  - { id: boannews, kind: rss, outlet: 보안뉴스, url: "${server.url('/media/news_rss.xml')}" }
  - { id: gone, kind: rss, outlet: 없음, url: "${server.url('/gone.xml')}" }
  - id: dc
    kind: html
    outlet: 디시인사이드
    url: "${server.url('/board/lists/?id=programming')}"
    selectors:
      item: 'tr.ub-content.us-post:not([data-type="icon_notice"]):not([data-type="icon_survey"])'
      link: td.gall_tit > a:first-child
      title: td.gall_tit > a:first-child
      date: td.gall_date
`,
  );
});
afterAll(async () => {
  await server.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('newswatch fetch', () => {
  it('prints RSS, Atom, EUC-KR and HTML-list items as JSON lines with Korean titles and UTC dates', async () => {
    const [yna, mt, boan, dc] = await Promise.all(
      ['yna', 'mt', 'boannews', 'dc'].map((id) => newswatch('fetch', id, '--config', config, '--allow-private-network')),
    );
    expect(yna!.code).toBe(0);
    expect(items(yna!.stdout)[0]).toMatchObject({
      title: '딥시크 충격에 엔비디아 주가 17% 급락…시총 800조원 증발',
      publishedAt: '2025-01-28T01:21:00.000Z',
      outlet: '연합뉴스',
    });
    expect(items(mt!.stdout)[0]).toMatchObject({ title: 'SK하이닉스, 딥시크 여파에 장중 9% 하락', publishedAt: '2025-01-28T00:38:00.000Z' });
    expect(items(boan!.stdout)[0]).toMatchObject({ title: '똠양꿍 맛집 앱 사칭한 악성코드 주의…햏 커뮤니티서 유포', publishedAt: '2025-01-28T01:21:00.000Z' });
    expect(items(dc!.stdout).map((i) => i.title)).toContain('딥시크 R1 로컬로 돌려본 후기 (4090 한 장)');
    expect(items(dc!.stdout)[0]!.publishedAt).toBe('2025-01-28T02:32:10.000Z');
  });

  it('refuses loopback without --allow-private-network, and fails clearly on a dead feed or unknown id', async () => {
    const guarded = await newswatch('fetch', 'yna', '--config', config);
    expect(guarded.code).toBe(1);
    expect(guarded.stderr).toMatch(/^newswatch fetch: yna: refused to connect to 127\.0\.0\.1/);
    const gone = await newswatch('fetch', 'gone', '--config', config, '--allow-private-network');
    expect(gone.code).toBe(1);
    expect(gone.stderr).toMatch(/^newswatch fetch: gone: HTTP 404/);
    const unknown = await newswatch('fetch', 'nope', '--config', config);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain("no source 'nope'");
  });

  it('a bare feed URL works too, the feed title standing in for the outlet', async () => {
    const r = await newswatch('fetch', server.url('/rss/news.xml'), '--allow-private-network');
    expect(r.code).toBe(0);
    expect(items(r.stdout)[0]!.outlet).toBe('연합뉴스 최신기사');
  });
});
