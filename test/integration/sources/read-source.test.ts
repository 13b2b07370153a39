// Every source kind read through the real fetcher from a real HTTP server on 127.0.0.1,
// with the feed shapes Korean outlets serve, and every failure the issue lists.
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { settingsSchema } from '../../../shared/config/schema/settings.ts';
import { sourceSchema, type NaverSource, type Source } from '../../../shared/config/schema/sources.ts';
import type { SecretRef } from '../../../shared/config/schema/secret-ref.ts';
import { fetchArticle } from '../../../shared/extract/index.ts';
import { createFetcher, FetchError, type Fetcher } from '../../../shared/fetch/index.ts';
import { readSource, SourceError, naverCallsToday } from '../../../shared/sources/index.ts';
import { fixture, startFixtureServer, type FixtureRoute, type FixtureServer } from '../../support/fixture-server.ts';

const now = new Date('2025-01-28T03:00:00Z'); // 12:00 in Korea
const RSS = { 'content-type': 'application/rss+xml; charset=UTF-8' };
const eucKrNoDecl = iconv.encode(
  '<rss version="2.0"><channel><title>피드</title><item><title>햏자의 똠방각하 뷁</title><link>https://www.example.kr/1</link></item></channel></rss>',
  'cp949',
);

let server: FixtureServer;
let fetcher: Fetcher;
const secretsSeen: string[] = [];
const secrets = async (ref: SecretRef, what: string): Promise<string> => {
  secretsSeen.push(what);
  const values: Record<string, string> = { NAVER_CLIENT_ID: 'test-id', NAVER_CLIENT_SECRET: 'test-secret' };
  const v = ref.env ? values[ref.env] : undefined;
  if (v === undefined) throw new Error(`environment variable ${ref.env} is not set`);
  return v;
};

beforeAll(async () => {
  server = await startFixtureServer({
    '/rss/news.xml': { file: 'feeds/yna-news.xml', headers: { ...RSS, etag: '"yna-1"' } },
    '/rss/latest-atom.xml': { file: 'feeds/mt-latest-atom.xml', headers: { 'content-type': 'application/atom+xml' } },
    '/rss/rdf.xml': { file: 'feeds/rdf-1.0.xml', headers: { 'content-type': 'application/rdf+xml' } },
    '/media/news_rss.xml': { file: 'feeds/boannews-euckr.xml', headers: { 'content-type': 'text/xml' } },
    '/wrong-charset.xml': { file: 'feeds/boannews-euckr.xml', headers: RSS },
    '/wrong-charset-no-decl.xml': { body: eucKrNoDecl, headers: RSS },
    '/garbage.xml': { body: Buffer.from(Array.from({ length: 400 }, (_, i) => (i % 7 === 0 ? 0x3c : 0xff))), headers: RSS },
    '/malformed.xml': { file: 'feeds/malformed-recoverable.xml', headers: RSS },
    '/malformed-early.xml': { file: 'feeds/malformed-early.xml', headers: RSS },
    '/empty.xml': { file: 'feeds/empty.xml', headers: RSS },
    '/empty-body.xml': { body: '', headers: RSS },
    '/maintenance.xml': { file: 'feeds/html-as-rss.html', headers: { 'content-type': 'text/html; charset=utf-8' } },
    '/gone.xml': { status: 410 },
    '/busy.xml': { status: 429, headers: { 'retry-after': '600' } },
    '/error.xml': { status: 500 },
    '/slow.xml': { file: 'feeds/yna-news.xml', delayMs: 3000 },
    '/board/lists/': { file: 'pages/dcinside-programming-list.html', headers: { 'content-type': 'text/html; charset=UTF-8' } },
    '/bot-check/': { body: '<script>location.reload()</script>', headers: { 'content-type': 'text/html' } },
    '/rss/search': { file: 'feeds/google-news-deepseek.xml', headers: { 'content-type': 'application/xml; charset=utf-8' } },
    '/v1/search/news.json': {
      handler: (req, res) => {
        if (req.headers['x-naver-client-id'] !== 'test-id' || req.headers['x-naver-client-secret'] !== 'test-secret') {
          res.writeHead(401, { 'content-type': 'application/json' }).end('{"errorMessage":"Authentication failed","errorCode":"024"}');
          return;
        }
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' }).end(fixture('feeds/naver-news-deepseek.json'));
      },
    },
    '/feed-with-metadata-link.xml': {
      body: '<rss version="2.0"><channel><title>t</title><item><title>메타데이터 링크</title><link>http://169.254.169.254/latest/meta-data/iam/</link></item></channel></rss>',
      headers: RSS,
    },
  });
  fetcher = createFetcher(settingsSchema.parse({ timeoutMs: 1500, allowPrivateNetwork: true }));
});
afterAll(() => server.close());

function source(raw: Record<string, unknown>): Source {
  return sourceSchema.parse({ outlet: '테스트', ...raw });
}

const read = (s: Source, extra: { etag?: string; bodyHash?: string } = {}) => readSource(s, { fetcher, secrets, now, ...extra });

async function failure(s: Source): Promise<SourceError> {
  const e = await read(s).then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e).toBeInstanceOf(SourceError);
  expect((e as SourceError).message.startsWith(`${s.id}: `)).toBe(true);
  return e as SourceError;
}

// The feed with its ETag, and a 304 to a request that sends it.
const conditionalFeed: FixtureRoute = {
  handler: (req, res) =>
    req.headers['if-none-match'] === '"yna-1"' ? res.writeHead(304).end() : res.writeHead(200, { ...RSS, etag: '"yna-1"' }).end(fixture('feeds/yna-news.xml')),
};

describe('rss sources', () => {
  it('reads an RSS 2.0 feed into items with canonical URLs, Korean titles and UTC dates', async () => {
    const r = await read(source({ id: 'yna', kind: 'rss', outlet: '연합뉴스', url: server.url('/rss/news.xml') }));
    expect(r.notModified).toBe(false);
    expect(r.etag).toBe('"yna-1"');
    expect(r.items).toHaveLength(3);
    const [first, , third] = r.items;
    expect(first).toMatchObject({
      sourceId: 'yna',
      outlet: '연합뉴스',
      url: 'https://www.yna.co.kr/view/AKR20250128012300017',
      guid: 'https://www.yna.co.kr/view/AKR20250128012300017',
      title: '딥시크 충격에 엔비디아 주가 17% 급락…시총 800조원 증발',
      publishedAt: '2025-01-28T01:21:00.000Z',
      author: '임은진',
      categories: ['경제'],
    });
    expect(third!.title).toBe('삼성전자, HBM3E 12단 엔비디아 납품 "막바지"');
    expect(third!.summary).toBe('삼성전자가 5세대 고대역폭 메모리(HBM3E) 12단 제품의 엔비디아 품질 검증 막바지 단계에 들어섰다.');
  });

  it('reports "not modified" when the ETag still matches', async () => {
    server.route('/conditional.xml', conditionalFeed);
    const yna = source({ id: 'yna', kind: 'rss', url: server.url('/conditional.xml') });
    const first = await read(yna);
    expect(first).toMatchObject({ notModified: false, etag: '"yna-1"' });
    const r = await read(yna, { etag: first.etag!, bodyHash: first.bodyHash! });
    expect(r).toMatchObject({ notModified: true, items: [] });
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe('"yna-1"');
  });

  it('sends no ETag taken under another definition of the feed, so the edited source reads it again', async () => {
    server.route('/conditional.xml', conditionalFeed);
    const before = source({ id: 'yna', kind: 'rss', outlet: '연합뉴스', url: server.url('/conditional.xml') });
    const first = await read(before);
    // The outlet's name corrected in the config: the feed's items now carry it.
    const after = source({ id: 'yna', kind: 'rss', outlet: '연합뉴스TV', url: server.url('/conditional.xml') });
    const again = await read(after, { etag: first.etag!, bodyHash: first.bodyHash! });
    expect(server.requests.at(-1)!.headers['if-none-match']).toBeUndefined();
    expect(again.notModified).toBe(false);
    expect(again.items.map((i) => i.outlet)).toEqual(first.items.map(() => '연합뉴스TV'));
    // Taken under the new definition, the validators count again.
    expect(await read(after, { etag: again.etag!, bodyHash: again.bodyHash! })).toMatchObject({ notModified: true, items: [] });
    expect(server.requests.at(-1)!.headers['if-none-match']).toBe('"yna-1"');
  });

  it('reads the feed in full once for a state saved before body digests named their definition', async () => {
    server.route('/conditional.xml', conditionalFeed);
    const yna = source({ id: 'yna', kind: 'rss', url: server.url('/conditional.xml') });
    // An ETag kept with a digest of the body alone: under which definition is unknown.
    const r = await read(yna, { etag: '"yna-1"', bodyHash: 'tHmZ3Ay0Lpsv6yQbO0A1Ur0lxhA' });
    expect(server.requests.at(-1)!.headers['if-none-match']).toBeUndefined();
    expect(r.notModified).toBe(false);
    expect(r.items).toHaveLength(3);
  });

  it('reads Atom (머니투데이) and RDF (no-zone dc:date read as Korea time)', async () => {
    const atom = await read(source({ id: 'mt', kind: 'rss', url: server.url('/rss/latest-atom.xml') }));
    expect(atom.items.map((i) => [i.title, i.publishedAt, i.url])).toEqual([
      ['SK하이닉스, 딥시크 여파에 장중 9% 하락', '2025-01-28T00:38:00.000Z', 'https://www.mt.co.kr/stock/2025/01/28/2025012809380012345'],
      ['네이버·카카오 "한국형 소버린 AI로 맞선다"', '2025-01-27T23:15:00.000Z', 'https://www.mt.co.kr/tech/2025/01/28/2025012808150054321'],
    ]);
    expect(atom.items[0]!.summary).toBe('중국 AI 스타트업 딥시크 충격에 SK하이닉스가 장중 9% 넘게 떨어졌다.');
    const rdf = await read(source({ id: 'rdf', kind: 'rss', url: server.url('/rss/rdf.xml') }));
    expect(rdf.items[0]).toMatchObject({
      title: '딥시크가 던진 질문…“GPU 더 사는 게 답인가”',
      publishedAt: '2025-01-28T01:21:00.000Z',
      url: 'https://www.khan.co.kr/article/202501281021001',
    });
  });

  it('reads an ndsoft-CMS feed (AI타임스 and most IT dailies): CDATA, HTML entities, zone-less dates', async () => {
    server.route('/rss/allArticle.xml', { file: 'feeds/aitimes-allArticle.xml', headers: RSS });
    const r = await read(source({ id: 'aitimes', kind: 'rss', outlet: 'AI타임스', url: server.url('/rss/allArticle.xml') }));
    expect(r.items.map((i) => [i.title, i.publishedAt, i.author, i.categories])).toEqual([
      ['딥시크, \'R1\' 오픈소스 공개…"o1급 추론 성능에 비용은 30분의 1"', '2025-01-28T01:21:00.000Z', '박찬 기자', ['산업']],
      ['과기정통부, 국가 AI 컴퓨팅 센터에 GPU 1만장…소버린 AI 기반 확충', '2025-01-27T23:05:31.000Z', '임대준 기자', ['정책']],
    ]);
    expect(r.items[0]!.summary.endsWith('밝혔다. ···')).toBe(true);
    expect(r.items[1]!.summary).toContain('R&D 예산');
  });

  it('decodes an EUC-KR feed as CP949, extended syllables (똠, 햏, 뷁) included', async () => {
    const r = await read(source({ id: 'boannews', kind: 'rss', url: server.url('/media/news_rss.xml') }));
    expect(r.items[0]!.title).toBe('똠양꿍 맛집 앱 사칭한 악성코드 주의…햏 커뮤니티서 유포');
    expect(r.items[0]!.summary).toContain('뷁 같은 확장 음절');
    expect(r.items[0]!.publishedAt).toBe('2025-01-28T01:21:00.000Z'); // "2025-01-28 오전 10:21:00"
    expect(r.items[1]!.publishedAt).toBe('2025-01-28T00:00:00.000Z'); // "... 09:00:00 KST"
    expect(r.warnings).toEqual([]);
  });

  it('recovers from a wrong declared charset and says so', async () => {
    const withDecl = await read(source({ id: 'boannews', kind: 'rss', url: server.url('/wrong-charset.xml') }));
    expect(withDecl.items[0]!.title).toContain('똠양꿍');
    expect(withDecl.warnings.join('\n')).toMatch(/declared charset "UTF-8".*decoded as cp949/);
    const noDecl = await read(source({ id: 'boannews', kind: 'rss', url: server.url('/wrong-charset-no-decl.xml') }));
    expect(noDecl.items[0]!.title).toBe('햏자의 똠방각하 뷁');
  });

  it('refuses to store mojibake: a body no charset decodes is an error', async () => {
    const e = await failure(source({ id: 'garbled', kind: 'rss', url: server.url('/garbage.xml') }));
    expect(e.message).toMatch(/cannot decode/);
    expect((e.cause as FetchError).kind).toBe('decode');
  });

  it('keeps the items before the cut in a feed cut off mid-item, and names the line when there are none', async () => {
    const r = await read(source({ id: 'inews24', kind: 'rss', url: server.url('/malformed.xml') }));
    expect(r.items.map((i) => i.title)).toEqual(['엔비디아 "딥시크, 훌륭한 AI 발전"…수출규제 준수 강조', 'GPU 품귀 다시 오나…클라우드 업계 "H20 주문 급증"']);
    expect(r.warnings.join('\n')).toMatch(/malformed XML at line \d+.*kept the 2 items/);
    const e = await failure(source({ id: 'broken', kind: 'rss', url: server.url('/malformed-early.xml') }));
    expect(e.message).toMatch(/^broken: malformed XML at line 6/);
  });

  it('treats a feed with no items as empty, with a warning', async () => {
    const r = await read(source({ id: 'etnews', kind: 'rss', url: server.url('/empty.xml') }));
    expect(r.items).toEqual([]);
    expect(r.warnings).toContain('the feed has no items');
    const e = await failure(source({ id: 'etnews', kind: 'rss', url: server.url('/empty-body.xml') }));
    expect(e.message).toMatch(/empty body/);
  });

  it('says so when an HTML page is served instead of the feed', async () => {
    const e = await failure(source({ id: 'mk', kind: 'rss', url: server.url('/maintenance.xml') }));
    expect(e.message).toMatch(/^mk: expected a feed but got an HTML page .*text\/html.*moved/);
  });

  it('turns HTTP failures into source errors that carry retry information', async () => {
    const gone = await failure(source({ id: 'old', kind: 'rss', url: server.url('/gone.xml') }));
    expect(gone.message).toMatch(/^old: HTTP 410/);
    expect(gone.retryable).toBe(false);
    const busy = await failure(source({ id: 'busy', kind: 'rss', url: server.url('/busy.xml') }));
    expect(busy.retryable).toBe(true);
    expect(busy.retryAfter!.getTime()).toBeGreaterThan(Date.now() + 590_000);
    const err = await failure(source({ id: 'flaky', kind: 'rss', url: server.url('/error.xml') }));
    expect([err.message.startsWith('flaky: HTTP 500'), err.retryable]).toEqual([true, true]);
  });

  it('one bad source never affects the others in the same batch', async () => {
    const batch = [
      source({ id: 'yna', kind: 'rss', url: server.url('/rss/news.xml') }),
      source({ id: 'slow', kind: 'rss', url: server.url('/slow.xml') }),
      source({ id: 'gone', kind: 'rss', url: server.url('/gone.xml') }),
      source({ id: 'garbled', kind: 'rss', url: server.url('/garbage.xml') }),
      source({ id: 'mt', kind: 'rss', url: server.url('/rss/latest-atom.xml') }),
      source({ id: 'broken', kind: 'rss', url: server.url('/malformed-early.xml') }),
      source({ id: 'boannews', kind: 'rss', url: server.url('/media/news_rss.xml') }),
    ];
    const results = await Promise.allSettled(batch.map((s) => read(s)));
    const summary = results.map((r, i) =>
      r.status === 'fulfilled' ? `${batch[i]!.id}: ${r.value.items.length} items` : (r.reason as Error).message.split(':')[0],
    );
    expect(summary).toEqual(['yna: 3 items', 'slow', 'gone', 'garbled', 'mt: 2 items', 'broken', 'boannews: 2 items']);
  });
});

describe('html list sources', () => {
  const dc = (url: string) =>
    source({
      id: 'dcinside-programming',
      kind: 'html',
      outlet: '디시인사이드 프로그래밍 갤러리',
      url,
      selectors: {
        item: 'table.gall_list tr.ub-content.us-post:not([data-type="icon_notice"]):not([data-type="icon_survey"])',
        link: 'td.gall_tit > a:first-child',
        title: 'td.gall_tit > a:first-child',
        date: 'td.gall_date',
      },
    });

  it('reads the same page bytes as unchanged, but again once its selectors are edited', async () => {
    const url = server.url('/board/lists/?id=programming');
    const first = await read(dc(url));
    expect(first.bodyHash).toBeDefined();
    expect(await read(dc(url), { bodyHash: first.bodyHash! })).toMatchObject({ notModified: true, sameBody: true, items: [] });
    // A selector fixed in the config: the same bytes now hold other items, so they are parsed.
    const edited = dc(url) as Extract<Source, { kind: 'html' }>;
    const fixed = { ...edited, selectors: { ...edited.selectors, title: 'td.gall_tit > a:first-child, td.gall_tit' } };
    const again = await read(fixed, { bodyHash: first.bodyHash! });
    expect(again.notModified).toBe(false);
    expect(again.items).toHaveLength(first.items.length);
  });

  it('reads a DCInside gallery list: posts only, full dates from the title attribute', async () => {
    const r = await read(dc(server.url('/board/lists/?id=programming')));
    expect(r.items.map((i) => i.title)).toEqual([
      '딥시크 R1 로컬로 돌려본 후기 (4090 한 장)',
      '엔비디아 주가 17% 빠진 거 실화냐',
      '소버린 AI 한다는데 GPU 1만장으로 되냐',
      '"지금 대규모 투자해야 AI강국 가능"… 네이버 개발자, 딥시크서 기회',
      '주니어인데 요즘 AI 때문에 불안함',
    ]);
    expect(r.items[0]).toMatchObject({
      // Relative links resolve against the page (on gall.dcinside.com canonicalUrl also drops &page=1).
      url: `${server.origin}/board/view/?id=programming&no=2951872&page=1`,
      publishedAt: '2025-01-28T02:32:10.000Z',
      outlet: '디시인사이드 프로그래밍 갤러리',
    });
    expect(r.items[4]!.publishedAt).toBe('2025-01-27T14:41:55.000Z');
  });

  it('names the selector when the layout changed, and retries a script-only bot check', async () => {
    const changed = await failure(source({ ...dc(server.url('/rss/news.xml')), selectors: { item: 'tr.nope', link: 'a', title: 'a' } }));
    expect(changed.message).toMatch(/"tr\.nope".*layout changed/);
    const bot = await failure(dc(server.url('/bot-check/')));
    expect(bot.retryable).toBe(true);
  });
});

describe('search sources', () => {
  it('Google News KR: outlet split from the " - 매체" suffix, publisher kept', async () => {
    const s = source({ id: 'gn-deepseek', kind: 'google-news', query: '딥시크', endpoint: server.url('/rss/search') });
    const r = await read(s);
    const q = new URL(server.requests.at(-1)!.path, server.origin).searchParams;
    expect([q.get('q'), q.get('hl'), q.get('gl'), q.get('ceid')]).toEqual(['딥시크', 'ko', 'KR', 'KR:ko']);
    expect(r.items.map((i) => [i.outlet, i.title])).toEqual([
      ['한국경제', '딥시크 쇼크에 반도체주 급락…"과도한 공포" 분석도'],
      ['조선비즈', '中 딥시크, 오픈AI 넘었나'],
      ['연합뉴스', '[속보] 딥시크, 신규 가입 일시 제한'],
    ]);
    expect(r.items[0]!.publishedAt).toBe('2025-01-28T01:21:00.000Z');
    expect(r.items[0]!.url).toBe('https://news.google.com/rss/articles/CBMiVkFVX3lxTE1fZ2VvX0JsWWZ4cWdmTGZ3c2ZzRkN0Tm1uQ0Q');
  });

  it('Naver News Search API: keys sent as headers, <b> and entities stripped, originallink preferred', async () => {
    const s = source({ id: 'naver-deepseek', kind: 'naver', query: '딥시크', display: 100, endpoint: server.url('/v1/search/news.json') });
    const r = await read(s);
    const req = server.requests.at(-1)!;
    expect(new URL(req.path, server.origin).searchParams.get('display')).toBe('100');
    expect(req.headers['x-naver-client-id']).toBe('test-id');
    expect(r.items.map((i) => [i.outlet, i.title, i.url])).toEqual([
      ['한국경제', '"딥시크 쇼크"…삼성·SK하이닉스 HBM 전략 점검', 'https://www.hankyung.com/article/2025012812345'],
      ['지디넷코리아', "딥시크發 '가성비 AI' 경쟁…국내 스타트업 & 빅테크 셈법", 'https://zdnet.co.kr/view/?no=20250128104512'],
      ['연합뉴스', '정부, 딥시크 접속 제한 검토', 'https://n.news.naver.com/mnews/article/001/0015161234'],
    ]);
    expect(r.items[0]!.summary).not.toContain('<b>');
    expect(r.items[0]!.publishedAt).toBe('2025-01-28T01:58:00.000Z');
  });

  it('Naver: stops at the daily quota, and says which keys are missing without printing any', async () => {
    const s = source({
      id: 'naver-quota',
      kind: 'naver',
      query: 'GPU',
      dailyQuota: 2,
      clientId: { env: 'NAVER_CLIENT_ID' },
      endpoint: server.url('/v1/search/news.json'),
    });
    const day = new Date('2025-03-01T03:00:00Z');
    const before = naverCallsToday('NAVER_CLIENT_ID', day);
    const limited = { ...(s as NaverSource), dailyQuota: before + 2 };
    const results = await Promise.allSettled([1, 2, 3].map(() => readSource(limited, { fetcher, secrets, now: day })));
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    expect(((results[2] as PromiseRejectedResult).reason as Error).message).toMatch(/^naver-quota: Naver daily quota/);
    const noKeys = await failure(
      source({ id: 'naver-nokeys', kind: 'naver', query: 'GPU', clientId: { env: 'MISSING_NAVER_ID' }, endpoint: server.url('/v1/search/news.json') }),
    );
    expect(noKeys.message).toMatch(/^naver-nokeys: Naver API keys are not available: environment variable MISSING_NAVER_ID/);
    const wrong = await read(
      source({ id: 'naver-wrong', kind: 'naver', query: 'GPU', clientSecret: { env: 'NAVER_CLIENT_ID' }, endpoint: server.url('/v1/search/news.json') }),
    ).catch((e: Error) => e);
    expect((wrong as Error).message).toMatch(/^naver-wrong: Naver refused the API keys \(HTTP 401\)/);
    expect((wrong as Error).message).not.toContain('test-id');
  });
});

describe('links inside feeds and the SSRF guard', () => {
  it('a feed link to 169.254.169.254 is refused when the article is fetched', async () => {
    const guarded = createFetcher(settingsSchema.parse({ timeoutMs: 1500 }), { trustedHosts: [new URL(server.origin).host] });
    const r = await readSource(source({ id: 'evil', kind: 'rss', url: server.url('/feed-with-metadata-link.xml') }), { fetcher: guarded, secrets, now });
    const link = r.items[0]!.url;
    expect(link).toBe('http://169.254.169.254/latest/meta-data/iam/');
    await expect(fetchArticle(guarded, link)).rejects.toMatchObject({ kind: 'blocked' });
  });
});
