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

/** Weight of a body hit by the kind of line it is on (prose 1, lone short line 0.5, list line 0.1). */
export function lineFactor(text: string, at: number, cache: Map<number, number>): number {
  const start = text.lastIndexOf('\n', at - 1) + 1;
  const cached = cache.get(start);
  if (cached !== undefined) return cached;
  const factor = computeFactor(text, start);
  cache.set(start, factor);
  return factor;
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
  return t.length > LONG_LINE || SENTENCE.test(t);
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
