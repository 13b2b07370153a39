// Feed entries (RSS, Atom, RDF, Google News) -> Item.
import { canonicalUrl } from '../extract/canonical-url.ts';
import { parseDate } from '../extract/parse-date.ts';
import type { Item } from '../model.ts';
import type { FeedEntry } from './feed-parser.ts';
import { plainText } from './plain-text.ts';

/** A teaser's length (the summary); the article text classified is capped as ITEM_LIMITS.body. */
const SUMMARY_MAX = 2_000;
const BODY_MAX = 100_000;

/** One feed entry as an Item; undefined when it has no link to identify it. */
export function feedItemToItem(entry: FeedEntry, ctx: { sourceId: string; outlet: string; feedUrl: string; now: Date }): Item | undefined {
  const rawLink = entry.link ?? (entry.guid && /^https?:/.test(entry.guid) ? entry.guid : undefined);
  if (!rawLink) return undefined;
  let link: string;
  try {
    link = new URL(rawLink.trim(), ctx.feedUrl).toString();
  } catch {
    return undefined;
  }
  const url = canonicalUrl(link);
  // Many Korean feeds carry the whole article in <description>: its text is classified whole
  // (as the body), and only the summary shown to people is cut.
  const described = plainText(entry.summary, BODY_MAX);
  const summary = described.length > SUMMARY_MAX ? `${described.slice(0, SUMMARY_MAX - 1)}…` : described;
  const content = entry.content ? plainText(entry.content, BODY_MAX) : '';
  const body = content.length >= described.length ? content : described;
  const author = plainText(entry.author);
  const categories = [...new Set(entry.categories.map((c) => plainText(c)).filter((c) => c.length > 0))];
  return {
    sourceId: ctx.sourceId,
    outlet: ctx.outlet,
    url,
    guid: entry.guid || url,
    title: plainText(entry.title, 500),
    summary,
    // Our own reading of the date: zone-less ones are Korea time, not the machine's.
    publishedAt: entry.date ? parseDate(entry.date, ctx.now) : null,
    ...(author ? { author } : {}),
    categories,
    ...(body.length > summary.length ? { body } : {}),
  };
}
