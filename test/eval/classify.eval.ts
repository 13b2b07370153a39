// `npm run eval`: scores the shipped topics of newswatch.config.yaml on a labelled
// development set of real Korean headlines and ledes (test/eval/data/headlines*.jsonl,
// each line with its source URL). Prints precision, recall and F1 per topic and every
// miss, so a change to the terms can be judged on evidence.
//
// Labelling rules used for the set:
//   deepseek      DeepSeek (the lab, its models, its app) is a subject of the story.
//   sovereign_ai  a country's own AI capability is a subject: sovereign AI / AI sovereignty,
//                 Korea's national foundation-model project (국가대표 AI, 독자 AI 파운데이션 모델).
//   gpu           AI compute is a subject: GPUs/accelerators, their supply, purchase, export
//                 controls, national GPU clusters. Not: stock moves that only name Nvidia,
//                 memory (HBM) earnings, foundry yields, consumer graphics cards.
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../../shared/config/load.ts';
import { compileClassifier } from '../../shared/classify/index.ts';

interface Labelled {
  id: string;
  url: string;
  title: string;
  body: string;
  topics: string[];
}

const root = fileURLToPath(new URL('../../', import.meta.url));
const dataDir = fileURLToPath(new URL('./data/', import.meta.url));
const config = loadConfig(`${root}newswatch.config.yaml`);
const classifier = compileClassifier(config.topics);

const rows: Labelled[] = readdirSync(dataDir)
  .filter((f) => /^headlines.*\.jsonl$/.test(f))
  .sort()
  .flatMap((f) =>
    readFileSync(`${dataDir}${f}`, 'utf8')
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((l) => JSON.parse(l) as Labelled),
  );

const topics = Object.keys(config.topics);
const counts = Object.fromEntries(topics.map((t) => [t, { tp: 0, fp: 0, fn: 0 }]));
const misses: string[] = [];
for (const row of rows) {
  const result = classifier.classify({ title: row.title, body: row.body });
  for (const t of topics) {
    const predicted = result.topics.includes(t);
    const wanted = row.topics.includes(t);
    const c = counts[t]!;
    if (predicted && wanted) c.tp++;
    else if (predicted) c.fp++;
    else if (wanted) c.fn++;
    if (predicted !== wanted) {
      const why = result.why[t];
      const evidence = why ? `score ${why.score}/${why.threshold}: ${why.hits.map((h) => `${h.found}(${h.field} ${h.weight})`).join(', ')}` : 'no hits';
      misses.push(`  ${predicted ? 'FP' : 'FN'} ${t.padEnd(12)} ${row.id}  [${evidence}]  ${(row.title || row.body).slice(0, 50)}`);
    }
  }
}

const pct = (x: number) => (Number.isFinite(x) ? (x * 100).toFixed(1).padStart(5) : '  n/a');
process.stdout.write(`dev set: ${rows.length} labelled articles (${rows.filter((r) => r.topics.length === 0).length} with no topic)\n\n`);
process.stdout.write('topic          support   TP  FP  FN  precision  recall     F1\n');
let tp = 0;
let fp = 0;
let fn = 0;
for (const t of topics) {
  const c = counts[t]!;
  tp += c.tp;
  fp += c.fp;
  fn += c.fn;
  const p = c.tp / (c.tp + c.fp);
  const r = c.tp / (c.tp + c.fn);
  const f1 = (2 * p * r) / (p + r);
  process.stdout.write(`${t.padEnd(14)} ${String(c.tp + c.fn).padStart(7)} ${String(c.tp).padStart(4)} ${String(c.fp).padStart(3)} ${String(c.fn).padStart(3)}      ${pct(p)}   ${pct(r)}  ${pct(f1)}\n`);
}
const P = tp / (tp + fp);
const R = tp / (tp + fn);
process.stdout.write(`${'micro'.padEnd(14)} ${String(tp + fn).padStart(7)} ${String(tp).padStart(4)} ${String(fp).padStart(3)} ${String(fn).padStart(3)}      ${pct(P)}   ${pct(R)}  ${pct((2 * P * R) / (P + R))}\n`);
process.stdout.write(`\nmisses (${misses.length}):\n${misses.join('\n')}\n`);
