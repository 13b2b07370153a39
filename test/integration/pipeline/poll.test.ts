import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import type { Story } from '../../../shared/model.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';
import { countWrites, DEMO_NOW, demoFeedsConfig, pipelineDeps } from './support.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import { createSoleWriterStore } from '../../../adapters/dynamodb/sole-writer.ts';
import type { Source } from '../../../shared/config/schema/index.ts';
import { PAGE_ATTEMPTS } from '../../../shared/pipeline/source-state.ts';
import type { PipelineDeps } from '../../../shared/pipeline/types.ts';
import { topicsDigest } from '../../../shared/classify/item-classification.ts';
import { readFeedBody } from '../../../shared/sources/feed-read.ts';

let server: DemoServer;
let db: TestDynamo;

beforeEach(async () => {
  server = await startDemoServer();
  db = await startDynalite();
});
afterEach(async () => {
  await db.close();
  await server.close();
});

const created = (reports: { created: Story[] }[]) => reports.flatMap((r) => r.created);

describe('pipeline over real HTTP and dynalite', () => {
  it('stores matched stories, skips unmatched ones, and reports a broken source without stopping the others', async () => {
    const config = demoFeedsConfig(server.baseUrl);
    const deps = pipelineDeps(config, db.client, db.tableName);
    const reports = await pollSources(deps, config.sources);

    const down = reports.find((r) => r.sourceId === 'demo-down');
    expect(down?.ok).toBe(false);
    expect(down?.error).toMatch(/^demo-down: .*500/);
    expect(reports.filter((r) => r.sourceId !== 'demo-down').every((r) => r.ok)).toBe(true);

    const titles = created(reports).map((s) => s.title);
    expect(titles.some((t) => t.includes('AI 추격조'))).toBe(true);
    expect(titles.some((t) => t.includes('H20'))).toBe(true);
    expect(titles.some((t) => t.includes('영하 10도'))).toBe(false); // weather: no topic
    // The EUC-KR feed decodes, extended syllables included, and is remembered as seen.
    expect(reports.find((r) => r.sourceId === 'demo-etnews')?.items).toBe(2);

    const state = await deps.store.getSourceState('demo-down');
    expect(state?.consecutiveFailures).toBe(1);
    expect(state?.lastError).toMatch(/500/);
  });

  it('groups syndicated copies under the first story and keeps a follow-up apart', async () => {
    const config = demoFeedsConfig(server.baseUrl);
    const deps = pipelineDeps(config, db.client, db.tableName);
    const first = created(await pollSources(deps, config.sources));
    server.setCycle(2);
    const second = created(await pollSources(deps, config.sources));

    const wire = first.find((s) => s.title.includes('AI 추격조'));
    const copy = second.find((s) => s.outlet === '전자신문' && s.title.includes('AI 추격조'));
    expect(wire?.leader).toBe(true);
    expect(copy?.leader).toBe(false);
    expect(copy?.clusterId).toBe(wire?.id);

    const h20 = first.find((s) => s.outlet === '연합뉴스' && s.title.includes('H20'));
    const trimmed = second.find((s) => s.outlet === '한국경제' && s.title.includes('H20'));
    expect(trimmed?.clusterId).toBe(h20?.id);

    const followUp = second.find((s) => s.title.includes('접속 차단'));
    expect(followUp?.leader).toBe(true);

    const cluster = await deps.store.cluster(wire!.id);
    expect(cluster?.members.map((m) => m.outlet)).toEqual(['전자신문']);
  });

  it('an unchanged feed on the second cycle causes zero writes', async () => {
    const config = demoFeedsConfig(server.baseUrl);
    const deps = pipelineDeps(config, db.client, db.tableName);
    const healthy = config.sources.filter((s) => s.id !== 'demo-down');
    await pollSources(deps, healthy);
    const counter = countWrites(db);
    const again = await pollSources(deps, healthy);
    expect(again.every((r) => r.ok && r.created.length === 0)).toBe(true);
    expect(counter.writes()).toBe(0);
  });

  it('a feed served without ETag or Last-Modified, unchanged, is not parsed again and costs zero writes the second time', async () => {
    const plain = await startFixtureServer({
      '/feed.xml': { body: readFileSync('cli/demo/feeds/hankyung.xml'), headers: { 'content-type': 'application/rss+xml' } },
    });
    try {
      const config = demoFeedsConfig(plain.origin);
      const source = { ...config.sources[0]!, id: 'plain', url: plain.url('/feed.xml') };
      const deps = pipelineDeps(config, db.client, db.tableName);
      const first = await pollSources(deps, [source]);
      expect(first[0]?.created.length).toBeGreaterThan(0);
      const counter = countWrites(db);
      const again = await pollSources(deps, [source]);
      // The same bytes hold the same items: read as unchanged, like a 304, without parsing.
      expect(again[0]).toMatchObject({ ok: true, notModified: true, sameBody: true, fresh: 0 });
      expect(counter.writes()).toBe(0);
    } finally {
      await plain.close();
    }
  });

  it('an HTML source whose selectors were fixed reads its page again, though the server answers If-None-Match with 304', async () => {
    const page =
      '<html><body><ul class="news">' +
      `<li><a class="link" href="https://news.example.kr/a/1"><strong class="headline">${WIRE.title}</strong></a><p class="lead">${WIRE.description}</p></li>` +
      '</ul></body></html>';
    const etag = '"list-1"';
    const site = await startFixtureServer({
      '/list': withEtag(etag, page, 'text/html; charset=utf-8'),
    });
    try {
      const config = demoFeedsConfig(site.origin);
      const html = (title: string): Source => ({
        ...(config.sources[0] as RssSource),
        kind: 'html',
        id: 'list',
        url: site.url('/list'),
        selectors: { item: 'ul.news > li', link: 'a.link', title, summary: 'p.lead' },
      });
      const deps = pipelineDeps(config, db.client, db.tableName);
      // The title selector names the wrong element: the poll succeeds, with no items.
      const broken = await pollSources(deps, [html('span.headline')]);
      expect(broken[0]).toMatchObject({ ok: true, items: 0 });
      // The user fixes it: the page has not changed, but it must be read again.
      const fixed = await pollSources(deps, [html('strong.headline')]);
      expect(fixed[0]).toMatchObject({ ok: true, notModified: false, items: 1 });
      expect(fixed[0]!.created.map((s) => s.title)).toEqual([WIRE.title]);
      // Under the fixed definition the ETag counts again: the next poll is a 304.
      const again = await pollSources(deps, [html('strong.headline')]);
      expect(again[0]).toMatchObject({ ok: true, notModified: true });
      expect(site.requests.at(-1)!.headers['if-none-match']).toBe(etag);
    } finally {
      await site.close();
    }
  });

  it('a feed source whose definition changed reads its feed again once, then answers 304s again', async () => {
    const body = rss([{ title: WIRE.title, link: 'https://news.example.kr/a/2', description: WIRE.description, at: '09:00' }]);
    const etag = '"feed-1"';
    const site = await startFixtureServer({
      '/feed.xml': withEtag(etag, body),
    });
    try {
      const config = demoFeedsConfig(site.origin);
      const deps = pipelineDeps(config, db.client, db.tableName);
      const before = rssSource(config, { id: 'renamed', outlet: '테스트일보', url: site.url('/feed.xml') });
      expect((await pollSources(deps, [before]))[0]).toMatchObject({ ok: true, notModified: false, items: 1 });
      expect((await pollSources(deps, [before]))[0]).toMatchObject({ ok: true, notModified: true });
      // The outlet renamed in the config: the unchanged feed is read again, not answered 304.
      const after = { ...before, outlet: '테스트신문' };
      expect((await pollSources(deps, [after]))[0]).toMatchObject({ ok: true, notModified: false, items: 1 });
      expect(site.requests.at(-1)!.headers['if-none-match']).toBeUndefined();
      // Once only: the validators now belong to the new definition.
      expect((await pollSources(deps, [after]))[0]).toMatchObject({ ok: true, notModified: true });
      expect(site.requests.at(-1)!.headers['if-none-match']).toBe(etag);
    } finally {
      await site.close();
    }
  });

  it('a feed that stops sending an ETag is no longer asked with the old one', async () => {
    const items = [
      { title: WIRE.title, link: 'https://news.example.kr/a/3', description: WIRE.description, at: '09:00' },
      { title: '딥시크, 새 추론 모델 공개', link: 'https://news.example.kr/a/4', description: '중국 딥시크가 새 추론 모델을 공개했다.', at: '10:00' },
      {
        title: '딥시크 충격에 엔비디아 GPU 확보 경쟁',
        link: 'https://news.example.kr/a/5',
        description: '딥시크 충격 이후 엔비디아 GPU 확보 경쟁이 거세다.',
        at: '11:00',
      },
    ];
    const [first, second, third] = [1, 2, 3].map((n) => rss(items.slice(0, n)));
    let moved = false;
    let later = false;
    const site = await startFixtureServer({
      '/feed.xml': {
        handler: (req, res) => {
          // Moved behind a proxy that sends no validators but still answers a stale one with 304.
          if (req.headers['if-none-match'] === '"feed-1"') return res.writeHead(304, { etag: '"feed-1"' }).end();
          const headers = {
            'content-type': 'application/rss+xml; charset=utf-8',
            ...(moved ? {} : { etag: '"feed-1"', 'last-modified': 'Thu, 06 Feb 2025 00:00:00 GMT' }),
          };
          res.writeHead(200, headers).end((later ? third : moved ? second : first)!);
        },
      },
    });
    try {
      const config = demoFeedsConfig(site.origin);
      const deps = pipelineDeps(config, db.client, db.tableName);
      const source = rssSource(config, { id: 'moved', outlet: '테스트일보', url: site.url('/feed.xml') });
      expect((await pollSources(deps, [source]))[0]).toMatchObject({ ok: true, notModified: false, items: 1 });
      moved = true;
      // The outlet renamed in the config: read without validators, and the 200 carries none.
      const renamed = { ...source, outlet: '테스트신문' };
      expect((await pollSources(deps, [renamed]))[0]).toMatchObject({ ok: true, notModified: false, items: 2 });
      // So the next poll sends none either: the old ETag would get a stale 304 and hide the new story.
      later = true;
      const next = await pollSources(deps, [renamed]);
      expect(site.requests.at(-1)!.headers['if-none-match']).toBeUndefined();
      expect(site.requests.at(-1)!.headers['if-modified-since']).toBeUndefined();
      expect(next[0]).toMatchObject({ ok: true, notModified: false, items: 3 });
      expect(next[0]!.created.map((s) => s.title)).toEqual(['딥시크 충격에 엔비디아 GPU 확보 경쟁']);
    } finally {
      await site.close();
    }
  });

  it('two pollers on the same feeds at once create each story once, with one leader per cluster', async () => {
    server.setCycle(2);
    const config = demoFeedsConfig(server.baseUrl);
    const a = pipelineDeps(config, db.client, db.tableName);
    const b = pipelineDeps(config, db.client, db.tableName);
    const [ra, rb] = await Promise.all([pollSources(a, config.sources), pollSources(b, config.sources)]);
    const all = [...created(ra), ...created(rb)];
    const ids = all.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);

    const stored = await a.store.storiesOfDay('2025-02-06');
    expect(stored.length).toBe(all.length);
    const leadersByCluster = new Map<string, number>();
    for (const s of stored) if (s.leader) leadersByCluster.set(s.clusterId, (leadersByCluster.get(s.clusterId) ?? 0) + 1);
    expect([...leadersByCluster.values()].every((n) => n === 1)).toBe(true);
    for (const s of stored) expect(stored.some((l) => l.leader && l.id === s.clusterId)).toBe(true);
  });

  it('a cycle that dies mid-way and is run again loses and duplicates nothing', async () => {
    server.setCycle(2);
    const config = demoFeedsConfig(server.baseUrl);
    const healthy = config.sources.filter((s) => s.id !== 'demo-down');
    const real = pipelineDeps(config, db.client, db.tableName);
    let writes = 0;
    // The process "dies" at its third story write: every later write fails.
    const dying = {
      ...real,
      store: new Proxy(real.store, {
        get(target, prop, receiver) {
          if (prop === 'putStory') {
            return async (story: Story) => {
              if (++writes >= 3) throw new Error('process killed');
              return target.putStory(story);
            };
          }
          return Reflect.get(target, prop, receiver) as unknown;
        },
      }),
    };
    const crashed = await pollSources(dying, healthy, { concurrency: 1 });
    expect(crashed.some((r) => !r.ok)).toBe(true);

    const restarted = pipelineDeps(config, db.client, db.tableName);
    const reports = await pollSources(restarted, healthy);
    expect(reports.every((r) => r.ok)).toBe(true);

    // Same result as one clean run on a fresh table.
    const clean = await startDynalite();
    try {
      const reference = pipelineDeps(config, clean.client, clean.tableName);
      await pollSources(reference, healthy, { concurrency: 1 });
      const want = (await reference.store.storiesOfDay('2025-02-06')).map((s) => s.id).sort();
      const got = (await restarted.store.storiesOfDay('2025-02-06')).map((s) => s.id).sort();
      expect(got).toEqual(want);
    } finally {
      await clean.close();
    }
  });
});

type RssSource = Extract<Source, { kind: 'rss' }>;
/** An RSS source like the demo's first one (its defaults), with `over` applied. */
const rssSource = (config: { sources: Source[] }, over: Partial<RssSource>): RssSource => ({ ...(config.sources[0] as RssSource), ...over });

/** A route that sends `body` with an ETag and answers 304 to a request carrying it, as a caching server does. */
const withEtag = (etag: string, body: string, contentType = 'application/rss+xml; charset=utf-8') => ({
  handler: (req: IncomingMessage, res: ServerResponse) =>
    req.headers['if-none-match'] === etag ? res.writeHead(304, { etag }).end() : res.writeHead(200, { 'content-type': contentType, etag }).end(body),
});

/**
 * Source `id`: a feed at /<id>.xml on `site`, behind an ETag, listing one teaser titled `title`
 * whose article page is `page` on the same site, read with fetchArticle: always.
 */
function teaserSource(site: FixtureServer, id: string, title: string, page: string) {
  site.route(`/${id}.xml`, withEtag(`"${id}-1"`, rss([{ title, link: `${site.origin}${page}`, description: '요약…', at: '11:00' }])));
  const config = demoFeedsConfig(site.origin);
  return {
    deps: pipelineDeps(config, db.client, db.tableName),
    source: rssSource(config, { id, url: site.url(`/${id}.xml`), fetchArticle: 'always' }),
  };
}

// A minimal RSS feed of the given items (title, link, description, KST time).
function rss(items: { title: string; link: string; description: string; at: string }[]): string {
  const body = items
    .map(
      (i) =>
        `<item><title><![CDATA[${i.title}]]></title><link>${i.link}</link>` +
        `<description><![CDATA[${i.description}]]></description><pubDate>Thu, 06 Feb 2025 ${i.at}:00 +0900</pubDate></item>`,
    )
    .join('');
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>${body}</channel></rss>`;
}

const WIRE = {
  title: '딥시크 충격에 민관 \'AI 추격조\' 머리 맞대…"데이터·GPU 지원 시급"',
  description:
    '중국 인공지능(AI) 스타트업 딥시크의 저비용 고성능 모델 공개로 충격이 이어지는 가운데 과학기술정보통신부와 국가AI위원회, ' +
    '초거대AI추진협의회가 6일 서울 중구 국가AI위원회에서 국내 AI 산업 경쟁력 진단 간담회를 열었다. 참석자들은 국내 데이터를 ' +
    "전면 개방하고 그래픽처리장치(GPU) 등 핵심 인프라를 집중 지원하는 'AI 추격조'를 꾸려야 한다는 데 뜻을 모았다.",
};

describe('what a poll costs and remembers', () => {
  it('a feed that adds one item costs one write, the source state, however many items it lists', async () => {
    const weather = (n: number) => ({
      title: `전국 한파 ${n}일째`,
      link: `https://news.example.kr/w/${n}`,
      description: `영하 ${n}도까지 떨어졌다.`,
      at: `0${n}:00`,
    });
    const feed = await startFixtureServer({ '/feed.xml': { body: rss([1, 2, 3, 4, 5].map(weather)) } });
    try {
      const config = demoFeedsConfig(feed.origin);
      const source = rssSource(config, { id: 'weather', url: feed.url('/feed.xml') });
      const deps = pipelineDeps(config, db.client, db.tableName);
      expect((await pollSources(deps, [source]))[0]).toMatchObject({ ok: true, items: 5, fresh: 5, matched: 0 });

      feed.route('/feed.xml', { body: rss([6, 1, 2, 3, 4, 5].map(weather)) });
      const counter = countWrites(db);
      expect((await pollSources(deps, [source]))[0]).toMatchObject({ ok: true, items: 6, fresh: 1, matched: 0 });
      expect(counter.writes()).toBe(1);
    } finally {
      await feed.close();
    }
  });

  it("a first poll of a long feed keeps every unmatched item for tune in one write with the source's state", async () => {
    const items = Array.from({ length: 120 }, (_, n) => ({
      title: `지역 축제 ${n}번째 소식`,
      link: `https://news.example.kr/f/${n}`,
      description: `올해 ${n}번째 지역 축제가 열렸다.`,
      at: `${String(Math.floor(n / 60)).padStart(2, '0')}:${String(n % 60).padStart(2, '0')}`,
    }));
    const feed = await startFixtureServer({ '/feed.xml': { body: rss(items) } });
    try {
      const config = demoFeedsConfig(feed.origin);
      const deps = pipelineDeps(config, db.client, db.tableName);
      const counter = countWrites(db);
      expect((await pollSources(deps, [rssSource(config, { id: 'festivals', url: feed.url('/feed.xml') })]))[0]).toMatchObject({
        ok: true,
        fresh: 120,
        matched: 0,
      });
      // A row per item was 121 rows: five batch writes.
      expect(counter.writes()).toBe(1);
      const kept = await deps.store.listUnmatched({ since: new Date('2025-02-05T00:00:00Z'), now: DEMO_NOW });
      expect(kept.map((k) => k.title).sort()).toEqual(items.map((i) => i.title).sort());
      expect(kept[0]).toMatchObject({ sourceId: 'festivals', lede: '올해 119번째 지역 축제가 열렸다.', seenAt: DEMO_NOW.toISOString() });
    } finally {
      await feed.close();
    }
  });

  it('fetches an article page once: neither the next poll nor another source listing the link fetches it again', async () => {
    const teaser = (n: number, page: string) => ({ title: `기사 ${n}`, link: `PAGE/${page}`, description: '요약…', at: `1${n}:00` });
    const pages = {
      '/a/chase': { file: 'pages/etoday-ai-chase-team.html', headers: { 'content-type': 'text/html; charset=utf-8' } },
      '/a/weather': {
        body:
          '<html><head><meta charset="utf-8"><title>전국 한파</title></head><body><article><h1>전국 한파 사흘째</h1>' +
          '<p>전국에 한파 특보가 내려진 가운데 서울의 아침 기온이 영하 10도까지 떨어졌다. 기상청은 이번 추위가 주말까지 이어질 것으로 내다봤다.</p>'.repeat(4) +
          '</article></body></html>',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      },
      '/a/pangyo': { file: 'pages/mbnmoney-deepseek-pangyo.html', headers: { 'content-type': 'text/html; charset=utf-8' } },
    };
    const site = await startFixtureServer(pages);
    const feedOf = (items: ReturnType<typeof teaser>[]) => ({ body: rss(items).replaceAll('PAGE', site.origin) });
    site.route('/teasers.xml', feedOf([teaser(1, 'a/chase'), teaser(2, 'a/weather')]));
    try {
      const config = demoFeedsConfig(site.origin);
      const base = rssSource(config, { url: site.url('/teasers.xml'), fetchArticle: 'always' });
      const deps = pipelineDeps(config, db.client, db.tableName);
      const pageFetches = () => site.requests.filter((r) => r.path.startsWith('/a/')).length;

      const first = await pollSources(deps, [{ ...base, id: 'teasers' }]);
      expect(first[0]).toMatchObject({ ok: true, fresh: 2 });
      expect(pageFetches()).toBe(2);
      expect(first[0]!.created.map((s) => s.title)).toEqual(['기사 1']); // the AI 추격조 page matched, the other did not

      // Another source listing the same links: both are known (a story and a page that matched nothing).
      expect((await pollSources(deps, [{ ...base, id: 'aggregator' }]))[0]).toMatchObject({ ok: true, fresh: 0 });
      expect(pageFetches()).toBe(2);

      site.route('/teasers.xml', feedOf([teaser(3, 'a/pangyo'), teaser(1, 'a/chase'), teaser(2, 'a/weather')]));
      expect((await pollSources(deps, [{ ...base, id: 'teasers' }]))[0]).toMatchObject({ ok: true, fresh: 1 });
      expect(pageFetches()).toBe(3);
    } finally {
      await site.close();
    }
  });

  it('an article page that fails for now is fetched again on the next poll, even when the feed answers 304', async () => {
    let down = true;
    const site = await startFixtureServer({
      '/a/pangyo': {
        handler: (_req, res) => {
          if (down) return res.writeHead(503).end();
          res
            .writeHead(200, { 'content-type': 'text/html; charset=utf-8' })
            .end(readFileSync(new URL('../../fixtures/pages/mbnmoney-deepseek-pangyo.html', import.meta.url)));
        },
      },
    });
    try {
      const { deps, source } = teaserSource(site, 'teasers', '판교 소식', '/a/pangyo');
      // The outlet's article server is down: the teaser alone matches no topic.
      const [first] = await pollSources(deps, [source]);
      expect(first).toMatchObject({ ok: true, fresh: 1, matched: 0, created: [] });
      expect(first!.warnings).toEqual([
        expect.stringMatching(/^article page not read \(tried again on later polls if the teaser matches nothing\), classified on the feed's teaser: .*503/),
      ]);
      // It is back; the feed has not changed. The page is read and its DeepSeek story stored.
      down = false;
      const [second] = await pollSources(deps, [source]);
      expect(second).toMatchObject({ ok: true, notModified: false, fresh: 1, matched: 1 });
      expect(second!.created).toHaveLength(1);
      expect(second!.created[0]!.topics).toContain('deepseek');
      // Read once, the validators count again.
      const [third] = await pollSources(deps, [source]);
      expect(third).toMatchObject({ ok: true, notModified: true });
    } finally {
      await site.close();
    }
  });

  it(`an article page that keeps failing is tried on ${PAGE_ATTEMPTS} polls, then its teaser stands: remembered as read and kept for tune`, async () => {
    const site = await startFixtureServer({ '/a/down': { status: 503 } });
    try {
      const { deps, source } = teaserSource(site, 'down', '지역 소식', '/a/down');
      const pageFetches = () => site.requests.filter((r) => r.path === '/a/down').length;
      for (let poll = 1; poll <= PAGE_ATTEMPTS; poll++) {
        expect((await pollSources(deps, [source]))[0]).toMatchObject({ ok: true, notModified: false, fresh: 1, matched: 0 });
      }
      const fetched = pageFetches();
      expect(fetched).toBeGreaterThanOrEqual(PAGE_ATTEMPTS);
      // Given up: the feed's 304 counts again, the page is not fetched, the teaser is kept for tune.
      expect((await pollSources(deps, [source]))[0]).toMatchObject({ ok: true, notModified: true });
      expect(pageFetches()).toBe(fetched);
      const kept = await deps.store.listUnmatched({ since: new Date('2025-02-05T00:00:00Z'), now: DEMO_NOW });
      expect(kept.map((k) => k.title)).toContain('지역 소식');
      // Another source listing the same link does not fetch it either (its SEEN marker).
      expect((await pollSources(deps, [{ ...source, id: 'aggregator' }]))[0]).toMatchObject({ ok: true, fresh: 0 });
      expect(pageFetches()).toBe(fetched);
    } finally {
      await site.close();
    }
  });

  it('an article page that answers with something other than HTML (an outlet’s JSON error) leaves the story its teaser, with a warning', async () => {
    const site = await startFixtureServer({
      '/a/json': { body: '{"result":"fail","message":"잠시 후 다시 시도해 주세요","code":5003}', headers: { 'content-type': 'application/json' } },
    });
    try {
      const teaser = `${WIRE.description.slice(0, 120)}…`;
      site.route('/json.xml', { body: rss([{ title: WIRE.title, link: `${site.origin}/a/json`, description: teaser, at: '11:00' }]) });
      const config = demoFeedsConfig(site.origin);
      const deps = pipelineDeps(config, db.client, db.tableName);
      const [report] = await pollSources(deps, [rssSource(config, { id: 'json', url: site.url('/json.xml'), fetchArticle: 'always' })]);
      expect(report).toMatchObject({ ok: true, fresh: 1, matched: 1 });
      expect(report!.warnings).toEqual([
        `article page not read, classified on the feed's teaser: ${site.origin}/a/json: not an HTML page (served as application/json; it is JSON) (${site.origin}/a/json)`,
      ]);
      // Before, the JSON was the story's text: the alert's summary read {"result":"fail",...}.
      expect(report!.created[0]!.summary).toBe(teaser.replace(/…$/, '').trim() + '…');
    } finally {
      await site.close();
    }
  });

  it('uses the classifications a feed reader made only when it made them with the config’s topics', async () => {
    const site = await startFixtureServer({});
    try {
      site.route('/wire.xml', { body: rss([{ title: WIRE.title, link: `${site.origin}/a/wire`, description: WIRE.description, at: '11:00' }]) });
      const config = demoFeedsConfig(site.origin);
      // A reader that says every item matched nothing (as a worker started with other topics would).
      const nothing =
        (digest: string): PipelineDeps['readFeed'] =>
        async (input) => {
          const read = await readFeedBody(input);
          return { ...read, classified: { with: digest, classifications: read.items.map(() => ({ topics: [], why: {} })) } };
        };
      const source = rssSource(config, { id: 'wire', url: site.url('/wire.xml'), fetchArticle: 'never' });
      const stale = { ...pipelineDeps(config, db.client, db.tableName), readFeed: nothing('other-topics') };
      const [report] = await pollSources(stale, [source]);
      expect(report).toMatchObject({ ok: true, fresh: 1, matched: 1 });
      expect(report!.created[0]!.topics).toContain('deepseek');
      // Made with these topics, its word is taken: nothing classified twice.
      const fresh = await startDynalite();
      try {
        const trusted = { ...pipelineDeps(config, fresh.client, fresh.tableName), readFeed: nothing(topicsDigest(config.topics)) };
        expect((await pollSources(trusted, [source]))[0]).toMatchObject({ ok: true, fresh: 1, matched: 0 });
      } finally {
        await fresh.close();
      }
    } finally {
      await site.close();
    }
  });

  it('reports what went wrong without failing the source: a feed cut off mid-item, an article page that would not load', async () => {
    const site = await startFixtureServer({ '/a/gone': { status: 404 } });
    const full = rss([
      { title: '기사 1', link: `${site.origin}/a/gone`, description: '요약…', at: '11:00' },
      { title: '기사 2', link: `${site.origin}/a/next`, description: '요약…', at: '10:00' },
    ]);
    site.route('/feed.xml', { body: full.slice(0, full.lastIndexOf('<link>')) });
    try {
      const config = demoFeedsConfig(site.origin);
      const deps = pipelineDeps(config, db.client, db.tableName);
      const [report] = await pollSources(deps, [rssSource(config, { id: 'cut', url: site.url('/feed.xml'), fetchArticle: 'always' })]);
      expect(report).toMatchObject({ ok: true, items: 1, fresh: 1 });
      expect(report!.warnings).toEqual([
        expect.stringMatching(/^malformed XML at line 1 \(the feed ends inside an entry\): kept the 1 items before it$/),
        expect.stringMatching(new RegExp(`^article page not read, classified on the feed's teaser: ${site.origin}/a/gone: .*404`)),
      ]);
    } finally {
      await site.close();
    }
  });

  for (const soleWriter of [false, true]) {
    it(`another outlet's own report of the same event is its own story, stored with a link to the first (${soleWriter ? 'embedded store' : 'shared table'})`, async () => {
      const { wire, independentSameDay } = await import('../dedupe/cases.ts');
      const feeds = await startFixtureServer({
        '/wire.xml': { body: rss([{ title: wire.title, link: 'https://wire.example.kr/1', description: wire.body, at: '10:00' }]) },
        '/own.xml': { body: rss([{ title: independentSameDay.title, link: 'https://own.example.kr/1', description: independentSameDay.body, at: '11:30' }]) },
      });
      try {
        const config = demoFeedsConfig(feeds.origin);
        const table = createDynamoStore({ client: db.client, tableName: db.tableName });
        const deps = { ...pipelineDeps(config, db.client, db.tableName), store: soleWriter ? createSoleWriterStore(table, { now: () => DEMO_NOW }) : table };
        const [first] = await pollSources(deps, [rssSource(config, { id: 'wire', url: feeds.url('/wire.xml') })]);
        const [second] = await pollSources(deps, [rssSource(config, { id: 'own', url: feeds.url('/own.xml') })]);
        const wireStory = first!.created[0]!;
        // Both alert (both lead their own cluster); the later one carries the link delivery shows.
        expect(first!.leaders).toHaveLength(1);
        expect(second!.leaders).toHaveLength(1);
        expect(second!.leaders[0]!.clusterId).not.toBe(wireStory.id);
        const related = [{ id: wireStory.id, outlet: wireStory.outlet, title: wire.title, url: 'https://wire.example.kr/1' }];
        expect(second!.leaders[0]!.related).toEqual(related);
        expect((await deps.store.getStory(second!.leaders[0]!.id))?.related).toEqual(related);
      } finally {
        await feeds.close();
      }
    });

    it(`one feed carrying a story and its copies: the earliest published leads, whatever the feed's order (${soleWriter ? 'embedded store' : 'shared table'})`, async () => {
      // Newest first, as feeds list them: four rewrites, then the wire they copy.
      const items = [4, 3, 2, 1].map((n) => ({
        title: `[${n}보] ${WIRE.title}`,
        link: `https://portal.example.kr/news/${n}`,
        description: WIRE.description,
        at: `14:0${n}`,
      }));
      items.push({ title: WIRE.title, link: 'https://portal.example.kr/news/wire', description: WIRE.description, at: '13:10' });
      const feed = await startFixtureServer({ '/feed.xml': { body: rss(items) } });
      try {
        const config = demoFeedsConfig(feed.origin);
        const table = createDynamoStore({ client: db.client, tableName: db.tableName });
        const deps = { ...pipelineDeps(config, db.client, db.tableName), store: soleWriter ? createSoleWriterStore(table, { now: () => DEMO_NOW }) : table };
        const [report] = await pollSources(deps, [rssSource(config, { id: 'portal', url: feed.url('/feed.xml') })]);
        expect(report).toMatchObject({ ok: true, matched: 5 });
        expect(report!.created.map((s) => s.url)).toEqual([...items].reverse().map((i) => i.link));
        expect(report!.leaders.map((s) => s.url)).toEqual(['https://portal.example.kr/news/wire']);
        expect(report!.created.every((s) => s.clusterId === report!.leaders[0]!.id)).toBe(true);
        // The five are stored together, not one after another: with the embedded store their
        // reads and writes share batch requests (one story after another took 19).
        const { getFingerprints = 0, putRecords = 0 } = deps.store.calls;
        if (soleWriter) expect(getFingerprints + putRecords).toBeLessThan(10);
      } finally {
        await feed.close();
      }
    });

    it(`thirty outlets carrying one wire story in the same cycle make one cluster with one leader (${soleWriter ? 'embedded store' : 'shared table'})`, async () => {
      const routes: Record<string, { body: string }> = {};
      for (let i = 0; i < 30; i++) {
        const title = i % 3 === 0 ? WIRE.title : `[종합] ${WIRE.title.slice(0, 30)}`;
        routes[`/o${i}.xml`] = {
          body: rss([{ title, link: `https://outlet${i}.example.kr/news/1`, description: WIRE.description, at: `13:${String(10 + i)}` }]),
        };
      }
      const outlets = await startFixtureServer(routes);
      try {
        const config = demoFeedsConfig(outlets.origin);
        const sources = Object.keys(routes).map((path, i) => rssSource(config, { id: `o${i}`, outlet: `매체${i}`, url: outlets.url(path) }));
        const table = createDynamoStore({ client: db.client, tableName: db.tableName });
        const deps = { ...pipelineDeps(config, db.client, db.tableName), store: soleWriter ? createSoleWriterStore(table, { now: () => DEMO_NOW }) : table };
        const stories = created(await pollSources(deps, sources));
        expect(stories).toHaveLength(30);
        const leaders = stories.filter((s) => s.leader);
        expect(leaders).toHaveLength(1);
        expect(stories.every((s) => s.clusterId === leaders[0]!.id)).toBe(true);
        // The first published copy leads, and the cluster lists every other outlet once.
        expect(leaders[0]!.outlet).toBe('매체0');
        const cluster = await deps.store.cluster(leaders[0]!.id);
        expect(cluster?.members.map((m) => m.outlet).sort()).toEqual(
          sources
            .slice(1)
            .map((s) => s.outlet)
            .sort(),
        );
        // The embedded store shares batch writes among the stories in flight: far fewer
        // requests than the three writes (fingerprint, membership, story) each copy needs.
        const requests = Object.values(deps.store.calls).reduce((a, b) => a + b, 0);
        if (soleWriter) expect(requests).toBeLessThan(stories.length * 2);
      } finally {
        await outlets.close();
      }
    });
  }

  it('a new embedded store looks up no story of its first poll in the table, and one with rows in it does', async () => {
    const items = [1, 2, 3].map((n) => ({
      title: `[${n}보] ${WIRE.title}`,
      link: `https://portal.example.kr/news/${n}`,
      description: WIRE.description,
      at: `14:0${n}`,
    }));
    const feed = await startFixtureServer({
      '/one.xml': { body: rss(items.slice(0, 2)) },
      '/two.xml': { body: rss(items) },
    });
    try {
      const config = demoFeedsConfig(feed.origin);
      const poll = async (id: string, path: string, now: Date) => {
        // A process of its own each time: a new single writer over the same table.
        const store = createSoleWriterStore(createDynamoStore({ client: db.client, tableName: db.tableName }), { now: () => now });
        const [report] = await pollSources({ ...pipelineDeps(config, db.client, db.tableName), store }, [rssSource(config, { id, url: feed.url(path) })]);
        return { report: report!, reads: store.calls['getFingerprints'] ?? 0 };
      };
      // Nothing can be stored in an empty table: the two stories are new without a read.
      const first = await poll('portal', '/one.xml', DEMO_NOW);
      expect(first.report).toMatchObject({ ok: true, matched: 2 });
      expect(first.report.created).toHaveLength(2);
      expect(first.reads).toBe(0);
      // Restarted a month later over the stored rows, its index rebuilt from days that hold none
      // of them: another source listing the two is told by the table that they are stored.
      const second = await poll('other', '/two.xml', new Date(DEMO_NOW.getTime() + 30 * 86_400_000));
      expect(second.report).toMatchObject({ ok: true, matched: 3 });
      expect(second.report.created.map((s) => s.url)).toEqual(['https://portal.example.kr/news/3']);
      expect(second.reads).toBeGreaterThan(0);
    } finally {
      await feed.close();
    }
  });

  it('the embedded store loads its dedupe index while the feeds are on their way, not when the first match needs it', async () => {
    const table = createDynamoStore({ client: db.client, tableName: db.tableName });
    let loadedBeforeAnswer = false;
    // The outlet answers once the index load has begun (or after 3 s): a poll that waited for
    // its first match to load the index would be answered late and say so here.
    const feed = await startFixtureServer({
      '/feed.xml': {
        handler: (_req, res) => {
          const started = Date.now();
          const answer = () => {
            loadedBeforeAnswer = (table.calls['fingerprintsOfDays'] ?? 0) > 0;
            if (!loadedBeforeAnswer && Date.now() - started < 3_000) return void setTimeout(answer, 5);
            res.writeHead(200, { 'content-type': 'application/rss+xml' }).end(rss([{ ...WIRE, link: 'https://portal.example.kr/news/wire', at: '13:10' }]));
          };
          answer();
        },
      },
    });
    try {
      const config = demoFeedsConfig(feed.origin);
      const deps = { ...pipelineDeps(config, db.client, db.tableName), store: createSoleWriterStore(table, { now: () => DEMO_NOW }) };
      const [report] = await pollSources(deps, [rssSource(config, { id: 'portal', url: feed.url('/feed.xml') })]);
      expect(report).toMatchObject({ ok: true, matched: 1 });
      expect(loadedBeforeAnswer).toBe(true);
    } finally {
      await feed.close();
    }
  });
});
