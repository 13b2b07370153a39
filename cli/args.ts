// Command-line options through node:util parseArgs, with its errors said in our words
// (which option, what is wrong, a did-you-mean, where to look) instead of Node's codes.
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { nearestKey } from '../shared/config/suggest.ts';

export class UsageError extends Error {
  override readonly name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs in strict mode; throws UsageError with a message for `newswatch <command>`. */
export function parseOptions<O extends Options>(command: string, args: string[], options: O, allowPositionals = false) {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    const code = (e as { code?: string }).code;
    const message = e instanceof Error ? e.message : String(e);
    const help = `see \`newswatch ${command} --help\``;
    if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION') {
      const given = /'([^']+)'/.exec(message)?.[1] ?? '';
      const name = given.replace(/^-+/, '').split('=')[0] ?? '';
      const near = nearestKey(name, Object.keys(options));
      throw new UsageError(`unknown option '${given}'${near ? ` (did you mean --${near}?)` : ''}; ${help}`);
    }
    if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
      const name = /--([a-z-]+)/.exec(message)?.[1];
      throw new UsageError(name ? `option --${name} ${/argument missing/.test(message) ? 'needs a value' : 'takes no value'}; ${help}` : `${message}; ${help}`);
    }
    if (code === 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL') {
      const given = /'([^']+)'/.exec(message)?.[1] ?? '';
      throw new UsageError(`unexpected argument '${given}'; ${help}`);
    }
    throw new UsageError(`${message}; ${help}`);
  }
}

/** A positive whole number option, or a UsageError naming it. */
export function positiveInt(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--${name} "${value}" is not a positive whole number`);
  return n;
}
