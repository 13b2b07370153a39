// `npm run eval` (or `npm run eval -- e2e`): the topic figures end to end. The same labelled
// items classify.eval.ts scores (topics-dev.jsonl, topics-test.jsonl) are served as RSS 2.0
// feeds on 127.0.0.1, one per outlet, and polled once by the real `newswatch run --once`
// into a temporary embedded store; each item is then scored by its own stored story row (a
// syndicated copy has its row too; no row = no topic), exactly as classify.eval.ts scores
// the classifier called directly. Both ways are printed side by side, with the items whose
// stored topics differ from the direct classifier's: titles for dev, ids only for test
// (its errors stay unseen). A user sees what `run` stores, not what `classify` returns:
// the two must agree.
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compileClassifier } from '../../shared/classify/index.ts';
import { loadConfig } from '../../shared/config/load.ts';
import { type NewsItem, runOverFeeds } from '../support/run-over-feeds.ts';

interface Labelled extends NewsItem {
  topics: string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = fileURLToPath(new URL('./data/', import.meta.url));
const config = loadConfig(`${root}newswatch.config.yaml`);
const classifier = compileClassifier(config.topics);
const topics = Object.keys(config.topics);

/** A labelled set: a file in test/eval/data/, or an absolute path. */
function read(file: string): Labelled[] {
  return (
    readFileSync(isAbsolute(file) ? file : `${dataDir}${file}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Labelled)
      // A set of your own may lack a URL or an outlet: the feeds need both.
      .map((r) => ({ ...r, url: r.url || `https://example.com/eval/${encodeURIComponent(r.id)}`, outlet: r.outlet || 'eval' }))
  );
}

// As classify.eval.ts: the legacy holdout's items stay unseen wherever the split put them.
const holdoutIds = new Set(existsSync(`${dataDir}headlines-holdout.jsonl`) ? read('headlines-holdout.jsonl').map((r) => r.id) : []);

interface Counts {
  tp: number;
  fp: number;
  fn: number;
}

/** Per-topic and any-topic counts of predictions against labels (as classify.eval.ts counts them). */
function score(rows: Labelled[], predicted: (row: Labelled) => string[]): Record<string, Counts> {
  const out = Object.fromEntries([...topics, 'any topic', 'micro'].map((t) => [t, { tp: 0, fp: 0, fn: 0 }])) as Record<string, Counts>;
  const add = (c: Counts, p: boolean, w: boolean) => {
    if (p && w) c.tp++;
    else if (p) c.fp++;
    else if (w) c.fn++;
  };
  for (const row of rows) {
    const got = predicted(row);
    add(out['any topic']!, got.length > 0, row.topics.length > 0);
    for (const t of topics) {
      add(out[t]!, got.includes(t), row.topics.includes(t));
      add(out.micro!, got.includes(t), row.topics.includes(t));
    }
  }
  return out;
}

const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(1).padStart(5) : '  n/a');
const prf = (c: Counts) => `${pct(c.tp / (c.tp + c.fp))} ${pct(c.tp / (c.tp + c.fn))} ${pct((2 * c.tp) / (2 * c.tp + c.fp + c.fn))}`;
const same = (a: string[], b: string[]) => a.length === b.length && a.every((t) => b.includes(t));
const show = (t: string[]) => (t.length ? t.join('+') : '-');

async function evaluate(name: string, rows: Labelled[], showTitles: boolean): Promise<number> {
  const started = Date.now();
  const results = new Map(rows.map((r) => [r.id, classifier.classify({ title: r.title, body: r.body })]));
  const direct = new Map([...results].map(([id, c]) => [id, c.topics]));
  const run = await runOverFeeds(rows);
  const stored = (r: Labelled) => run.stories.get(r.id)?.topics ?? [];
  const a = score(rows, (r) => direct.get(r.id)!);
  const b = score(rows, stored);
  const copies = [...run.stories.values()].filter((s) => !s.leader).length;
  const neither = rows.filter((r) => !run.stories.has(r.id) && !run.unmatched.has(r.id));

  process.stdout.write(
    `\n${name}: ${rows.length} items as ${run.feeds} feeds; run --once exit ${run.code} in ${((Date.now() - started) / 1000).toFixed(1)} s: ` +
      `${run.stories.size} stored as stories (${copies} as copies in another's cluster), ${run.unmatched.size} kept as unmatched, ${neither.length} neither\n\n`,
  );
  process.stdout.write(`${''.padEnd(14)}            classify (direct)        run over feeds (stored)\n`);
  process.stdout.write(`${'topic'.padEnd(14)} support   P     R     F1             P     R     F1\n`);
  for (const t of [...topics, 'any topic', 'micro']) {
    const support = a[t]!.tp + a[t]!.fn;
    process.stdout.write(`${t.padEnd(14)} ${String(support).padStart(7)}  ${prf(a[t]!)}          ${prf(b[t]!)}\n`);
  }
  // Beyond the topic sets: the primary topic (what the digest and Slack file a story under) and the scores.
  const both = rows.filter((r) => run.stories.has(r.id) && direct.get(r.id)!.length > 0);
  const primary = both.filter((r) => direct.get(r.id)![0] === stored(r)[0]).length;
  const scores = both.filter((r) => direct.get(r.id)!.every((t) => results.get(r.id)!.why[t]?.score === run.stories.get(r.id)!.why[t]?.score)).length;
  process.stdout.write(`\nitems matched both ways: ${both.length}; same primary topic on ${primary}, same scores on ${scores}\n`);
  const differ = rows.filter((r) => !same(direct.get(r.id)!, stored(r)));
  if (differ.length === 0) process.stdout.write('\nsame topics both ways on every item\n');
  else {
    process.stdout.write(`\n${differ.length} items whose stored topics differ from the direct classifier's:\n`);
    for (const r of differ) {
      const why = run.stories.has(r.id) ? 'stored' : run.unmatched.has(r.id) ? 'kept as unmatched' : 'never read by run';
      const title = showTitles && !holdoutIds.has(r.id) ? `  ${(r.title || r.body).slice(0, 50)}` : '';
      process.stdout.write(`  ${r.id}  direct ${show(direct.get(r.id)!)}, run ${show(stored(r))} (${why})${title}\n`);
    }
  }
  if (run.code !== 0) process.stdout.write(`\nrun --once failed:\n${run.stderr}\n`);
  return differ.length + (both.length - primary) + (both.length - scores) + (run.code === 0 ? 0 : 1);
}

let problems = 0;
problems += await evaluate('DEV topics-dev.jsonl', read('topics-dev.jsonl'), true);
if (process.env.EVAL_DEV_ONLY === '1') process.stdout.write('\n(EVAL_DEV_ONLY=1: test set skipped)\n');
else problems += await evaluate('TEST topics-test.jsonl (held out: ids only)', read('topics-test.jsonl'), false);
// Your own labelled set, same format (test/eval/data/README.md), scored both ways, ids only:
// EVAL_E2E_SET=/path/to/held-out.jsonl npm run eval -- e2e
const own = process.env.EVAL_E2E_SET;
if (own) problems += await evaluate(`OWN ${own} (ids only)`, read(resolve(own)), false);
// A difference is a bug in the product or in this harness: say so in the exit status.
process.exitCode = problems > 0 ? 1 : 0;
