// A fetched feed body turned into Items: decode, parse, map. Pure (bytes in, items out), so
// it can run where the caller likes: in the poller's thread by default, or on a thread of its
// own (the CLI's feed worker, cli/feed-worker.ts), which takes a first poll's parsing off
// the thread that classifies and clusters.
import type { RssSource } from '../config/schema/index.ts';
import type { Classification, Item } from '../model.ts';
import { decodeAndParseFeed } from './feed-body.ts';
import { feedItemToItem } from './feed-items.ts';
import type { FeedEntry } from './feed-parser.ts';
import { plainText } from './plain-text.ts';

/** What reading a feed body needs: plain data, so it can be posted to another thread. */
export interface FeedBody {
  sourceId: string;
  outlet: string;
  body: Uint8Array;
  contentType?: string;
  /** The URL finally read (after redirects): relative links resolve against it. */
  url: string;
  /** The poll's time, ISO: items without a date are dated by it. */
  now: string;
  /**
   * For a reader that classifies (see FeedRead.classified): the items it need not, as the poller
   * does not use their classification. Those the source listed last poll (not new: their story
   * ids) and those whose article page it fetches (classified on the page).
   */
  unclassified?: { listed: readonly string[]; fetchArticle: RssSource['fetchArticle'] };
}

export interface FeedRead {
  items: Item[];
  warnings: string[];
  /** The feed's own title (channel/feed title), when it has one. */
  feedTitle?: string;
  /** Each item's classification (same order; null for one left unclassified), when the reader classified them, with the digest of the topics it used. */
  classified?: { with: string; classifications: (Classification | null)[] };
}

/** Reads a feed body; throws SourceError or FeedSyntaxError when it is not a readable feed. */
export type FeedBodyReader = (input: FeedBody) => Promise<FeedRead>;

export const readFeedBody: FeedBodyReader = async (input) => {
  const body = Buffer.isBuffer(input.body) ? input.body : Buffer.from(input.body.buffer, input.body.byteOffset, input.body.byteLength);
  const { feed, warnings } = await decodeAndParseFeed(input.sourceId, {
    body,
    url: input.url,
    ...(input.contentType ? { contentType: input.contentType } : {}),
  });
  const items = feedItems(feed.items, { sourceId: input.sourceId, outlet: input.outlet, feedUrl: input.url, now: new Date(input.now) }, warnings);
  return { items, warnings, ...(feed.title ? { feedTitle: plainText(feed.title, 200) } : {}) };
};

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
