// Text normalisation and character shingles for near-duplicate detection of Korean news.
// Copies of one wire story differ in datelines, bylines, spacing and trailing boilerplate,
// so those are removed and spaces dropped before shingling (Korean spacing varies by outlet).

// Lines and phrases every outlet appends or prefixes that say nothing about the story.
const BOILERPLATE: RegExp[] = [
  /[\w.+-]+@[\w-]+(\.[\w-]+)+/g, // reporter e-mail
  /\([^()]{1,20}=[^()]{1,20}\)/g, // dateline "(서울=연합뉴스)"
  /[가-힣]{2,4}\s*(선임|수석|객원|인턴)?\s*기자\s*=/g, // byline "홍길동 기자 ="
  /(저작권자|copyright|ⓒ|©)[^\n]{0,80}/gi,
  /무단\s*전재[^\n]{0,40}/g,
  /재배포\s*금지[^\n]{0,20}/g,
  /^\s*[▶▷☞■◆△▲].*$/gm, // promo / related-article lines
  /https?:\/\/\S+/g,
];

const COMPAT = /[\u1100-\u11ff\u3130-\u318f\u3200-\u33ff\uff00-\uffef]/;

/** Lower-cased NFKC text with boilerplate removed and only Hangul, Latin letters and digits kept. */
export function dedupeText(text: string): string {
  // NFKC is the costliest step: only run it when there is something it would change for us
  // (conjoining jamo from macOS, compatibility jamo, full/half-width forms, enclosed characters).
  let t = COMPAT.test(text) ? text.normalize('NFKC') : text;
  for (const re of BOILERPLATE) t = t.replace(re, ' ');
  return t.toLowerCase().replace(/[^가-힣a-z0-9]+/g, '');
}

/** FNV-1a over `len` UTF-16 code units of `s` from `start`, then a murmur3 finaliser. */
function hashSlice(s: string, start: number, len: number): number {
  let h = 0x811c9dc5;
  for (let i = start; i < start + len; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return mix32(h);
}

/** The murmur3 32-bit finaliser: spreads every input bit over the output. */
export function mix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** 32-bit hash of a whole string. */
export function hashString(s: string): number {
  return hashSlice(s, 0, s.length);
}

/** Sorted unique hashes of the `k`-character shingles of already normalised text. */
export function shingleSet(normalised: string, k: number): Uint32Array {
  const n = normalised.length;
  if (n === 0) return new Uint32Array(0);
  if (n <= k) return Uint32Array.of(hashSlice(normalised, 0, n));
  const out = new Uint32Array(n - k + 1);
  if (k === 2) {
    // A bigram of UTF-16 units is exactly 32 bits, and mix32 is a bijection: no collisions, no loop.
    for (let i = 0; i + 2 <= n; i++) out[i] = mix32(((normalised.charCodeAt(i) << 16) | normalised.charCodeAt(i + 1)) >>> 0);
  } else {
    for (let i = 0; i + k <= n; i++) out[i] = hashSlice(normalised, i, k);
  }
  out.sort();
  let w = 0;
  for (let i = 0; i < out.length; i++) if (i === 0 || out[i] !== out[w - 1]) out[w++] = out[i]!;
  return out.slice(0, w);
}

/**
 * Sorted unique hashes of a 1-in-`sample` subset of the `k`-character shingles (`sample` a power
 * of two). The subset is chosen by hash value, so two texts keep the same shingles of what they
 * share: containment measured on the subsets estimates containment on the whole sets, for a
 * `sample`-th of the memory. Long shingles are what copies of one source text share and
 * independent reports of one event do not.
 */
export function sampledShingleSet(normalised: string, k: number, sample: number): Uint32Array {
  const n = normalised.length;
  if (n === 0) return new Uint32Array(0);
  if (n <= k) return Uint32Array.of(hashSlice(normalised, 0, n));
  const mask = sample - 1;
  const out = new Uint32Array(n - k + 1);
  let m = 0;
  for (let i = 0; i + k <= n; i++) {
    const h = hashSlice(normalised, i, k);
    if ((h & mask) === 0) out[m++] = h;
  }
  const arr = out.subarray(0, m).sort();
  let w = 0;
  for (let i = 0; i < m; i++) if (i === 0 || arr[i] !== arr[w - 1]) arr[w++] = arr[i]!;
  return arr.slice(0, w);
}

/** Size of the intersection of two sorted unique hash sets. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  let i = 0;
  let j = 0;
  let n = 0;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    if (x === y) {
      n++;
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return n;
}

export interface Overlap {
  /** |A ∩ B| / |A ∪ B| */
  jaccard: number;
  /** |A ∩ B| / min(|A|, |B|): high when one text is a trimmed copy of the other. */
  containment: number;
  /** min(|A|, |B|) */
  smaller: number;
}

/** Exact Jaccard and containment of two shingle sets. */
export function overlap(a: Uint32Array, b: Uint32Array): Overlap {
  const inter = intersectionSize(a, b);
  const union = a.length + b.length - inter;
  const smaller = Math.min(a.length, b.length);
  return { jaccard: union === 0 ? 0 : inter / union, containment: smaller === 0 ? 0 : inter / smaller, smaller };
}

/** Normalised headline for exact same-outlet duplicates: brackets like [속보] and punctuation removed. */
export function normalisedTitle(title: string): string {
  return dedupeText(title.normalize('NFKC').replace(/[[(【<〈][^\])】>〉]{1,12}[\])】>〉]/g, ' '));
}
