// `npm run bench`: feed parsing throughput. 1,000 generated RSS 2.0 feeds of 50 items
// each (Korean titles and teasers, CDATA, RFC 822 dates: the shape of the default
// outlets' feeds), parsed in the same run by:
//   - the lenient repair pass alone (feed-repair.ts: what newswatch adds before rss-parser);
//   - rss-parser parseString (sax + xml2js), raw;
//   - newswatch's parseFeed (repair + rss-parser + FeedEntry mapping), raw, and followed by
//     the Item mapping (canonical URL, Korea-time dates, plain text).
// Figures, not assertions: ms per feed and items per second, and the cost of the repair.
import Parser from 'rss-parser';
import { feedItemToItem } from '../../shared/sources/feed-items.ts';
import { parseFeed } from '../../shared/sources/feed-parser.ts';
import { repairFeedXml } from '../../shared/sources/feed-repair.ts';

const FEEDS = 1_000;
const ITEMS = 50;

let seed = 20250128;
const rand = (n: number): number => {
  seed = (seed * 1664525 + 1013904223) >>> 0;
  return seed % n;
};
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;
const WORDS = [
  '딥시크',
  '소버린 AI',
  'GPU',
  '엔비디아',
  '삼성전자',
  'SK하이닉스',
  'HBM',
  '반도체',
  '과기정통부',
  '네이버',
  '카카오',
  '데이터센터',
  '투자',
  '수출',
  '규제',
  '전략',
  '시장',
  '발표',
  '확대',
  '전망',
  '클라우드',
  'LLM',
  '스타트업',
  '정부',
];
const DAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];
const sentence = (n: number): string => Array.from({ length: n }, () => pick(WORDS)).join(' ');

function makeFeed(f: number): string {
  const items = Array.from({ length: ITEMS }, (_, i) => {
    const id = `AKR2025${String(f).padStart(4, '0')}${String(i).padStart(6, '0')}`;
    return `<item>
<title><![CDATA[${sentence(6)}…"${pick(WORDS)}" ${rand(100)}%]]></title>
<link>https://www.yna.co.kr/view/${id}?input=1195m</link>
<description><![CDATA[(서울=연합뉴스) ${sentence(30)}.]]></description>
<dc:creator>기자${rand(50)}</dc:creator>
<category>${pick(['경제', 'IT/과학', '산업'])}</category>
<pubDate>${pick(DAYS)}, ${1 + rand(28)} Jan 2025 ${String(rand(24)).padStart(2, '0')}:${String(rand(60)).padStart(2, '0')}:00 +0900</pubDate>
<guid>https://www.yna.co.kr/view/${id}</guid>
</item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss xmlns:dc="http://purl.org/dc/elements/1.1/" version="2.0"><channel><title>연합뉴스 최신기사 ${f}</title><link>https://www.yna.co.kr/</link><description>최신기사</description>
${items.join('\n')}
</channel></rss>`;
}

const feeds = Array.from({ length: FEEDS }, (_, f) => makeFeed(f));
const bytes = feeds.reduce((n, x) => n + Buffer.byteLength(x), 0);
const now = new Date('2025-01-29T00:00:00Z');

const rss = new Parser();
async function measure(name: string, parse: (xml: string) => Promise<number> | number): Promise<number> {
  for (const x of feeds.slice(0, 50)) await parse(x); // warm up
  (globalThis as { gc?: () => void }).gc?.();
  let items = 0;
  const t0 = performance.now();
  for (const x of feeds) items += await parse(x);
  const ms = performance.now() - t0;
  if (items !== FEEDS * ITEMS) throw new Error(`${name}: parsed ${items} items, expected ${FEEDS * ITEMS}`);
  process.stdout.write(
    `${name.padEnd(44)} ${(ms / FEEDS).toFixed(3).padStart(7)} ms/feed  ${Math.round((items / ms) * 1000)
      .toLocaleString('en-US')
      .padStart(9)} items/s\n`,
  );
  return ms;
}

process.stdout.write(`${FEEDS} feeds x ${ITEMS} items, ${(bytes / 1024 / 1024).toFixed(1)} MiB of XML, Node ${process.version}\n\n`);
const tRepair = await measure('repair pass alone', (x) => (repairFeedXml(x).xml.match(/<\/item>/g) ?? []).length);
const tRss = await measure('rss-parser parseString (raw)', async (x) => (await rss.parseString(x)).items.length);
const tRaw = await measure('newswatch parseFeed (raw)', async (x) => (await parseFeed(x)).feed.items.length);
const tOurs = await measure('newswatch parseFeed + Item mapping', async (x) => {
  const { feed } = await parseFeed(x);
  return feed.items.map((it) => feedItemToItem(it, { sourceId: 'b', outlet: 'o', feedUrl: 'https://www.yna.co.kr/rss/news.xml', now })).filter(Boolean).length;
});
process.stdout.write(
  `\nthe repair pass costs ${((tRepair / tRss) * 100).toFixed(0)}% of rss-parser's time; parseFeed ${(tRaw / tRss).toFixed(2)}x raw rss-parser, with the Item mapping ${(tOurs / tRss).toFixed(2)}x\n`,
);
