// Terminal column widths: Hangul and other East Asian wide characters take two columns,
// so padding by string length misaligns Korean tables. string-width knows the Unicode
// East Asian Width table (and emoji, and ANSI codes), which a hand-kept range list would not.
import stringWidth from 'string-width';

export const widthOf = (text: string): number => stringWidth(text);

/** `text` cut to at most `width` columns, with an ellipsis when cut. */
export function truncateWidth(text: string, width: number): string {
  if (widthOf(text) <= width) return text;
  let out = '';
  let used = 0;
  for (const ch of text) {
    const w = widthOf(ch);
    if (used + w > width - 1) break;
    out += ch;
    used += w;
  }
  return `${out}…`;
}

/** `text` padded with spaces to `width` columns (cut first when wider). */
export function padWidth(text: string, width: number): string {
  const cut = truncateWidth(text, width);
  return cut + ' '.repeat(Math.max(0, width - widthOf(cut)));
}
