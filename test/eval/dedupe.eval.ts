// `npm run eval`: pairwise precision and recall of the syndication clusterer on a labelled
// set of real Korean (and a few English) news articles, gathered from public news pages
// (each line keeps its source URL). One label = one story as a reader would count it:
// wire copies, trimmed copies, TV scripts and rewrites of one event share a label; the
// follow-up next day, another ministry's separate announcement and the same-template
// market report of another day each have their own.
//
// The articles' text is not redistributed: test/eval/data/syndication.jsonl holds, per
// article, the hashes of its normalised character shingles (k = 2..5) and of its
// normalised headline, which is all the clusterer reads. `--derive RAW.jsonl` rebuilds
// that file from gathered text ({id,label,url,outlet,publishedAt,title,body} per line).
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClusterer, createMemoryClusterIndex, DEFAULT_DEDUPE_OPTIONS, type DedupeOptions } from '../../shared/dedupe/index.ts';
import { dedupeText, hashString, normalisedTitle, shingleSet } from '../../shared/dedupe/text.ts';

const DATA = fileURLToPath(new URL('./data/syndication.jsonl', import.meta.url));
const SIZES = [2, 3, 4, 5];

interface Labelled {
  id: string;
  label: string;
  url: string;
  outlet: string;
  publishedAt: string;
  /** Hash of the normalised headline (equal headlines, equal hashes). */
  titleHash: string;
  /** Shingle size -> base64 of the sorted unique uint32 shingle hashes. */
  shingles: Record<string, string>;
}

function derive(rawFile: string): void {
  const out: string[] = [];
  for (const line of readFileSync(rawFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as { id: string; label: string; url: string; outlet: string; publishedAt: string; title: string; body: string };
    const text = dedupeText(`${r.title}\n${r.body}`);
    const shingles: Record<string, string> = {};
    for (const k of SIZES) shingles[k] = Buffer.from(shingleSet(text, k).buffer).toString('base64');
    const row: Labelled = {
      id: r.id,
      label: r.label,
      url: r.url,
      outlet: r.outlet,
      publishedAt: new Date(r.publishedAt).toISOString(),
      titleHash: hashString(normalisedTitle(r.title)).toString(36),
      shingles,
    };
    out.push(JSON.stringify(row));
  }
  writeFileSync(DATA, `${out.join('\n')}\n`);
  process.stdout.write(`wrote ${out.length} articles to ${DATA}\n`);
}

function load(): Labelled[] {
  return readFileSync(DATA, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled);
}

function decode(b64: string): Uint32Array {
  const buf = Buffer.from(b64, 'base64');
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Uint32Array(copy.buffer);
}

interface Score {
  precision: number;
  recall: number;
  f1: number;
  tp: number;
  fp: number;
  fn: number;
  clusters: number;
  wrongPairs: string[];
  missedPairs: string[];
}

/** Clusters the set in publication order (the pipeline's order) and scores every pair. */
async function score(rows: Labelled[], options: Partial<DedupeOptions>): Promise<Score> {
  const k = options.shingle ?? DEFAULT_DEDUPE_OPTIONS.shingle;
  const clusterer = createClusterer(createMemoryClusterIndex(), options);
  const ordered = [...rows].sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
  const cluster = new Map<string, string>();
  for (const r of ordered) {
    const a = await clusterer.assign({
      id: r.id,
      url: r.url,
      title: r.titleHash,
      body: '',
      outlet: r.outlet,
      publishedAt: r.publishedAt,
      shingles: decode(r.shingles[String(k)]!),
    });
    cluster.set(r.id, a.clusterId);
  }
  let tp = 0;
  let fp = 0;
  let fn = 0;
  const wrongPairs: string[] = [];
  const missedPairs: string[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i]!;
      const b = rows[j]!;
      const same = a.label === b.label;
      const together = cluster.get(a.id) === cluster.get(b.id);
      if (same && together) tp++;
      else if (!same && together) {
        fp++;
        wrongPairs.push(`${a.id} + ${b.id}`);
      } else if (same && !together) {
        fn++;
        missedPairs.push(`${a.id} / ${b.id}`);
      }
    }
  }
  const precision = tp + fp === 0 ? 1 : tp / (tp + fp);
  const recall = tp + fn === 0 ? 1 : tp / (tp + fn);
  const f1 = precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall);
  return { precision, recall, f1, tp, fp, fn, clusters: new Set(cluster.values()).size, wrongPairs, missedPairs };
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

async function main(): Promise<void> {
  const i = process.argv.indexOf('--derive');
  if (i >= 0) {
    derive(process.argv[i + 1] ?? 'test-artifacts/eval-raw/syndication-raw.jsonl');
    return;
  }
  const rows = load();
  const labels = new Map<string, number>();
  for (const r of rows) labels.set(r.label, (labels.get(r.label) ?? 0) + 1);
  const multi = [...labels.values()].filter((n) => n > 1).length;
  process.stdout.write(
    `dedupe eval: ${rows.length} articles, ${labels.size} stories (${multi} reported by several outlets, ${labels.size - multi} single)\n`,
  );

  const base = await score(rows, {});
  const o = DEFAULT_DEDUPE_OPTIONS;
  // LSH is randomised: which pairs become candidates depends on the MinHash permutation.
  // Averaging over a few permutations keeps one lucky or unlucky hash from steering choices.
  const SEEDS = [0, 1, 2, 3, 4];
  const averaged = async (options: Partial<DedupeOptions>) => {
    const all = await Promise.all(SEEDS.map((seed) => score(rows, { ...options, seed })));
    const mean = (f: (s: Score) => number) => all.reduce((n, s) => n + f(s), 0) / all.length;
    const range = (f: (s: Score) => number) => `${pct(Math.min(...all.map(f))).trim()}..${pct(Math.max(...all.map(f))).trim()}`;
    return { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1), recallRange: range((s) => s.recall), precisionRange: range((s) => s.precision) };
  };
  process.stdout.write(
    `\ndefault options (shingle ${o.shingle}, ${o.bands}x${o.rows} LSH, jaccard >= ${o.jaccard} or containment >= ${o.containment} within ${o.windowHours} h):\n` +
      `  pairwise precision ${pct(base.precision)}  recall ${pct(base.recall)}  F1 ${pct(base.f1)}  ` +
      `(tp ${base.tp}, fp ${base.fp}, fn ${base.fn}; ${base.clusters} clusters for ${labels.size} stories)\n`,
  );
  const avg = await averaged({});
  process.stdout.write(
    `  over ${SEEDS.length} MinHash permutations: precision ${pct(avg.precision)} (${avg.precisionRange})  recall ${pct(avg.recall)} (${avg.recallRange})  F1 ${pct(avg.f1)}\n`,
  );
  if (base.wrongPairs.length) process.stdout.write(`  wrongly merged: ${base.wrongPairs.slice(0, 12).join('; ')}\n`);
  if (base.missedPairs.length) process.stdout.write(`  missed (first 40 of ${base.missedPairs.length}): ${base.missedPairs.slice(0, 40).join('; ')}\n`);

  // The measurements behind the defaults: shingle size and verification thresholds.
  process.stdout.write(`\nsweep (shingle k, jaccard, containment), mean of ${SEEDS.length} permutations: precision recall F1\n`);
  for (const shingle of SIZES) {
    for (const [jaccard, containment] of [
      [0.15, 0.3],
      [0.18, 0.35],
      [0.2, 0.4],
      [0.25, 0.5],
      [0.3, 0.6],
      [0.4, 0.7],
    ] as const) {
      const s = await averaged({ shingle, jaccard, containment });
      process.stdout.write(`  k=${shingle} j>=${jaccard.toFixed(2)} c>=${containment.toFixed(2)}: ${pct(s.precision)} ${pct(s.recall)} ${pct(s.f1)}\n`);
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
