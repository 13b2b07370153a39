#!/usr/bin/env -S npx tsx
// The newswatch command line: one module per command under cli/commands/.
import { commands, usage } from './commands.ts';
import { nearestKey } from '../shared/config/suggest.ts';
import { guardTerminal } from './print.ts';

// Feed titles and server errors reach the terminal only without escape sequences.
guardTerminal(process.stdout);
guardTerminal(process.stderr);

// The SDK's notice that it will need Node 22 from 2027 is for us, not for the person
// reading newswatch's output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    process.stdout.write(`newswatch ${pkg.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    const near = nearestKey(name, Object.keys(commands));
    process.stderr.write(`newswatch: unknown command '${name}'${near ? ` (did you mean \`newswatch ${near}\`?)` : ''}\n\n${usage()}`);
    return 2;
  }
  // `newswatch stories | head` closes stdout early: stop quietly instead of crashing on EPIPE.
  process.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    process.exit(process.exitCode ?? 0);
  });
  const mod = await command.load();
  try {
    return await mod.run(rest);
  } catch (e) {
    // Commands that call node:util parseArgs directly: its errors, in our words.
    const code = (e as { code?: string } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      const message = (e as Error).message;
      const given = /'([^']+)'/.exec(message)?.[1];
      const what =
        code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
          ? `unknown option '${given ?? message}'`
          : code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
            ? `unexpected argument '${given ?? message}'`
            : message.replace(/\.$/, '');
      process.stderr.write(`newswatch ${name}: ${what}; see \`newswatch ${name} --help\`\n`);
      return 2;
    }
    throw e;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`newswatch: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
