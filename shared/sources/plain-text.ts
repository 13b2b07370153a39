import { Parser } from 'htmlparser2';
import { BLOCK_ELEMENTS } from '../html-blocks.ts';
import { collapseWhitespace } from '../whitespace.ts';

const HIDDEN = new Set(['script', 'style', 'noscript', 'template']);

/**
 * Visible text of an HTML fragment (tags stripped, entities decoded, whitespace collapsed).
 * `lines`: block elements and <br> end a line instead (whitespace collapsed within each line),
 * as article pages are read (shared/extract/article.ts): the dedupe reads a line end as a
 * sentence end, so a feed carrying an article's paragraphs must keep them. A fragment without
 * markup keeps its own line breaks; within markup a line break in text is a space, as in HTML.
 */
export function plainText(html: string | undefined, maxLength = 2000, { lines = false }: { lines?: boolean } = {}): string {
  if (!html) return '';
  let text = html;
  const breakAt = lines ? '\n' : ' ';
  if (/[<&]/.test(html)) {
    const markup = /<[a-zA-Z!/]/.test(html);
    // A tokenizer pass, no DOM: this runs on every title and teaser of every feed.
    text = '';
    let hidden = 0;
    const gap = (name: string) => {
      if (HIDDEN.has(name)) return 1;
      if (BLOCK_ELEMENTS.has(name)) text += breakAt;
      return 0;
    };
    new Parser(
      {
        onopentag: (name) => void (hidden += gap(name)),
        onclosetag: (name) => void (hidden -= gap(name)),
        ontext: (t) => void (hidden > 0 || (text += lines && markup ? t.replace(/\s/g, ' ') : t)),
      },
      { decodeEntities: true },
    ).end(html);
  }
  const clean = lines ? text.split('\n').map(collapseWhitespace).filter(Boolean).join('\n') : collapseWhitespace(text);
  return clean.length > maxLength ? `${clean.slice(0, maxLength - 1)}…` : clean;
}
