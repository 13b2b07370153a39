// How the CLI shows things to people: Korea time, short lines, colour only on a terminal.
import type { Config } from '../shared/config/schema/index.ts';
import type { Story } from '../shared/model.ts';
import type { SourceReport } from '../shared/pipeline/types.ts';
import { formatKorea } from '../shared/time.ts';

export interface Paint {
  bold(s: string): string;
  dim(s: string): string;
  green(s: string): string;
  red(s: string): string;
  yellow(s: string): string;
  cyan(s: string): string;
}

const ansi = (code: number) => (s: string) => `\u001b[${code}m${s}\u001b[0m`;
const plain = (s: string) => s;

/** Colours when writing to a terminal that wants them (NO_COLOR respected), plain text otherwise. */
export function paintFor(stream: NodeJS.WriteStream): Paint {
  const on = stream.isTTY === true && !process.env.NO_COLOR;
  return on
    ? { bold: ansi(1), dim: ansi(2), green: ansi(32), red: ansi(31), yellow: ansi(33), cyan: ansi(36) }
    : { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };
}

/** A new matched story in three lines: time, outlet and headline; topics and evidence; link. */
export function formatStory(story: Story, config: Config, p: Paint, note?: string): string {
  const topics = story.topics.map((t) => config.topics[t]?.label ?? t).join(' · ');
  const terms = [...new Set(story.topics.flatMap((t) => (story.why[t]?.hits ?? []).filter((h) => h.kind !== 'exclude').map((h) => h.term)))];
  const time = formatKorea(story.publishedAt).slice(11);
  return [
    `${p.dim(time)}  ${p.bold(story.title)} ${p.dim('— ' + story.outlet)}${note ? ' ' + p.yellow(note) : ''}`,
    `       ${p.cyan(topics)}${terms.length ? p.dim('  matched: ' + terms.slice(0, 6).join(', ')) : ''}`,
    `       ${p.dim(story.url)}`,
  ].join('\n');
}

/** One line per source poll: ✓/✗, counts or the error. */
export function formatReport(r: SourceReport, p: Paint): string {
  if (r.skipped) return `  ${p.dim('·')} ${r.sourceId.padEnd(22)} ${p.dim(r.skipped === 'disabled' ? 'disabled' : 'not due yet')}`;
  if (!r.ok) return `  ${p.red('✗')} ${r.sourceId.padEnd(22)} ${p.red(r.error ?? 'failed')}`;
  const what = r.notModified
    ? 'not modified (304)'
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
