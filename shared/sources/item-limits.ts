// Every item from every source kind passes here before the pipeline sees it. A feed is
// someone else's text: its links must be web links (a `javascript:` link in a Slack message
// is one click from running), and no field may be so large that the story cannot be
// stored (DynamoDB refuses an item over 400 KB, and with it every row sharing its batch).
import { MAX_URL_LENGTH, webUrl } from '../extract/canonical-url.ts';
import type { Item } from '../model.ts';

/** Field caps in characters. A stored story holds url, title, outlet, summary and image: at 3 bytes a character (Korean) they stay far under 400 KB. */
export const ITEM_LIMITS = {
  url: MAX_URL_LENGTH,
  guid: 1_000,
  title: 500,
  outlet: 100,
  summary: 4_000,
  /** Classified, never stored whole (the story keeps a 300-character summary). */
  body: 100_000,
  author: 200,
  categories: 20,
  category: 100,
} as const;

/** The items fit to store, with a warning per kind of item dropped; links are http(s) only. */
export function limitItems(items: Item[], warnings: string[]): Item[] {
  const out: Item[] = [];
  let notWeb = 0;
  let tooLong = 0;
  for (const item of items) {
    const url = webUrl(item.url);
    if (url === undefined) {
      if (/^\s*https?:/i.test(item.url) && item.url.length > ITEM_LIMITS.url) tooLong++;
      else notWeb++;
      continue;
    }
    out.push(capped(item));
  }
  if (notWeb)
    warnings.push(
      `${notWeb} item${notWeb === 1 ? '' : 's'} dropped: the link is not an http(s) URL (javascript:, data: and the like are never stored or sent)`,
    );
  if (tooLong) warnings.push(`${tooLong} item${tooLong === 1 ? '' : 's'} dropped: the link is longer than ${ITEM_LIMITS.url} characters`);
  return out;
}

/** Nothing to cut or drop: the item as it came (nearly every item; no copy of each). */
function fits(item: Item, image: string | undefined): boolean {
  return (
    image === item.image &&
    item.guid.length <= ITEM_LIMITS.guid &&
    item.title.length <= ITEM_LIMITS.title &&
    item.outlet.length <= ITEM_LIMITS.outlet &&
    item.summary.length <= ITEM_LIMITS.summary &&
    item.categories.length <= ITEM_LIMITS.categories &&
    item.categories.every((c) => c.length <= ITEM_LIMITS.category) &&
    (item.author === undefined || item.author.length <= ITEM_LIMITS.author) &&
    (item.body === undefined || item.body.length <= ITEM_LIMITS.body) &&
    (image !== undefined || !('image' in item))
  );
}

function capped(item: Item): Item {
  const image = webUrl(item.image);
  if (fits(item, image)) return item;
  const { image: _dropped, ...rest } = item;
  return {
    ...rest,
    guid: item.guid.length > ITEM_LIMITS.guid ? item.url : item.guid,
    title: cut(item.title, ITEM_LIMITS.title),
    outlet: cut(item.outlet, ITEM_LIMITS.outlet),
    summary: cut(item.summary, ITEM_LIMITS.summary),
    categories: item.categories.slice(0, ITEM_LIMITS.categories).map((c) => cut(c, ITEM_LIMITS.category)),
    ...(item.author !== undefined ? { author: cut(item.author, ITEM_LIMITS.author) } : {}),
    ...(item.body !== undefined ? { body: cut(item.body, ITEM_LIMITS.body) } : {}),
    ...(image ? { image } : {}),
  };
}

/** At most `max` characters, never splitting a surrogate pair; `…` marks the cut. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - 1;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end--;
  return `${text.slice(0, end)}…`;
}
