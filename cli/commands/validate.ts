import type { CliIo } from '../io.ts';
import { parseCommandArgs, UsageError } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';

const HELP = `Usage: newswatch validate [FILE]

Check a newswatch config file (default: ${DEFAULT_CONFIG_FILE}).
Exits 0 when it is valid; otherwise prints every problem as FILE:LINE:COLUMN and exits 1.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, HELP, true);
  // One file: `validate a.yaml b.yaml` must not print "ok" for a alone as if both were checked.
  if (positionals.length > 1) throw new UsageError(`one file at a time: unexpected argument '${positionals[1]}'; see \`newswatch validate --help\``);
  const file = positionals[0] ?? DEFAULT_CONFIG_FILE;
  // A problem throws ConfigError: cli/main.ts prints it, every problem with its line, and exits 1.
  const config = loadConfig(file, io.cwd);
  const topics = Object.keys(config.topics).length;
  io.stdout.write(`${file}: ok (${topics} topics, ${config.sources.length} sources)\n`);
  return 0;
}
