// Entities in feed text. Korean CMSs write HTML-only names (&nbsp; &middot;) and bare `&`
// into XML, which an XML parser refuses; the repair pass turns them into what XML allows.

const NAMED: Record<string, number> = {
  amp: 38,
  lt: 60,
  gt: 62,
  quot: 34,
  apos: 39,
  nbsp: 160,
  middot: 183,
  hellip: 8230,
  lsquo: 8216,
  rsquo: 8217,
  ldquo: 8220,
  rdquo: 8221,
  sbquo: 8218,
  bdquo: 8222,
  ndash: 8211,
  mdash: 8212,
  bull: 8226,
  copy: 169,
  reg: 174,
  trade: 8482,
  times: 215,
  divide: 247,
  laquo: 171,
  raquo: 187,
  lsaquo: 8249,
  rsaquo: 8250,
  deg: 176,
  plusmn: 177,
  para: 182,
  sect: 167,
  cent: 162,
  pound: 163,
  yen: 165,
  euro: 8364,
  larr: 8592,
  rarr: 8594,
  uarr: 8593,
  darr: 8595,
  hearts: 9829,
  star: 9734,
  iexcl: 161,
  shy: 173,
  prime: 8242,
};
const XML_NAMES = new Set(['amp', 'lt', 'gt', 'quot', 'apos']);

const ENTITY = /&(?:#(\d{1,7})|#[xX]([0-9a-fA-F]{1,6})|([a-zA-Z][a-zA-Z0-9]{1,31}));/g;
const ENTITY_OR_BARE = /&(?:(#\d{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z][a-zA-Z0-9]{1,31});)?/g;

/** A character XML 1.0 allows (a reference to anything else is an error there). */
function xmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}

/** XML and common HTML entities decoded; an unknown name or a bare `&` stays as written. */
export function decodeEntities(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY, (m, dec?: string, hex?: string, name?: string) => {
    const code = dec ? Number(dec) : hex ? parseInt(hex, 16) : NAMED[name!];
    return code !== undefined && code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
  });
}

/**
 * Text or an attribute value made safe for a strict XML parser: the five XML entities and
 * valid character references stay, known HTML names become character references, and
 * anything else (a bare `&`, `&foo;`) is escaped so it reads as written.
 */
export function xmlSafeAmpersands(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(ENTITY_OR_BARE, (m, ref?: string) => {
    if (!ref) return '&amp;';
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : Number(ref.slice(1));
      return xmlChar(code) ? m : `&amp;${ref};`;
    }
    if (XML_NAMES.has(ref)) return m;
    const code = NAMED[ref];
    return code === undefined ? `&amp;${ref};` : `&#${code};`;
  });
}
