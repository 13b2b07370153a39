// The repair pass before rss-parser: faults a strict XML parser refuses, as Korean CMSs
// write them, still read; what cannot be a feed is refused with a reason.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../../shared/sources/feed-parser.ts';
import { repairFeedXml } from '../../../shared/sources/feed-repair.ts';

const rss = (items: string) => `<?xml version="1.0" encoding="EUC-KR"?>\n<rss version="2.0"><channel><title>피드</title>\n${items}</channel></rss>`;

describe('feeds a strict XML parser refuses', () => {
  it('reads through a stray close tag, a control character, unquoted and repeated attributes, markup in a description', async () => {
    const { feed, warnings } = await parseFeed(
      rss(
        '<item><title>첫\u0008 기사</title></p><link>https://a.kr/1</link><guid isPermaLink=false isPermaLink="true">a-1</guid>' +
          '<description>본문 <br>둘째 줄<img src=x.jpg></description><category domain=x>IT</category></item>\n' +
          '<item><title>둘째 기사 R&D</title><link>https://a.kr/2?a=1&b=2</link><dc:creator>기자 &copy; &unknown;</dc:creator></item>\n',
      ),
    );
    expect(feed.items).toEqual([
      { title: '첫 기사', link: 'https://a.kr/1', guid: 'a-1', summary: '본문 둘째 줄', categories: ['IT'] },
      { title: '둘째 기사 R&D', link: 'https://a.kr/2?a=1&b=2', author: '기자 © &unknown;', categories: [] },
    ]);
    expect(warnings).toEqual(['removed 1 control character that XML does not allow']);
  });

  it('reads an <rss> without its version, and Google News <source> as the publisher', async () => {
    const { feed } = await parseFeed(
      '<rss><channel><item><title>제목 - 한국경제</title><link>https://n.kr/1</link><source url="https://www.hankyung.com">한국경제</source></item></channel></rss>',
    );
    expect(feed.items).toEqual([{ title: '제목 - 한국경제', link: 'https://n.kr/1', source: '한국경제', categories: [] }]);
  });

  it('keeps every item of a feed cut off between items, and says where it ended', async () => {
    const text = rss('<item><title>a</title><link>https://a.kr/1</link></item>\n<item><title>b</title><link>https://a.kr/2</link></item>\n').replace(
      '</channel></rss>',
      '',
    );
    const { feed, warnings } = await parseFeed(text);
    expect(feed.items.map((i) => i.title)).toEqual(['a', 'b']);
    expect(warnings).toEqual(['malformed XML at line 4 (the feed ends before its closing </rss>)']);
  });

  it('keeps line numbers: the repaired text has the original lines', () => {
    const text = '<?xml version="1.0"?>\n<!-- a\ncomment -->\n<rss version="2.0"><channel>\n<item><title>a</title></item></channel></rss>\nafter the root';
    const { xml } = repairFeedXml(text);
    expect(xml.split('\n').length).toBe(5);
    expect(xml.split('\n')[4]).toBe('<item><title>a</title></item></channel></rss>');
  });
});

describe('tags as feeds write them', () => {
  it('copies namespaced, dotted and underscored names through, closes mixed-case end tags as opened, and reads `<2` as text', () => {
    const plain = '<rss version="2.0"><channel><item><title>a</title><dc:date>2025</dc:date><a.b-c_d>x</a.b-c_d><_x>y</_x></item></channel></rss>';
    expect(repairFeedXml(plain)).toEqual({ xml: plain, root: 'rss', hasChannel: true, warnings: [], cdata: [] });
    expect(repairFeedXml('<RSS><Channel><Item><Title>a</TITLE><Link>l</link></ITEM></channel></rss>').xml).toBe(
      '<RSS><Channel><Item><Title>a</Title><Link>l</Link></Item></Channel></RSS>',
    );
    expect(repairFeedXml('<rss><channel><item><title>1 <2 and 3>1</title><link>l</link></item><item><title>b</title></item><item><title>cut')).toEqual({
      xml: '<rss><channel><item><title>1 &lt;2 and 3>1</title><link>l</link></item><item><title>b</title></item></channel></rss>',
      root: 'rss',
      hasChannel: true,
      warnings: ['malformed XML at line 1 (the feed ends inside an entry): kept the 2 items before it'],
      cdata: [],
    });
  });
});

describe('whatever the damage, the repaired text is XML the strict parser reads', () => {
  it('fixture feeds with tags, entities, quotes and CDATA markers spliced in at random and cut anywhere', async () => {
    const dir = 'test/fixtures/feeds';
    const feeds = readdirSync(dir)
      .filter((f) => f.endsWith('.xml'))
      .map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
    const junk = [
      '<',
      '&',
      '</item>',
      '<item>',
      '<b>',
      ']]>',
      '<![CDATA[x',
      '<!-- c -->',
      '"',
      "'",
      '=',
      '>',
      '</channel>',
      '<title>',
      '\n',
      '&nbsp;',
      '&#0;',
      '<a href=x&y>',
    ];
    let seed = 11; // fixed: the same damaged feeds every run
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) % 2 ** 31) % n;
    const refusals = new Set<string>();
    for (let k = 0; k < 300; k++) {
      let text = feeds[k % feeds.length]!;
      for (let edits = rand(5); edits > 0; edits--) {
        const at = rand(text.length + 1);
        text = text.slice(0, at) + junk[rand(junk.length)] + text.slice(at);
      }
      if (rand(3) === 0) text = text.slice(0, rand(text.length + 1));
      await parseFeed(text).catch((e: Error) => refusals.add(e.message.replace(/line \d+/, 'line N')));
    }
    // Only the repair pass's own refusals: never the strict parser giving up on the text.
    const ownRefusal = /^(not a feed: |malformed XML at line N: the feed ends inside its first entry)/;
    expect([...refusals]).toEqual([...refusals].filter((m) => ownRefusal.test(m)));
  });
});
