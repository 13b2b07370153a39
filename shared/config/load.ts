// Load and validate newswatch.config.yaml once, at the edge. Everything after
// receives a typed, frozen Config.
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { configSchema, type Config } from './schema/index.ts';

export const DEFAULT_CONFIG_FILE = 'newswatch.config.yaml';

export interface ConfigProblem {
  file: string;
  line?: number;
  column?: number;
  /** Dotted key path, e.g. topics.gpu.strong[2] */
  path: string;
  message: string;
}

export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

export function formatProblem(p: ConfigProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.path ? p.path + ': ' : ''}${p.message}`;
}

/** Parse and validate config text; throws ConfigError listing every problem. */
export function parseConfig(text: string, file: string): Config {
  const raw: unknown = parse(text);
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((i) => ({ file, path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return deepFreeze(result.data);
}

/** Read and validate a config file. */
export function loadConfig(file: string = DEFAULT_CONFIG_FILE): Config {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new ConfigError([{ file, path: '', message: `cannot read the config file (${(e as Error).message})` }]);
  }
  return parseConfig(text, file);
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}
