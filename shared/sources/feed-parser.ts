// RSS 2.0 / Atom / RDF read in one pass of htmlparser2's tokenizer (the one cheerio uses), on
// text we decoded ourselves. rss-parser (sax + xml2js) built an object tree of every feed and
// cost 5x the time, which made parsing the largest share of a poll's CPU. A tokenizer is also
// lenient where Korean feeds are sloppy: HTML-only entities (&nbsp; &middot;), a stray `&`,
// an unclosed <b>; only a feed cut off mid-entry loses that entry.
import { Parser } from 'htmlparser2';

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

/** Parsing failed and nothing could be recovered; `line` is where the XML broke. */
export class FeedSyntaxError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'FeedSyntaxError';
  }
}

const ROOTS = new Set(['rss', 'feed', 'rdf:rdf']);
const ENTRIES = new Set(['item', 'entry']);
const DATE_FIELDS = ['published', 'pubdate', 'dc:date', 'updated'];

const NAMED: Record<string, number> = {
  amp: 38, lt: 60, gt: 62, quot: 34, apos: 39,
  nbsp: 160, middot: 183, hellip: 8230, lsquo: 8216, rsquo: 8217, ldquo: 8220, rdquo: 8221, sbquo: 8218, bdquo: 8222,
  ndash: 8211, mdash: 8212, bull: 8226, copy: 169, reg: 174, trade: 8482, times: 215, divide: 247, laquo: 171, raquo: 187,
  lsaquo: 8249, rsaquo: 8250, deg: 176, plusmn: 177, para: 182, sect: 167, cent: 162, pound: 163, yen: 165, euro: 8364,
  larr: 8592, rarr: 8594, uarr: 8593, darr: 8595, hearts: 9829, star: 9734, iexcl: 161, shy: 173, prime: 8242,
};

/** XML and common HTML entities decoded; an unknown name or a bare `&` stays as written. */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g, (m, dec?: string, hex?: string, name?: string) => {
    const code = dec ? Number(dec) : hex ? parseInt(hex, 16) : NAMED[name!];
    return code !== undefined && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/**
 * Parses feed text. A feed cut off inside an entry keeps every entry before the cut (with a
 * warning naming the line); throws FeedSyntaxError when that leaves none, or when the text
 * is not a feed at all.
 */
export function parseFeed(text: string): { feed: Feed; warnings: string[] } {
  const feed: Feed = { items: [] };
  const path: string[] = []; // open elements, lower-cased
  let root: string | undefined;
  let entry: FeedEntry | undefined;
  let entryDepth = 0;
  let dates: Record<string, string> = {};
  // The element whose text is being read (an entry's field, or outside entries the feed's
  // title), its depth, and its text so far.
  let field: string | undefined;
  let fieldDepth = 0;
  let buffer = '';
  let authorName: string | undefined;
  let inCdata = false;
  let ending = false;
  let cut = false;

  const parser = new Parser(
    {
      onopentag(tag, attrs) {
        const name = tag.toLowerCase();
        path.push(name);
        const depth = path.length;
        if (depth === 1) root = name;
        if (!root || !ROOTS.has(root)) return;
        if (!entry && ENTRIES.has(name)) {
          entry = { categories: [] };
          entryDepth = depth;
          dates = {};
          authorName = undefined;
          return;
        }
        if (entry && depth === entryDepth + 1) {
          field = name;
          fieldDepth = depth;
          buffer = '';
          if (name === 'link' && attrs.href) {
            // Atom: the alternate link, else the first one.
            const rel = attrs.rel ?? 'alternate';
            if (rel === 'alternate' || entry.link === undefined) entry.link = decodeEntities(attrs.href);
          } else if (name === 'category' && (attrs.label || attrs.term)) {
            entry.categories.push(decodeEntities(attrs.label || attrs.term!));
          }
          return;
        }
        if (entry && field === 'author' && name === 'name') buffer = '';
        // The feed's own title: <channel><title> (RSS, RDF) or <feed><title> (Atom).
        if (!entry && name === 'title' && feed.title === undefined && (path[depth - 2] === 'channel' || (depth === 2 && root === 'feed'))) {
          field = name;
          fieldDepth = depth;
          buffer = '';
        }
      },
      ontext(raw) {
        // CDATA is literal text; everything else has its entities decoded.
        if (field) buffer += inCdata ? raw : decodeEntities(raw);
      },
      oncdatastart() {
        inCdata = true;
      },
      oncdataend() {
        inCdata = false;
      },
      onclosetag(tag) {
        const name = path.pop() ?? tag.toLowerCase();
        const depth = path.length + 1;
        if (field && depth === fieldDepth) {
          const value = buffer;
          field = undefined;
          if (entry) setField(entry, name, value);
          else feed.title = value;
        } else if (entry && field === 'author' && name === 'name') {
          authorName = buffer;
        }
        if (entry && depth === entryDepth) {
          if (ending) cut = true; // the document ended inside this entry: it is incomplete
          else feed.items.push(finish(entry));
          entry = undefined;
        }
      },
    },
    { xmlMode: true, decodeEntities: false },
  );

  function setField(e: FeedEntry, name: string, value: string): void {
    switch (name) {
      case 'title':
        e.title ??= value;
        break;
      case 'link':
        if (value.trim()) e.link ??= value.trim();
        break;
      case 'guid':
      case 'id':
        e.guid ??= value.trim();
        break;
      case 'description':
        e.summary = value;
        break;
      case 'content':
        e.summary = value; // Atom content wins over its summary
        break;
      case 'summary':
        e.summary ??= value;
        break;
      case 'content:encoded':
        e.content = value;
        break;
      case 'dc:creator':
        e.author = value;
        break;
      case 'author':
        e.author ??= authorName ?? value;
        break;
      case 'category':
      case 'dc:subject':
        if (value.trim()) e.categories.push(value);
        break;
      case 'source':
        e.source = value;
        break;
      default:
        if (DATE_FIELDS.includes(name)) dates[name] ??= value;
    }
  }

  function finish(e: FeedEntry): FeedEntry {
    const date = DATE_FIELDS.map((f) => dates[f]).find((d) => d && d.trim());
    return date ? { ...e, date: date.trim() } : e;
  }

  parser.write(text);
  ending = true;
  parser.end();

  if (!root) throw new FeedSyntaxError('not a feed: no XML elements in the text');
  if (!ROOTS.has(root)) throw new FeedSyntaxError(`not a feed: the document is <${root}>, not <rss>, <feed> or <rdf:RDF>`);
  const warnings: string[] = [];
  if (cut) {
    const line = lineAt(text, text.trimEnd().length);
    if (feed.items.length === 0) throw new FeedSyntaxError(`malformed XML at line ${line}: the feed ends inside its first entry; no complete item before it`, line);
    warnings.push(`malformed XML at line ${line} (the feed ends inside an entry): kept the ${feed.items.length} items before it`);
  }
  return { feed, warnings };
}
