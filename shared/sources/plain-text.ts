import { Parser } from 'htmlparser2';
import { BLOCK_ELEMENTS } from '../html-blocks.ts';
import { collapseWhitespace } from '../whitespace.ts';

const HIDDEN = new Set(['script', 'style', 'noscript', 'template']);

/** Visible text of an HTML fragment (tags stripped, entities decoded, whitespace collapsed). */
export function plainText(html: string | undefined, maxLength = 2000): string {
  return capped(collapseWhitespace(visibleText(html, ' ')), maxLength);
}

/**
 * Visible text of an HTML fragment with its block breaks kept: one line per paragraph, list
 * item, <br> or div (shared/html-blocks.ts), each line's whitespace collapsed, no empty lines.
 * A line break inside a text node is a space, as in a browser. With its breaks as spaces this
 * is plainText exactly (see flatLines). The classifier weighs short lines among short lines
 * (a related-headlines list at an article's foot) by line, so a feed's full text keeps them.
 */
export function plainLines(html: string | undefined, maxLength = 2000): string {
  const text = visibleText(html, '\n');
  if (!text.includes('\n')) return capped(collapseWhitespace(text), maxLength);
  const lines: string[] = [];
  for (const line of text.split('\n')) {
    const clean = collapseWhitespace(line);
    if (clean !== '') lines.push(clean);
  }
  return capped(lines.join('\n'), maxLength);
}

/** plainLines' text on one line: what plainText gives for the same HTML. */
export function flatLines(lines: string): string {
  return lines.includes('\n') ? lines.replace(/\n/g, ' ') : lines;
}

function capped(clean: string, maxLength: number): string {
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}

/** Tags stripped and entities decoded; each block element gives `gap`, hidden elements nothing. */
function visibleText(html: string | undefined, gap: string): string {
  if (!html) return '';
  // Without markup a line break is still a space (the text is HTML).
  if (!/[<&]/.test(html)) return gap === '\n' && /[\n\r]/.test(html) ? html.replace(/[\n\r]/g, ' ') : html;
  // A tokenizer pass, no DOM: this runs on every title and teaser of every feed.
  let text = '';
  let hidden = 0;
  const block = (name: string) => {
    if (HIDDEN.has(name)) return 1;
    if (BLOCK_ELEMENTS.has(name)) text += gap;
    return 0;
  };
  // Breaks come from block elements only: a line break in the source text is a space.
  const ownBreaks = gap === '\n';
  new Parser(
    {
      onopentag: (name) => void (hidden += block(name)),
      onclosetag: (name) => void (hidden -= block(name)),
      ontext: (t) => void (hidden > 0 || (text += ownBreaks && /[\n\r]/.test(t) ? t.replace(/[\n\r]/g, ' ') : t)),
    },
    { decodeEntities: true },
  ).end(html);
  return text;
}
