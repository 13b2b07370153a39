// Feed entries (RSS, Atom, RDF, Google News) -> Item.
import { canonicalUrl } from '../extract/canonical-url.ts';
import { parseDate } from '../extract/parse-date.ts';
import type { Item } from '../model.ts';
import type { FeedItem } from './feed-parser.ts';
import { plainText } from './plain-text.ts';

function categoriesOf(item: FeedItem): string[] {
  const raw = [...((item.categories ?? []) as unknown[]), ...(item.atomCategories ?? [])];
  const names = raw.map((c) => {
    if (typeof c === 'string') return c;
    const o = c as { _?: string; $?: { term?: string; label?: string } } | undefined;
    return o?._ ?? o?.$?.label ?? o?.$?.term ?? '';
  });
  return [...new Set(names.map((c) => c.trim()).filter((c) => c.length > 0))];
}

/** One feed entry as an Item; undefined when it has no link to identify it. */
export function feedItemToItem(item: FeedItem, ctx: { sourceId: string; outlet: string; feedUrl: string; now: Date }): Item | undefined {
  const rawLink = item.link ?? (typeof item.guid === 'string' && /^https?:/.test(item.guid) ? item.guid : undefined);
  if (!rawLink) return undefined;
  let link: string;
  try {
    link = new URL(rawLink.trim(), ctx.feedUrl).toString();
  } catch {
    return undefined;
  }
  const url = canonicalUrl(link);
  // Raw strings first: rss-parser's own conversions read zone-less dates in the machine's zone.
  const rawDate = item.published ?? item.pubDate ?? item.date ?? item.updated ?? item.isoDate;
  const fullText = item['content:encoded'];
  const summary = plainText(item.contentSnippet ?? item.content ?? item.summary);
  const body = fullText ? plainText(fullText, 100_000) : undefined;
  const author = plainText(item.creator ?? item['dc:creator'] ?? (item as { author?: string }).author);
  const guid = typeof item.guid === 'string' && item.guid.trim() ? item.guid.trim() : typeof item.id === 'string' && item.id.trim() ? item.id.trim() : url;
  return {
    sourceId: ctx.sourceId,
    outlet: ctx.outlet,
    url,
    guid,
    title: plainText(item.title, 500),
    summary,
    publishedAt: rawDate ? parseDate(rawDate, ctx.now) : null,
    ...(author ? { author } : {}),
    categories: categoriesOf(item),
    ...(body && body.length > summary.length ? { body } : {}),
  };
}
