import { inCwd, type CliIo } from '../io.ts';
import { readFileSync, writeFileSync } from 'node:fs';
import { parseCommandArgs } from '../args.ts';
import { configJsonSchema } from '../../shared/config/json-schema.ts';

const HELP = `Usage: newswatch schema [--write] [--check]

Prints the JSON Schema of newswatch.config.yaml, generated from the zod schema (editors
use it for completion through the yaml-language-server comment at the top of the file).
  --write   write it to newswatch.schema.json
  --check   exit 1 when newswatch.schema.json differs from the generated one
`;

const FILE = 'newswatch.schema.json';

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(args, { write: { type: 'boolean' }, check: { type: 'boolean' } }, HELP);
  const text = configJsonSchema();
  if (values.write) {
    writeFileSync(inCwd(io, FILE), text);
    io.stdout.write(`wrote ${FILE}\n`);
    return 0;
  }
  if (values.check) {
    let current = '';
    try {
      current = readFileSync(inCwd(io, FILE), 'utf8');
    } catch {
      /* missing counts as different */
    }
    if (current !== text) {
      io.stderr.write(`${FILE} is out of date: run \`npm run schema\`\n`);
      return 1;
    }
    io.stdout.write(`${FILE} is up to date\n`);
    return 0;
  }
  io.stdout.write(text);
  return 0;
}
