// Article text from a news page. Korean article pages bury the story among "많이 본
// 뉴스" lists, section headline rails, crypto tickers, comment boxes and bylines; the
// generic pass strips those by structure (link-heavy lists, noise class names), then
// keeps the block with the most paragraph text. Per-outlet selectors override it.
import * as cheerio from 'cheerio';
import type { AnyNode, Element } from 'domhandler';
import type { Source } from '../config/schema/index.ts';
import { decodeBody } from '../fetch/charset.ts';
import { canonicalUrl, webUrl } from './canonical-url.ts';
import { parseDate } from './parse-date.ts';
import { BLOCK_ELEMENTS } from '../html-blocks.ts';

export interface Article {
  title: string;
  text: string;
  /** UTC ISO, or null when the page gives no readable date. */
  publishedAt: string | null;
  canonicalUrl: string;
  image?: string;
}

type Overrides = Source['article'];
type Doc = cheerio.CheerioAPI;

/** Containers that publishing systems used by Korean outlets put the story in. */
const BODY_SELECTORS = [
  '[itemprop="articleBody"]',
  '#article-view-content-div', // ndsoft CMS (many IT dailies)
  '#articleBody',
  '#articletxt',
  '#dic_area', // Naver News
  '#newsct_article',
  '.article_body',
  '.article-body',
  '.articleView',
  '.article_view',
  '.news_txt',
  '.writing_view_box .write_div', // DCInside
  '.view_content',
  '.xe_content', // XpressEngine boards
  'article .content',
];

// Not `form`: ASP.NET pages wrap the whole body in one.
const ALWAYS_REMOVE =
  'script, style, noscript, iframe, svg, template, button, select, input, textarea, nav, aside, footer, header:not(article header), [role="navigation"], [role="complementary"], [hidden]';

/** Class/id words of blocks that are never the story: lists, rails, tickers, comments, bylines, share bars (regex alternatives: `?` makes a letter optional). */
const NOISE_WORDS = [
  // related lists, rankings, tickers
  'related',
  'relate',
  'relation',
  'recommend',
  'reco',
  'ranking',
  'rank',
  'popular',
  'most',
  'hot',
  'best',
  'ticker',
  'coin',
  'crypto',
  'quote',
  'stock',
  'market_?info',
  // comments, bylines, sharing
  'comment',
  'comments',
  'cmt',
  'reply',
  'replies',
  'byline',
  'reporter',
  'journalist',
  'writer',
  'author',
  'copyright',
  'share',
  'sns',
  'social',
  // ads, tags, page tools
  'banner',
  'advert',
  'ad',
  'ads',
  'promo',
  'subscribe',
  'tags?',
  'keyword',
  'font',
  'fontsize',
  'print',
  'util',
  'tool',
  // navigation and page furniture
  'breadcrumb',
  'gnb',
  'lnb',
  'snb',
  'menu',
  'footer',
  'header',
  'nav',
  'sidebar',
  'aside',
  'side',
  'rail',
  'more',
  'other',
  'list',
  'lst',
  // headlines of other stories, widgets, reactions
  'headline',
  'issue',
  'trend',
  'widget',
  'paging',
  'pagination',
  'btn',
  'button',
  'reaction',
  'emotion',
  'like',
  'vote',
  'survey',
];
const NOISE = new RegExp(`(^|[\\s_-])(${NOISE_WORDS.join('|')})($|[\\s_-]|\\d)`, 'i');

const DROP_LINE = [
  /^(copyright|ⓒ|©|\(c\))/i,
  /무단\s*전재|재배포\s*금지|저작권자/,
  /^[가-힣]{2,4}\s*(기자|특파원|PD)\s*[\w.+-]+@[\w.-]+\s*$/,
  /^[\w.+-]+@[\w.-]+\.\w+\s*$/,
  /^(기자|입력|수정|등록|송고)\s*[:：]?\s*[\d./: -]+$/,
  /^(좋아요|화나요|슬퍼요|추천|비추천|공유|댓글|구독)\s*\d*$/,
];

function meta($: Doc, ...names: string[]): string | undefined {
  for (const n of names) {
    const v = $(`meta[property="${n}"], meta[name="${n}"], meta[itemprop="${n}"]`).first().attr('content');
    if (v && v.trim()) return v.trim();
  }
  return undefined;
}

interface JsonLdArticle {
  headline?: string;
  datePublished?: string;
  image?: unknown;
  url?: string;
  mainEntityOfPage?: unknown;
}

function jsonLdArticle($: Doc): JsonLdArticle | undefined {
  const found: JsonLdArticle[] = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) return v.forEach(visit);
    if (!v || typeof v !== 'object') return;
    const o = v as Record<string, unknown>;
    const type = o['@type'];
    const types = Array.isArray(type) ? type : [type];
    if (types.some((t) => typeof t === 'string' && /Article|BlogPosting|Report/.test(t))) found.push(o as JsonLdArticle);
    if (o['@graph']) visit(o['@graph']);
  };
  $('script[type="application/ld+json"]').each((_, el) => {
    try {
      visit(JSON.parse($(el).text()));
    } catch {
      // Broken JSON-LD is common; the meta tags still work.
    }
  });
  return found[0];
}

function imageOf(v: unknown): string | undefined {
  if (typeof v === 'string') return v;
  if (Array.isArray(v)) return imageOf(v[0]);
  if (v && typeof v === 'object' && typeof (v as { url?: unknown }).url === 'string') return (v as { url: string }).url;
  return undefined;
}

/** Visible text of a subtree with block elements on their own lines. */
function blockText($: Doc, root: AnyNode): string {
  const out: string[] = [];
  const walk = (node: AnyNode): void => {
    if (node.type === 'text') {
      out.push((node as unknown as { data: string }).data.replace(/\s+/g, ' '));
      return;
    }
    if (node.type !== 'tag') return;
    const el = node as Element;
    const block = BLOCK_ELEMENTS.has(el.tagName);
    if (block) out.push('\n');
    for (const c of el.children) walk(c);
    if (block) out.push('\n');
  };
  walk(root);
  return out
    .join('')
    .split('\n')
    .map((l) =>
      l
        .replace(/\u00a0/g, ' ')
        .replace(/\s+/g, ' ')
        .trim(),
    )
    .filter((l) => l.length > 0 && !DROP_LINE.some((re) => re.test(l)))
    .join('\n');
}

function textLength($: Doc, el: Element): number {
  return $(el).text().replace(/\s+/g, '').length;
}

function linkDensity($: Doc, el: Element): number {
  const all = textLength($, el);
  if (all === 0) return 0;
  let links = 0;
  $(el)
    .find('a')
    .each((_, a) => {
      links += $(a).text().replace(/\s+/g, '').length;
    });
  return links / all;
}

/** Removes blocks that are never the story, sparing the ones that hold it. */
function removeNoise($: Doc, protect: Set<Element>): void {
  const bodyEl = $('body').get(0);
  const total = bodyEl ? textLength($, bodyEl) : 0;
  $(ALWAYS_REMOVE).each((_, el) => {
    if (![...protect].some((p) => p === el || $.contains(el, p))) $(el).remove();
  });
  $('[class], [id]').each((_, el) => {
    const names = `${$(el).attr('class') ?? ''} ${$(el).attr('id') ?? ''}`;
    if (!NOISE.test(names)) return;
    if ([...protect].some((p) => p === el || $.contains(el, p))) return;
    // A wrapper that holds most of the page's prose is a layout box, not a rail.
    if (protect.size === 0 && textLength($, el) > 0.5 * total && linkDensity($, el) < 0.3) return;
    $(el).remove();
  });
  // Headline rails and tickers: lists and tables made mostly of links or short cells.
  $('ul, ol, table, dl').each((_, el) => {
    if ([...protect].some((p) => p === el || $.contains(el, p))) return;
    const items = $(el).find('li, tr, dd').length;
    if (items >= 3 && (linkDensity($, el) > 0.4 || textLength($, el) / items < 25)) $(el).remove();
  });
}

/** The element with the most paragraph text (text nodes and <p> children, links discounted). */
function densestBlock($: Doc): Element | undefined {
  const scores = new Map<Element, number>();
  const add = (el: Element | null | undefined, n: number): void => {
    if (el && el.type === 'tag') scores.set(el, (scores.get(el) ?? 0) + n);
  };
  $('body *').each((_, el) => {
    for (const child of el.children) {
      let len = 0;
      if (child.type === 'text') len = (child as unknown as { data: string }).data.replace(/\s+/g, '').length;
      else if (child.type === 'tag' && ['p', 'span', 'font', 'b', 'strong', 'em'].includes((child as Element).tagName)) {
        const c = child as Element;
        if ($(c).find('div, table, ul').length > 0) continue;
        len = textLength($, c) * (1 - linkDensity($, c));
      }
      if (len < 20) continue;
      add(el, len);
      add(el.parent as Element, len / 2);
    }
  });
  let best: Element | undefined;
  let bestScore = 0;
  for (const [el, s] of scores) {
    if (s > bestScore) {
      best = el;
      bestScore = s;
    }
  }
  return best;
}

function findBody($: Doc, overrides: Overrides): Element | undefined {
  if (overrides?.body) {
    const el = $(overrides.body).get(0);
    if (el?.type === 'tag') return el;
  }
  for (const sel of BODY_SELECTORS) {
    const el = $(sel).get(0);
    if (el?.type === 'tag' && textLength($, el) >= 150) return el;
  }
  return undefined;
}

function findDate($: Doc, ld: JsonLdArticle | undefined, overrides: Overrides, now: Date): string | null {
  const candidates: (string | undefined)[] = [];
  if (overrides?.date) {
    const el = $(overrides.date).first();
    candidates.push(el.attr('datetime'), el.attr('content'), el.attr('title'), el.text());
  }
  candidates.push(
    ld?.datePublished,
    meta($, 'article:published_time', 'og:article:published_time', 'datePublished', 'pubdate', 'publishdate', 'date', 'dable:published_time'),
    $('time[datetime]').first().attr('datetime'),
    $('[itemprop="datePublished"]').first().attr('content') ?? $('[itemprop="datePublished"]').first().text(),
    $('.gall_date[title]').first().attr('title'), // DCInside
  );
  for (const c of candidates) {
    const d = c ? parseDate(c.trim(), now) : null;
    if (d) return d;
  }
  // "입력 2025-02-06 15:15", "작성일 25/03/25 (11:46)" in the page text.
  const text = $('body').text().replace(/\s+/g, ' ');
  const m =
    /(?:입력|등록|작성일|기사입력|게재)\s*[:：|]?\s*(\d{2,4}[-./]\d{1,2}[-./]\d{1,2}\.?(?:\s*\(?\s*(?:오전|오후)?\s*\d{1,2}:\d{2}(?::\d{2})?\)?)?)/.exec(text);
  return m ? parseDate(m[1]!, now) : null;
}

/** Headline: override, JSON-LD, og:title; a heading on the page wins when og:title is that heading plus a site suffix, or only the site name. */
function findTitle($: Doc, ld: JsonLdArticle | undefined, overrides: Overrides): string {
  const override = overrides?.title ? $(overrides.title).first().text().replace(/\s+/g, ' ').trim() : '';
  if (override) return override;
  if (ld?.headline?.trim()) return ld.headline.replace(/\s+/g, ' ').trim();
  const headings = $('h1, h2, h3, .subject, .title_subject, .tit')
    .map((_, el) => $(el).text().replace(/\s+/g, ' ').trim())
    .get()
    .filter((t) => t.length >= 10 && t.length <= 300);
  const pageTitle = $('title').text().replace(/\s+/g, ' ').trim();
  const metaTitle = meta($, 'og:title', 'twitter:title')?.replace(/\s+/g, ' ');
  const title = metaTitle || headings[0] || pageTitle;
  // og:title is often "<headline> - <site>": a heading or title-ish block that is its prefix is the headline.
  const titleBlocks = $('[class*="title"], [class*="headline"], [class*="subject"]')
    .map((_, el) => $(el).text().replace(/\s+/g, ' ').trim())
    .get()
    .filter((t) => t.length >= 10 && t.length <= 300);
  const withoutSuffix = [...headings, ...titleBlocks].find((h) => title.startsWith(h) && h.length < title.length && /^\s*[-|<:·]/.test(title.slice(h.length)));
  if (withoutSuffix) return withoutSuffix;
  const onlySiteName = title.length < 15 && (title === pageTitle || title === meta($, 'og:site_name'));
  return onlySiteName && headings[0] ? headings[0] : title;
}

/**
 * Extracts title, main text, published time, canonical URL and image from an article
 * page; `overrides` (per-outlet CSS selectors from the config) win over the generic pass.
 */
export function extractArticle(html: string | Buffer, url: string, overrides?: Overrides, now: Date = new Date()): Article {
  const source = typeof html === 'string' ? html : decodeBody(html, undefined, url).text;
  const $ = cheerio.load(source);
  const ld = jsonLdArticle($);

  const canonical = webUrl($('link[rel~="canonical"]').first().attr('href'), url) ?? webUrl(meta($, 'og:url'), url) ?? url;
  const title = findTitle($, ld, overrides);
  const publishedAt = findDate($, ld, overrides, now);
  // The image goes into Slack blocks: only an http(s) one (og:image can say javascript: or data:).
  const image = webUrl(meta($, 'og:image', 'twitter:image') ?? imageOf(ld?.image), url);

  for (const sel of overrides?.remove ?? []) $(sel).remove();
  let body = findBody($, overrides);
  removeNoise($, new Set(body ? [body] : []));
  body ??= densestBlock($);
  let text = body ? blockText($, body) : '';
  if (text.length < 50) text = blockText($, $('body').get(0) ?? $.root().get(0)!);
  if (title && text.startsWith(title)) text = text.slice(title.length).trim();

  return { title: title.replace(/\s+/g, ' '), text, publishedAt, canonicalUrl: canonicalUrl(canonical), ...(image ? { image } : {}) };
}
