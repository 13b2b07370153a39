// Splits the pooled topic set (topics-pool.jsonl, the single source of truth) into
// topics-dev.jsonl and topics-test.jsonl by a hash, so nobody picks which items are held
// out: `npx tsx test/eval/data/split.ts`. Items that are copies or near-copies of one
// story (one wire story run by two outlets, the same lede re-headlined) are grouped first
// and the whole group goes to one split, so no text is in both. A group's hash is the
// FNV-1a of its smallest id; a singleton's is its own id's. test when hash % 10 < 4.
// Items added later as held-out data carry `"split": "test"`: their group goes to test
// whatever its hash, and the split refuses one that is a copy of an item already in dev
// (that text was tuned on).
// `--check` only verifies that the split files on disk match the pool.
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface Item {
  id: string;
  url: string;
  outlet: string;
  title: string;
  body: string;
  topics: string[];
  rule: string;
  /** Held out when added: test only, never tuned on. */
  split?: 'test';
}

const dir = fileURLToPath(new URL('./', import.meta.url));
const TOPICS = new Set(['sovereign_ai', 'gpu', 'deepseek']);

/** 32-bit FNV-1a over the UTF-8 bytes of s. */
export function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (const b of new TextEncoder().encode(s)) {
    h ^= b;
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** Letters and digits only, lower case: what survives re-headlining and re-punctuation. */
const norm = (s: string) => s.toLowerCase().replace(/[^\p{L}\p{N}]/gu, '');

/** The first sentence, or the first 60 characters, normalised. */
function lede(body: string): string {
  const first = body.split(/(?<=[.!?다])\s/u)[0] ?? body;
  return norm(first).slice(0, 60);
}

function trigrams(s: string): Set<string> {
  const t = norm(s);
  const out = new Set<string>();
  for (let i = 0; i + 3 <= t.length; i++) out.add(t.slice(i, i + 3));
  return out;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let inter = 0;
  for (const x of a) if (b.has(x)) inter++;
  return inter === 0 ? 0 : inter / (a.size + b.size - inter);
}

export function readPool(path: string): Item[] {
  const items: Item[] = [];
  const seen = new Set<string>();
  readFileSync(path, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const it = JSON.parse(line) as Item;
      const where = `${path}:${i + 1}`;
      for (const k of ['id', 'url', 'outlet', 'body', 'rule'] as const) {
        if (typeof it[k] !== 'string' || it[k] === '') throw new Error(`${where}: missing ${k}`);
      }
      if (typeof it.title !== 'string') throw new Error(`${where}: missing title`);
      if (!Array.isArray(it.topics) || it.topics.some((t) => !TOPICS.has(t))) {
        throw new Error(`${where}: topics must be a subset of ${[...TOPICS].join(', ')}`);
      }
      if (it.split !== undefined && it.split !== 'test') throw new Error(`${where}: split may only be "test"`);
      if (seen.has(it.id)) throw new Error(`${where}: duplicate id ${it.id}`);
      seen.add(it.id);
      items.push(it);
    });
  return items;
}

/** Length of a shared run of normalised text (letters and digits only) that marks two items as copies. */
const SHARED_RUN = 40;

/** Groups copies: same normalised title, same lede, any shared run of SHARED_RUN normalised
 * characters (one wire sentence re-run), or body trigram Jaccard >= 0.5. */
export function groups(items: Item[]): Map<string, string> {
  const parent = items.map((_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const union = (a: number, b: number) => {
    const ra = find(a);
    const rb = find(b);
    if (ra !== rb) parent[Math.max(ra, rb)] = Math.min(ra, rb);
  };
  const byKey = new Map<string, number>();
  items.forEach((it, i) => {
    const text = norm(it.body);
    const keys = [lede(it.body)];
    for (let k = 0; k + SHARED_RUN <= text.length; k += 1) keys.push(`r:${text.slice(k, k + SHARED_RUN)}`);
    if (norm(it.title).length >= 8) keys.push(`t:${norm(it.title)}`);
    for (const k of keys) {
      const j = byKey.get(k);
      if (j === undefined) byKey.set(k, i);
      else union(i, j);
    }
  });
  const grams = items.map((it) => trigrams(it.body));
  for (let i = 0; i < items.length; i++) {
    for (let j = i + 1; j < items.length; j++) {
      if (jaccard(grams[i]!, grams[j]!) >= 0.5) union(i, j);
    }
  }
  const members = new Map<number, string[]>();
  items.forEach((it, i) => {
    const r = find(i);
    members.set(r, [...(members.get(r) ?? []), it.id]);
  });
  const groupOf = new Map<string, string>();
  for (const ids of members.values()) {
    const key = [...ids].sort()[0]!;
    for (const id of ids) groupOf.set(id, key);
  }
  return groupOf;
}

export function split(items: Item[]): { dev: Item[]; test: Item[] } {
  const groupOf = groups(items);
  const pinned = new Map<string, string>();
  for (const it of items) if (it.split === 'test') pinned.set(groupOf.get(it.id)!, it.id);
  const dev: Item[] = [];
  const test: Item[] = [];
  for (const it of items) {
    const group = groupOf.get(it.id)!;
    const byHash = fnv1a(group) % 10 < 4;
    const heldOut = pinned.get(group);
    if (heldOut !== undefined && !byHash && it.split !== 'test') {
      throw new Error(`${heldOut} is held out but is a copy of ${it.id}, which is in dev (tuned on): drop it or pick another page`);
    }
    (byHash || heldOut !== undefined ? test : dev).push(it);
  }
  return { dev, test };
}

const toJsonl = (rows: Item[]) => rows.map((r) => JSON.stringify(r)).join('\n') + '\n';

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const items = readPool(`${dir}topics-pool.jsonl`);
  const { dev, test } = split(items);
  const out = { 'topics-dev.jsonl': toJsonl(dev), 'topics-test.jsonl': toJsonl(test) };
  if (process.argv.includes('--check')) {
    const stale = Object.entries(out).filter(([f, text]) => readFileSync(`${dir}${f}`, 'utf8') !== text);
    if (stale.length) {
      console.error(`out of date with topics-pool.jsonl: ${stale.map(([f]) => f).join(', ')}`);
      process.exitCode = 1;
    }
  } else {
    for (const [f, text] of Object.entries(out)) writeFileSync(`${dir}${f}`, text);
  }
  console.log(`pool ${items.length}: dev ${dev.length}, test ${test.length}`);
}
