// RSS/Atom/RDF feed sources: fetched here, read (decoded, parsed, mapped to Items) by the
// context's feed reader, which is feed-read.ts in this thread unless the caller gives another.
import type { RssSource } from '../config/schema/index.ts';
import type { Classification, Item } from '../model.ts';
import { FEED_ACCEPT } from './feed-body.ts';
import { readFeedBody } from './feed-read.ts';
import { fetchConditional, type SourceContext, type SourceRead, validators } from './source-read.ts';

export async function readRss(source: RssSource, ctx: SourceContext): Promise<SourceRead> {
  const res = await fetchConditional(source.url, ctx, FEED_ACCEPT);
  if (res.notModified) return { notModified: true, items: [], warnings: [], url: res.url, ...validators(res) };
  const read = ctx.readFeed ?? readFeedBody;
  const { items, warnings, feedTitle, classified } = await read({
    sourceId: source.id,
    outlet: source.outlet,
    body: res.body,
    url: res.url,
    now: ctx.now.toISOString(),
    ...(res.contentType ? { contentType: res.contentType } : {}),
    unclassified: { listed: ctx.listed ?? [], fetchArticle: source.fetchArticle },
  });
  return {
    notModified: false,
    items,
    warnings,
    url: res.url,
    ...validators(res),
    ...(feedTitle ? { feedTitle } : {}),
    ...(classified ? { classified: { with: classified.with, of: classifiedItems(items, classified.classifications) } } : {}),
  };
}

/** The items' classifications by item, those left unclassified left out. */
function classifiedItems(items: Item[], classifications: (Classification | null)[]): WeakMap<Item, Classification> {
  const of = new WeakMap<Item, Classification>();
  items.forEach((item, i) => {
    const c = classifications[i];
    if (c) of.set(item, c);
  });
  return of;
}
