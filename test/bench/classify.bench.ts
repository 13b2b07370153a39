// `npm run bench`: classification throughput on one core. 10,000 generated Korean
// articles of about 2 KB, 300 configured terms (10 topics), side by side in the same
// run with a naive baseline that calls text.includes() once per term spelling.
// Articles and terms are generated deterministically from real Korean news vocabulary.
// Figures, not assertions. Targets: >= 20,000 articles/s and >= 5x the naive baseline.
// Runs are timed in CPU time of this process (process.cpuUsage), so time spent waiting for
// a core on a shared machine does not count against either side; wall time is printed too.
import { topicsSchema } from '../../shared/config/schema/topics.ts';
import { compileClassifier } from '../../shared/classify/index.ts';

const ARTICLES = Number(process.env.N ?? 10_000);
const ARTICLE_BYTES = 2_048;
const TOPICS = 10;
// Best of this many alternating runs a side: one process to the next, the JIT settles differently.
const ROUNDS = Number(process.env.ROUNDS ?? 10);

// Deterministic PRNG (mulberry32) so every run measures the same input.
let seed = 20250206;
const rand = (n: number): number => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * n) | 0;
};
const pick = <T>(xs: readonly T[]): T => xs[rand(xs.length)]!;

const NOUNS = [
  '정부',
  '기업',
  '시장',
  '투자',
  '반도체',
  '인공지능',
  '데이터',
  '수출',
  '산업',
  '기술',
  '경쟁력',
  '전략',
  '규제',
  '예산',
  '인프라',
  '클라우드',
  '플랫폼',
  '스타트업',
  '연구',
  '인재',
  '전력',
  '공급망',
  '관세',
  '금리',
  '주가',
  '실적',
  '매출',
  '영업이익',
  '소비자',
  '서비스',
  '보안',
  '개인정보',
  '생태계',
  '협력',
  '발표',
  '계획',
  '정책',
  '위원회',
  '장관',
  '대표',
  '교수',
  '연구원',
  '데이터센터',
  '모델',
  '칩',
  '메모리',
  '파운드리',
  '배터리',
  '전기차',
  '아파트',
  '부동산',
  '날씨',
  '한파',
  '야구',
  '축구',
  '선거',
  '국회',
  '법안',
  '재판',
  '경찰',
];
const PARTICLES = ['이', '가', '은', '는', '을', '를', '의', '에', '에서', '와', '과', '도', '로'];
const VERBS = ['발표했다', '밝혔다', '강조했다', '전망했다', '지적했다', '확대했다', '추진한다', '공개했다', '늘렸다', '줄였다', '검토 중이다', '논의했다'];
const ORGS = [
  '삼성전자',
  'SK하이닉스',
  '네이버',
  '카카오',
  'LG AI연구원',
  '업스테이지',
  'KT',
  'SK텔레콤',
  '과기정통부',
  '산업부',
  '엔비디아',
  '오픈AI',
  '구글',
  '메타',
  '마이크로소프트',
  '알리바바',
  '바이두',
  '텐센트',
  'TSMC',
  '인텔',
];
const LATIN = ['AI', 'GPU', 'HBM', 'LLM', 'NPU', 'CPU', 'SaaS', 'API', 'R&D', 'CEO', 'IPO', 'ETF', 'M&A', 'ESG'];

/** 300 terms: 10 topics of 10 strong, 15 weak and 5 exclusion terms, Korean and Latin mixed. */
function makeTopics(): unknown {
  const used = new Set<string>();
  const term = (): string => {
    for (;;) {
      const kind = rand(4);
      const t =
        kind === 0
          ? `${pick(NOUNS)} ${pick(NOUNS)}`
          : kind === 1
            ? `${pick(ORGS)} ${pick(NOUNS)}`
            : kind === 2
              ? `${pick(LATIN)}${rand(10) < 5 ? '' : ' '}${pick(NOUNS)}`
              : `${pick(['H', 'B', 'R', 'V', 'X', 'K'])}${rand(990) + 10}`;
      if (!used.has(t)) {
        used.add(t);
        return t;
      }
    }
  };
  const topics: Record<string, unknown> = {};
  for (let i = 0; i < TOPICS; i++) {
    const strong = Array.from({ length: 10 }, term);
    topics[`topic_${i}`] = {
      label: `Topic ${i}`,
      strong,
      weak: Array.from({ length: 15 }, term),
      exclude: Array.from({ length: 5 }, term),
      // `not` words that articles hit often (a term and a particle): the masking path is measured, not skipped.
      not: strong.slice(0, 3).map((t) => `${t}의`),
    };
  }
  return topics;
}

function sentence(terms: readonly string[]): string {
  const words: string[] = [];
  const n = 4 + rand(6);
  for (let i = 0; i < n; i++) {
    const r = rand(100);
    const w = r < 3 ? pick(terms) : r < 15 ? pick(ORGS) : r < 20 ? pick(LATIN) : pick(NOUNS);
    words.push(rand(3) === 0 ? w : `${w}${pick(PARTICLES)}`);
  }
  return `${words.join(' ')} ${pick(VERBS)}.`;
}

function article(terms: readonly string[]): { title: string; body: string } {
  const title = `${pick(ORGS)}, ${pick(NOUNS)} ${pick(NOUNS)} ${pick(VERBS).replace(/다\.?$/, '')}`;
  const lines: string[] = [];
  let bytes = 0;
  while (bytes < ARTICLE_BYTES) {
    const line = Array.from({ length: 1 + rand(3) }, () => sentence(terms)).join(' ');
    lines.push(line);
    bytes += Buffer.byteLength(line) + 1;
  }
  return { title, body: lines.join('\n') };
}

const mb = (n: number) => `${(n / 1024 / 1024).toFixed(1)} MB`;
const gc = (globalThis as { gc?: () => void }).gc;

const topics = topicsSchema.parse(makeTopics());
const spellings = Object.values(topics).flatMap((t) =>
  [...t.strong, ...t.weak, ...t.exclude].flatMap((x) => (typeof x === 'string' ? [x] : [x.term, ...x.aliases])),
);
const termList = [...new Set(spellings)];
const articles = Array.from({ length: ARTICLES }, () => article(termList));
const totalBytes = articles.reduce((s, a) => s + Buffer.byteLength(a.title) + Buffer.byteLength(a.body), 0);
const totalChars = articles.reduce((s, a) => s + a.title.length + a.body.length, 0);

gc?.();
const before = process.memoryUsage();
const t0 = performance.now();
const classifier = compileClassifier(topics);
const compileMs = performance.now() - t0;
gc?.();
const afterCompile = process.memoryUsage();

/** CPU milliseconds of this process so far (user + system). */
const cpuMs = (): number => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

function runClassifier(): { ms: number; wall: number; matched: number } {
  let matched = 0;
  const wall = performance.now();
  const cpu = cpuMs();
  for (const a of articles) matched += classifier.classify(a).topics.length;
  return { ms: cpuMs() - cpu, wall: performance.now() - wall, matched };
}

// Naive baseline: lower-case once, then one includes() per term spelling; no
// normalisation, no boundaries, no scoring (so it does less work than the classifier).
const lowered = termList.map((t) => t.toLowerCase());
function runNaive(): { ms: number; wall: number; hits: number } {
  let hits = 0;
  const wall = performance.now();
  const cpu = cpuMs();
  for (const a of articles) {
    const text = `${a.title}\n${a.body}`.toLowerCase();
    for (const t of lowered) if (text.includes(t)) hits++;
  }
  return { ms: cpuMs() - cpu, wall: performance.now() - wall, hits };
}

// Warm up both (JIT), then alternate ROUNDS runs of each and keep each one's best, so a
// burst of load from other processes on the machine hits both sides alike.
runClassifier();
runNaive();
let ours = runClassifier();
let naive = runNaive();
for (let round = 1; round < ROUNDS; round++) {
  const o = runClassifier();
  if (o.ms < ours.ms) ours = o;
  const n = runNaive();
  if (n.ms < naive.ms) naive = n;
}
gc?.();
const after = process.memoryUsage();

// Linearity on long Korean text (the npm modern-ahocorasick goes quadratic here):
// time per MB must stay flat as one article grows from 100 KB to 3.2 MB.
const longText = (chars: number) => {
  let body = '';
  while (body.length < chars) body += `${articles[rand(articles.length)]!.body}\n`;
  return body.slice(0, chars);
};
const perMb = [50_000, 400_000, 1_600_000].map((chars) => {
  const body = longText(chars);
  let ms = Infinity;
  for (let round = 0; round < 4; round++) {
    const start = performance.now();
    classifier.classify({ title: '', body });
    ms = Math.min(ms, performance.now() - start);
  }
  return `${(Buffer.byteLength(body) / 1024 / 1024).toFixed(1)} MB in ${ms.toFixed(1)} ms (${(Buffer.byteLength(body) / 1024 / 1024 / (ms / 1000)).toFixed(0)} MB/s)`;
});

const rate = (ms: number) => Math.round((ARTICLES / ms) * 1000);
process.stdout.write(
  [
    `articles: ${ARTICLES}, average ${Math.round(totalBytes / ARTICLES)} bytes UTF-8 (${Math.round(totalChars / ARTICLES)} chars), terms: ${termList.length} spellings in ${TOPICS} topics`,
    `compile:    ${compileMs.toFixed(1)} ms`,
    `classifier: ${rate(ours.ms).toLocaleString('en')} articles per CPU second (${((ours.ms / ARTICLES) * 1000).toFixed(1)} µs/article, ${(totalBytes / 1024 / 1024 / (ours.ms / 1000)).toFixed(0)} MB/s), ${ours.matched} topic matches`,
    `naive:      ${rate(naive.ms).toLocaleString('en')} articles per CPU second (text.includes per term), ${naive.hits} term hits`,
    `ratio:      ${(naive.ms / ours.ms).toFixed(1)}x the naive baseline in CPU time (${(naive.wall / ours.wall).toFixed(1)}x in wall time)   [target >= 5x]`,
    `target:     ${rate(ours.ms) >= 20_000 ? 'met' : 'NOT met'} (>= 20,000 articles/s on one core)`,
    `long text:  ${perMb.join('; ')}`,
    `memory:     heap ${mb(before.heapUsed)} before compile, +${mb(afterCompile.heapUsed - before.heapUsed)} for the compiled classifier; rss ${mb(after.rss)} at the end`,
    '',
  ].join('\n'),
);
