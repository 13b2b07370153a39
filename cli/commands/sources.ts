import type { CliIo } from '../io.ts';
import { parseCommandArgs } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import type { Source } from '../../shared/config/schema/index.ts';
import { widthOf } from '../width.ts';

const HELP = `Usage: newswatch sources [--config FILE] [--json]

List the sources configured in ${DEFAULT_CONFIG_FILE}: id, kind, outlet, whether enabled,
poll interval and what is polled. A table on a terminal, JSON lines when piped (or --json).

  --config FILE    config file (default ${DEFAULT_CONFIG_FILE})
  --json           JSON lines, also on a terminal
`;

/**
 * Terminal columns a string takes: Hangul, CJK, full-width forms and emoji are two wide.
 * string-width follows the Unicode East Asian Width table (the hand-kept ranges missed emoji
 * and CJK extensions, which shifted every column after them).
 */
export const displayWidth = (s: string): number => widthOf(s);

/** Cuts a string to at most `width` columns, marking the cut with an ellipsis. */
export function fitWidth(s: string, width: number): string {
  if (displayWidth(s) <= width) return s;
  let out = '';
  for (const ch of s) {
    if (displayWidth(out + ch) > width - 1) break;
    out += ch;
  }
  return `${out}…`;
}

/** Rows aligned in columns by display width (the last column is not padded). */
export function alignedTable(header: string[], rows: string[][]): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((r) => displayWidth(r[i] ?? ''))));
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell + ' '.repeat(widths[i]! - displayWidth(cell)))).join('  ')).join('\n') + '\n';
}

/** `newswatch fetch x | head` closes stdout early: stop quietly instead of crashing on EPIPE. */
export function quietOnClosedPipe(io: CliIo): void {
  io.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') return io.exit();
    throw e;
  });
}

function target(s: Source): string {
  return s.kind === 'rss' || s.kind === 'html' ? s.url : `"${s.query}"`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { config: { type: 'string', short: 'c' }, json: { type: 'boolean' } }, HELP);
  const file = values.config ?? DEFAULT_CONFIG_FILE;
  const config = loadConfig(file, io.cwd);
  const sources: readonly Source[] = config.sources;
  const pollMinutes = config.settings.pollMinutes;
  quietOnClosedPipe(io);
  if (values.json || !io.stdout.isTTY) {
    for (const s of sources) {
      io.stdout.write(
        `${JSON.stringify({ id: s.id, kind: s.kind, outlet: s.outlet, enabled: s.enabled, pollMinutes: s.pollMinutes ?? pollMinutes, target: target(s) })}\n`,
      );
    }
    return 0;
  }
  const rows = sources.map((s) => [s.id, s.kind, s.outlet, s.enabled ? 'yes' : 'no', `${s.pollMinutes ?? pollMinutes}m`, target(s)]);
  io.stdout.write(alignedTable(['ID', 'KIND', 'OUTLET', 'ON', 'POLL', 'URL / QUERY'], rows));
  const off = sources.filter((s) => !s.enabled).length;
  io.stdout.write(`\n${sources.length} sources (${sources.length - off} enabled) in ${file}\n`);
  return 0;
}
