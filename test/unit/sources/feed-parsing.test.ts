import { describe, expect, it } from 'vitest';
import { sourceSchema } from '../../../shared/config/schema/sources.ts';
import { needsArticleFetch } from '../../../shared/extract/index.ts';
import type { Item } from '../../../shared/model.ts';
import { parseFeed } from '../../../shared/sources/index.ts';
import { decodeEntities } from '../../../shared/sources/feed-parser.ts';
import { splitOutletSuffix } from '../../../shared/sources/google-news-source.ts';
import { outletForUrl } from '../../../shared/sources/outlets.ts';
import { feedItemToItem } from '../../../shared/sources/feed-items.ts';
import { plainText } from '../../../shared/sources/plain-text.ts';
import { collapseWhitespace } from '../../../shared/whitespace.ts';

describe('feed text the way Korean outlets write it', () => {
  it('decodes XML and HTML-only entities, and leaves a bare & or an unknown name as written', () => {
    expect(decodeEntities('AI&nbsp;반도체 &middot; R&D &amp; &#8230; &#x2014; &foo; &amp;lt;')).toBe('AI\u00a0반도체 · R&D & … — &foo; &lt;');
  });

  it('reads a feed with &nbsp;, a bare &, CDATA left literal, and an unclosed <b>', async () => {
    const { feed, warnings } = await parseFeed(
      '<rss version="2.0"><channel><title>t</title>' +
        '<item><title>R&D 투자&nbsp;확대</title><link>https://a.kr/1?x=1&y=2</link><description><![CDATA[R&D &nbsp;<p>본문</p>]]></description></item>' +
        '<item><title>제목 <b>열린 태그</title><link>https://a.kr/2</link></item>' +
        '</channel></rss>',
    );
    expect(warnings).toEqual([]);
    expect(feed.items.map((i) => [i.title, i.link])).toEqual([
      ['R&D 투자\u00a0확대', 'https://a.kr/1?x=1&y=2'],
      ['제목 열린 태그', 'https://a.kr/2'],
    ]);
    expect(feed.items[0]!.summary).toBe('R&D &nbsp;<p>본문</p>');
  });

  it('maps Atom and RDF entries to the same fields: alternate link, id, author name, categories', async () => {
    const atom = (
      await parseFeed(
        '<feed xmlns="http://www.w3.org/2005/Atom"><title type="html">머니&lt;b&gt;투데이&lt;/b&gt;</title><entry><title>삼성 HBM</title>' +
          '<link rel="self" href="https://mt.co.kr/self"/><link rel="alternate" href="https://mt.co.kr/a?x=1&amp;y=2"/><id>tag:mt,1</id>' +
          '<updated>2025-02-06T10:00:00+09:00</updated><published>2025-02-06T09:00:00+09:00</published>' +
          '<author><name>기자</name><email>a@b.kr</email></author><summary>요약</summary><content type="html">&lt;p&gt;본문&lt;/p&gt;</content>' +
          '<category term="증권" label="증권 뉴스"/></entry></feed>',
      )
    ).feed;
    expect(atom.title).toBe('머니<b>투데이</b>');
    expect(atom.items).toEqual([
      {
        title: '삼성 HBM',
        link: 'https://mt.co.kr/a?x=1&y=2',
        guid: 'tag:mt,1',
        date: '2025-02-06T09:00:00+09:00',
        author: '기자',
        summary: '<p>본문</p>',
        categories: ['증권 뉴스'],
      },
    ]);
    const rdf = (
      await parseFeed(
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel><title>RDF</title></channel>' +
          '<item rdf:about="https://r.kr/1"><title>제목</title><link>https://r.kr/1</link><dc:date>2025-02-06 10:00</dc:date><dc:subject>정치</dc:subject></item></rdf:RDF>',
      )
    ).feed;
    expect(rdf).toEqual({ title: 'RDF', items: [{ title: '제목', link: 'https://r.kr/1', date: '2025-02-06 10:00', categories: ['정치'] }] });
  });

  it('refuses what is not a feed, naming what it is', async () => {
    await expect(parseFeed('<html><body>로그인</body></html>')).rejects.toThrow(/not a feed: the document is <html>/);
    await expect(parseFeed('점검 중입니다')).rejects.toThrow(/not a feed: no XML elements/);
  });
});

describe('plainText (titles, teasers, full text from feeds)', () => {
  it('keeps words apart across blocks, drops scripts, decodes entities and caps the length', () => {
    expect(plainText('<p>첫 문단</p><p>둘째&nbsp;문단<br>셋째</p><script>var x = 1;</script><style>p{}</style>R&amp;D &lt;AI&gt;')).toBe(
      '첫 문단 둘째 문단 셋째 R&D <AI>',
    );
    expect(plainText('딥시크 '.repeat(10), 12)).toBe('딥시크 딥시크 딥시크…');
  });

  it('collapses every kind of whitespace run to one space, as /\\s+/ does', () => {
    // Tabs, newlines, no-break and ideographic spaces (U+3000, common in Korean copy) alone or in runs.
    const messy = ' \t소버린\u3000AI\n\n전략\u00a0발표  GPU \r\n 확보 ';
    expect(collapseWhitespace(messy)).toBe('소버린 AI 전략 발표 GPU 확보');
    expect(collapseWhitespace(messy)).toBe(messy.replace(/\s+/g, ' ').trim());
    expect(plainText(messy)).toBe('소버린 AI 전략 발표 GPU 확보');
  });
});

describe('splitOutletSuffix (Google News titles)', () => {
  it.each([
    ['딥시크 쇼크에 반도체주 급락 - 한국경제', '한국경제', '딥시크 쇼크에 반도체주 급락', '한국경제'],
    ['中 딥시크, 오픈AI 넘었나 - 조선비즈 - 조선비즈', '조선비즈', '中 딥시크, 오픈AI 넘었나', '조선비즈'],
    ['GPU 확보 경쟁 - 삼성 vs SK - 전자신문', undefined, 'GPU 확보 경쟁 - 삼성 vs SK', '전자신문'],
    ['접미사 없는 제목', undefined, '접미사 없는 제목', undefined],
  ])('%s', (title, publisher, expectedTitle, expectedOutlet) => {
    expect(splitOutletSuffix(title, publisher)).toEqual(
      expectedOutlet === undefined ? { title: expectedTitle } : { title: expectedTitle, outlet: expectedOutlet },
    );
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
  const item = (over: Partial<Item>): Item => ({
    sourceId: 's',
    outlet: 'o',
    url: 'https://www.yna.co.kr/view/1',
    guid: 'g',
    title: 't',
    summary: '',
    publishedAt: null,
    categories: [],
    ...over,
  });
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
    );
    const items = feed.items.map((it) => feedItemToItem(it, { sourceId: 's', outlet: 'o', feedUrl: 'https://www.mt.co.kr/', now }));
    expect(items.map((i) => i?.publishedAt)).toEqual(['2025-01-28T01:21:00.000Z', null]);
    expect(items[0]!.categories).toEqual(['증권', '반도체']);
  });
});
