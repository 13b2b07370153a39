// `npm run eval`: the syndication clusterer on labelled real Korean news (test/eval/data/
// syndication.md says how they were gathered and labelled), in two levels:
//   copies  - pairs predicted in one cluster vs pairs labelled with one `story` (one alert);
//   related - pairs predicted in one event (one cluster, or clusters linked as related
//             coverage) vs pairs labelled with one `event`.
// Pairwise precision and recall for the dev split (tune on it) and the test split (don't),
// each with publication times (the articles whose page showed one) and without any (every
// article, all at one instant: times are what keeps the same template of another day apart).
// Articles of one time arrive in id order, and again in 20 seeded shuffled orders whose mean and
// range are printed too (a poller meets them in whatever order the feeds answer); the dev
// sweeps at the end use the id order.
//
// The articles' text is not redistributed: each line keeps the article's URL, outlet, labels,
// publication time and the hashes the clusterer reads (vocabulary bigrams of the normalised
// text; 1-in-2 sampled 6-character shingles of its narrative, whole and per sentence; a hash of
// the normalised headline).
// `--derive RAW.jsonl` rebuilds both files from gathered text ({id,story,event,url,outlet,
// publishedAt,title,text} per line); the split is by a hash of the event id.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createClusterer, createMemoryClusterIndex, DEFAULT_DEDUPE_OPTIONS, type DedupeOptions } from '../../shared/dedupe/index.ts';
import { fingerprintSets, sharedSentences } from '../../shared/dedupe/similarity.ts';
import { hashString, normalisedTitle, overlap, type SentenceShingles } from '../../shared/dedupe/text.ts';
import { type ArticleLabels, ONE_INSTANT, type PairScore, pairScore, pct, type RawArticle, SPLITS, splitOf, timeOf, unionFind } from './syndication-scoring.ts';

const dataFile = (split: string) => fileURLToPath(new URL(`./data/syndication-${split}.jsonl`, import.meta.url));
/** Copy shingles are stored 1-in-2 sampled; the clusterer's copySample (a multiple) subsamples them. */
const STORED_SAMPLE = 2;

interface Labelled extends ArticleLabels {
  /** Hash of the normalised headline ('' when the page showed none): equal headlines, equal hashes. */
  titleHash: string;
  /** base64 of the sorted unique uint32 hashes. */
  shingles: string;
  copy: string;
  /** base64 uint32s, per narrative sentence: its length in characters, its number of sampled shingles, their hashes. */
  sentences: string;
}

const b64 = (h: Uint32Array) => Buffer.from(h.buffer, h.byteOffset, h.byteLength).toString('base64');

function derive(rawFile: string): void {
  const o = { ...DEFAULT_DEDUPE_OPTIONS, copySample: STORED_SAMPLE };
  const out: Record<string, string[]> = { dev: [], test: [] };
  for (const line of readFileSync(rawFile, 'utf8').split('\n')) {
    if (!line.trim()) continue;
    const r = JSON.parse(line) as RawArticle;
    const sets = fingerprintSets(r.title, r.text, o);
    const title = normalisedTitle(r.title);
    // Two hashes for a headline long enough to be a cross-outlet key (see probeOf), one otherwise.
    const h = hashString(title).toString(36).padStart(7, '0');
    const sentences: number[] = [];
    for (let i = 0; i < sets.sentences.chars.length; i++) {
      const part = sets.sentences.hashes.subarray(sets.sentences.starts[i], sets.sentences.starts[i + 1]);
      sentences.push(sets.sentences.chars[i]!, part.length, ...part);
    }
    const row: Labelled = {
      id: r.id,
      story: r.story,
      event: r.event,
      url: r.url,
      outlet: r.outlet,
      publishedAt: r.publishedAt,
      titleHash: !title ? '' : title.length >= 10 ? `${h}${hashString(`${title}\u0001`).toString(36).padStart(7, '0')}` : h,
      shingles: b64(sets.shingles),
      copy: b64(sets.copy),
      sentences: b64(Uint32Array.from(sentences)),
    };
    out[splitOf(r.event)]!.push(JSON.stringify(row));
  }
  for (const split of SPLITS) {
    writeFileSync(dataFile(split), `${out[split]!.join('\n')}\n`);
    process.stdout.write(`wrote ${out[split]!.length} articles to ${dataFile(split)}\n`);
  }
}

/** The stored per-sentence shingles, subsampled to the clusterer's copySample like the copy set. */
function sentencesOf(stored: string, mask: number): SentenceShingles {
  const seq = decode(stored);
  const hashes: number[] = [];
  const starts: number[] = [0];
  const chars: number[] = [];
  for (let i = 0; i < seq.length; ) {
    const n = seq[i + 1]!;
    for (const x of seq.subarray(i + 2, i + 2 + n)) if ((x & mask) === 0) hashes.push(x);
    starts.push(hashes.length);
    chars.push(seq[i]!);
    i += 2 + n;
  }
  return { hashes: Uint32Array.from(hashes), starts: Uint32Array.from(starts), chars: Uint32Array.from(chars) };
}

function load(split: string): Labelled[] {
  return readFileSync(dataFile(split), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Labelled);
}

function decode(b: string): Uint32Array {
  const buf = Buffer.from(b, 'base64');
  const copy = new Uint8Array(buf.byteLength);
  copy.set(buf);
  return new Uint32Array(copy.buffer);
}

interface Result {
  copies: PairScore;
  related: PairScore;
  /** Each article's cluster. */
  cluster: ReadonlyMap<string, string>;
  clusters: number;
  wrongCopies: string[];
  missedCopies: string[];
}

/**
 * Clusters the split in publication order (the pipeline's order) and scores both levels.
 * Articles of one time (a page that shows only the date; every article without times) arrive
 * by id, or with `order` > 0 in a shuffled order of that seed: a poller meets them in whatever
 * order the feeds answer.
 */
async function score(rows: Labelled[], options: Partial<DedupeOptions>, withTimes: boolean, order = 0): Promise<Result> {
  const o = { ...DEFAULT_DEDUPE_OPTIONS, ...options };
  const mask = o.copySample - 1;
  const clusterer = createClusterer(createMemoryClusterIndex(), options);
  const at = (r: Labelled) => (withTimes && r.publishedAt ? timeOf(r.publishedAt) : ONE_INSTANT);
  const tie = order > 0 ? shuffled(rows, order) : undefined;
  const ordered = [...rows].sort((a, b) => at(a).localeCompare(at(b)) || (tie ? tie.get(a.id)! - tie.get(b.id)! : a.id.localeCompare(b.id)));
  const cluster = new Map<string, string>();
  // Events as predicted: union of clusters linked as related coverage.
  const events = unionFind();
  for (const r of ordered) {
    const copy = decode(r.copy).filter((h) => (h & mask) === 0); // the clusterer's sample of the stored one
    const a = await clusterer.assign({
      id: r.id,
      url: r.url,
      title: r.titleHash,
      body: '',
      outlet: r.outlet,
      publishedAt: at(r),
      sets: { shingles: decode(r.shingles), copy, sentences: sentencesOf(r.sentences, mask) },
    });
    cluster.set(r.id, a.clusterId);
    for (const other of a.related ?? []) events.join(a.clusterId, other);
  }
  const wrongCopies: string[] = [];
  const missedCopies: string[] = [];
  return {
    copies: pairScore(
      rows,
      (r) => r.story,
      (r) => cluster.get(r.id)!,
      wrongCopies,
      missedCopies,
    ),
    related: pairScore(
      rows,
      (r) => r.event,
      (r) => events.find(cluster.get(r.id)!),
    ),
    cluster,
    clusters: new Set(cluster.values()).size,
    wrongCopies,
    missedCopies,
  };
}

/** A place for each row in a shuffled order (a seeded LCG: the same seed, the same order). */
function shuffled(rows: readonly Labelled[], seed: number): Map<string, number> {
  let x = seed;
  const rand = () => (x = (x * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  return new Map(rows.map((r) => [r.id, rand()]));
}

/** How many shuffled arrival orders each split and mode is also scored in. */
const ORDERS = 20;

interface Spread {
  mean: number;
  min: number;
  max: number;
}
type LevelSpread = Record<'precision' | 'recall', Spread>;

/** Copies and related precision and recall over ORDERS arrival orders: the mean, and the range. */
async function overOrders(rows: Labelled[], options: Partial<DedupeOptions>, withTimes: boolean): Promise<Record<'copies' | 'related', LevelSpread>> {
  const runs: Result[] = [];
  for (let seed = 1; seed <= ORDERS; seed++) runs.push(await score(rows, options, withTimes, seed));
  const spread = (pick: (r: Result) => number): Spread => {
    const xs = runs.map(pick).filter(Number.isFinite);
    return { mean: xs.reduce((a, b) => a + b, 0) / xs.length, min: Math.min(...xs), max: Math.max(...xs) };
  };
  const level = (of: (r: Result) => PairScore): LevelSpread => ({ precision: spread((r) => of(r).precision), recall: spread((r) => of(r).recall) });
  return { copies: level((r) => r.copies), related: level((r) => r.related) };
}

const spreadLine = (s: LevelSpread) =>
  `P ${pct(s.precision.mean)} (${pct(s.precision.min).trim()}-${pct(s.precision.max).trim()}) R ${pct(s.recall.mean)} (${pct(s.recall.min).trim()}-${pct(s.recall.max).trim()})`;

/** A line of syndication-audit.jsonl: the two labellers' stories for one article (ids are each labeller's own). */
interface Audit {
  id: string;
  first: string;
  second: string;
}

/**
 * How reliable the copy labels are: a second labeller grouped the articles of every event with
 * two or more articles into stories blind (syndication-audit.jsonl keeps both labellings).
 * Prints the two labellers' agreement on the copy pairs within an event, and the clusterer
 * scored against the first, the second and the set's labels (the settled ones), pooled over
 * the id order and ORDERS shuffled ones.
 */
async function secondLabeller(split: string, dev: Labelled[]): Promise<void> {
  if (!existsSync(dataFile('audit'))) return;
  const labels = new Map((load('audit') as unknown as Audit[]).map((r) => [r.id, r]));
  const audited = dev.filter((r) => labels.has(r.id));
  if (audited.length === 0) return;
  // Scoped by event, so a pair across events is "not a copy" to both, whatever the ids.
  const first = (r: Labelled) => `${r.event}\u0000${labels.get(r.id)!.first}`;
  const second = (r: Labelled) => `${r.event}\u0000${labels.get(r.id)!.second}`;
  // Agreement over the pairs within one event: the second labelling scored as a prediction of the first.
  const { tp: both, fn: firstOnly, fp: secondOnly } = pairScore(audited, first, second);
  const perEvent = new Map<string, number>();
  for (const r of audited) perEvent.set(r.event, (perEvent.get(r.event) ?? 0) + 1);
  const sameEvent = [...perEvent.values()].reduce((n, k) => n + (k * (k - 1)) / 2, 0);
  const neither = sameEvent - both - firstOnly - secondOnly;
  const n = both + firstOnly + secondOnly + neither;
  const observed = (both + neither) / n;
  const chance = ((both + firstOnly) * (both + secondOnly) + (secondOnly + neither) * (firstOnly + neither)) / (n * n);
  process.stdout.write(
    `\nsecond labeller, ${audited.length} ${split} articles of ${new Set(audited.map((r) => r.event)).size} events: of ${n} same-event pairs, copies ${both + firstOnly} to the first, ${both + secondOnly} to the second, ${both} to both (Cohen's kappa ${((observed - chance) / (1 - chance)).toFixed(2)})\n`,
  );
  const against = [first, second, (r: Labelled) => r.story];
  for (const withTimes of [true, false]) {
    const rows = withTimes ? dev.filter((x) => x.publishedAt) : dev;
    const scored = rows.filter((r) => labels.has(r.id));
    const sums = against.map(() => ({ tp: 0, fp: 0, fn: 0 }));
    for (let order = 0; order <= ORDERS; order++) {
      const { cluster } = await score(rows, {}, withTimes, order);
      for (const [k, label] of against.entries()) {
        const s = pairScore(scored, label, (r) => cluster.get(r.id)!);
        sums[k]!.tp += s.tp;
        sums[k]!.fp += s.fp;
        sums[k]!.fn += s.fn;
      }
    }
    const fig = ({ tp, fp, fn }: { tp: number; fp: number; fn: number }) => `P ${pct(tp / (tp + fp))} R ${pct(tp / (tp + fn))}`;
    process.stdout.write(
      `  ${withTimes ? `with times (${scored.length})` : `without times (${scored.length})`}, the clusterer pooled over ${ORDERS + 1} orders: ` +
        `against the first ${fig(sums[0]!)}, the second ${fig(sums[1]!)}, the set's labels ${fig(sums[2]!)}\n`,
    );
  }
}

/** A same-event pair's signals, from the stored hashes: what the clusterer reads. */
interface PairSignals {
  event: string;
  copy: boolean;
  /** 6-character shingle containment (narrative), bigram Jaccard (whole text), shared sentences (either way). */
  x: [number, number, number];
}

const SIGNALS = ['shingle containment', 'bigram Jaccard', 'shared sentences'] as const;

function pairSignals(rows: Labelled[]): PairSignals[] {
  const o = DEFAULT_DEDUPE_OPTIONS;
  const mask = o.copySample - 1;
  const sets = new Map(
    rows.map((r) => [r.id, { copy: decode(r.copy).filter((h) => (h & mask) === 0), shingles: decode(r.shingles), sentences: sentencesOf(r.sentences, mask) }]),
  );
  const out: PairSignals[] = [];
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i]!;
      const b = rows[j]!;
      if (a.event !== b.event) continue;
      const x = sets.get(a.id)!;
      const y = sets.get(b.id)!;
      const shared = Math.max(sharedSentences(x.sentences, y.copy, o), sharedSentences(y.sentences, x.copy, o));
      out.push({
        event: a.event,
        copy: a.story === b.story,
        x: [overlap(x.copy, y.copy).containment, overlap(x.shingles, y.shingles).jaccard, Math.min(1, shared)],
      });
    }
  }
  return out;
}

/** Share of the copy pairs ranked above the point where pairwise precision last stands at `precision` or more. */
function recallAtPrecision(scored: { score: number; copy: boolean }[], precision: number): number {
  const ranked = [...scored].sort((a, b) => b.score - a.score);
  const copies = ranked.filter((p) => p.copy).length;
  let tp = 0;
  let best = 0;
  for (const [k, p] of ranked.entries()) {
    if (p.copy) tp++;
    if (tp / (k + 1) >= precision) best = tp;
  }
  return copies === 0 ? 1 : best / copies;
}

/** A logistic regression of `copy` on the signals (batch gradient descent, small L2): the weights, bias last. */
function fitLogistic(pairs: PairSignals[]): number[] {
  const w = [0, 0, 0, 0];
  const rate = 0.5;
  for (let step = 0; step < 400; step++) {
    const g = [0, 0, 0, 0];
    for (const p of pairs) {
      const z = w[0]! * p.x[0] + w[1]! * p.x[1] + w[2]! * p.x[2] + w[3]!;
      const err = 1 / (1 + Math.exp(-z)) - (p.copy ? 1 : 0);
      for (let k = 0; k < 3; k++) g[k]! += err * p.x[k]!;
      g[3]! += err;
    }
    for (let k = 0; k < 4; k++) w[k]! -= rate * (g[k]! / pairs.length + (k < 3 ? 1e-3 * w[k]! : 0));
  }
  return w;
}

const logit = (w: number[], p: PairSignals) => w[0]! * p.x[0] + w[1]! * p.x[1] + w[2]! * p.x[2] + w[3]!;

/**
 * How far pair evidence alone goes on the same-event pairs (the hard negatives): the copy pairs
 * each signal ranks above the point where pairwise precision falls under 97 %, and the three
 * combined by a logistic regression (dev: each event scored by a fit on the others; test: by the
 * fit on dev). The clusterer's copy figures above are what grouping through leaders adds.
 */
function frontier(dev: Labelled[], test: Labelled[]): void {
  const d = pairSignals(dev);
  const t = pairSignals(test);
  const heldOut = d.map((p) => ({ score: 0, copy: p.copy, event: p.event, p }));
  for (const event of new Set(d.map((p) => p.event))) {
    const w = fitLogistic(d.filter((p) => p.event !== event));
    for (const h of heldOut) if (h.event === event) h.score = logit(w, h.p);
  }
  const wDev = fitLogistic(d);
  const at = (xs: { score: number; copy: boolean }[]) => pct(recallAtPrecision(xs, 0.97));
  process.stdout.write(
    `\npair evidence alone, same-event pairs (dev ${d.length}, ${d.filter((p) => p.copy).length} copies; test ${t.length}, ${t.filter((p) => p.copy).length}): copy pairs found at >= 97 % pairwise precision, dev / test\n`,
  );
  for (const [k, name] of SIGNALS.entries()) {
    process.stdout.write(
      `  ${name.padEnd(22)} ${at(d.map((p) => ({ score: p.x[k]!, copy: p.copy })))} / ${at(t.map((p) => ({ score: p.x[k]!, copy: p.copy })))}\n`,
    );
  }
  process.stdout.write(
    `  ${'the three, combined'.padEnd(22)} ${at(heldOut)} / ${at(t.map((p) => ({ score: logit(wDev, p), copy: p.copy })))}  (logistic regression; dev: leave one event out)\n`,
  );
}

const line = (s: PairScore) => `P ${pct(s.precision)} R ${pct(s.recall)} (tp ${s.tp}, fp ${s.fp}, fn ${s.fn})`;

async function main(): Promise<void> {
  const i = process.argv.indexOf('--derive');
  if (i >= 0) {
    derive(process.argv[i + 1] ?? 'test-artifacts/eval-raw/syndication-raw.jsonl');
    return;
  }
  const verbose = process.argv.includes('--verbose');
  const o = DEFAULT_DEDUPE_OPTIONS;
  process.stdout.write(
    `dedupe eval: copies need ${o.copyShingle}-character shingle containment >= ${o.containment} with the cluster's leader ` +
      `(>= ${o.titleContainment} with the same headline), or shared sentences >= ${o.sentenceShare} of the shorter text ` +
      `(>= ${o.closeSentenceShare} with bigram Jaccard >= ${o.closeJaccard}), within ${o.windowHours} h; ` +
      `related = bigram Jaccard >= ${o.relatedJaccard} within ${o.relatedHours} h\n`,
  );
  const data = Object.fromEntries(SPLITS.map((s) => [s, load(s)])) as Record<(typeof SPLITS)[number], Labelled[]>;
  // `--split dev`: only that split (tuning must not look at test).
  const only = process.argv.includes('--split') ? process.argv[process.argv.indexOf('--split') + 1] : undefined;
  for (const split of SPLITS.filter((s) => !only || s === only)) {
    const rows = data[split];
    const stories = new Set(rows.map((r) => r.story)).size;
    const events = new Set(rows.map((r) => r.event)).size;
    const dated = rows.filter((r) => r.publishedAt).length;
    process.stdout.write(`\n${split}: ${rows.length} articles, ${stories} stories, ${events} events, ${dated} with a publication time\n`);
    for (const withTimes of [true, false]) {
      const r = await score(withTimes ? rows.filter((x) => x.publishedAt) : rows, {}, withTimes);
      process.stdout.write(`  ${withTimes ? `with times (${dated})` : 'without times'.padEnd(15)}  copies  ${line(r.copies)}\n`);
      process.stdout.write(`  ${' '.repeat(15)}  related ${line(r.related)}\n`);
      if (verbose) {
        if (r.wrongCopies.length) process.stdout.write(`    wrongly merged: ${r.wrongCopies.join('; ')}\n`);
        if (r.missedCopies.length) process.stdout.write(`    missed copies: ${r.missedCopies.join('; ')}\n`);
      }
    }
    // The lines above take articles of one time in id order, one order a poller may meet them
    // in; these are the mean (and range) over ORDERS shuffled orders, what a user can expect.
    process.stdout.write(`  over ${ORDERS} arrival orders (articles of one time shuffled): mean (min-max)\n`);
    for (const withTimes of [true, false]) {
      const r = await overOrders(withTimes ? rows.filter((x) => x.publishedAt) : rows, {}, withTimes);
      process.stdout.write(`  ${withTimes ? `with times (${dated})` : 'without times'.padEnd(15)}  copies  ${spreadLine(r.copies)}\n`);
      process.stdout.write(`  ${' '.repeat(15)}  related ${spreadLine(r.related)}\n`);
    }
  }

  for (const split of SPLITS) await secondLabeller(split, data[split]);
  if (!only) frontier(data.dev, data.test);

  // The measurements behind the defaults, on dev only (the test split is not tuned on).
  process.stdout.write(`\ndev sweep: containment, sentenceShare -> copies P/R with times, without times\n`);
  for (const containment of [0.35, 0.4, 0.45, 0.5] as number[]) {
    for (const sentenceShare of [0.4, 0.5, 0.6, 2] as number[]) {
      const o = { containment, sentenceShare };
      const w = await score(
        data.dev.filter((x) => x.publishedAt),
        o,
        true,
      );
      const r = await score(data.dev, o, false);
      const label = sentenceShare > 1 ? 'off ' : sentenceShare.toFixed(2);
      process.stdout.write(
        `  c>=${containment.toFixed(2)} s>=${label}: with ${pct(w.copies.precision)} ${pct(w.copies.recall)}  without ${pct(r.copies.precision)} ${pct(r.copies.recall)}\n`,
      );
    }
  }

  // The lower sentence share for texts whose vocabularies are as close as a rewrite's.
  process.stdout.write(`\ndev sweep: closeSentenceShare, closeJaccard -> copies P/R with times, without times\n`);
  for (const closeSentenceShare of [0.45, 0.5, 0.55] as number[]) {
    for (const closeJaccard of [0.25, 0.28, 0.3, 0.32, 0.34, 0.36] as number[]) {
      const o = { closeSentenceShare, closeJaccard };
      const w = await score(
        data.dev.filter((x) => x.publishedAt),
        o,
        true,
      );
      const r = await score(data.dev, o, false);
      process.stdout.write(
        `  s>=${closeSentenceShare.toFixed(2)} j>=${closeJaccard.toFixed(2)}: with ${pct(w.copies.precision)} ${pct(w.copies.recall)}  without ${pct(r.copies.precision)} ${pct(r.copies.recall)}\n`,
      );
    }
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
