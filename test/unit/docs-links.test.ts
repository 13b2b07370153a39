// The links between README.md and docs/*.md resolve: the file exists and, for `file.md#anchor`
// or `#anchor`, a heading of that file has that anchor (GitHub's slugs, through github-slugger,
// the package GitHub's own renderer follows).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import GithubSlugger from 'github-slugger';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const PAGES = [
  'README.md',
  ...readdirSync(join(ROOT, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .map((f) => `docs/${f}`),
];

/** The text outside fenced code blocks: a `](x)` inside one is code, not a link. */
const prose = (text: string): string => text.replace(/^```[\s\S]*?^```/gm, '');

const anchorsOf = new Map<string, Set<string>>();
function anchors(file: string): Set<string> {
  let set = anchorsOf.get(file);
  if (!set) {
    const slugger = new GithubSlugger();
    set = new Set([...prose(readFileSync(file, 'utf8')).matchAll(/^#{1,6}\s+(.+?)\s*#*\s*$/gm)].map((m) => slugger.slug(m[1]!.replace(/`/g, ''))));
    anchorsOf.set(file, set);
  }
  return set;
}

/** Every relative link of a page, as [target file, anchor or undefined]. */
function links(page: string): { text: string; file: string; anchor?: string }[] {
  const out: { text: string; file: string; anchor?: string }[] = [];
  for (const m of prose(readFileSync(join(ROOT, page), 'utf8')).matchAll(/\]\(([^)\s]+)\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/i.test(target)) continue; // https:, mailto:
    const [path, anchor] = target.split('#') as [string, string | undefined];
    const file = path === '' ? join(ROOT, page) : resolve(dirname(join(ROOT, page)), decodeURI(path));
    out.push({ text: target, file, ...(anchor !== undefined ? { anchor: decodeURIComponent(anchor) } : {}) });
  }
  return out;
}

describe('links between the README and the docs', () => {
  it('finds the pages and their links', () => {
    expect(PAGES).toContain('docs/benchmarks.md');
    expect(PAGES.flatMap(links).filter((l) => l.anchor !== undefined).length).toBeGreaterThan(100);
  });

  it.each(PAGES)('%s: every relative link reaches its file and heading', (page) => {
    const broken = links(page)
      .filter((l) => !existsSync(l.file) || (l.anchor !== undefined && l.file.endsWith('.md') && !anchors(l.file).has(l.anchor)))
      .map((l) => `${l.text} (${relative(ROOT, l.file)})`);
    expect(broken).toEqual([]);
  });
});
