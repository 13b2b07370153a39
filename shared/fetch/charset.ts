// Turning fetched bytes into text. Korean outlets still send EUC-KR/CP949, sometimes
// while declaring UTF-8; decoding with the wrong table produces mojibake that would be
// stored and alerted on. Order of evidence: BOM, Content-Type, XML declaration, HTML
// meta, then UTF-8. A decode full of U+FFFD is rejected rather than kept.
import iconv from 'iconv-lite';
import { FetchError } from './errors.ts';

export type CharsetSource = 'bom' | 'header' | 'xml' | 'meta' | 'sniffed' | 'default';

export interface DecodedText {
  text: string;
  /** The iconv-lite encoding actually used. */
  charset: string;
  from: CharsetSource;
  /** U+FFFD characters in the result (invalid byte sequences). */
  replacements: number;
  warnings: string[];
}

/** Maps a declared charset label to the iconv-lite encoding we decode it with. */
export function normaliseCharset(label: string): string | undefined {
  const l = label
    .trim()
    .toLowerCase()
    .replace(/^["']|["']$/g, '');
  // EUC-KR is read as its superset CP949 (UHC): the 8,822 extra syllables (똠, 햏, 뷁) exist only there.
  if (/^(euc[-_]?kr|ks_c_5601(-1987)?|ksc5601|ks_c_5601-1989|korean|csksc56011987|x-windows-949|windows-949|cp949|ms949|uhc)$/.test(l)) {
    return 'cp949';
  }
  if (l === 'utf8' || l === 'utf-8') return 'utf-8';
  return iconv.encodingExists(l) ? l : undefined;
}

function bomCharset(body: Buffer): string | undefined {
  if (body[0] === 0xef && body[1] === 0xbb && body[2] === 0xbf) return 'utf-8';
  if (body[0] === 0xff && body[1] === 0xfe) return 'utf-16le';
  if (body[0] === 0xfe && body[1] === 0xff) return 'utf-16be';
  return undefined;
}

function headerCharset(contentType: string | undefined): string | undefined {
  return contentType ? /charset\s*=\s*"?([^";\s]+)/i.exec(contentType)?.[1] : undefined;
}

function xmlCharset(head: string): string | undefined {
  return /^\s*<\?xml[^>]*\sencoding\s*=\s*["']([^"']+)["']/i.exec(head)?.[1];
}

function metaCharset(head: string): string | undefined {
  return /<meta[^>]+charset\s*=\s*["']?([\w-]+)/i.exec(head)?.[1] ?? /<meta[^>]+content\s*=\s*["'][^"']*charset=([\w-]+)/i.exec(head)?.[1];
}

/** Valid UTF-8 with at least one multi-byte sequence: near-impossible for EUC-KR text by accident. */
function isMultibyteUtf8(body: Buffer): boolean {
  if (!body.some((b) => b >= 0x80)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(body);
    return true;
  } catch {
    return false;
  }
}

/**
 * Node's own UTF-8 decoder for the common case: it gives what iconv-lite gives (no BOM
 * reaches here) without loading iconv-lite's tables on a first poll.
 */
function decode(body: Buffer, charset: string): string {
  return charset === 'utf-8' ? body.toString('utf8') : iconv.decode(body, charset);
}

function countReplacements(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\uFFFD'); i !== -1; i = text.indexOf('\uFFFD', i + 1)) n++;
  return n;
}

/** True when a decode has more invalid sequences than a stray bad byte would explain. */
function decodedBadly(text: string, replacements: number): boolean {
  if (replacements === 0) return false;
  let nonAscii = 0;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) nonAscii++;
  return replacements >= 20 || replacements / Math.max(nonAscii, 1) > 0.02;
}

/**
 * Decodes a response body. Tries the declared charsets in order of authority, then
 * UTF-8 and CP949; keeps the first clean decode (with a warning when it was not the
 * declared one). Throws FetchError kind 'decode' when no candidate decodes cleanly.
 */
export function decodeBody(body: Buffer, contentType: string | undefined, url: string): DecodedText {
  const warnings: string[] = [];
  const bom = bomCharset(body);
  if (bom) {
    const text = iconv.decode(body, bom); // iconv-lite strips the BOM
    return { text, charset: bom, from: 'bom', replacements: countReplacements(text), warnings };
  }
  const head = body.subarray(0, 2048).toString('latin1');
  const declared: { charset: string; from: CharsetSource; label: string }[] = [];
  for (const [label, from] of [
    [headerCharset(contentType), 'header'],
    [xmlCharset(head), 'xml'],
    [metaCharset(head), 'meta'],
  ] as const) {
    if (label === undefined) continue;
    const charset = normaliseCharset(label);
    if (charset) declared.push({ charset, from, label });
    else warnings.push(`unknown charset "${label}" in the ${from === 'header' ? 'Content-Type header' : from === 'xml' ? 'XML declaration' : 'HTML meta tag'}`);
  }
  const candidates: { charset: string; from: CharsetSource }[] = [...declared];
  const first = declared[0];
  // A body that is valid UTF-8 is UTF-8, whatever the label says.
  if (first && first.charset !== 'utf-8' && isMultibyteUtf8(body)) {
    candidates.unshift({ charset: 'utf-8', from: 'sniffed' });
  }
  candidates.push({ charset: 'utf-8', from: 'default' }, { charset: 'cp949', from: 'sniffed' });

  const tried = new Set<string>();
  let worst = 0;
  for (const c of candidates) {
    if (tried.has(c.charset)) continue;
    tried.add(c.charset);
    const text = decode(body, c.charset);
    const replacements = countReplacements(text);
    if (decodedBadly(text, replacements)) {
      worst = Math.max(worst, replacements);
      continue;
    }
    if (first && c.charset !== first.charset) {
      warnings.push(`declared charset "${first.label}" (${first.from}) does not fit the bytes; decoded as ${c.charset}`);
    }
    return { text, charset: c.charset, from: c.from, replacements, warnings };
  }
  throw new FetchError('decode', url, `cannot decode the response: ${worst} invalid byte sequences with every candidate charset (${[...tried].join(', ')})`, {
    retryable: false,
  });
}
