// The lenient pass before rss-parser. rss-parser reads with a strict XML parser (sax through
// xml2js), which gives up on the whole feed at the first fault; Korean feeds carry faults a
// browser forgives: HTML-only entities, a bare `&`, control characters, an unclosed <b>
// inside a title, a stray close tag, and a body cut off mid-transfer. This pass rewrites the
// text into well-formed XML without reading any feed field: it keeps the markup it can
// balance, drops tags inside text fields (their text stays), and cuts a truncated document
// at its last complete item/entry, with a warning naming the line.
import { xmlSafeAmpersands } from './feed-entities.ts';

/** Parsing failed and nothing could be recovered; `line` is where the XML broke. */
export class FeedSyntaxError extends Error {
  constructor(
    message: string,
    readonly line?: number,
  ) {
    super(message);
    this.name = 'FeedSyntaxError';
  }
}

const ROOTS = new Set(['rss', 'feed', 'rdf:rdf']);
const ENTRIES = new Set(['item', 'entry']);
/** Elements whose content is text (HTML as text at most): markup inside them is a feed's slip. */
const TEXT_FIELDS = new Set(['title', 'description', 'summary', 'content', 'content:encoded', 'subtitle']);

// Characters XML 1.0 forbids even as references (C0 controls but tab/LF/CR, U+FFFE/FFFF).
const FORBIDDEN_CHARS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;
// A start or end tag. Attribute names exclude `<` so "a <b and c <link>" is not one tag.
const TAG = /<(\/?)([A-Za-z_][\w:.-]*)((?:\s+[^\s=/<>"']+(?:\s*=\s*(?:"[^"]*"|'[^']*'|[^\s"'=<>`]+))?)*)\s*(\/?)>/y;
const XML_NAME = /^[\p{L}_:][\p{L}\p{N}_:.-]*$/u;
/**
 * Most tags are plain <name> or </name> (a name `[A-Za-z_][\w:.-]*`): read by character, as
 * a regular expression's match array per tag was a good part of this pass. Returns the offset
 * after its `>`, or -1 when the tag at `lt` is not plain.
 */
function plainTagEnd(text: string, lt: number): number {
  let j = lt + 1;
  if (text.charCodeAt(j) === 0x2f) j++; // `/`
  const first = text.charCodeAt(j);
  if (!((first >= 0x61 && first <= 0x7a) || (first >= 0x41 && first <= 0x5a) || first === 0x5f)) return -1;
  for (j++; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if ((c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x3a) || c === 0x5f || c === 0x2e || c === 0x2d) continue; // [\w:.-]
    return c === 0x3e ? j + 1 : -1; // `>`
  }
  return -1;
}
const ATTRIBUTE = /([^\s=/<>"']+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+)))?/g;

/** The line breaks of a dropped piece, so lines in the repaired text match the original's. */
function lineBreaks(dropped: string): string {
  let n = 0;
  for (let at = dropped.indexOf('\n'); at !== -1; at = dropped.indexOf('\n', at + 1)) n++;
  return n === 0 ? '' : '\n'.repeat(n);
}

function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = text.indexOf('\n'); i !== -1 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

/** Attributes re-written double-quoted, entities made XML-safe, a repeated or invalid name dropped. */
function cleanAttributes(raw: string): string {
  if (!raw) return '';
  let out = '';
  const seen = new Set<string>();
  for (const m of raw.matchAll(ATTRIBUTE)) {
    const name = m[1]!;
    if (seen.has(name) || !XML_NAME.test(name)) continue; // `versio&#0;n=`: not a name XML allows
    seen.add(name);
    const value = m[2] ?? m[3] ?? m[4] ?? '';
    out += ` ${name}="${xmlSafeAmpersands(value).replaceAll('<', '&lt;').replaceAll('"', '&quot;')}"`;
  }
  return out;
}

// CDATA sections are set aside and stand in the XML as a mark: `\uE000` + their number +
// their line breaks + `\uE001` (private-use characters XML allows in text). sax reads text
// one character at a time in JavaScript, and Korean feeds carry their titles and bodies as
// CDATA: with the marks it reads a fifth to a half of the text (the bench feeds), the same structure.
// `restoreCdata` puts the sections back in the text fields read out of rss-parser. A feed
// that itself has a private-use `\uE000` keeps its CDATA in the XML.
const MARK = '\uE000';
const END = '\uE001';
const MARKED = new RegExp(`${MARK}(\\d+)\\n*${END}`, 'g');

/** `text` with every CDATA mark replaced by its section's text. */
export function restoreCdata(text: string, cdata: readonly string[]): string {
  const at = text.indexOf(MARK);
  if (at === -1) return text;
  // Most fields are one section and nothing else: read its number without a regular expression.
  if (at === 0 && text.indexOf(END) === text.length - 1 && text.indexOf('\n') === -1) return cdata[Number(text.slice(1, -1))] ?? '';
  return text.replace(MARKED, (_, n: string) => cdata[Number(n)] ?? '');
}

/**
 * Rewrites feed text as well-formed XML; `root` is its root element, lower-cased, and
 * `hasChannel` whether a <channel> is among its children (RSS and RDF need one). Throws
 * FeedSyntaxError when the text has no elements, its root is not <rss>, <feed> or
 * <rdf:RDF>, or it ends inside its first entry. Text that needs no repair is copied through
 * in spans (most feeds need none), so the pass costs a scan, not a rewrite. The text of
 * each CDATA section is in `cdata`, its place in `xml` a mark (see restoreCdata).
 */
export function repairFeedXml(input: string): { xml: string; root: string; hasChannel: boolean; warnings: string[]; cdata: string[] } {
  const warnings: string[] = [];
  const cdata: string[] = [];
  const marking = !input.includes(MARK);
  let text = input;
  const forbidden = input.match(FORBIDDEN_CHARS)?.length ?? 0;
  if (forbidden > 0) {
    text = input.replace(FORBIDDEN_CHARS, '');
    warnings.push(`removed ${forbidden} control character${forbidden === 1 ? '' : 's'} that XML does not allow`);
  }

  const out: string[] = [];
  let copied = 0; // text before this offset is in `out`
  const flush = (to: number) => {
    if (to > copied) out.push(text.slice(copied, to));
    copied = Math.max(copied, to);
  };
  /** text[from, to) becomes `by` in the output. */
  const replace = (from: number, to: number, by: string) => {
    flush(from);
    if (by) out.push(by);
    copied = to;
  };
  // Open elements; an entry also keeps where its start tag begins in `out` (to cut there).
  const open: { name: string; lower: string; at: number }[] = [];
  let root: string | undefined;
  let field: string | undefined; // the text field being read: tags inside it are dropped
  let entries = 0; // complete entries so far
  let hasChannel = false;
  /** Closes the elements above `depth`, returning their end tags. */
  const closeTo = (depth: number): string => {
    let tags = '';
    while (open.length > depth) {
      const e = open.pop()!;
      tags += `</${e.name}>`;
      if (ENTRIES.has(e.lower)) entries++;
    }
    return tags;
  };
  let i = 0;
  let nextAmp = text.indexOf('&'); // the next `&` at or after i: most text runs have none

  while (i < text.length) {
    const lt = text.indexOf('<', i);
    const end = lt === -1 ? text.length : lt;
    if (end > i) {
      // Text outside the root element is dropped (its line breaks kept); inside, its ampersands are made safe.
      if (nextAmp !== -1 && nextAmp < i) nextAmp = text.indexOf('&', i);
      if (open.length === 0) replace(i, end, lineBreaks(text.slice(i, end)));
      else if (nextAmp !== -1 && nextAmp < end) {
        const chunk = text.slice(i, end);
        const safe = xmlSafeAmpersands(chunk);
        if (safe !== chunk) replace(i, end, safe);
      }
    }
    if (lt === -1) break;
    if (text.startsWith('<![CDATA[', lt)) {
      const stop = text.indexOf(']]>', lt + 9);
      i = stop === -1 ? text.length : stop + 3;
      if (open.length === 0) replace(lt, i, lineBreaks(text.slice(lt, i)));
      else if (stop === -1) replace(lt, i, `${text.slice(lt)}]]>`);
      else if (marking) {
        const section = text.slice(lt + 9, stop);
        replace(lt, i, `${MARK}${cdata.length}${lineBreaks(section)}${END}`);
        cdata.push(section);
      }
      continue;
    }
    if (text.startsWith('<!', lt) || text.startsWith('<?', lt)) {
      // Comments, the XML declaration (the text is decoded already), processing instructions, DOCTYPE.
      const comment = text.startsWith('<!--', lt);
      const stop = text.indexOf(comment ? '-->' : '>', lt);
      i = stop === -1 ? text.length : stop + (comment ? 3 : 1);
      replace(lt, i, lineBreaks(text.slice(lt, i)));
      continue;
    }
    let raw: string;
    let closing: boolean;
    let name: string;
    let attributes = '';
    let selfClosing = '';
    const plainEnd = plainTagEnd(text, lt);
    if (plainEnd !== -1) {
      i = plainEnd;
      closing = text.charCodeAt(lt + 1) === 0x2f;
      raw = text.slice(lt, i);
      name = raw.slice(closing ? 2 : 1, -1);
      // The common case, closing the innermost element as written: nothing to rewrite.
      if (closing && field === undefined && open.length > 1 && open[open.length - 1]!.name === name) {
        if (ENTRIES.has(open.pop()!.lower)) entries++;
        continue;
      }
    } else {
      TAG.lastIndex = lt;
      const m = TAG.exec(text);
      if (!m) {
        // A `<` that starts no tag ("<잘림", "a < b") is text.
        i = lt + 1;
        replace(lt, i, open.length > 0 ? '&lt;' : '');
        continue;
      }
      i = lt + m[0].length;
      raw = m[0];
      closing = m[1] === '/';
      name = m[2]!;
      attributes = m[3] ?? '';
      selfClosing = m[4] ?? '';
    }
    if (field !== undefined) {
      if (closing && name.toLowerCase() === field) {
        field = undefined;
        const tags = closeTo(open.length - 1);
        if (tags !== raw) replace(lt, i, tags);
      } else {
        replace(lt, i, '');
      }
      continue;
    }
    if (closing) {
      const lower = name.toLowerCase();
      let at = open.length - 1;
      while (at >= 0 && open[at]!.name !== name) at--;
      if (at < 0) for (at = open.length - 1; at >= 0 && open[at]!.lower !== lower; at--);
      if (at < 0) {
        replace(lt, i, ''); // a close tag with nothing open to close: dropped
        continue;
      }
      const tags = closeTo(at);
      if (tags !== raw) replace(lt, i, tags);
      if (open.length === 0) break; // the root closed: anything after it is not the feed
      continue;
    }
    if (root === undefined) {
      root = name;
      if (!ROOTS.has(name.toLowerCase())) throw new FeedSyntaxError(`not a feed: the document is <${name.toLowerCase()}>, not <rss>, <feed> or <rdf:RDF>`);
    }
    const tag = attributes || selfClosing || raw.length !== name.length + 2 ? `<${name}${cleanAttributes(attributes)}${selfClosing ? '/' : ''}>` : raw;
    if (!selfClosing) {
      const lower = name.toLowerCase();
      if (ENTRIES.has(lower)) flush(lt);
      if (open.length === 1 && lower === 'channel') hasChannel = true;
      open.push({ name, lower, at: out.length });
      if (TEXT_FIELDS.has(lower)) field = lower;
    }
    if (tag !== raw) replace(lt, i, tag);
  }

  if (root === undefined) throw new FeedSyntaxError('not a feed: no XML elements in the text');
  // After the root's end tag nothing is kept; a text that ended first is kept to its end.
  flush(open.length === 0 ? i : text.length);
  if (open.length > 0) {
    // The text ended before the root closed: a body cut off in transfer.
    const line = lineAt(text, text.trimEnd().length);
    const entry = open.findIndex((e) => ENTRIES.has(e.lower));
    if (entry !== -1) {
      if (entries === 0) throw new FeedSyntaxError(`malformed XML at line ${line}: the feed ends inside its first entry; no complete item before it`, line);
      out.length = open[entry]!.at;
      open.length = entry;
      warnings.push(`malformed XML at line ${line} (the feed ends inside an entry): kept the ${entries} items before it`);
    } else {
      warnings.push(`malformed XML at line ${line} (the feed ends before its closing </${root}>)`);
    }
    out.push(closeTo(0));
  }
  return { xml: out.join(''), root: root.toLowerCase(), hasChannel, warnings, cdata };
}
