// HTML list-page sources, read through per-source CSS selectors.
import * as cheerio from 'cheerio';
import type { HtmlSource } from '../config/schema/index.ts';
import { canonicalUrl } from '../extract/canonical-url.ts';
import { parseDate } from '../extract/parse-date.ts';
import { decodeBody } from '../fetch/charset.ts';
import { PAGE_ACCEPT } from '../fetch/index.ts';
import type { Item } from '../model.ts';
import { SourceError } from './errors.ts';
import { plainText } from './plain-text.ts';
import { fetchConditional, type SourceContext, type SourceRead, validators } from './source-read.ts';

/** HTML list pages (sites with no feed, e.g. DCInside galleries) through per-source CSS selectors. */
export async function readHtmlList(source: HtmlSource, ctx: SourceContext): Promise<SourceRead> {
  const res = await fetchConditional(source.url, ctx, PAGE_ACCEPT);
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
