// Turning a fetched feed body into entries: shared by RSS/Atom/RDF sources and Google News.
import { decodeBody } from '../fetch/charset.ts';
import type { FetchResponse } from '../fetch/index.ts';
import { SourceError } from './errors.ts';
import { parseFeed } from './feed-parser.ts';

export const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

/** Decodes a feed body and rejects what is not a feed, with a message that says what came back. */
export async function decodeAndParseFeed(sourceId: string, res: Pick<FetchResponse, 'body' | 'contentType' | 'url'>) {
  const decoded = decodeBody(res.body, res.contentType, res.url);
  const text = decoded.text.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new SourceError(sourceId, `the feed answered with an empty body (${res.url})`, { retryable: true });
  if (/^\s*(<!doctype html|<html[\s>])/i.test(text)) {
    const type = res.contentType ? `, Content-Type ${res.contentType}` : '';
    throw new SourceError(sourceId, `expected a feed but got an HTML page (${res.url}${type}): the feed may have moved`);
  }
  const { feed, warnings } = await parseFeed(text);
  if (feed.items.length === 0) warnings.push('the feed has no items');
  return { feed, warnings: [...decoded.warnings, ...warnings] };
}
