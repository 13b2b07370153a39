// Load and validate newswatch.config.yaml once, at the edge. Everything after
// receives a typed, frozen Config. Every problem (YAML syntax and schema alike) is
// reported as FILE:LINE:COLUMN: key.path: what was expected, all at once.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { LineCounter, isMap, isNode, isPair, isScalar, parseDocument, type Document, type Node } from 'yaml';
import type { z } from 'zod';
import { deepFreeze } from '../deep-freeze.ts';
import { configSchema, crossSectionIssues, type Config } from './schema/index.ts';
import { nearestKey } from './suggest.ts';

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

/** One problem as one line: FILE:LINE:COLUMN: key.path: message. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}:${p.column ?? 1}` : p.file;
  return `${where}: ${p.path ? p.path + ': ' : ''}${p.message}`;
}

type Key = string | number;

/** Parse and validate config text; throws ConfigError listing every problem. */
export function parseConfig(text: string, file: string): Config {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new ConfigError(
      doc.errors.map((e) => {
        const pos = lineCounter.linePos(e.pos[0]);
        return { file, line: pos.line, column: pos.col, path: '', message: `YAML syntax: ${firstLine(e.message)}` };
      }),
    );
  }
  const raw: unknown = doc.toJS({ maxAliasCount: 100 });
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    // zod skips the cross-section refinement once a section fails: run it on what is there,
    // so one pass reports every problem (a refinement that did run is not reported twice).
    const issues: z.core.$ZodIssue[] = [...result.error.issues];
    const seen = new Set(issues.map((i) => `${i.path.join('.')}\u0000${i.message}`));
    for (const c of crossSectionIssues(raw)) {
      if (seen.has(`${c.path.join('.')}\u0000${c.message}`)) continue;
      issues.push({ code: 'custom', path: c.path, message: c.message, input: undefined } as z.core.$ZodIssue);
    }
    const problems = issues.flatMap((issue) => describeIssue(issue, doc, lineCounter, raw, file));
    problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0));
    throw new ConfigError(problems);
  }
  return deepFreeze(result.data);
}

/**
 * Read and validate a config file. A relative `file` is read from `cwd` (a command run
 * in-process has its own; default the process's) and named in messages as given.
 */
export function loadConfig(file: string = DEFAULT_CONFIG_FILE, cwd?: string): Config {
  const path = cwd === undefined ? file : resolve(cwd, file);
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const why = (e as Error).message.replace(`'${path}'`, `'${file}'`);
    throw new ConfigError([{ file, path: '', message: `cannot read the config file (${why})` }]);
  }
  return parseConfig(text, file);
}

function describeIssue(issue: z.core.$ZodIssue, doc: Document, lines: LineCounter, raw: unknown, file: string): ConfigProblem[] {
  const path = issue.path.filter((k): k is Key => typeof k !== 'symbol');
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(configSchema, path, raw);
    return issue.keys.map((key) => {
      const at = keyOffset(doc, path, key) ?? nodeOffset(doc, path);
      const hint = unknownKeyHint(key, allowed);
      return { file, ...position(lines, at), path: dotted([...path, key]), message: `unknown key \`${key}\`${hint}` };
    });
  }
  if (issue.code === 'invalid_key') {
    // A bad mapping key (a topic id): point at the key and say what an id looks like.
    const key = String(path[path.length - 1]);
    const at = keyOffset(doc, path.slice(0, -1), key) ?? nodeOffset(doc, path);
    const why = issue.issues[0]?.message ?? 'a different key';
    return [{ file, ...position(lines, at), path: dotted(path), message: `expected ${why}, got "${key}"` }];
  }
  const found = nodeOffset(doc, path);
  const missing = issue.code === 'invalid_type' && valueAt(raw, path) === undefined;
  const value = valueAt(raw, path);
  // A string that does not match its pattern (a source id): say what was written too.
  const pattern = issue.code === 'invalid_format' && issue.format === 'regex' && typeof value === 'string';
  const message = missing ? `missing required key; ${expectedOf(issue)}` : pattern ? `expected ${issue.message}, got ${JSON.stringify(value)}` : explain(issue);
  return [{ file, ...position(lines, found), path: dotted(path), message }];
}

function explain(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return `expected ${issue.expected}, got ${describeReceived(issue)}`;
    case 'invalid_value':
      return `expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}`;
    case 'invalid_union':
      if ('options' in issue && Array.isArray(issue.options)) {
        return `expected one of ${(issue.options as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      }
      return `expected ${unionExpectations(issue)}`;
    case 'invalid_format':
      return issue.format === 'url' ? 'expected a URL such as https://example.com/feed' : issue.message;
    default:
      return issue.message;
  }
}

function describeReceived(issue: z.core.$ZodIssue): string {
  const m = /received (\w+)/.exec(issue.message);
  return m?.[1] ?? 'something else';
}

function expectedOf(issue: z.core.$ZodIssue): string {
  return issue.code === 'invalid_type' ? `expected ${issue.expected}` : issue.message;
}

function unionExpectations(issue: z.core.$ZodIssue & { code: 'invalid_union' }): string {
  const kinds = issue.errors.flatMap((branch) =>
    branch.filter((i) => i.path.length === 0 && i.code === 'invalid_type').map((i) => (i.code === 'invalid_type' ? i.expected : '')),
  );
  const unique = [...new Set(kinds.filter(Boolean).map((k) => (k === 'object' ? 'a mapping' : `a ${k}`)))];
  return unique.length > 0 ? unique.join(' or ') : 'a different value';
}

function unknownKeyHint(key: string, allowed: string[]): string {
  const near = nearestKey(key, allowed);
  if (near) return `; did you mean \`${near}\`?`;
  if (key === 'keywords' && allowed.includes('strong')) return '; put terms under `strong` (decide alone) or `weak` (need company)';
  return allowed.length > 0 ? `; allowed here: ${allowed.map((k) => `\`${k}\``).join(', ')}` : '';
}

/** Keys the schema accepts for the object at `path` (walks zod 4 internals: objects, records, arrays, wrappers, unions). */
function allowedKeys(schema: z.ZodType, path: Key[], raw: unknown): string[] {
  const keys = new Set<string>();
  const visit = (s: z.core.$ZodType, rest: Key[], value: unknown): void => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case 'default':
      case 'prefault':
      case 'optional':
      case 'nullable':
      case 'readonly':
      case 'catch':
        return visit(def.innerType as z.core.$ZodType, rest, value);
      case 'pipe':
        return visit(def.in as z.core.$ZodType, rest, value);
      case 'union': {
        const options = def.options as z.core.$ZodType[];
        const disc = def.discriminator as string | undefined;
        for (const o of options) {
          if (disc !== undefined && rest.length === 0 && !discriminatorMatches(o, disc, value)) continue;
          visit(o, rest, value);
        }
        return;
      }
      case 'object': {
        const shape = def.shape as Record<string, z.core.$ZodType>;
        const [head, ...tail] = rest;
        if (head === undefined) {
          for (const k of Object.keys(shape)) keys.add(k);
          return;
        }
        const child = shape[String(head)];
        if (child) visit(child, tail, valueAt(value, [head]));
        return;
      }
      case 'record': {
        const [head, ...tail] = rest;
        if (head !== undefined) visit(def.valueType as z.core.$ZodType, tail, valueAt(value, [head]));
        return;
      }
      case 'array': {
        const [head, ...tail] = rest;
        if (head !== undefined) visit(def.element as z.core.$ZodType, tail, valueAt(value, [head]));
        return;
      }
      default:
        return;
    }
  };
  visit(schema, path, raw);
  return [...keys];
}

function discriminatorMatches(option: z.core.$ZodType, disc: string, value: unknown): boolean {
  const def = option._zod.def as unknown as { type: string; shape?: Record<string, z.core.$ZodType> };
  const field = def.shape?.[disc];
  if (!field || value === null || typeof value !== 'object') return true;
  const values = (field._zod as { values?: Set<unknown> }).values;
  return values === undefined || values.has((value as Record<string, unknown>)[disc]);
}

function valueAt(value: unknown, path: Key[]): unknown {
  let v = value;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string, unknown>)[k as string];
  }
  return v;
}

/** Offset of the deepest existing YAML node along `path` (a missing key points at its parent mapping). */
function nodeOffset(doc: Document, path: Key[]): number | undefined {
  for (let n = path.length; n >= 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    if (isNode(node) && node.range) return (node as Node).range![0];
  }
  return doc.contents?.range?.[0];
}

function keyOffset(doc: Document, path: Key[], key: string): number | undefined {
  const parent = path.length === 0 ? doc.contents : doc.getIn(path, true);
  if (!isMap(parent)) return undefined;
  for (const item of parent.items) {
    if (isPair(item) && isScalar(item.key) && String(item.key.value) === key) return item.key.range?.[0];
  }
  return undefined;
}

function position(lines: LineCounter, offset: number | undefined): { line?: number; column?: number } {
  if (offset === undefined) return { line: 1, column: 1 };
  const pos = lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function dotted(path: Key[]): string {
  return path.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');
}

function firstLine(message: string): string {
  return message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
}
