#!/usr/bin/env -S npx tsx
// The newswatch command line: one module per command under cli/commands/. main() runs one
// command line against a CliIo (streams, env, cwd): the process's own when this file or
// bin/newswatch.js is run, in-memory streams when a test calls it in-process.
import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { HelpRequested, optionValueProblem, UsageError } from './args.ts';
import { commands, usage } from './commands.ts';
import { configProblemsText } from './config-problems.ts';
import { nearestKey } from '../shared/config/suggest.ts';
import { processIo, type CliIo } from './io.ts';
import { guardTerminal } from './print.ts';
import { tuneJitForBursts } from './jit-budget.ts';

/** Runs `newswatch ...argv` against `io`; resolves to the exit code (never rejects). */
export async function main(argv: string[], io: CliIo): Promise<number> {
  // Feed titles and server errors reach the terminal only without escape sequences.
  guardTerminal(io.stdout);
  guardTerminal(io.stderr);
  try {
    return await dispatch(argv, io);
  } catch (err) {
    io.stderr.write(`newswatch: ${err instanceof Error ? err.message : String(err)}\n`);
    return 1;
  }
}

async function dispatch(argv: string[], io: CliIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.stdout.write(usage());
    return name === undefined ? 2 : 0;
  }
  if (name === '--version' || name === '-v') {
    const { readFileSync } = await import('node:fs');
    const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
    io.stdout.write(`newswatch ${pkg.version}\n`);
    return 0;
  }
  const command = commands[name];
  if (!command) {
    const near = nearestKey(name, Object.keys(commands));
    io.stderr.write(`newswatch: unknown command '${name}'${near ? ` (did you mean \`newswatch ${near}\`?)` : ''}\n\n${usage()}`);
    return 2;
  }
  // `newswatch stories | head` closes stdout early: stop quietly instead of crashing on EPIPE.
  io.stdout.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code !== 'EPIPE') throw e;
    io.exit();
  });
  const mod = await command.load();
  try {
    return await mod.run(rest, io);
  } catch (e) {
    // --help / -h of any command (cli/args.ts parses every command's options).
    if (e instanceof HelpRequested) {
      io.stdout.write(e.help);
      return 0;
    }
    // A bad option value a command found (`run --interval 5x`): a usage error, exit 2.
    if (e instanceof UsageError) {
      io.stderr.write(`newswatch ${name}: ${e.message}\n`);
      return 2;
    }
    // A config that does not load, from any command: every problem with its line, as `validate` prints them.
    if (e instanceof Error && e.name === 'ConfigError') {
      const { ConfigError } = await import('../shared/config/load.ts');
      if (e instanceof ConfigError) {
        io.stderr.write(configProblemsText(e));
        return 1;
      }
    }
    // Commands that parse with parseCommandArgs: node:util parseArgs's errors, in our words.
    const code = (e as { code?: string } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      const message = (e as Error).message;
      const given = /'([^']+)'/.exec(message)?.[1];
      const what =
        code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION'
          ? `unknown option '${given ?? message}'`
          : code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL'
            ? `unexpected argument '${given ?? message}'`
            : code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
              ? optionValueProblem(message)
              : message.replace(/\.$/, '');
      io.stderr.write(`newswatch ${name}: ${what}; see \`newswatch ${name} --help\`\n`);
      return 2;
    }
    throw e;
  }
}

/** The command as a process: bin/newswatch.js, or this file run by tsx. */
export async function runProcess(): Promise<void> {
  // The SDK's notice that it will need Node 22 from 2027 is for us, not for the person
  // reading newswatch's output.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  tuneJitForBursts();
  process.exitCode = await main(process.argv.slice(2), processIo());
}

/** True when this module is the script node was started with (`tsx cli/main.ts`), not an import. */
function isScript(): boolean {
  const script = process.argv[1];
  if (script === undefined) return false;
  try {
    return realpathSync(script) === realpathSync(fileURLToPath(import.meta.url));
  } catch {
    return false;
  }
}

if (isScript()) void runProcess();
