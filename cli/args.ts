// Command-line options through node:util parseArgs, with its errors said in our words
// (which option, what is wrong, a did-you-mean, where to look) instead of Node's codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearestKey } from '../shared/config/suggest.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** Thrown on --help / -h: main prints the command's help on stdout and exits 0. */
export class HelpRequested extends Error {
  override readonly name = 'HelpRequested';
  constructor(readonly help: string) {
    super('--help');
  }
}

type Options = NonNullable<ParseArgsConfig['options']>;
/** Every command takes --help / -h. */
const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * node:util parseArgs in strict mode, with --help / -h for every command: given, it throws
 * HelpRequested(help) (after the arguments parsed: a bad one is still a usage error).
 * Node's own errors pass through; main words them.
 */
export function parseCommandArgs<O extends Options>(args: string[], options: O, help: string, allowPositionals = false) {
  const parsed = parseArgs({ args, options: { ...options, ...HELP_OPTION }, allowPositionals, strict: true });
  // (values' type is not known inside this generic function: `help` is, from HELP_OPTION.)
  if ((parsed.values as { help?: boolean }).help) throw new HelpRequested(help);
  return parsed;
}

/** parseCommandArgs, its errors thrown as UsageError with a message for `newswatch <command>` (and a did-you-mean). */
export function parseOptions<O extends Options>(command: string, args: string[], options: O, help: string, allowPositionals = false) {
  try {
    return parseCommandArgs(args, options, help, allowPositionals);
  } catch (e) {
    if (e instanceof HelpRequested) throw e;
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    const seeHelp = `see \`newswatch ${command} --help\``;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'([^']+)'/.exec(message)?.[1] ?? '';
      const name = given.replace(/^-+/, '').split('=')[0] ?? '';
      const near = nearestKey(name, [...Object.keys(options), 'help']);
      throw new UsageError(`unknown option '${given}'${near ? ` (did you mean --${near}?)` : ''}; ${seeHelp}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') throw new UsageError(`${optionValueProblem(message)}; ${seeHelp}`);
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const given = /'([^']+)'/.exec(message)?.[1] ?? '';
      throw new UsageError(`unexpected argument '${given}'; ${seeHelp}`);
    }
    throw new UsageError(`${message}; ${seeHelp}`);
  }
}

/**
 * node:util's ERR_PARSE_ARGS_INVALID_OPTION_VALUE message in one line of ours. Node says
 * "argument missing" at the end of the line and "argument is ambiguous" (three lines) when
 * the next word starts with a dash (`--since -3d`, `--limit --json`): both lack a value.
 */
export function optionValueProblem(message: string): string {
  const name = /--([a-z-]+)/.exec(message)?.[1];
  if (!name) return message.split('\n')[0]!.replace(/\.$/, '');
  if (/does not take an argument/.test(message)) return `option --${name} takes no value`;
  return /ambiguous/.test(message) ? `option --${name} needs a value (one that starts with '-' is written --${name}=VALUE)` : `option --${name} needs a value`;
}

/** A positive whole number option, or a UsageError naming it. */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} "${value}" is not a positive whole number`);
  return n;
}
