// The core/adapter rule (docs/architecture.md#layout), checked on the code itself: no file in
// shared/ imports an AWS SDK, Powertools, or the layers built around the core. Biome's
// noRestrictedImports (biome.jsonc) says the same at lint time; this test also covers
// dynamic import() and keeps holding if the lint config is edited.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OUTER_LAYERS = ['adapters', 'functions', 'cli', 'infra', 'test', 'bin'];

function tsFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return tsFiles(path);
    return e.name.endsWith('.ts') ? [path] : [];
  });
}

/** Module specifiers of static imports, re-exports and dynamic import() calls. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  for (const m of source.matchAll(/(?:\bfrom\s*|\bimport\s*\(\s*|^\s*import\s+)(['"])([^'"]+)\1/gm)) found.push(m[2]!);
  return found;
}

/** Why a core file may not import this specifier, or undefined when it may. */
function violation(file: string, spec: string): string | undefined {
  if (spec.startsWith('@aws-sdk/')) return 'an AWS SDK client';
  if (spec.startsWith('@aws-lambda-powertools/')) return 'Powertools';
  if (!spec.startsWith('.')) return undefined;
  const top = relative(ROOT, resolve(dirname(file), spec)).split(/[\\/]/)[0]!;
  return OUTER_LAYERS.includes(top) ? `${top}/, a layer outside the core` : undefined;
}

describe('the pure core (shared/)', () => {
  it('finds the imports the check relies on', () => {
    const sample = `import { a } from '@aws-sdk/client-ses';\nimport type { B } from "../../adapters/x.ts";\nexport { c } from './c.ts';\nconst d = await import('@aws-lambda-powertools/logger');\nimport './side-effect.ts';`;
    expect(importsOf(sample)).toEqual(['@aws-sdk/client-ses', '../../adapters/x.ts', './c.ts', '@aws-lambda-powertools/logger', './side-effect.ts']);
    const file = join(ROOT, 'shared/deliver/digest.ts');
    expect(importsOf(sample).map((s) => violation(file, s))).toEqual([
      'an AWS SDK client',
      'adapters/, a layer outside the core',
      undefined,
      'Powertools',
      undefined,
    ]);
  });

  it('imports no AWS SDK, no Powertools and nothing from adapters/, functions/, cli/ or infra/', () => {
    const files = tsFiles(join(ROOT, 'shared'));
    expect(files.length).toBeGreaterThan(50);
    const found = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8')).flatMap((spec) => {
        const why = violation(file, spec);
        return why ? [`${relative(ROOT, file)} imports '${spec}' (${why})`] : [];
      }),
    );
    expect(found).toEqual([]);
  });
});

describe('the CDK app (infra/)', () => {
  it('imports no Lambda code: what it shares with the functions (the table layout, which secrets each reads) is in shared/ or adapters/', () => {
    const files = tsFiles(join(ROOT, 'infra'));
    expect(files.length).toBeGreaterThan(5);
    const found = files.flatMap((file) =>
      importsOf(readFileSync(file, 'utf8')).flatMap((spec) => {
        if (!spec.startsWith('.')) return [];
        const top = relative(ROOT, resolve(dirname(file), spec)).split(/[\\/]/)[0]!;
        return top === 'functions' || top === 'cli' ? [`${relative(ROOT, file)} imports '${spec}'`] : [];
      }),
    );
    expect(found).toEqual([]);
  });
});
