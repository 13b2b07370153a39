import * as cheerio from 'cheerio';

/** Visible text of an HTML fragment (tags stripped, entities decoded, whitespace collapsed). */
export function plainText(html: string | undefined, maxLength = 2000): string {
  if (!html) return '';
  const text = /[<&]/.test(html) ? cheerio.load(`<div>${html}</div>`, null, false).text() : html;
  const clean = text.replace(/\s+/g, ' ').trim();
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
