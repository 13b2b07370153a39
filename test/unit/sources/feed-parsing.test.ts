import { describe, expect, it } from 'vitest';
import { sourceSchema } from '../../../shared/config/schema/sources.ts';
import { needsArticleFetch } from '../../../shared/extract/index.ts';
import type { Item } from '../../../shared/model.ts';
import { parseFeed, repairEntities } from '../../../shared/sources/index.ts';
import { splitOutletSuffix } from '../../../shared/sources/index.ts';
import { outletForUrl } from '../../../shared/sources/outlets.ts';
import { feedItemToItem } from '../../../shared/sources/feed-items.ts';

describe('repairEntities', () => {
  it('turns HTML-only entities and stray ampersands into legal XML, leaving CDATA alone', () => {
    expect(repairEntities('<t>AI&nbsp;반도체 &middot; R&D &amp; &#8230; &foo;</t><d><![CDATA[R&D &nbsp;]]></d>')).toBe(
      '<t>AI&#160;반도체 &#183; R&amp;D &amp; &#8230; &amp;foo;</t><d><![CDATA[R&D &nbsp;]]></d>',
    );
  });

  it('lets a feed with &nbsp; and a bare & parse', async () => {
    const { feed } = await parseFeed('<rss version="2.0"><channel><title>t</title><item><title>R&D 투자&nbsp;확대</title><link>https://a.kr/1?x=1&y=2</link></item></channel></rss>');
    expect(feed.items[0]!.title).toBe('R&D 투자\u00a0확대');
    expect(feed.items[0]!.link).toBe('https://a.kr/1?x=1&y=2');
  });
});

describe('splitOutletSuffix (Google News titles)', () => {
  it.each([
    ['딥시크 쇼크에 반도체주 급락 - 한국경제', '한국경제', '딥시크 쇼크에 반도체주 급락', '한국경제'],
    ['中 딥시크, 오픈AI 넘었나 - 조선비즈 - 조선비즈', '조선비즈', '中 딥시크, 오픈AI 넘었나', '조선비즈'],
    ['GPU 확보 경쟁 - 삼성 vs SK - 전자신문', undefined, 'GPU 확보 경쟁 - 삼성 vs SK', '전자신문'],
    ['접미사 없는 제목', undefined, '접미사 없는 제목', undefined],
  ])('%s', (title, publisher, expectedTitle, expectedOutlet) => {
    expect(splitOutletSuffix(title, publisher)).toEqual(expectedOutlet === undefined ? { title: expectedTitle } : { title: expectedTitle, outlet: expectedOutlet });
  });
});

describe('outletForUrl', () => {
  it.each([
    ['https://www.hankyung.com/article/2025012812345', '한국경제'],
    ['https://biz.chosun.com/it-science/2025/01/28/X/', '조선비즈'],
    ['https://n.news.naver.com/mnews/article/001/0015161234', '연합뉴스'],
    ['https://www.some-new-outlet.kr/news/1', 'some-new-outlet.kr'],
  ])('%s -> %s', (url, outlet) => expect(outletForUrl(url)).toBe(outlet));
});

describe('needsArticleFetch', () => {
  const item = (over: Partial<Item>): Item => ({ sourceId: 's', outlet: 'o', url: 'https://www.yna.co.kr/view/1', guid: 'g', title: 't', summary: '', publishedAt: null, categories: [], ...over });
  const src = (fetchArticle: string) => sourceSchema.parse({ id: 's', kind: 'rss', outlet: 'o', url: 'https://www.yna.co.kr/rss/news.xml', fetchArticle });

  it('fetches teasers, not full-text items, and follows the per-source switch', () => {
    expect(needsArticleFetch(item({ summary: '중국 딥시크가 저비용 모델을 내놓으면서...' }), src('auto'))).toBe(true);
    expect(needsArticleFetch(item({ summary: 'x', body: '본문'.repeat(300) }), src('auto'))).toBe(false);
    expect(needsArticleFetch(item({ summary: '짧은 요약' }), src('never'))).toBe(false);
    expect(needsArticleFetch(item({ summary: 'x', body: '본문'.repeat(300) }), src('always'))).toBe(true);
    expect(needsArticleFetch(item({ url: 'https://news.google.com/rss/articles/CBMi' }), src('auto'))).toBe(false);
  });
});

describe('Atom dates', () => {
  it('reads zone-less Atom dates as Korea time and survives an unreadable one, keeping categories', async () => {
    const now = new Date('2025-01-28T03:00:00Z');
    const { feed } = await parseFeed(
      `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
        <entry><title>a</title><link href="https://www.mt.co.kr/a"/><id>a</id><published>2025-01-28T10:21:00</published><category term="증권"/><category term="반도체"/></entry>
        <entry><title>b</title><link href="https://www.mt.co.kr/b"/><id>b</id><published>어제 아침</published></entry>
      </feed>`,
      now,
    );
    const items = feed.items.map((it) => feedItemToItem(it, { sourceId: 's', outlet: 'o', feedUrl: 'https://www.mt.co.kr/', now }));
    expect(items.map((i) => i?.publishedAt)).toEqual(['2025-01-28T01:21:00.000Z', null]);
    expect(items[0]!.categories).toEqual(['증권', '반도체']);
  });
});
