// A config that does not load, printed the same by every command: each problem on its own line
// as FILE:LINE:COLUMN: key.path: what was expected (the shape editors and CI annotations jump
// to), then how many there are. `newswatch validate` prints exactly this too.
import type { ConfigError } from '../shared/config/load.ts';

export function configProblemsText(e: ConfigError): string {
  const files = [...new Set(e.problems.map((p) => p.file))].join(', ');
  return `${e.message}\n${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${files}\n`;
}
