// Feed entries (RSS, Atom, RDF, Google News) -> Item.
import { canonicalUrlOf } from '../extract/canonical-url.ts';
import { parseDate } from '../extract/parse-date.ts';
import type { Item } from '../model.ts';
import type { FeedEntry } from './feed-parser.ts';
import { flatLines, plainLines, plainText } from './plain-text.ts';

/** A teaser's length (the summary); the article text classified is capped as ITEM_LIMITS.body. */
const SUMMARY_MAX = 2_000;
const BODY_MAX = 100_000;

/** One feed entry as an Item; undefined when it has no link to identify it. */
export function feedItemToItem(entry: FeedEntry, ctx: { sourceId: string; outlet: string; feedUrl: string; now: Date }): Item | undefined {
  const rawLink = entry.link ?? (entry.guid && /^https?:/.test(entry.guid) ? entry.guid : undefined);
  if (!rawLink) return undefined;
  let link: URL;
  try {
    link = new URL(rawLink.trim(), ctx.feedUrl);
  } catch {
    return undefined;
  }
  const url = canonicalUrlOf(link);
  // Many Korean feeds carry the whole article in <description>: its text is classified whole
  // (as the body), and only the summary shown to people is cut. The body keeps the HTML's
  // block breaks, one line per paragraph or list item, so the classifier can tell a list of
  // related headlines at the foot from the article; the summary is one line.
  const described = plainLines(entry.summary, BODY_MAX);
  const flat = flatLines(described);
  const summary = flat.length > SUMMARY_MAX ? `${flat.slice(0, SUMMARY_MAX - 1)}…` : flat;
  const content = entry.content ? plainLines(entry.content, BODY_MAX) : '';
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
    // A body longer than the summary, or with lines the summary has lost.
    ...(body.length > summary.length || body.includes('\n') ? { body } : {}),
  };
}
