// How much a hit in the body counts depends on the line it sits on. Article prose
// counts fully; a short line that is not a sentence (a subhead, a caption) counts
// half; a short line among other short lines (lists of related headlines, stock
// tickers, gallery post lists under the article) counts a tenth, so page chrome
// cannot add a topic on its own.

export const PROSE = 1;
export const SHORT_LINE = 0.5;
export const LIST_LINE = 0.1;

/** Lines longer than this are prose even without a sentence ending. */
const LONG_LINE = 120;
/** Neighbours looked at on each side to tell a list from a lone short line. */
const WINDOW = 2;

// Korean sentence endings (다. 요. 죠. 까?) or any line that ends like a sentence.
const SENTENCE = /[다요죠까니][.?!]|(?<!\.)[.。][)"'”’」』]?\s*$/;
// Summary style (개조식): bullet points that end on a nominalised predicate (공급하기로 함,
// 급등했음, 평가됨, 예정임), as in "3줄 요약" boxes and AI summaries. They are the article's
// own text; headlines in a related-stories list end on a noun ("HBM4 양산 돌입"), also nouns
// that end like one (포함, 게임, 처음, 책임): only the predicate forms count.
const SUMMARY_POINT = /(?:(?<!포)함|[했였됐었았겠있없않같높낮많적]음|됨|(?:예정|계획|방침|전망|상황|상태|입장|것|셈|때문|수준|규모|모습)임)[.]?\s*$/;
const SUMMARY_MIN_CHARS = 20;

/**
 * Line factors of one body at a time, computed once per line and only for lines that
 * have a hit: line starts are found lazily with one native indexOf pass.
 */
export class LineFactors {
  private text = '';
  private starts = new Int32Array(256);
  private lines = -1;
  private cache = new Float64Array(256);
  private cachedFor = new Int32Array(256);
  private generation = 0;

  /** Starts on a new body. */
  reset(text: string): void {
    this.text = text;
    this.lines = -1;
    this.generation++;
  }

  /** Weight of a hit at `offset`: prose 1, lone short line 0.5, list line 0.1. */
  at(offset: number): number {
    if (this.lines < 0) this.findLines();
    // Binary search for the last line start <= offset.
    let lo = 0;
    let hi = this.lines - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    if (this.cachedFor[lo] === this.generation) return this.cache[lo]!;
    const factor = computeFactor(this.text, this.starts[lo]!);
    this.cache[lo] = factor;
    this.cachedFor[lo] = this.generation;
    return factor;
  }

  private findLines(): void {
    let n = 0;
    for (let at = 0; at >= 0; at = this.text.indexOf('\n', at) + 1 || -1) {
      if (n >= this.starts.length) this.grow(n * 2);
      this.starts[n++] = at;
    }
    this.lines = n;
  }

  private grow(size: number): void {
    const starts = new Int32Array(size);
    starts.set(this.starts);
    this.starts = starts;
    // The cache restarts empty: generation 0 never matches a live generation.
    this.cache = new Float64Array(size);
    this.cachedFor = new Int32Array(size);
  }
}

function computeFactor(text: string, start: number): number {
  const line = lineAt(text, start);
  if (isProse(line.text)) return PROSE;
  let listLike = 1;
  let seen = 1;
  // Look at the nearest non-empty lines on both sides.
  let before = start;
  for (let k = 0; k < WINDOW && before > 0; ) {
    const prev = lineEndingAt(text, before - 1);
    before = prev.start;
    if (prev.text.trim() === '') continue;
    k++;
    seen++;
    if (!isProse(prev.text)) listLike++;
  }
  let after = line.end + 1;
  for (let k = 0; k < WINDOW && after < text.length; ) {
    const next = lineAt(text, after);
    after = next.end + 1;
    if (next.text.trim() === '') continue;
    k++;
    seen++;
    if (!isProse(next.text)) listLike++;
  }
  // A body of one line (a feed teaser, a lede) is the article itself.
  if (seen === 1) return PROSE;
  return listLike >= 3 && listLike * 2 > seen ? LIST_LINE : SHORT_LINE;
}

function isProse(line: string): boolean {
  const t = line.trim();
  return t.length > LONG_LINE || SENTENCE.test(t) || (t.length >= SUMMARY_MIN_CHARS && SUMMARY_POINT.test(t));
}

function lineAt(text: string, start: number): { start: number; end: number; text: string } {
  let end = text.indexOf('\n', start);
  if (end < 0) end = text.length;
  return { start, end, text: text.slice(start, end) };
}

function lineEndingAt(text: string, newline: number): { start: number; end: number; text: string } {
  const start = text.lastIndexOf('\n', newline - 1) + 1;
  return { start, end: newline, text: text.slice(start, newline) };
}
