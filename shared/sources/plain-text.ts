import { Parser } from 'htmlparser2';
import { BLOCK_ELEMENTS } from '../html-blocks.ts';
import { collapseWhitespace } from '../whitespace.ts';

const HIDDEN = new Set(['script', 'style', 'noscript', 'template']);

/** Visible text of an HTML fragment (tags stripped, entities decoded, whitespace collapsed). */
export function plainText(html: string | undefined, maxLength = 2000): string {
  if (!html) return '';
  let text = html;
  if (/[<&]/.test(html)) {
    // A tokenizer pass, no DOM: this runs on every title and teaser of every feed.
    text = '';
    let hidden = 0;
    const gap = (name: string) => {
      if (HIDDEN.has(name)) return 1;
      if (BLOCK_ELEMENTS.has(name)) text += ' ';
      return 0;
    };
    new Parser(
      {
        onopentag: (name) => void (hidden += gap(name)),
        onclosetag: (name) => void (hidden -= gap(name)),
        ontext: (t) => void (hidden > 0 || (text += t)),
      },
      { decodeEntities: true },
    ).end(html);
  }
  const clean = collapseWhitespace(text);
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
