// Whether a saved file is an HTML page at all, before `newswatch extract` reads it as one:
// cheerio parses anything (JSON, a feed, plain text) into a page of one text node, so a
// wrong file would print as an article with no title instead of an error.

/** Comments, an XML declaration and a doctype of any kind that may come before the first element. */
const PROLOGUE = /^(?:\s+|<\?xml[^>]*>|<!--[\s\S]*?-->|<!doctype[^>]*>)*/i;
/** A feed's root element: RSS, Atom, RDF. */
const FEED_ROOT = /^<(?:rss|feed|rdf:RDF)[\s>]/i;
/** The start of an HTML document. */
const DOCUMENT = /<(?:!doctype\s+html|html|body)[\s>]/i;
/** An element every page has some of (a fragment saved from a page included). */
const HTML_ELEMENT = /<(?:html|head|body|title|meta|link|script|style|div|p|span|a|article|main|section|header|h[1-6]|table|ul|img|br)[\s/>]/i;

/** Why `text` is not an HTML page (for "FILE is not an HTML page (...)"), or undefined when it is one. */
export function notHtmlReason(text: string): string | undefined {
  const trimmed = text.replace(/^\uFEFF/, '').trim();
  if (trimmed === '') return 'it is empty';
  const first = trimmed.slice(PROLOGUE.exec(trimmed)?.[0].length ?? 0);
  if (FEED_ROOT.test(first)) return 'it is an RSS/Atom feed; read feeds with `newswatch fetch URL`';
  if (/^[{[]/.test(trimmed) && isJson(trimmed)) return 'it is JSON';
  if (trimmed.includes('\u0000')) return 'it is a binary file';
  if (!HTML_ELEMENT.test(first)) return 'it holds no HTML elements';
  // Text before the markup (a server's warning saved with the page) is fine when a document follows.
  if (!first.startsWith('<') && !DOCUMENT.test(first)) return 'it does not begin with an HTML tag';
  return undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
