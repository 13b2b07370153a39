// Reading one configured source: RSS/Atom/RDF feeds, HTML list pages, Google News
// search RSS and the Naver News Search API, each turned into the same Item shape.
// One file per kind (rss-source, html-list-source, google-news-source, naver-source);
// this one dispatches by kind and applies what every kind shares.
import type { Source } from '../config/schema/index.ts';
import { FetchError } from '../fetch/index.ts';
import { SourceError } from './errors.ts';
import { FeedSyntaxError } from './feed-parser.ts';
import { readGoogleNews } from './google-news-source.ts';
import { readHtmlList } from './html-list-source.ts';
import { limitItems } from './item-limits.ts';
import { readNaver } from './naver-source.ts';
import { readRss } from './rss-source.ts';
import { definitionDigest, type SourceContext, type SourceRead } from './source-read.ts';

export { SourceError } from './errors.ts';
export { parseFeed } from './feed-parser.ts';
export { naverCallsToday } from './naver-quota.ts';
export { definitionOf, type SourceContext, type SourceRead } from './source-read.ts';

/** Reads one source and returns its items; throws SourceError (message starting with the source id) on failure. */
export async function readSource(source: Source, ctx: SourceContext): Promise<SourceRead> {
  let read: SourceRead;
  try {
    // The same bytes read with another definition (a fixed selector, another outlet name) may
    // hold other items: the definition is part of what "unchanged since the last poll" compares.
    read = await readByKind(source, { ...ctx, readsWith: definitionDigest(JSON.stringify(source)) });
  } catch (e) {
    throw asSourceError(source.id, e);
  }
  // One gate for every kind: http(s) links only, every field capped to what a story can store.
  return { ...read, items: limitItems(read.items, read.warnings) };
}

function readByKind(source: Source, ctx: SourceContext): Promise<SourceRead> {
  switch (source.kind) {
    case 'rss':
      return readRss(source, ctx);
    case 'html':
      return readHtmlList(source, ctx);
    case 'google-news':
      return readGoogleNews(source, ctx);
    case 'naver':
      return readNaver(source, ctx);
  }
}

function asSourceError(id: string, e: unknown): SourceError {
  if (e instanceof SourceError) return e;
  if (e instanceof FetchError) {
    return new SourceError(id, e.message, { retryable: e.retryable, ...(e.retryAfter ? { retryAfter: e.retryAfter } : {}), cause: e });
  }
  if (e instanceof FeedSyntaxError) return new SourceError(id, e.message, { cause: e });
  return new SourceError(id, `unexpected failure: ${(e as Error)?.message ?? String(e)}`, { cause: e });
}
