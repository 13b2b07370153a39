// Poll benchmark: 200 feeds on local HTTP servers (30 items each, 50-500 ms latency)
// through the real pipeline into dynalite. Cycle 1 reads everything into an empty store,
// cycle 2 finds every feed unchanged, cycle 3 finds two new items per feed (a normal
// 10-minute poll). Prints wall time as a ratio to the slowest source's latency
// (target ≤ 1.5), store calls per cycle, and writes on the unchanged cycle (target 0).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../shared/config/load.ts';
import { configSchema } from '../../shared/config/schema/index.ts';
import { createFetcher } from '../../shared/fetch/index.ts';
import { pollSources } from '../../shared/pipeline/index.ts';
import type { PipelineDeps } from '../../shared/pipeline/types.ts';
import { createDynamoStore } from '../../shared/store/dynamodb.ts';
import { spawn } from 'node:child_process';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { ensureTable } from '../../shared/store/dynamodb.ts';

const SOURCES = 200;
const ITEMS = 30;

// A deterministic generator, so every run measures the same feeds.
let seed = 42;
const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);

const SUBJECTS = ['정부', '삼성전자', 'SK하이닉스', '네이버', '카카오', '한국은행', '서울시', '현대차', 'LG전자', '과기정통부'];
const MATCHED = ['딥시크 신모델 공개에 업계 긴장', '엔비디아 GPU 1만장 확보 경쟁', '소버린 AI 구축 예산 확대', '국가대표 AI 모델 2차 평가'];
const OTHER = ['분기 실적 발표', '신제품 출시', '채용 확대', '지역 축제 개최', '금리 동결', '수출 증가'];

function feed(source: number, fresh: number): string {
  const items: string[] = [];
  for (let i = -fresh; i < ITEMS - fresh; i++) {
    // About one item in thirty matches a topic: a general outlet's share of AI/GPU stories on a
    // busy day. MATCH_RATE=0 measures the floor: fetch, parse, seen-check and SEEN writes only.
    const matched = rand() < Number(process.env.MATCH_RATE ?? 0.035);
    const subject = SUBJECTS[Math.floor(rand() * SUBJECTS.length)];
    const what = matched ? MATCHED[Math.floor(rand() * MATCHED.length)] : OTHER[Math.floor(rand() * OTHER.length)];
    const title = `${subject}, ${what} (${source}-${i})`;
    const body = `${title}. ${subject} 관계자는 ${source}일 이같이 밝혔다. 세부 내용은 ${i}번째 보도를 참고.`.repeat(3);
    const minutes = String(i % 60).padStart(2, '0');
    items.push(
      `<item><title><![CDATA[${title}]]></title><link>https://news${source}.example.kr/article/${i}</link>` +
        `<description><![CDATA[${body}]]></description><pubDate>Thu, 06 Feb 2025 09:${minutes}:00 +0900</pubDate></item>`,
    );
  }
  return `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>매체 ${source}</title>${items.join('')}</channel></rss>`;
}

let cycle = 1;

async function main(): Promise<void> {
  const latencies = Array.from({ length: SOURCES }, () => 50 + Math.floor(rand() * 451));
  const servers: Server[] = [];
  const urls: string[] = [];
  for (let i = 0; i < SOURCES; i++) {
    const bodies = [Buffer.from(feed(i, 0)), Buffer.from(feed(i, 2))];
    const delay = latencies[i] ?? 50;
    const server = createServer((_req, res) => {
      const body = bodies[cycle === 3 ? 1 : 0];
      setTimeout(() => res.writeHead(200, { 'content-type': 'application/rss+xml; charset=utf-8' }).end(body), delay);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    servers.push(server);
    urls.push(`http://127.0.0.1:${(server.address() as AddressInfo).port}/feed.xml`);
  }

  // dynalite in its own process, as DynamoDB is a service of its own: the store's work
  // does not share the pipeline's thread.
  const child = spawn(process.execPath, ['-e', "require('dynalite')({createTableMs:0}).listen(0,'127.0.0.1',function(){console.log(this.address().port)})"], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<number>((resolve) => child.stdout.once('data', (d: Buffer) => resolve(Number(String(d).trim()))));
  const db = {
    client: new DynamoDBClient({
      endpoint: `http://127.0.0.1:${port}`,
      region: 'ap-northeast-2',
      credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
      requestHandler: { httpAgent: { maxSockets: 256 } },
    }),
    tableName: 'newswatch-bench',
    close: async () => void child.kill(),
  };
  await ensureTable(db.client, db.tableName);
  const calls = { all: 0, writes: 0 };
  db.client.middlewareStack.add(
    (next, context) => async (args) => {
      calls.all++;
      if (/^(Put|Update|Delete|BatchWrite)Item/.test(String(context.commandName))) calls.writes++;
      return next(args);
    },
    { step: 'initialize', name: 'countCalls' },
  );
  const base = loadConfig('newswatch.config.yaml');
  const config = configSchema.parse({
    ...base,
    settings: { ...base.settings, allowPrivateNetwork: true },
    sources: urls.map((url, i) => ({ kind: 'rss', id: `bench-${i}`, outlet: `매체${i}`, url, fetchArticle: 'never' })),
    delivery: { slack: [], webhooks: [], email: [] },
  });
  const deps: PipelineDeps = {
    config,
    store: createDynamoStore({ client: db.client, tableName: db.tableName }),
    secrets: async () => '',
    now: () => new Date('2025-02-06T06:00:00Z'),
    fetcher: createFetcher(config.settings, { allowPrivateNetwork: true }),
  };
  const slowest = Math.max(...latencies);
  console.log(`${SOURCES} sources × ${ITEMS} items, latency 50-500 ms (slowest ${slowest} ms)`);
  const label = ['', 'empty store', 'unchanged feeds', '2 new items per feed'];
  for (cycle = 1; cycle <= 3; cycle++) {
    calls.all = 0;
    calls.writes = 0;
    const t0 = performance.now();
    const reports = await pollSources(deps, config.sources);
    const wall = performance.now() - t0;
    const failed = reports.filter((r) => !r.ok);
    const created = reports.reduce((n, r) => n + r.created.length, 0);
    console.log(
      `cycle ${cycle} (${label[cycle]}): wall ${wall.toFixed(0)} ms = ${(wall / slowest).toFixed(2)}× the slowest source (target ≤ 1.5); ` +
        `store calls ${calls.all}, writes ${calls.writes}${cycle === 2 ? ' (target 0)' : ''}; stories created ${created}; failed ${failed.length}`,
    );
    if (failed[0]) console.log(`  first failure: ${failed[0].error}`);
  }
  const mem = process.memoryUsage();
  console.log(`memory: rss ${(mem.rss / 2 ** 20).toFixed(0)} MiB, heap ${(mem.heapUsed / 2 ** 20).toFixed(0)} MiB`);
  await db.close();
  await Promise.all(servers.map((s) => new Promise((r) => s.close(r))));
}

await main();
