// RSS 2.0 / Atom / RDF through rss-parser's parseString, on text we decoded ourselves
// (its parseURL mis-decodes EUC-KR). Korean feeds often carry HTML entities XML does
// not define (&nbsp; &middot;) and some arrive cut off; both are repaired here.
import Parser from 'rss-parser';
import { parseDate } from '../extract/parse-date.ts';

export type FeedItem = Parser.Item & {
  atomCategories?: (string | { _?: string; $?: { term?: string; label?: string } })[];
  source?: string | { _?: string; $?: { url?: string } };
  date?: string;
  id?: string;
  published?: string;
  updated?: string;
  'content:encoded'?: string;
  'dc:creator'?: string;
};
export type Feed = Parser.Output<FeedItem>;

const parser: Parser<Record<string, unknown>, FeedItem> = new Parser({
  customFields: { item: ['source', 'published', 'updated', 'id', ['category', 'atomCategories', { keepArray: true }]] },
});

/** Parsing failed and nothing could be recovered; `line` is where the XML broke. */
export class FeedSyntaxError extends Error {
  constructor(message: string, readonly line?: number) {
    super(message);
    this.name = 'FeedSyntaxError';
  }
}

const HTML_ENTITIES: Record<string, number> = {
  nbsp: 160, middot: 183, hellip: 8230, lsquo: 8216, rsquo: 8217, ldquo: 8220, rdquo: 8221, sbquo: 8218, bdquo: 8222,
  ndash: 8211, mdash: 8212, bull: 8226, copy: 169, reg: 174, trade: 8482, times: 215, divide: 247, laquo: 171, raquo: 187,
  lsaquo: 8249, rsaquo: 8250, deg: 176, plusmn: 177, para: 182, sect: 167, cent: 162, pound: 163, yen: 165, euro: 8364,
  larr: 8592, rarr: 8594, uarr: 8593, darr: 8595, hearts: 9829, star: 9734, iexcl: 161, shy: 173, prime: 8242,
};

/** Makes stray `&` and HTML-only named entities legal XML, leaving CDATA sections untouched. */
export function repairEntities(xml: string): string {
  return xml
    .split(/(<!\[CDATA\[[\s\S]*?\]\]>)/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part.replace(/&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)([a-zA-Z][a-zA-Z0-9]*;)?/g, (_m, name?: string) => {
            const code = name ? HTML_ENTITIES[name.slice(0, -1)] : undefined;
            return code !== undefined ? `&#${code};` : `&amp;${name ?? ''}`;
          }),
    )
    .join('');
}

function closingTags(xml: string): string | undefined {
  const root = /<(rss|feed|rdf:RDF)[\s>]/.exec(xml)?.[1];
  if (root === 'rss') return '</channel></rss>';
  if (root === 'feed') return '</feed>';
  if (root === 'rdf:RDF') return '</rdf:RDF>';
  return undefined;
}

/**
 * Atom dates rewritten as UTC ISO before rss-parser sees them: it runs `new Date()` on
 * them, which reads a zone-less date in the machine's zone (not Korea's) and throws on
 * an unreadable one, losing the whole feed. Unreadable dates are dropped.
 */
export function normaliseAtomDates(xml: string, now: Date): string {
  if (!/<feed[\s>]/.test(xml)) return xml;
  return xml.replace(/<(published|updated)>\s*([^<]*?)\s*<\/\1>/g, (_m, tag: string, value: string) => {
    const iso = parseDate(value, now);
    return iso ? `<${tag}>${iso}</${tag}>` : '';
  });
}

/** The character offset of a 1-based line and 0-based column. */
function offsetOf(text: string, line: number, column: number): number {
  let offset = 0;
  for (let l = 1; l < line; l++) {
    const next = text.indexOf('\n', offset);
    if (next === -1) return text.length;
    offset = next + 1;
  }
  return Math.min(text.length, offset + column);
}

/**
 * Parses feed text. On malformed XML keeps every item that ended before the break
 * (with a warning naming the line); throws FeedSyntaxError when none did.
 */
export async function parseFeed(text: string, now: Date = new Date()): Promise<{ feed: Feed; warnings: string[] }> {
  const xml = normaliseAtomDates(repairEntities(text.replace(/^\uFEFF/, '')), now);
  try {
    return { feed: await parser.parseString(xml), warnings: [] };
  } catch (e) {
    const message = (e as Error).message;
    const lineMatch = /Line:\s*(\d+)/.exec(message);
    const line = lineMatch ? Number(lineMatch[1]) + 1 : undefined; // sax counts lines from 0
    const column = Number(/Column:\s*(\d+)/.exec(message)?.[1] ?? 0);
    const reason = message.split('\n')[0] ?? message;
    if (line === undefined) throw new FeedSyntaxError(`not a feed: ${reason}`);
    const before = xml.slice(0, offsetOf(xml, line, column));
    const end = Math.max(before.lastIndexOf('</item>') + 7, before.lastIndexOf('</entry>') + 8);
    const closing = closingTags(xml);
    if (end < 8 || closing === undefined) {
      throw new FeedSyntaxError(`malformed XML at line ${line}: ${reason}; no complete item before it`, line);
    }
    try {
      const feed = await parser.parseString(xml.slice(0, end) + closing);
      return { feed, warnings: [`malformed XML at line ${line} (${reason}): kept the ${feed.items.length} items before it`] };
    } catch {
      throw new FeedSyntaxError(`malformed XML at line ${line}: ${reason}`, line);
    }
  }
}
