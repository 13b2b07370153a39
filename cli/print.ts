// How the CLI shows things to people: Korea time, short lines, colour only on a terminal.
import { evidenceTerms } from '../shared/classify/evidence.ts';
import type { Config } from '../shared/config/schema/index.ts';
import type { Story } from '../shared/model.ts';
import type { SourceReport } from '../shared/pipeline/types.ts';
import { formatKorea } from '../shared/time.ts';
import type { Env, OutStream } from './io.ts';
import { shownTitle } from '../shared/deliver/escape.ts';

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

// Our own escape codes are written with private-use marks and become real ESC/CR only in
// terminalSafe, after every control character and escape sequence in the text (a feed's
// title, a server's error) has been removed: what a feed says can never drive the terminal.
const ESC_MARK = '\uE01B';
const CR_MARK = '\uE00D';
const ansi = (code: number) => (s: string) => `${ESC_MARK}[${code}m${s}${ESC_MARK}[0m`;

/** Returns to the start of the line and clears it (progress lines on a terminal). */
export const CLEAR_LINE = `${CR_MARK}${ESC_MARK}[2K`;

const SEQUENCES = new RegExp(
  [
    '\u001b\\[[0-?]*[ -/]*[@-~]?', // CSI: colours, cursor moves, screen clears
    '\u001b[\\]PX^_][^\u0007\u001b\u009c]*(?:\u0007|\u001b\\\\|\u009c)?', // OSC (titles, hyperlinks), DCS, APC...
    '\u001b[ -/]*[0-~]?', // the other two- and three-byte escapes
    '\u009b[0-?]*[ -/]*[@-~]?', // 8-bit CSI
  ].join('|'),
  'g',
);
const CONTROLS = /[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u2028\u2029]/g;
const OUR_CODES = new RegExp(`${CR_MARK}|${ESC_MARK}\\[(?:\\d{1,3}m|2K)`, 'g');

/** Text fit for a terminal: every escape sequence and control character (but newline and tab) removed, then our own colour codes restored. */
export function terminalSafe(text: string): string {
  return text
    .replace(SEQUENCES, '')
    .replace(CONTROLS, '')
    .replace(OUR_CODES, (m) => (m === CR_MARK ? '\r' : `\u001b${m.slice(1)}`))
    .replace(/[\uE00D\uE01B]/g, '');
}

/** Streams already guarded: a second pass would strip the colours the first one restored. */
const guarded = new WeakSet<object>();

/** Makes every string written to `stream` terminal-safe: installed on stdout and stderr by main(), once per stream. */
export function guardTerminal(stream: OutStream): void {
  if (guarded.has(stream)) return;
  guarded.add(stream);
  const write = stream.write.bind(stream) as (chunk: unknown, ...rest: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => write(typeof chunk === 'string' ? terminalSafe(chunk) : chunk, ...rest)) as typeof stream.write;
}
const plain = (s: string) => s;

/** Colours when writing to a terminal that wants them (NO_COLOR in `env` respected), plain text otherwise. */
export function paintFor(stream: OutStream, env: Env = process.env): Paint {
  const on = stream.isTTY === true && !env.NO_COLOR;
  return on
    ? { bold: ansi(1), dim: ansi(2), green: ansi(32), red: ansi(31), yellow: ansi(33), cyan: ansi(36) }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };
}

/** A new matched story in three lines: time, outlet and headline; topics and evidence; link. */
export function formatStory(story: Story, config: Config, p: Paint, note?: string): string {
  const topics = story.topics.map((t) => config.topics[t]?.label ?? t).join(' · ');
  const terms = evidenceTerms(story.topics.map((t) => story.why[t]));
  const time = formatKorea(story.publishedAt).slice(11);
  return [
    `${p.dim(time)}  ${p.bold(shownTitle(story.title))} ${p.dim('— ' + story.outlet)}${note ? ' ' + p.yellow(note) : ''}`,
    `       ${p.cyan(topics)}${terms.length ? p.dim('  matched: ' + terms.slice(0, 6).join(', ')) : ''}`,
    `       ${p.dim(story.url)}`,
  ].join('\n');
}

/** One line per source poll: ✓/✗, counts or the error. */
export function formatReport(r: SourceReport, p: Paint): string {
  if (r.skipped) return `  ${p.dim('·')} ${r.sourceId.padEnd(22)} ${p.dim(r.skipped === 'disabled' ? 'disabled' : 'not due yet')}`;
  if (!r.ok) return `  ${p.red('✗')} ${r.sourceId.padEnd(22)} ${p.red(r.error ?? 'failed')}`;
  const what = r.notModified
    ? r.sameBody
      ? 'unchanged since the last poll'
      : 'not modified (304)'
    : `${r.items} items, ${r.fresh} new, ${r.matched} matched${r.created.length > r.leaders.length ? `, ${r.created.length - r.leaders.length} grouped as copies` : ''}`;
  return `  ${p.green('✓')} ${r.sourceId.padEnd(22)} ${what} ${p.dim(`${r.durationMs} ms`)}`;
}

/** The cycle's totals, for the progress line and the end-of-cycle summary. */
export function cycleTotals(reports: SourceReport[]): { done: number; failed: number; items: number; fresh: number; matched: number } {
  return {
    done: reports.length,
    failed: reports.filter((r) => !r.ok).length,
    items: reports.reduce((n, r) => n + r.items, 0),
    fresh: reports.reduce((n, r) => n + r.fresh, 0),
    matched: reports.reduce((n, r) => n + r.matched, 0),
  };
}
