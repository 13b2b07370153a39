// Naver News Search API sources.
import type { NaverSource } from '../config/schema/index.ts';
import { canonicalUrl } from '../extract/canonical-url.ts';
import { parseDate } from '../extract/parse-date.ts';
import { decodeBody } from '../fetch/charset.ts';
import { FetchError, type FetchResponse } from '../fetch/index.ts';
import type { Item } from '../model.ts';
import { SourceError } from './errors.ts';
import { takeNaverCall } from './naver-quota.ts';
import { outletForUrl } from './outlets.ts';
import { plainText } from './plain-text.ts';
import type { SourceContext, SourceRead } from './source-read.ts';

/** Naver News Search API: JSON, titles with <b> highlights and entities, originallink preferred. */
export async function readNaver(source: NaverSource, ctx: SourceContext): Promise<SourceRead> {
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
