// Reading one configured source: RSS/Atom/RDF feeds, HTML list pages, Google News
// search RSS and the Naver News Search API, each turned into the same Item shape.
import * as cheerio from 'cheerio';
import type { GoogleNewsSource, HtmlSource, NaverSource, RssSource, Source } from '../config/schema/index.ts';
import type { SecretResolver } from '../config/secrets.ts';
import { canonicalUrl } from '../extract/canonical-url.ts';
import { limitItems } from './item-limits.ts';
import { parseDate } from '../extract/parse-date.ts';
import { decodeBody } from '../fetch/charset.ts';
import { FetchError, type Fetcher, type FetchResponse } from '../fetch/index.ts';
import type { Item } from '../model.ts';
import { SourceError } from './errors.ts';
import { feedItemToItem } from './feed-items.ts';
import { FeedSyntaxError, parseFeed, type FeedEntry } from './feed-parser.ts';
import { takeNaverCall } from './naver-quota.ts';
import { outletForUrl } from './outlets.ts';
import { plainText } from './plain-text.ts';

export { SourceError } from './errors.ts';
export { parseFeed } from './feed-parser.ts';
export { naverCallsToday } from './naver-quota.ts';

export interface SourceRead {
  notModified: boolean;
  items: Item[];
  etag?: string;
  lastModified?: string;
  warnings: string[];
  retryAfter?: Date;
  /** The URL finally read (after redirects). */
  url?: string;
  /** The feed's own title (channel/feed title), when it has one. */
  feedTitle?: string;
}

export interface SourceContext {
  fetcher: Fetcher;
  secrets: SecretResolver;
  now: Date;
  etag?: string;
  lastModified?: string;
}

const FEED_ACCEPT = 'application/rss+xml, application/atom+xml, application/rdf+xml;q=0.9, application/xml;q=0.8, text/xml;q=0.8, */*;q=0.5';

/** Reads one source and returns its items; throws SourceError (message starting with the source id) on failure. */
export async function readSource(source: Source, ctx: SourceContext): Promise<SourceRead> {
  let read: SourceRead;
  try {
    read = await readByKind(source, ctx);
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

function validators(res: FetchResponse): Pick<SourceRead, 'etag' | 'lastModified'> {
  return { ...(res.etag ? { etag: res.etag } : {}), ...(res.lastModified ? { lastModified: res.lastModified } : {}) };
}

async function fetchConditional(url: string, ctx: SourceContext, accept: string): Promise<FetchResponse> {
  return ctx.fetcher.get(url, {
    accept,
    ...(ctx.etag ? { etag: ctx.etag } : {}),
    ...(ctx.lastModified ? { lastModified: ctx.lastModified } : {}),
  });
}

/** Decodes a feed body and rejects what is not a feed, with a message that says what came back. */
async function decodeAndParseFeed(sourceId: string, res: FetchResponse) {
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

function feedItems(items: FeedEntry[], ctx: { sourceId: string; outlet: string; feedUrl: string; now: Date }, warnings: string[]): Item[] {
  const out: Item[] = [];
  let skipped = 0;
  for (const it of items) {
    const item = feedItemToItem(it, ctx);
    if (item && item.title) out.push(item);
    else skipped++;
  }
  if (skipped) warnings.push(`${skipped} entr${skipped === 1 ? 'y' : 'ies'} without a link or title skipped`);
  return out;
}

async function readRss(source: RssSource, ctx: SourceContext): Promise<SourceRead> {
  const res = await fetchConditional(source.url, ctx, FEED_ACCEPT);
  if (res.notModified) return { notModified: true, items: [], warnings: [], url: res.url, ...validators(res) };
  const { feed, warnings } = await decodeAndParseFeed(source.id, res);
  const items = feedItems(feed.items, { sourceId: source.id, outlet: source.outlet, feedUrl: res.url, now: ctx.now }, warnings);
  return { notModified: false, items, warnings, url: res.url, ...validators(res), ...(feed.title ? { feedTitle: plainText(feed.title, 200) } : {}) };
}

/** Google News search RSS for Korea: titles end in " - <outlet>", which becomes the outlet. */
async function readGoogleNews(source: GoogleNewsSource, ctx: SourceContext): Promise<SourceRead> {
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

/** Naver News Search API: JSON, titles with <b> highlights and entities, originallink preferred. */
async function readNaver(source: NaverSource, ctx: SourceContext): Promise<SourceRead> {
  let clientId: string;
  let clientSecret: string;
  try {
    clientId = await ctx.secrets(source.clientId, `${source.id} Naver client id`);
    clientSecret = await ctx.secrets(source.clientSecret, `${source.id} Naver client secret`);
  } catch (e) {
    throw new SourceError(source.id, `Naver API keys are not available: ${(e as Error).message}`);
  }
  const app = source.clientId.env ?? source.clientId.secret ?? 'naver';
  if (!takeNaverCall(app, source.dailyQuota, ctx.now)) {
    const tomorrow = new Date(Date.UTC(...kstMidnightParts(ctx.now)));
    throw new SourceError(source.id, `Naver daily quota of ${source.dailyQuota} calls used up; next call after Korea midnight`, {
      retryable: true,
      retryAfter: tomorrow,
    });
  }
  const url = new URL(source.endpoint);
  url.searchParams.set('query', source.query);
  url.searchParams.set('display', String(Math.min(source.display, 100)));
  url.searchParams.set('start', '1');
  url.searchParams.set('sort', source.sort);
  let res: FetchResponse;
  try {
    res = await ctx.fetcher.get(url.toString(), {
      accept: 'application/json',
      headers: { 'X-Naver-Client-Id': clientId, 'X-Naver-Client-Secret': clientSecret },
    });
  } catch (e) {
    if (e instanceof FetchError && (e.status === 401 || e.status === 403)) {
      throw new SourceError(source.id, `Naver refused the API keys (HTTP ${e.status}): check the client id and secret`, { cause: e });
    }
    throw e;
  }
  let body: { items?: { title?: string; originallink?: string; link?: string; description?: string; pubDate?: string }[] };
  try {
    body = JSON.parse(decodeBody(res.body, res.contentType, res.url).text) as typeof body;
  } catch {
    throw new SourceError(source.id, `the Naver API answered with something other than JSON (${res.url})`, { retryable: true });
  }
  if (!Array.isArray(body.items)) throw new SourceError(source.id, 'the Naver API answer has no "items" list');
  const warnings: string[] = [];
  const items: Item[] = [];
  for (const it of body.items) {
    const link = it.originallink?.trim() || it.link?.trim();
    if (!link || !it.title) continue;
    const url = canonicalUrl(link);
    items.push({
      sourceId: source.id,
      outlet: outletForUrl(url) ?? source.outlet,
      url,
      guid: url,
      title: plainText(it.title, 500),
      summary: plainText(it.description),
      publishedAt: it.pubDate ? parseDate(it.pubDate, ctx.now) : null,
      categories: [],
    });
  }
  return { notModified: false, items, warnings, url: res.url };
}

function kstMidnightParts(now: Date): [number, number, number, number] {
  const k = new Date(now.getTime() + 9 * 3_600_000);
  // Midnight of the next Korea day, expressed in UTC (15:00 of the Korea date).
  return [k.getUTCFullYear(), k.getUTCMonth(), k.getUTCDate(), 15];
}

/** HTML list pages (sites with no feed, e.g. DCInside galleries) through per-source CSS selectors. */
async function readHtmlList(source: HtmlSource, ctx: SourceContext): Promise<SourceRead> {
  const res = await fetchConditional(source.url, ctx, 'text/html,application/xhtml+xml;q=0.9,*/*;q=0.5');
  if (res.notModified) return { notModified: true, items: [], warnings: [], url: res.url, ...validators(res) };
  const decoded = decodeBody(res.body, res.contentType, res.url);
  const html = decoded.text;
  const warnings = [...decoded.warnings];
  // DCInside sometimes answers first with a script-only bot check.
  if (/^\s*<script/i.test(html)) {
    throw new SourceError(source.id, `the list page answered with a script-only page (a bot check); will retry (${res.url})`, { retryable: true });
  }
  const $ = cheerio.load(html);
  const { selectors } = source;
  const rows = $(selectors.item);
  if (rows.length === 0) {
    throw new SourceError(source.id, `no element matched the item selector "${selectors.item}" on ${res.url}: has the page layout changed?`);
  }
  const items: Item[] = [];
  const seen = new Set<string>();
  rows.each((_, row) => {
    const r = $(row);
    const linkEl = r.find(selectors.link).first();
    const href = linkEl.attr('href');
    const title = plainText((selectors.title === selectors.link ? linkEl : r.find(selectors.title).first()).text(), 500);
    if (!href || !title || /^(javascript:|#)/.test(href)) return;
    let url: string;
    try {
      url = canonicalUrl(new URL(href, res.url).toString());
    } catch {
      return;
    }
    if (seen.has(url)) return;
    seen.add(url);
    let publishedAt: string | null = null;
    if (selectors.date) {
      const d = r.find(selectors.date).first();
      for (const raw of [d.attr('datetime'), d.attr('title'), d.text()]) {
        publishedAt = raw ? parseDate(raw.trim(), ctx.now) : null;
        if (publishedAt) break;
      }
    }
    items.push({
      sourceId: source.id,
      outlet: source.outlet,
      url,
      guid: url,
      title,
      summary: selectors.summary ? plainText(r.find(selectors.summary).first().text()) : '',
      publishedAt,
      categories: [],
    });
  });
  if (items.length === 0) warnings.push(`"${selectors.item}" matched ${rows.length} elements but none had a link and a title`);
  return { notModified: false, items, warnings, url: res.url, ...validators(res) };
}
