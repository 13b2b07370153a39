// `npm run eval`: scores the shipped topics of newswatch.config.yaml on labelled real
// Korean news (labels by ../shared/TOPICS.md, as docs/topics.md states them).
//
//   topics-dev.jsonl   the development split: the only set the topics are tuned on.
//                      Printed with every error, so a change can be judged on evidence.
//   topics-test.jsonl  the test split: figures and error COUNTS only. Its errors stay
//                      unseen so its figures remain an honest estimate.
//   syndication-topics.jsonl  the syndication eval's 716 articles, labelled by topic
//                      blind after the rules were written: figures and error counts only,
//                      with their texts (EVAL_E2E_SYNDICATION; not in the repository).
//   headlines*.jsonl   legacy sets, labelled by older rules (single-label ledes; see
//                      docs/topics.md): figures only, for comparison with earlier runs.
//
// Per topic: precision, recall, F1. "any topic" is the story-level decision (does the
// story belong in the feed at all: some topic predicted vs some topic labelled);
// "micro" pools every (story, topic) decision. Targets: any topic >= 0.95 and every
// topic >= 0.90 on dev and on test.
import { existsSync, readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../shared/config/load.ts';
import { compileClassifier } from '../../shared/classify/index.ts';
import type { Classification } from '../../shared/model.ts';
import { SPLITS, type Split } from './syndication-scoring.ts';

interface Labelled {
  id: string;
  url?: string;
  title: string;
  body: string;
  topics: string[];
  /** Optional: the topic the story is most about, when the labeller recorded one. */
  primary?: string;
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = fileURLToPath(new URL('./data/', import.meta.url));
const config = loadConfig(`${root}newswatch.config.yaml`);
const classifier = compileClassifier(config.topics);
const topics = Object.keys(config.topics);

// The legacy holdout was relabelled into the new pool: its items are held out from tuning
// wherever the split put them, so their errors are counted but never shown.
const holdoutIds = new Set(existsSync(`${dataDir}headlines-holdout.jsonl`) ? read('headlines-holdout.jsonl').map((r) => r.id) : []);

const TARGET_ANY = 0.95;
const TARGET_TOPIC = 0.9;

function read(file: string): Labelled[] {
  return readFileSync(`${dataDir}${file}`, 'utf8')
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as Labelled);
}

/**
 * The blind topic labels joined with the gathered texts ({id, title, text} per line); every
 * labelled id must have its text. Articles that are also in the topics pool (`topicsPool`: the
 * same page, so possibly tuned on) are left out, and their two labellings compared instead.
 */
function syndicationRows(textsFile: string): Record<Split, Labelled[]> {
  const texts = new Map<string, { title: string; text: string }>();
  for (const l of readFileSync(textsFile, 'utf8').split('\n')) {
    if (!l.trim()) continue;
    const r = JSON.parse(l) as { id: string; title?: string; text: string };
    texts.set(r.id, { title: r.title ?? '', text: r.text });
  }
  const pool = new Map(read('topics-pool.jsonl').map((r) => [r.id, r.topics]));
  const same = (a: string[], b: string[]) => a.length === b.length && a.every((t) => b.includes(t));
  // The syndication eval's split (by a hash of the event): its dev articles may be tuned on.
  const splitOf = new Map<string, Split>();
  for (const split of SPLITS) for (const r of read(`syndication-${split}.jsonl`)) splitOf.set(r.id, split);
  const rows: Record<Split, Labelled[]> = { dev: [], test: [] };
  let pooled = 0;
  let agreed = 0;
  for (const r of read('syndication-topics.jsonl') as (Labelled & { topicsPool?: string })[]) {
    if (r.topicsPool !== undefined) {
      pooled++;
      if (same(r.topics, pool.get(r.topicsPool) ?? [])) agreed++;
      continue;
    }
    const t = texts.get(r.id);
    if (!t) throw new Error(`${textsFile} has no text for ${r.id}`);
    const split = splitOf.get(r.id);
    if (!split) throw new Error(`syndication-topics.jsonl: ${r.id} is in neither syndication split`);
    rows[split].push({ id: r.id, title: t.title, body: t.text, topics: r.topics });
  }
  process.stdout.write(`\n(${pooled} syndication articles are in the topics pool too: left out here; the two labellings agree on ${agreed} of them)\n`);
  return rows;
}

const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(1).padStart(5) : '  n/a');
const f1 = (tp: number, fp: number, fn: number) => (tp === 0 && fp === 0 && fn === 0 ? NaN : (2 * tp) / (2 * tp + fp + fn));

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

function line(name: string, c: Counts, target?: number): string {
  const p = c.tp / (c.tp + c.fp);
  const r = c.tp / (c.tp + c.fn);
  const f = f1(c.tp, c.fp, c.fn);
  const mark = target === undefined || !Number.isFinite(f) ? '' : f >= target ? `  ok (>= ${target.toFixed(2)})` : `  BELOW ${target.toFixed(2)}`;
  return `${name.padEnd(14)} ${String(c.tp + c.fn).padStart(7)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(3)} ${String(c.fn).padStart(3)}      ${pct(p)}   ${pct(r)}  ${pct(f)}${mark}\n`;
}

function evidence(result: Classification, t: string): string {
  const why = result.why[t];
  if (!why) return 'no hits';
  const hits = why.hits.map((h) => `${h.kind === 'passing' ? '~' : ''}${h.found}(${h.field[0]} ${h.weight})`).join(', ');
  return `score ${why.score}/${why.threshold}${why.vetoedBy ? ` vetoed by ${why.vetoedBy}` : ''}: ${hits}`;
}

/** Prints the figures of one set; the errors themselves only when `showErrors`. */
function evaluate(name: string, rows: Labelled[], showErrors: boolean, targets: boolean, hiddenBecause = 'this set is held out'): void {
  const counts = Object.fromEntries(topics.map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const any: Counts = { tp: 0, fp: 0, fn: 0 };
  const errors: string[] = [];
  let hiddenErrors = 0;
  let hiddenFp = 0;
  let hiddenFn = 0;
  let primaryRight = 0;
  let primaryAsked = 0;
  for (const row of rows) {
    const result = classifier.classify({ title: row.title, body: row.body });
    const predictedAny = result.topics.length > 0;
    const wantedAny = row.topics.length > 0;
    if (predictedAny && wantedAny) any.tp++;
    else if (predictedAny) any.fp++;
    else if (wantedAny) any.fn++;
    for (const t of topics) {
      const predicted = result.topics.includes(t);
      const wanted = row.topics.includes(t);
      const c = counts[t]!;
      if (predicted && wanted) c.tp++;
      else if (predicted) c.fp++;
      else if (wanted) c.fn++;
      if (predicted !== wanted && holdoutIds.has(row.id)) {
        hiddenErrors++;
        if (predicted) hiddenFp++;
        else hiddenFn++;
      } else if (predicted !== wanted)
        errors.push(
          `  ${predicted ? 'FP' : 'FN'} ${t.padEnd(12)} ${row.id}  [${evidence(result, t)}]  ${(row.title || row.body).replace(/\s+/g, ' ').slice(0, 60)}`,
        );
    }
    if (row.primary !== undefined && result.topics.includes(row.primary)) {
      primaryAsked++;
      if (result.topics[0] === row.primary) primaryRight++;
      else
        errors.push(
          `  PRIMARY      ${row.id}  labelled ${row.primary}, got ${result.topics[0]} (${result.topics.map((t) => `${t} ${result.why[t]!.score}`).join(', ')})  ${(row.title || row.body).slice(0, 60)}`,
        );
    }
  }
  const multi = rows.filter((r) => r.topics.length > 1).length;
  process.stdout.write(
    `\n${name}: ${rows.length} labelled articles (${rows.filter((r) => r.topics.length === 0).length} with no topic, ${multi} with several)\n\n`,
  );
  process.stdout.write('topic          support   TP  FP  FN  precision  recall     F1\n');
  const micro: Counts = { tp: 0, fp: 0, fn: 0 };
  for (const t of topics) {
    const c = counts[t]!;
    micro.tp += c.tp;
    micro.fp += c.fp;
    micro.fn += c.fn;
    process.stdout.write(line(t, c, targets ? TARGET_TOPIC : undefined));
  }
  process.stdout.write(line('any topic', any, targets ? TARGET_ANY : undefined));
  process.stdout.write(line('micro', micro));
  if (primaryAsked > 0) process.stdout.write(`primary topic right on ${primaryRight} of ${primaryAsked} labelled stories that got it\n`);
  const fps = errors.filter((e) => e.startsWith('  FP')).length;
  const fns = errors.filter((e) => e.startsWith('  FN')).length;
  if (showErrors)
    process.stdout.write(`\nerrors (${errors.length}: ${fps} FP, ${fns} FN; ${hiddenErrors} more on legacy-holdout items, not shown):\n${errors.join('\n')}\n`);
  else
    process.stdout.write(
      `\nerrors: ${errors.length + hiddenErrors} (${fps + hiddenFp} FP, ${fns + hiddenFn} FN${primaryAsked > 0 ? `, ${primaryAsked - primaryRight} primary` : ''}); not shown: ${hiddenBecause}\n`,
    );
}

const files = readdirSync(dataDir);
const dev = files.includes('topics-dev.jsonl') ? read('topics-dev.jsonl') : undefined;
const test = files.includes('topics-test.jsonl') ? read('topics-test.jsonl') : undefined;
if (dev) evaluate('DEV topics-dev.jsonl (tuned on)', dev, true, true);
else process.stdout.write('\n(no test/eval/data/topics-dev.jsonl)\n');
// EVAL_DEV_ONLY=1 while tuning: the test figures are for the end.
const devOnly = process.env.EVAL_DEV_ONLY === '1';
if (devOnly) process.stdout.write('\n(EVAL_DEV_ONLY=1: test and legacy sets skipped)\n');
else if (test) evaluate('TEST topics-test.jsonl (held out)', test, false, true);
else process.stdout.write('\n(no test/eval/data/topics-test.jsonl)\n');
// The syndication eval's articles (test/eval/data/syndication.md), labelled by topic blind
// afterwards: real news the topics were never tuned on. Their text is not in the repository,
// so this needs the gathered texts (EVAL_E2E_SYNDICATION, as e2e-syndication.eval.ts); the
// errors are never shown.
const syndicationTexts = process.env.EVAL_E2E_SYNDICATION;
if (!devOnly && files.includes('syndication-topics.jsonl')) {
  if (!syndicationTexts) process.stdout.write('\n(syndication-topics.jsonl skipped: its texts are not in the repository; set EVAL_E2E_SYNDICATION)\n');
  else {
    const rows = syndicationRows(syndicationTexts);
    evaluate('SYNDICATION DEV syndication-topics.jsonl, dev events (tuned on)', rows.dev, true, true);
    evaluate('SYNDICATION TEST syndication-topics.jsonl, test events (held out)', rows.test, false, true);
  }
}
for (const f of devOnly ? [] : files.filter((f) => /^headlines.*\.jsonl$/.test(f)).sort()) {
  if (existsSync(`${dataDir}${f}`)) evaluate(`LEGACY ${f} (older labelling rules)`, read(f), false, false, 'legacy labels, and the holdout stays held out');
}
