// Dedupe throughput and memory: new stories clustered against 100,000 stored stories
// (in-memory index, the `newswatch dedupe` engine), and a smaller run through the DynamoDB
// adapter on dynalite, with store calls per story. Target: >= 5,000 stories/s at 100k.
// Synthetic Korean text: Zipf-distributed words of common Hangul syllables, ~700 characters.
import { loadavg } from 'node:os';
import { createClusterer, createMemoryClusterIndex, type DedupeInput } from '../../shared/dedupe/index.ts';
import { createDynamoStore } from '../../adapters/dynamodb/store.ts';
import { createSoleWriterStore } from '../../adapters/dynamodb/sole-writer.ts';
import { mapLimit } from '../../shared/map-limit.ts';
import { startDynalite } from '../support/dynalite.ts';

const STORED = Number(process.env['BENCH_STORED'] ?? 100_000);
const NEW = 20_000;
const DYNAMO_STORED = 1_000;
const DYNAMO_NEW = 300;
const TARGET = 5_000;

// Deterministic PRNG so runs compare.
let seed = 0x2545f491;
function rand(): number {
  seed ^= seed << 13;
  seed ^= seed >>> 17;
  seed ^= seed << 5;
  return (seed >>> 0) / 0x1_0000_0000;
}
const SYLLABLES =
  '가각간갈감강개거건게격견결경계고공과관광교구국군권규그극근금기김나남내년노농누뉴다단달담당대더도동두드등라락란람래력련령로록론료루류르리마만말망매면명모목무문물미민바박반발방배백번법변보복본부북분불비사산상새생서석선설성세소속손수순술시식신실심아안알압애야약양어언업에여역연열영예오온완왕외요용우운원월위유육윤은음의이인일임입자작장재저적전절점정제조종주준중증지직진질집차착찬참창책처천철청체초총최추축출충치칙카타탄태토통투특파판패편평포표품프피필하학한할함합항해행향허혁현협형호화확환활황회효후휴흥';
const WORDS = Array.from({ length: 6_000 }, () => {
  const n = 2 + Math.floor(rand() * 3);
  let w = '';
  for (let i = 0; i < n; i++) w += SYLLABLES[Math.floor(rand() * SYLLABLES.length)];
  return w;
});
const ENDINGS = ['했다', '밝혔다', '전했다', '말했다', '예정이다', '분석이다', '나타났다'];
function word(): string {
  // Zipf-like: frequent words recur across stories, as particles and common nouns do.
  return WORDS[Math.floor(WORDS.length * rand() ** 3)]!;
}
function sentence(): string {
  const n = 6 + Math.floor(rand() * 7);
  const ws: string[] = [];
  for (let i = 0; i < n; i++) ws.push(word());
  return `${ws.join(' ')} ${ENDINGS[Math.floor(rand() * ENDINGS.length)]}.`;
}
function story(id: string, publishedAt: string): DedupeInput {
  const body: string[] = [];
  for (let len = 0; len < 700; ) {
    const s = sentence();
    body.push(s);
    len += s.length;
  }
  return {
    id,
    url: `https://news.example.kr/${id}`,
    title: `${word()} ${word()} ${word()} ${word()}`,
    body: body.join(' '),
    outlet: `매체${Math.floor(rand() * 300)}`,
    publishedAt,
  };
}
/** A syndicated copy: new headline, dateline, maybe trimmed to the lede, a sentence changed. */
function copyOf(src: DedupeInput, id: string): DedupeInput {
  const sentences = src.body.split('. ');
  const kept = rand() < 0.5 ? sentences.slice(0, Math.max(3, Math.floor(sentences.length / 2))) : sentences;
  kept[Math.floor(rand() * kept.length)] = sentence();
  return {
    ...src,
    id,
    url: `https://copy.example.kr/${id}`,
    title: `[종합] ${word()} ${src.title}`,
    body: `(서울=뉴스) 기자 = ${kept.join('. ')}`,
    outlet: `매체${Math.floor(rand() * 300)}`,
  };
}

const at = (minute: number) => new Date(Date.UTC(2025, 0, 1) + minute * 60_000).toISOString();
const mb = (n: number) => `${(n / 1024 / 1024).toFixed(0)} MB`;
const gc = (globalThis as { gc?: () => void }).gc ?? (() => {});

async function memoryBench(): Promise<void> {
  process.stdout.write(`generating ${STORED.toLocaleString()} stored + ${NEW.toLocaleString()} new stories...\n`);
  // Stored stories span ~70 days (one a minute), so the time window keeps the old ones out of joins.
  const stored = Array.from({ length: STORED }, (_, i) => story(`s${i}`, at(i)));
  const fresh: { input: DedupeInput; copyOf?: string }[] = [];
  for (let i = 0; i < NEW; i++) {
    if (rand() < 0.3) {
      // A copy of one of the last 500 stored stories, published up to 5 hours after it.
      const srcIndex = STORED - 1 - Math.floor(rand() * 500);
      const src = stored[srcIndex]!;
      fresh.push({ input: { ...copyOf(src, `c${i}`), publishedAt: at(srcIndex + Math.floor(rand() * 300)) }, copyOf: src.id });
    } else {
      fresh.push({ input: story(`n${i}`, at(STORED + i / 60)) });
    }
  }
  gc();
  const heapOf = () => {
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const heap0 = heapOf();
  const index = createMemoryClusterIndex();
  const clusterer = createClusterer(index);

  let t = performance.now();
  for (const s of stored) await clusterer.assign(s);
  const fillMs = performance.now() - t;
  gc();
  const heap1 = heapOf();

  const clusterOf = new Map<string, string>();
  t = performance.now();
  const cpu0 = process.cpuUsage();
  for (const f of fresh) clusterOf.set(f.input.id, (await clusterer.assign(f.input)).clusterId);
  const newMs = performance.now() - t;
  const cpu = process.cpuUsage(cpu0);
  const cpuMs = (cpu.user + cpu.system) / 1000;

  let copies = 0;
  let copiesFound = 0;
  let freshMerged = 0;
  for (const f of fresh) {
    const c = clusterOf.get(f.input.id)!;
    if (f.copyOf) {
      copies++;
      // Its source is a leader (stored stories are distinct), so the copy must name it.
      if (c === f.copyOf) copiesFound++;
    } else if (c !== f.input.id) freshMerged++;
  }
  const rate = NEW / (newMs / 1000);
  process.stdout.write(
    [
      `in-memory index:`,
      `  fill ${STORED.toLocaleString()} stories: ${(STORED / (fillMs / 1000)).toFixed(0)} stories/s (${(fillMs / 1000).toFixed(1)} s)`,
      `  ${NEW.toLocaleString()} new stories against ${STORED.toLocaleString()} stored: ${rate.toFixed(0)} stories/s, ${((newMs * 1000) / NEW).toFixed(0)} µs each`,
      `  process CPU time ${(cpuMs / 1000).toFixed(1)} s for ${(newMs / 1000).toFixed(1)} s wall (GC threads included); machine load average ${loadavg()
        .map((l) => l.toFixed(1))
        .join(' ')}`,
      `  ratio to target ${TARGET}/s (wall clock): ${(rate / TARGET).toFixed(2)}x ${rate >= TARGET ? '(met)' : '(NOT met)'}`,
      `  copies found ${copiesFound}/${copies} (${((100 * copiesFound) / copies).toFixed(1)}%), fresh stories wrongly merged ${freshMerged}/${NEW - copies}`,
      `  memory: index of ${STORED.toLocaleString()} stories ${mb(heap1 - heap0)} heap + buffers (${((heap1 - heap0) / STORED / 1024).toFixed(1)} KB/story; ${index.size.bands.toLocaleString()} band keys), rss ${mb(process.memoryUsage().rss)}`,
    ].join('\n') + '\n',
  );
}

// The shared table (the Lambdas) assigns one story after another, so each story's requests
// can be counted; the embedded store batches requests across the stories in flight, so it
// runs them as the pipeline does, many at once, and counts requests per story.
async function dynamoBench(soleWriter: boolean): Promise<void> {
  const db = await startDynalite();
  try {
    const table = createDynamoStore({ client: db.client, tableName: db.tableName });
    const store = soleWriter ? createSoleWriterStore(table) : table;
    const clusterer = createClusterer(store);
    const stored = Array.from({ length: DYNAMO_STORED }, (_, i) => story(`ds${i}`, at(i)));
    await mapLimit(stored, soleWriter ? 16 : 1, (s) => clusterer.assign(s));
    const inputs = Array.from({ length: DYNAMO_NEW }, (_, i) =>
      rand() < 0.3 ? { ...copyOf(stored[DYNAMO_STORED - 1 - i]!, `dc${i}`), publishedAt: at(DYNAMO_STORED + i) } : story(`dn${i}`, at(DYNAMO_STORED + i)),
    );
    const total = () => Object.values(store.calls).reduce((a, b) => a + b, 0);
    const requests = { leader: 0, leaders: 0, copy: 0, copies: 0 };
    const t = performance.now();
    const start = total();
    if (soleWriter) {
      await mapLimit(inputs, 16, (s) => clusterer.assign(s));
    } else {
      for (const s of inputs) {
        const before = total();
        const a = await clusterer.assign(s);
        if (a.leader) (requests.leader += total() - before), requests.leaders++;
        else (requests.copy += total() - before), requests.copies++;
      }
    }
    const ms = performance.now() - t;
    process.stdout.write(
      [
        `DynamoDB adapter on dynalite (in-process, in memory), ${soleWriter ? 'embedded store (sole writer: index in memory, batched writes), 16 stories at a time' : 'shared table (conditional band claims), one story at a time'}:`,
        `  ${DYNAMO_NEW} new stories against ${DYNAMO_STORED.toLocaleString()} stored: ${(DYNAMO_NEW / (ms / 1000)).toFixed(0)} stories/s`,
        soleWriter
          ? `  store requests per story ${((total() - start) / DYNAMO_NEW).toFixed(2)}, before the story's own write`
          : `  store requests per new leader ${(requests.leader / requests.leaders).toFixed(1)} (${requests.leaders}), per joining copy ${(requests.copy / requests.copies).toFixed(1)} (${requests.copies}), before the story's own write`,
      ].join('\n') + '\n',
    );
  } finally {
    await db.close();
  }
}

await memoryBench();
if (process.env['BENCH_DYNAMO'] !== '0') for (const soleWriter of [false, true]) await dynamoBench(soleWriter);
