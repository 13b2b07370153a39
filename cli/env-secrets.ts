// The CLI's secret resolver: a secret reference's `env` names an environment variable.
// The error names the variable and what needs it, never a value.
import type { SecretResolver } from '../shared/config/secrets.ts';
import type { Env } from './io.ts';

export class MissingSecretError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MissingSecretError';
  }
}

/** Resolve `ref.env` from `env` (a command's environment; default the process's). */
export function envSecrets(env: Env = process.env): SecretResolver {
  return async (ref, what) => {
    if (!ref.env) {
      throw new MissingSecretError(
        `${what}: the config names only Secrets Manager secret ${ref.secret ?? '(none)'}; locally add \`env: SOME_VARIABLE\` to the reference and set that variable`,
      );
    }
    const value = env[ref.env];
    if (value === undefined || value.trim() === '') {
      throw new MissingSecretError(`${what}: environment variable ${ref.env} is not set`);
    }
    return value.trim();
  };
}
