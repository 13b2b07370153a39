// RSS/Atom/RDF feed sources.
import type { RssSource } from '../config/schema/index.ts';
import type { Item } from '../model.ts';
import { decodeAndParseFeed, FEED_ACCEPT } from './feed-body.ts';
import { feedItemToItem } from './feed-items.ts';
import type { FeedEntry } from './feed-parser.ts';
import { plainText } from './plain-text.ts';
import { fetchConditional, type SourceContext, type SourceRead, validators } from './source-read.ts';

export async function readRss(source: RssSource, ctx: SourceContext): Promise<SourceRead> {
  const res = await fetchConditional(source.url, ctx, FEED_ACCEPT);
  if (res.notModified) return { notModified: true, items: [], warnings: [], url: res.url, ...validators(res) };
  const { feed, warnings } = await decodeAndParseFeed(source.id, res);
  const items = feedItems(feed.items, { sourceId: source.id, outlet: source.outlet, feedUrl: res.url, now: ctx.now }, warnings);
  return { notModified: false, items, warnings, url: res.url, ...validators(res), ...(feed.title ? { feedTitle: plainText(feed.title, 200) } : {}) };
}

function feedItems(items: FeedEntry[], ctx: { sourceId: string; outlet: string; feedUrl: string; now: Date }, warnings: string[]): Item[] {
  const out: Item[] = [];
  let skipped = 0;
  for (const it of items) {
    const item = feedItemToItem(it, ctx);
    // RSS 2.0 needs a title or a description, not both: an item with only its text (some
    // outlets' feeds have no headlines) is classified on that text like any other.
    if (item && (item.title || item.summary || item.body)) out.push(item);
    else skipped++;
  }
  if (skipped) warnings.push(`${skipped} entr${skipped === 1 ? 'y' : 'ies'} without a link, or with neither title nor text, skipped`);
  return out;
}
