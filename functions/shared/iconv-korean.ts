// iconv-lite for the Lambda bundles, with only what Korean feeds need. The full package
// makes esbuild bundle every table it has (Chinese, Japanese, single-byte: ~480 KB),
// which took the poll function over 1 MB. infra/constructs/pipeline-function.ts aliases
// `iconv-lite` to this file in the bundles only; the CLI and the tests keep the full
// package.
//
// EUC-KR and its aliases are decoded as CP949 with iconv-lite's own DBCS codec and its
// cp949 table, exactly as the full package does: TextDecoder('euc-kr') is strict EUC-KR
// and turns the 8,822 extended syllables (똠, 햏, 뷁) into U+FFFD. Every other label the
// WHATWG TextDecoder knows (UTF-8, UTF-16, the single-byte and other CJK encodings) goes
// through TextDecoder, non-fatal, stripping a BOM as iconv-lite does.
//
// The codec and table come from the package's `encodings/` folder; the bundles alias
// `iconv-lite/encodings` back to the real package (the longer alias wins), so only
// `iconv-lite` itself resolves to this file.
// @ts-expect-error -- iconv-lite ships no types for its internal modules
import dbcsCodec from 'iconv-lite/encodings/dbcs-codec.js';
import cp949Table from 'iconv-lite/encodings/tables/cp949.json' with { type: 'json' };

interface Decoder {
  write(buf: Uint8Array): string;
  end(): string | undefined;
}
interface DbcsCodec {
  decoder: new (options: unknown, codec: DbcsCodec) => Decoder;
}
type DbcsCodecClass = new (
  options: { encodingName: string; table: () => unknown },
  iconv: { defaultCharUnicode: string; defaultCharSingleByte: string },
) => DbcsCodec;

/** iconv-lite's canonical form of a label: lower case, alphanumerics only, no `:yyyy` suffix. */
function canonical(label: string): string {
  return String(label)
    .toLowerCase()
    .replace(/:\d{4}$|[^0-9a-z]/g, '');
}

// Labels iconv-lite (and newswatch's normaliseCharset) maps to cp949 that TextDecoder
// does not know, or knows only as strict euc-kr.
const CP949_NAMES = new Set([
  'cp949',
  'ms949',
  '949',
  'windows949',
  'xwindows949',
  'uhc',
  'euckr',
  'cseuckr',
  'csksc56011987',
  'isoir149',
  'korean',
  'ksc56011987',
  'ksc56011989',
  'ksc5601',
]);

// iconv-lite spellings of Unicode encodings that are not WHATWG labels.
const UNICODE_NAMES: Record<string, string> = {
  utf8: 'utf-8',
  unicode11utf8: 'utf-8',
  ucs2: 'utf-16le',
  utf16le: 'utf-16le',
  utf16be: 'utf-16be',
  utf16: 'utf-16le',
};

let cp949: DbcsCodec | undefined;
function cp949Codec(): DbcsCodec {
  cp949 ??= new (dbcsCodec as { _dbcs: DbcsCodecClass })._dbcs(
    { encodingName: 'cp949', table: () => cp949Table },
    { defaultCharUnicode: '\uFFFD', defaultCharSingleByte: '?' },
  );
  return cp949;
}

/** The WHATWG encoding name for a label, or 'cp949' for the Korean ones; undefined when unknown. */
function resolve(label: string): string | undefined {
  const c = canonical(label);
  if (CP949_NAMES.has(c)) return 'cp949';
  let name: string | undefined;
  try {
    name = new TextDecoder(String(label).trim()).encoding;
  } catch {
    name = UNICODE_NAMES[c];
  }
  return name === 'euc-kr' ? 'cp949' : name;
}

export function encodingExists(label: string): boolean {
  return resolve(label) !== undefined;
}

/** Decodes bytes like iconv-lite's decode; throws for an unknown encoding, as iconv-lite does. */
export function decode(buf: Uint8Array, encoding: string): string {
  const name = resolve(encoding);
  if (name === undefined) throw new Error(`Encoding not recognized: '${encoding}' (this bundle decodes Korean and WHATWG encodings only)`);
  if (name === 'cp949') {
    const codec = cp949Codec();
    const decoder = new codec.decoder(undefined, codec);
    const text = decoder.write(buf);
    const trail = decoder.end();
    return trail ? text + trail : text;
  }
  return new TextDecoder(name, { fatal: false }).decode(buf);
}

export default { encodingExists, decode };
