// Text normalisation and character shingles for near-duplicate detection of Korean news.
// Copies of one wire story differ in datelines, bylines, spacing and trailing boilerplate,
// so those are removed and spaces dropped before shingling (Korean spacing varies by outlet).

const PROMO_MARK = /[▶▷☞■◆△▲]/;

// Lines and phrases every outlet appends or prefixes that say nothing about the story.
// Each with a cheap test that any match needs (a literal it contains): most texts have none of
// them, and a String.includes is far cheaper than running the pattern over the whole text.
const BOILERPLATE: [RegExp, (t: string) => boolean][] = [
  [/[\w.+-]+@[\w-]+(\.[\w-]+)+/g, (t) => t.includes('@')], // reporter e-mail
  [/\([^()]{1,20}=[^()]{1,20}\)/g, (t) => t.includes('=')], // dateline "(서울=연합뉴스)"
  [/[가-힣]{2,4}\s*(선임|수석|객원|인턴)?\s*기자\s*=/g, (t) => t.includes('기자')], // byline "홍길동 기자 ="
  [/(저작권자|copyright|ⓒ|©)[^\n]{0,80}/gi, () => true],
  [/무단\s*전재[^\n]{0,40}/g, (t) => t.includes('무단')],
  [/재배포\s*금지[^\n]{0,20}/g, (t) => t.includes('재배포')],
  [/^\s*[▶▷☞■◆△▲].*$/gm, (t) => PROMO_MARK.test(t)], // promo / related-article lines
  [/https?:\/\/\S+/g, (t) => t.includes('://')],
  // A portal's or aggregator's note under a machine summary or a shared article ("…요약한 결과입니다",
  // "본문 전체 읽기를 권장합니다", "…공유된 콘텐츠입니다"): the same words under every story it carries.
  // Only the note's own sentences go: a page may run the whole article and the note on one line.
  [
    /[^\n.!?]*(요약한 결과입니다|(읽기|보기)를 권장합니다|공유된 콘텐츠입니다)[.!]?/g,
    (t) => t.includes('결과입니다') || t.includes('를 권장합니다') || t.includes('콘텐츠입니다'),
  ],
];

const COMPAT = /[\u1100-\u11ff\u3130-\u318f\u3200-\u33ff\uff00-\uffef]/;

/** NFKC (when needed) with boilerplate removed: the text before it is reduced to letters and digits. */
function cleaned(text: string): string {
  // NFKC is the costliest step: only run it when there is something it would change for us
  // (conjoining jamo from macOS, compatibility jamo, full/half-width forms, enclosed characters).
  let t = COMPAT.test(text) ? text.normalize('NFKC') : text;
  for (const [re, mayMatch] of BOILERPLATE) if (mayMatch(t)) t = t.replace(re, ' ');
  return t.toLowerCase();
}

const NOT_KEPT = /[^가-힣a-z0-9]+/g;

/** Lower-cased NFKC text with boilerplate removed and only Hangul, Latin letters and digits kept. */
export function dedupeText(text: string): string {
  return cleaned(text).replace(NOT_KEPT, '');
}

/** dedupeText's output with where each sentence ends in it and which sentences are mostly quotation. */
export interface SentenceText {
  /** Exactly dedupeText(text). */
  text: string;
  /** End offset (exclusive) of each sentence in `text`, ascending; the last is text.length. */
  ends: number[];
  /** Per sentence: most of it is inside quotation marks (a statement every report may quote). */
  quoted: boolean[];
  /** Quoted spans inside the other sentences, as [start, end) offset pairs in `text`, ascending. */
  quotes: number[];
}

// A sentence ends at a line break or after . ! ? that does not start a decimal (2.0, 17.4%).
// (dedupeSentences scans for exactly what `text.split(/\n+|(?<=[.!?])(?![0-9])/)` would cut.)
// Quoted spans: double quotes of any kind, and single quotes long enough not to be a name ('딥시크').
const QUOTED = /["“”][^"“”]*["“”]|[‘'][^‘’']{12,}[’']/g;
const NOT_KEPT_ONE = /[^가-힣a-z0-9]/;

const isKept = (c: number) => (c >= 0xac00 && c <= 0xd7a3) || (c >= 97 && c <= 122) || (c >= 48 && c <= 57);
const isQuote = (c: number) => c === 0x22 || c === 0x27 || c === 0x201c || c === 0x201d || c === 0x2018;
const isStop = (c: number) => c === 46 || c === 33 || c === 63; // . ! ?
const utf16 = new TextDecoder('utf-16le');
let keptBuffer = new Uint16Array(4096);

/**
 * dedupeText, keeping the sentence boundaries (offsets in the normalised text) and which
 * sentences are mostly a quotation. Removing non-letters is per character, so normalising
 * sentence by sentence gives the same text as normalising the whole. One pass over the
 * cleaned text, the kept characters gathered in a buffer (no per-sentence regex or string).
 */
export function dedupeSentences(text: string): SentenceText {
  const t = cleaned(text);
  const size = t.length;
  if (keptBuffer.length < size) keptBuffer = new Uint16Array(size);
  const kept = keptBuffer; // reused: decoded into a string before returning
  const ends: number[] = [];
  const quoted: boolean[] = [];
  const quotes: number[] = [];
  let w = 0;
  let partStart = 0;
  let partKept = 0;
  let partQuote = false;
  const endPart = (to: number) => {
    const own = w - partKept;
    if (own > 0) {
      let inQuotes = 0;
      const spans: number[] = [];
      if (partQuote) {
        const part = t.slice(partStart, to);
        for (const m of part.matchAll(QUOTED)) {
          const len = keptLength(m[0]);
          inQuotes += len;
          const at = partKept + keptLength(part.slice(0, m.index));
          if (len > 0) spans.push(at, at + len);
        }
      }
      ends.push(w);
      const mostly = 2 * inQuotes >= own;
      quoted.push(mostly);
      if (!mostly) quotes.push(...spans);
    }
    partKept = w;
    partQuote = false;
  };
  for (let q = 0; q < size; ) {
    const c = t.charCodeAt(q);
    if (c === 10) {
      endPart(q);
      while (q < size && t.charCodeAt(q) === 10) q++;
      partStart = q;
      continue;
    }
    // An empty match right where the last part began does not cut (as String.prototype.split).
    if (q !== partStart && isStop(t.charCodeAt(q - 1)) && !(c >= 48 && c <= 57)) {
      endPart(q);
      partStart = q;
    }
    if (isKept(c)) kept[w++] = c;
    else if (isQuote(c)) partQuote = true;
    q++;
  }
  endPart(size);
  return { text: utf16.decode(kept.subarray(0, w)), ends, quoted, quotes };
}

/** Length of `s` with NOT_KEPT characters removed. */
function keptLength(s: string): number {
  if (!NOT_KEPT_ONE.test(s)) return s.length;
  let n = 0;
  for (let i = 0; i < s.length; i++) if (isKept(s.charCodeAt(i))) n++;
  return n;
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

// Work buffers reused from story to story: a typed array of more than 64 bytes gets its own
// backing store outside the heap, which costs microseconds to allocate and to collect. Only
// the results are allocated (sized exactly).
let work = new Uint32Array(4096);
let work2 = new Uint32Array(4096);
function workOf(n: number): Uint32Array {
  if (work.length < n) work = new Uint32Array(n);
  return work;
}
function work2Of(n: number): Uint32Array {
  if (work2.length < n) work2 = new Uint32Array(n);
  return work2;
}

// Scratch for sortHashes: grown as needed, reused (one story at a time per thread).
let scratch: Uint32Array = new Uint32Array(2048);
const counts = new Uint32Array(4 * 256);

/**
 * Sorts `a` ascending in place: an LSD radix sort in four 8-bit passes (the data ends back in
 * `a`), several times faster than TypedArray.prototype.sort on the few hundred hashes of a
 * story; the same order, as any sort of numbers gives.
 */
function sortHashes<A extends Uint32Array>(a: A): A {
  const n = a.length;
  if (n < 64) return a.sort();
  if (scratch.length < n) scratch = new Uint32Array(n);
  counts.fill(0);
  for (let i = 0; i < n; i++) {
    const v = a[i]!;
    counts[v & 0xff]!++;
    counts[256 + ((v >>> 8) & 0xff)]!++;
    counts[512 + ((v >>> 16) & 0xff)]!++;
    counts[768 + (v >>> 24)]!++;
  }
  for (let d = 0; d < 4; d++) {
    let sum = 0;
    for (let b = d * 256; b < (d + 1) * 256; b++) {
      const c = counts[b]!;
      counts[b] = sum;
      sum += c;
    }
  }
  let from: Uint32Array = a;
  let to: Uint32Array = scratch;
  for (let d = 0; d < 4; d++) {
    const shift = 8 * d;
    const base = 256 * d;
    for (let i = 0; i < n; i++) {
      const v = from[i]!;
      to[counts[base + ((v >>> shift) & 0xff)]!++] = v;
    }
    const t = from;
    from = to;
    to = t;
  }
  return a;
}

/** Sorted unique hashes of the `k`-character shingles of already normalised text. */
export function shingleSet(normalised: string, k: number): Uint32Array {
  const n = normalised.length;
  if (n === 0) return new Uint32Array(0);
  if (n <= k) return Uint32Array.of(hashSlice(normalised, 0, n));
  const out = workOf(n - k + 1).subarray(0, n - k + 1);
  if (k === 2) {
    // A bigram of UTF-16 units is exactly 32 bits, and mix32 is a bijection: no collisions, no loop.
    for (let i = 0; i + 2 <= n; i++) out[i] = mix32(((normalised.charCodeAt(i) << 16) | normalised.charCodeAt(i + 1)) >>> 0);
  } else {
    for (let i = 0; i + k <= n; i++) out[i] = hashSlice(normalised, i, k);
  }
  sortHashes(out);
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
  const out = workOf(n - k + 1);
  let m = 0;
  for (let i = 0; i + k <= n; i++) {
    const h = hashSlice(normalised, i, k);
    if ((h & mask) === 0) out[m++] = h;
  }
  const arr = sortHashes(out.subarray(0, m));
  let w = 0;
  for (let i = 0; i < m; i++) if (i === 0 || arr[i] !== arr[w - 1]) arr[w++] = arr[i]!;
  return arr.slice(0, w);
}

/** The sampled long shingles of each sentence (see SentenceText), as `sentenceEvidence` keeps them. */
export interface SentenceShingles {
  /** The sampled shingle hashes of every kept sentence, sentence after sentence (unsorted). */
  hashes: Uint32Array;
  /** Sentence i's hashes are hashes[starts[i]] .. hashes[starts[i + 1] - 1]; one more entry than sentences. */
  starts: Uint32Array;
  /** Normalised length of each kept sentence, in characters. */
  chars: Uint32Array;
}

/**
 * The copy evidence of a text: the 1-in-`sample` `k`-character shingles (chosen as
 * sampledShingleSet chooses them) within the first `maxChars`, leaving out sentences that are
 * mostly a quotation (independent reports of one event quote the same statement; that is not
 * shared source text), as a sorted unique set and per narrative sentence of at least `minChars`
 * characters. A shingle belongs to the sentence it starts in.
 */
export function copyShingles(
  s: SentenceText,
  k: number,
  sample: number,
  minChars: number,
  maxChars: number,
): { copy: Uint32Array; sentences: SentenceShingles } {
  const n = Math.min(s.text.length, maxChars);
  const mask = sample - 1;
  // Typed buffers sized for the worst case: no per-shingle allocation.
  const all = workOf(Math.max(1, n));
  const perSentence = work2Of(Math.max(1, n));
  const starts: number[] = [0];
  const chars: number[] = [];
  let m = 0;
  let q = 0;
  let qi = 0;
  let from = 0;
  for (let i = 0; i < s.ends.length && from < n; i++) {
    const to = Math.min(s.ends[i]!, n);
    if (!s.quoted[i]) {
      const evidence = to - from >= minChars;
      const last = Math.min(to, n - k + 1);
      for (let p = from; p < last; p++) {
        while (qi < s.quotes.length && s.quotes[qi + 1]! <= p) qi += 2;
        // A quotation inside a narrative sentence is left out too: independent reports quote
        // the same words in sentences of their own.
        if (qi < s.quotes.length && s.quotes[qi]! <= p) continue;
        const h = hashSlice(s.text, p, k);
        if ((h & mask) !== 0) continue;
        all[m++] = h;
        if (evidence) perSentence[q++] = h;
      }
      if (evidence) {
        starts.push(q);
        chars.push(to - from);
      }
    }
    from = to;
  }
  // A text shorter than one shingle is its own single shingle (as in sampledShingleSet).
  if (n > 0 && n <= k && !s.quoted[0]) all[m++] = hashSlice(s.text, 0, n);
  const copy = sortHashes(all.subarray(0, m));
  let w = 0;
  for (let i = 0; i < m; i++) if (i === 0 || copy[i] !== copy[w - 1]) copy[w++] = copy[i]!;
  // The per-sentence arrays are views of one buffer (they are not kept with the fingerprint).
  const sentences = new Uint32Array(q + starts.length + chars.length);
  sentences.set(perSentence.subarray(0, q));
  for (let i = 0; i < starts.length; i++) sentences[q + i] = starts[i]!;
  for (let i = 0; i < chars.length; i++) sentences[q + starts.length + i] = chars[i]!;
  return {
    copy: copy.slice(0, w),
    sentences: {
      hashes: sentences.subarray(0, q),
      starts: sentences.subarray(q, q + starts.length),
      chars: sentences.subarray(q + starts.length),
    },
  };
}

/** Whether sorted `set` holds `h` (binary search). */
export function hasHash(set: Uint32Array, h: number): boolean {
  let lo = 0;
  let hi = set.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const v = set[mid]!;
    if (v === h) return true;
    if (v < h) lo = mid + 1;
    else hi = mid - 1;
  }
  return false;
}

/** Size of the intersection of two sorted unique hash sets. */
export function intersectionSize(a: Uint32Array, b: Uint32Array): number {
  return sharedReaching(a, b, 0, false);
}

// Most candidate pairs share almost nothing, yet a merge of two sorted sets cannot tell until
// it is most of the way through (a branch it mispredicts at every other step). A bitmap of one
// set's hashes (16,384 bits, by the hashes' top 14 bits) bounds the shared count from above in
// one straight pass over the other: what the bitmap lacks, the set lacks. Built for the set
// compared again and again (the new story's, the first argument), kept for the last two sets.
const FILTER_MIN = 64;
const FILTER_WORDS = 512;
const filters = [new Int32Array(FILTER_WORDS), new Int32Array(FILTER_WORDS)];
const filtered: (Uint32Array | undefined)[] = [undefined, undefined];
let filterNext = 0;

/** An upper bound on |a ∩ b| (both sorted unique hash sets, not changed once made). */
function sharedAtMost(a: Uint32Array, b: Uint32Array): number {
  let f = filtered[0] === a ? 0 : filtered[1] === a ? 1 : -1;
  if (f < 0) {
    f = filterNext;
    filterNext ^= 1;
    const bits = filters[f]!;
    bits.fill(0);
    for (let i = 0; i < a.length; i++) {
      const x = a[i]!;
      bits[x >>> 23]! |= 1 << ((x >>> 18) & 31);
    }
    filtered[f] = a;
  }
  const bits = filters[f]!;
  let n = 0;
  for (let i = 0; i < b.length; i++) {
    const y = b[i]!;
    n += (bits[y >>> 23]! >>> ((y >>> 18) & 31)) & 1;
  }
  return n;
}

/** Containment (|A ∩ B| / min(|A|, |B|)) or Jaccard (|A ∩ B| / |A ∪ B|) of `n` shared hashes: both grow with n. */
function ratioOf(jaccard: boolean, n: number, la: number, lb: number): number {
  return jaccard ? n / (la + lb - n) : n / Math.min(la, lb);
}

/**
 * |A ∩ B| of two sorted unique hash sets, or -1 as soon as the ratio (containment or Jaccard)
 * cannot reach `min` even if every hash left matched: most candidates are chance hits far below.
 */
function sharedReaching(a: Uint32Array, b: Uint32Array, min: number, jaccard: boolean): number {
  const la = a.length;
  const lb = b.length;
  // The bitmap's bound is at least the shared count: below `min` means so is the exact figure.
  if (min > 0 && Math.min(la, lb) >= FILTER_MIN && ratioOf(jaccard, sharedAtMost(a, b), la, lb) < min) return -1;
  let i = 0;
  let j = 0;
  let n = 0;
  for (let step = 0; i < la && j < lb; step++) {
    if (min > 0 && (step & 31) === 0 && ratioOf(jaccard, n + Math.min(la - i, lb - j), la, lb) < min) return -1;
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

/** |A ∩ B| / min(|A|, |B|) of two sorted unique hash sets when it is at least `min`, else -1. */
export function containmentAtLeast(a: Uint32Array, b: Uint32Array, min: number): number {
  const n = sharedReaching(a, b, min, false);
  if (n < 0) return -1;
  const smaller = Math.min(a.length, b.length);
  const containment = smaller === 0 ? 0 : n / smaller;
  return containment >= min ? containment : -1;
}

/** Exact Jaccard of two sorted unique hash sets when it is at least `min`, else -1. */
export function jaccardAtLeast(a: Uint32Array, b: Uint32Array, min: number): number {
  const n = sharedReaching(a, b, min, true);
  if (n < 0) return -1;
  const union = a.length + b.length - n;
  const jaccard = union === 0 ? 0 : n / union;
  return jaccard >= min ? jaccard : -1;
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
