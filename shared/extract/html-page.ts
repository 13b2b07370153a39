// Whether a fetched article page or a saved file is an HTML page at all, before it is read as
// one: cheerio parses anything (JSON, a feed, plain text) into a page of one text node, so an
// outlet's JSON error answer became a story's text (classified instead of the feed's teaser,
// and remembered as read), and `newswatch extract` printed a wrong file as an article.
import { FetchError } from '../fetch/errors.ts';
import { decodeBody } from '../fetch/charset.ts';

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

/** A page's text, or why it is none (for "FILE|URL is not an HTML page (...)"). */
export type PageText = { text: string } | { notHtml: string };

/**
 * Decodes `body` as extractArticle's callers do and says whether it is an HTML page. The body
 * decides, as it does for a file (a page served as text/plain still extracts); the
 * Content-Type a server sent is named in the reason, as it often says at once what came back
 * instead. Only media types (an image, audio, video, a font) are refused on the header alone:
 * no browser shows those as a page, and an SVG can pass for markup.
 */
export function readPage(body: Buffer, contentType: string | undefined, url: string): PageText {
  const type = mediaType(contentType);
  const served = type !== undefined && !HTML_TYPES.has(type) ? `served as ${type}; ` : '';
  if (type !== undefined && MEDIA.test(type)) return { notHtml: `served as ${type}` };
  let text: string;
  try {
    text = decodeBody(body, contentType, url).text;
  } catch (e) {
    if (!(e instanceof FetchError)) throw e;
    return { notHtml: `${served}it is not text in any charset newswatch reads` };
  }
  const why = notHtmlReason(text);
  return why === undefined ? { text } : { notHtml: `${served}${why}` };
}

const HTML_TYPES: ReadonlySet<string> = new Set(['text/html', 'application/xhtml+xml']);
const MEDIA = /^(?:image|audio|video|font)\//;

/** `type/subtype` of a Content-Type, lower-cased; undefined when absent or not that shape (nothing a server sent reaches the terminal unchecked). */
function mediaType(contentType: string | undefined): string | undefined {
  const type = contentType?.split(';')[0]?.trim().toLowerCase();
  return type && /^[a-z0-9][\w.+-]*\/[a-z0-9][\w.+-]*$/.test(type) ? type : undefined;
}

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}
