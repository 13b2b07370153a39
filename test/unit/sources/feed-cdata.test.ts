// CDATA sections are set aside by the repair pass and stand in the XML rss-parser reads as a
// mark (sax reads text a character at a time; Korean feeds carry titles and bodies as CDATA).
// What a feed says must come out exactly as when rss-parser reads the sections itself: a
// feed holding the mark's private-use character is read that way, so it is the reference.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeBody } from '../../../shared/fetch/charset.ts';
import { parseFeed } from '../../../shared/sources/feed-parser.ts';
import { repairFeedXml } from '../../../shared/sources/feed-repair.ts';

const FEEDS = new URL('../../fixtures/feeds/', import.meta.url);
/** The same feed with a comment holding U+E000: its CDATA stays in the XML rss-parser reads. */
const unmarked = (xml: string) => xml.replace(/<(rss|feed|rdf:RDF)\b/i, '<!-- \uE000 -->$&');

describe('CDATA set aside while rss-parser reads the structure', () => {
  it('the XML rss-parser reads holds marks, not the sections; a feed with the mark character keeps them', () => {
    const xml = '<rss version="2.0"><channel><item><title><![CDATA[딥시크 <b>충격</b>]]></title><link>https://a.kr/1</link></item></channel></rss>';
    const marked = repairFeedXml(xml);
    expect(marked.xml).not.toContain('딥시크');
    expect(marked.cdata).toEqual(['딥시크 <b>충격</b>']);
    expect(repairFeedXml(unmarked(xml)).xml).toContain('<![CDATA[딥시크 <b>충격</b>]]>');
  });

  it('every field comes back as written: mixed with text and entities, multi-line, in links, guids, dates, categories, Atom', async () => {
    const rss =
      '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>' +
      '<title><![CDATA[연합뉴스 & 속보]]></title><item>' +
      '<title>R&amp;D <![CDATA[투자 <확대>]]> 발표</title>' +
      '<link><![CDATA[ https://a.kr/1?x=1&y=2 ]]></link>' +
      '<guid isPermaLink="false"><![CDATA[AKR-1]]></guid>' +
      '<pubDate><![CDATA[Thu, 06 Feb 2025 09:00:00 +0900]]></pubDate>' +
      '<category><![CDATA[IT/과학]]></category><dc:creator><![CDATA[홍길동]]> <![CDATA[기자]]></dc:creator>' +
      '<description><![CDATA[<p>첫 줄\n둘째 줄]]></p>]]></description>' +
      '<content:encoded><![CDATA[<p>전문\r\n\n셋째 줄</p>]]></content:encoded>' +
      '</item></channel></rss>';
    const { feed, warnings } = await parseFeed(rss);
    expect(warnings).toEqual([]);
    expect(feed.title).toBe('연합뉴스 & 속보');
    expect(feed.items).toEqual([
      {
        title: 'R&D 투자 <확대> 발표',
        link: 'https://a.kr/1?x=1&y=2',
        guid: 'AKR-1',
        date: 'Thu, 06 Feb 2025 09:00:00 +0900',
        summary: '<p>첫 줄\n둘째 줄]]>',
        content: '<p>전문\r\n\n셋째 줄</p>',
        author: '홍길동 기자',
        categories: ['IT/과학'],
      },
    ]);
    expect((await parseFeed(unmarked(rss))).feed).toEqual(feed);

    const atom =
      '<feed xmlns="http://www.w3.org/2005/Atom"><title type="html"><![CDATA[머니투데이]]></title><entry>' +
      '<title type="html"><![CDATA[삼성 <em>HBM</em>]]></title><link rel="alternate" href="https://mt.co.kr/a"/><id><![CDATA[tag:mt,1]]></id>' +
      '<updated>2025-02-06T10:00:00+09:00</updated><content type="html"><![CDATA[<p>본문 & 끝</p>]]></content></entry></feed>';
    const read = await parseFeed(atom);
    expect(read.feed.items[0]).toMatchObject({ title: '삼성 <em>HBM</em>', guid: 'tag:mt,1', summary: '<p>본문 & 끝</p>' });
    expect((await parseFeed(unmarked(atom))).feed).toEqual(read.feed);
  });

  it('the fixture feeds read the same, entry for entry (EUC-KR decoded as the fetcher does)', async () => {
    const files = readdirSync(FEEDS).filter((f) => f.endsWith('.xml'));
    expect(files.length).toBeGreaterThanOrEqual(7);
    for (const f of files) {
      const xml = decodeBody(readFileSync(new URL(f, FEEDS)), 'application/rss+xml', f).text;
      const marked = await parseFeed(xml).catch((e: Error) => e.message);
      const reference = await parseFeed(unmarked(xml)).catch((e: Error) => e.message);
      expect(marked, f).toEqual(reference);
    }
  });

  it('a feed cut off after a multi-line CDATA body names the line it was cut at', async () => {
    const xml = `<rss version="2.0"><channel>\n<item><title>a</title><description><![CDATA[한 줄\n두 줄\n세 줄]]></description></item>\n<item><title>잘린`;
    const { feed, warnings } = await parseFeed(xml);
    expect(feed.items.map((i) => i.summary)).toEqual(['한 줄\n두 줄\n세 줄']);
    expect(warnings).toEqual(['malformed XML at line 5 (the feed ends inside an entry): kept the 1 items before it']);
  });
});
