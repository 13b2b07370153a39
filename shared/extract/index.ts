// Article extraction, canonical URLs, story ids and dates: the pure leaves the pipeline
// uses to turn a feed entry into one story.
import type { Source } from '../config/schema/index.ts';
import { FetchError } from '../fetch/errors.ts';
import { type Fetcher, PAGE_ACCEPT } from '../fetch/index.ts';
import type { Item } from '../model.ts';
import { extractArticle, type Article } from './article.ts';
import { readPage } from './html-page.ts';

export { extractArticle, type Article } from './article.ts';
export { canonicalUrl, MAX_URL_LENGTH, webUrl } from './canonical-url.ts';
export { storyId } from './story-id.ts';
export { parseDate } from './parse-date.ts';
export { notHtmlReason, type PageText, readPage } from './html-page.ts';

/** An article URL that answered with something other than an HTML page; `why` says what came back. */
export class NotHtmlPageError extends FetchError {
  constructor(
    url: string,
    readonly why: string,
  ) {
    // Not retried: the outlet answered, with something else.
    super('decode', url, `not an HTML page (${why})`, { retryable: false });
  }
}

/**
 * Fetches an article page (charset-aware) and extracts it; throws FetchError on HTTP failure,
 * NotHtmlPageError when the answer is no HTML page.
 */
export async function fetchArticle(fetcher: Fetcher, url: string, overrides?: Source['article']): Promise<Article> {
  const res = await fetcher.get(url, { accept: PAGE_ACCEPT });
  const page = readPage(res.body, res.contentType, res.url);
  if ('notHtml' in page) throw new NotHtmlPageError(res.url, page.notHtml);
  return extractArticle(page.text, res.url, overrides);
}

const TEASER_END = /(\.\.\.|…|···|⋯|\[더보기\]|더보기)\s*$/;

/**
 * True when the item carries only a teaser and its page should be fetched for the text.
 * Google News links are script redirects, so those keep their teaser.
 */
export function needsArticleFetch(item: Item, source: Pick<Source, 'fetchArticle'>): boolean {
  if (source.fetchArticle === 'never') return false;
  if (source.fetchArticle === 'always') return true;
  if (/^https:\/\/news\.google\.com\//.test(item.url)) return false;
  // A feed's full text: longer than its summary (a body the same length only keeps the summary's line breaks).
  if (item.body && item.body.length >= 500 && item.body.length > item.summary.length) return false;
  return item.summary.length < 300 || TEASER_END.test(item.summary);
}
