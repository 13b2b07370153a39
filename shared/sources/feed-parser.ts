// RSS 2.0 / Atom / RDF read by rss-parser (the design card's feed reader) on text we decoded
// ourselves, after a lenient repair pass (feed-repair.ts) so that sloppy and cut-off feeds
// still read. Out of it comes one FeedEntry shape whatever the format.
import Parser from 'rss-parser';
import { FeedSyntaxError, repairFeedXml, restoreCdata } from './feed-repair.ts';

export { decodeEntities } from './feed-entities.ts';
export { FeedSyntaxError } from './feed-repair.ts';

/** One feed entry, its text fields as the feed carries them (HTML allowed, entities decoded). */
export interface FeedEntry {
  title?: string;
  link?: string;
  /** RSS <guid>, Atom <id>. */
  guid?: string;
  /** The raw date: <published>, <pubDate>, <dc:date> or <updated>, first found in that order. */
  date?: string;
  /** RSS <description>, Atom <content> or else <summary>. */
  summary?: string;
  /** RSS <content:encoded>: the full text, when the feed carries it. */
  content?: string;
  author?: string;
  categories: string[];
  /** Google News: the publisher named in <source>. */
  source?: string;
}

export interface Feed {
  title?: string;
  items: FeedEntry[];
}

// rss-parser turns Atom's <published>/<updated> into ISO strings with `new Date()`, which
// reads a zone-less date in the machine's zone and throws on an unreadable one (failing the
// whole feed). Renamed before it sees them, they reach us as written; parseDate reads them
// as Korea time. RSS <description> and <content:encoded> are renamed too: for them
// rss-parser also makes a `contentSnippet` we never read (two HTML-stripping regular
// expressions and an entity decoder over every item's text).
const RENAMED: Record<string, string> = {
  published: 'nw:published',
  updated: 'nw:updated',
  description: 'nw:description',
  'content:encoded': 'nw:encoded',
};

type Raw = Record<string, unknown>;

/**
 * rss-parser with its `isoDate` left out: we read the raw date (see RENAMED), and its
 * `new Date(text).toISOString()` per item was ~30 ms of a 6,000-item first poll's CPU.
 */
class FeedReader extends Parser<Raw, Raw> {
  setISODate(): void {}
}

const reader = new FeedReader({
  defaultRSS: 2, // an <rss> without its version attribute is read as RSS 2.0
  xml2js: { tagNameProcessors: [(name: string) => RENAMED[name] ?? name] },
  customFields: {
    item: [
      ['nw:published', 'published'],
      ['nw:updated', 'updated'],
      ['nw:description', 'description'],
      ['nw:encoded', 'content:encoded'],
      ['source', 'publisher'],
      ['category', 'categoryList', { keepArray: true }],
      ['dc:subject', 'subjectList', { keepArray: true }],
      ['link', 'linkList', { keepArray: true }],
    ],
  },
});

/** The text of an element as xml2js gives it: a string, or `{ _: text, $: attributes }`. */
function elementText(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object' && typeof (v as { _?: unknown })._ === 'string') return (v as { _: string })._;
  return undefined;
}

/** An element's text with its CDATA sections back in place (see restoreCdata). */
type TextOf = (v: unknown) => string | undefined;

function attributes(v: unknown): Record<string, string> {
  const attrs = v && typeof v === 'object' ? (v as { $?: Record<string, string> }).$ : undefined;
  return attrs ?? {};
}

/** RSS <link>text</link>, or Atom's alternate <link href>, else its first one. */
function entryLink(item: Raw, text: TextOf): string | undefined {
  const links = Array.isArray(item.linkList) ? item.linkList : [];
  let first: string | undefined;
  for (const l of links) {
    const { href, rel } = attributes(l);
    if (href) {
      if ((rel ?? 'alternate') === 'alternate') return href;
      first ??= href;
    } else {
      const t = text(l)?.trim();
      if (t) return t;
    }
  }
  return first;
}

function entryCategories(item: Raw, text: TextOf): string[] {
  const out: string[] = [];
  for (const list of [item.categoryList, item.subjectList]) {
    if (!Array.isArray(list)) continue;
    for (const c of list) {
      const { label, term } = attributes(c);
      const value = label || term || text(c);
      if (value?.trim()) out.push(value);
    }
  }
  return out;
}

function toEntry(item: Raw, atom: boolean, text: TextOf): FeedEntry {
  const entry: FeedEntry = { categories: entryCategories(item, text) };
  const title = text(item.title);
  if (title !== undefined) entry.title = title;
  const link = entryLink(item, text);
  if (link) entry.link = link;
  const guid = text(atom ? item.id : item.guid)?.trim();
  if (guid) entry.guid = guid;
  const date = [item.published, item.pubDate, item['dc:date'], item.updated].map(text).find((d) => d?.trim());
  if (date) entry.date = date.trim();
  // RSS <description> (renamed, see RENAMED); rss-parser puts Atom <content> in `content`, <summary> in `summary`.
  const summary = atom ? (text(item.content) ?? text(item.summary)) : text(item.description);
  if (summary !== undefined) entry.summary = summary;
  const full = text(item['content:encoded']);
  if (full !== undefined) entry.content = full;
  const author = text(item['dc:creator']) ?? text(item.author);
  if (author !== undefined) entry.author = author;
  const source = text(item.publisher);
  if (source !== undefined) entry.source = source;
  return entry;
}

/** Where sax stopped, from its message ("...\nLine: 3\nColumn: 7\nChar: x"). */
function saxLine(e: unknown): number | undefined {
  const m = /Line: (\d+)/.exec(String((e as Error)?.message));
  return m ? Number(m[1]) + 1 : undefined;
}

/**
 * Parses feed text. A feed cut off inside an entry keeps every entry before the cut (with a
 * warning naming the line); throws FeedSyntaxError when that leaves none, or when the text
 * is not a feed at all.
 */
export async function parseFeed(source: string): Promise<{ feed: Feed; warnings: string[] }> {
  const { xml, root, hasChannel, warnings, cdata } = repairFeedXml(source);
  // rss-parser reads RSS and RDF through their <channel> and throws a TypeError without one
  // (a feed cut off or broken before it): that is a feed with no items.
  if (root !== 'feed' && !hasChannel) return { feed: { items: [] }, warnings };
  let parsed: Awaited<ReturnType<typeof reader.parseString>>;
  try {
    parsed = await reader.parseString(xml);
  } catch (e) {
    const line = saxLine(e);
    const where = line ? ` at line ${line}` : '';
    const what = line ? 'malformed XML' : 'unreadable feed';
    throw new FeedSyntaxError(`${what}${where}: ${String((e as Error)?.message ?? e).split('\n')[0]}`, line);
  }
  const atom = root === 'feed';
  const text: TextOf = (v) => {
    const t = elementText(v);
    return t === undefined ? t : restoreCdata(t, cdata);
  };
  const feed: Feed = { items: (parsed.items as Raw[]).map((item) => toEntry(item, atom, text)) };
  const title = text(parsed.title);
  if (title !== undefined) feed.title = title;
  return { feed, warnings };
}
