import type { CliIo } from '../io.ts';
import { parseCommandArgs } from '../args.ts';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';

const HELP = `Usage: newswatch validate [FILE]

Check a newswatch config file (default: ${DEFAULT_CONFIG_FILE}).
Exits 0 when it is valid; otherwise prints every problem as FILE:LINE:COLUMN and exits 1.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { positionals } = parseCommandArgs(args, {}, HELP, true);
  const file = positionals[0] ?? DEFAULT_CONFIG_FILE;
  try {
    const config = loadConfig(file, io.cwd);
    const topics = Object.keys(config.topics).length;
    io.stdout.write(`${file}: ok (${topics} topics, ${config.sources.length} sources)\n`);
    return 0;
  } catch (e) {
    if (e instanceof ConfigError) {
      io.stderr.write(`${e.message}\n${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${file}\n`);
      return 1;
    }
    throw e;
  }
}
