// Google News search RSS sources (Korea edition).
import type { GoogleNewsSource } from '../config/schema/index.ts';
import type { Item } from '../model.ts';
import { decodeAndParseFeed, FEED_ACCEPT } from './feed-body.ts';
import { feedItemToItem } from './feed-items.ts';
import { plainText } from './plain-text.ts';
import { fetchConditional, type SourceContext, type SourceRead, validators } from './source-read.ts';

/** Google News search RSS for Korea: titles end in " - <outlet>", which becomes the outlet. */
export async function readGoogleNews(source: GoogleNewsSource, ctx: SourceContext): Promise<SourceRead> {
  const url = new URL(source.endpoint);
  url.searchParams.set('q', source.query);
  url.searchParams.set('hl', 'ko');
  url.searchParams.set('gl', 'KR');
  url.searchParams.set('ceid', 'KR:ko');
  const res = await fetchConditional(url.toString(), ctx, FEED_ACCEPT);
  if (res.notModified) return { notModified: true, items: [], warnings: [], url: res.url, ...validators(res) };
  const { feed, warnings } = await decodeAndParseFeed(source.id, res);
  const items: Item[] = [];
  for (const entry of feed.items) {
    const split = splitOutletSuffix(plainText(entry.title, 500), entry.source?.trim());
    const item = feedItemToItem(
      { ...entry, title: split.title },
      { sourceId: source.id, outlet: split.outlet ?? source.outlet, feedUrl: res.url, now: ctx.now },
    );
    if (!item) continue;
    // Google's description repeats the title and outlet as links: not a teaser.
    items.push({ ...item, summary: '' });
  }
  return { notModified: false, items, warnings, url: res.url, ...validators(res) };
}

/** Splits "제목 - 매체" into title and outlet; Google sometimes repeats the suffix. */
export function splitOutletSuffix(title: string, publisher: string | undefined): { title: string; outlet?: string } {
  if (publisher) {
    let t = title;
    while (t.endsWith(` - ${publisher}`)) t = t.slice(0, -(publisher.length + 3)).trim();
    return { title: t, outlet: publisher };
  }
  const m = /^(.*\S)\s+-\s+([^-]{1,30})$/.exec(title);
  return m ? { title: m[1]!, outlet: m[2]!.trim() } : { title };
}
