// Delivery benchmark.
// 1. Render the digest of 500 stories (grouping + HTML + text), median of 20 runs, in ms.
// 2. Deliver 100 new stories to three destinations behind a receiver with 200 ms latency,
//    through the real store (dynalite): wall time, requests per destination, the smallest
//    gap between two messages to one Slack webhook (must stay ≥ 1,000 ms), and a re-run
//    that must send nothing.
import { createDynamoStore } from '../../adapters/dynamodb/store.ts';
import { deliverStories, groupDigest, renderDigest } from '../../shared/deliver/index.ts';
import { envSecrets } from '../../cli/env-secrets.ts';
import type { Story } from '../../shared/model.ts';
import { startDynalite } from '../support/dynalite.ts';
import { startReceiver } from '../support/receiver.ts';
import { configWith, story } from '../unit/deliver/fixtures.ts';

const OUTLETS = ['연합뉴스', '한겨레', '조선일보', '중앙일보', '동아일보', '한국경제', '매일경제', '전자신문', 'ZDNet Korea', '머니투데이'];
const TOPICS: [string, string][] = [
  ['sovereign_ai', '소버린 AI'],
  ['gpu', '엔비디아'],
  ['deepseek', '딥시크'],
];

let seed = 7;
const rand = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;

/** 500 stories of one day in clusters of 1-5 outlets. */
function dayOf500(): Story[] {
  const out: Story[] = [];
  let c = 0;
  while (out.length < 500) {
    const [topic, term] = TOPICS[c % TOPICS.length]!;
    const size = 1 + Math.floor(rand() * 5);
    const at = Date.UTC(2026, 10, 21, 15) + Math.floor(rand() * 86_399_000);
    const leader = story({
      id: `c${c}`,
      topic,
      term,
      outlet: OUTLETS[c % OUTLETS.length]!,
      publishedAt: new Date(at).toISOString(),
      title: `${term} 관련 기사 ${c}: 정부·업계 "대응 서둘러야" & 전망 <분석>`,
    });
    out.push(leader);
    for (let m = 1; m < size && out.length < 500; m++) {
      out.push(
        story({
          id: `c${c}m${m}`,
          topic,
          term,
          outlet: OUTLETS[(c + m) % OUTLETS.length]!,
          publishedAt: new Date(at + m * 600_000).toISOString(),
          title: leader.title,
          clusterId: leader.id,
          leader: false,
        }),
      );
    }
    c++;
  }
  return out;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function benchRender(): Promise<void> {
  const config = configWith('  email: []\n');
  const stories = dayOf500();
  const times: number[] = [];
  let size = 0;
  let clusters = 0;
  for (let i = 0; i < 21; i++) {
    const t0 = performance.now();
    const content = groupDigest(config, '2026-11-22', stories);
    const r = renderDigest({ ...content, unsubscribe: 'mailto:u@example.com' });
    times.push(performance.now() - t0);
    size = Buffer.byteLength(r.html, 'utf8');
    clusters = content.total;
  }
  times.shift(); // warm-up
  console.log(`render digest: 500 stories → ${clusters} clusters, HTML ${(size / 1000).toFixed(0)} kB (Gmail clips above 102 kB)`);
  console.log(`  median ${median(times).toFixed(1)} ms, max ${Math.max(...times).toFixed(1)} ms (20 runs)`);
}

async function benchDeliver(): Promise<void> {
  const [db, rx] = await Promise.all([startDynalite(), startReceiver()]);
  try {
    for (const p of ['/slack-all', '/slack-deepseek', '/hook']) rx.latency(p, 200);
    const config = configWith(`  slack:
    - id: slack-all
      topics: [sovereign_ai, gpu, deepseek]
      webhook: { env: SLACK_ALL }
    - id: slack-deepseek
      topics: [deepseek]
      burstLimit: 10
      webhook: { env: SLACK_DS }
  webhooks:
    - id: ingest
      topics: [sovereign_ai, gpu, deepseek]
      url: { env: HOOK }
      signingSecret: { env: HOOK_SECRET }
`);
    const secrets = envSecrets({
      SLACK_ALL: rx.url('/slack-all'),
      SLACK_DS: rx.url('/slack-deepseek'),
      HOOK: rx.url('/hook'),
      HOOK_SECRET: 'whsec_' + Buffer.from('benchmark-signing-key-0123456789').toString('base64'),
    });
    const store = createDynamoStore({ client: db.client, tableName: db.tableName });
    // 100 new leaders: 6 about DeepSeek, the rest GPU / sovereign AI.
    const leaders = Array.from({ length: 100 }, (_, i) =>
      i < 6
        ? story({ id: `n${i}`, topic: 'deepseek', term: '딥시크' })
        : story({ id: `n${i}`, topic: i % 2 ? 'gpu' : 'sovereign_ai', term: i % 2 ? '엔비디아' : '소버린 AI' }),
    );
    for (const s of leaders) await store.putStory(s);
    const deps = { config, store, secrets, now: () => new Date() };

    const t0 = performance.now();
    const reports = await deliverStories(deps, leaders);
    const wall = performance.now() - t0;
    const count = (status: string) => reports.filter((r) => r.status === status).length;
    console.log('deliver 100 new stories to 3 destinations, receiver latency 200 ms:');
    console.log(`  wall ${(wall / 1000).toFixed(2)} s; reports: ${count('sent')} sent, ${count('summarised')} summarised, ${count('failed')} failed`);
    for (const p of ['/slack-all', '/slack-deepseek', '/hook']) {
      const reqs = rx.requests(p);
      const gaps = reqs.slice(1).map((r, i) => r.at - reqs[i]!.at);
      console.log(`  ${p.padEnd(16)} ${String(reqs.length).padStart(3)} requests${gaps.length ? `, min gap ${Math.min(...gaps).toFixed(0)} ms` : ''}`);
    }
    const ds = rx.requests('/slack-deepseek');
    const minGap = Math.min(...ds.slice(1).map((r, i) => r.at - ds[i]!.at));
    console.log(`  Slack rate limit (≥ 1000 ms between messages to one webhook): ${minGap >= 1000 ? 'respected' : 'VIOLATED'}`);
    const sequential = 100 * 200 + 6 * 1000;
    console.log(`  ratio to sending everything one by one (${(sequential / 1000).toFixed(0)} s): ${(wall / sequential).toFixed(2)}`);

    rx.reset();
    const t1 = performance.now();
    const again = await deliverStories(deps, leaders);
    console.log(
      `  re-run: ${rx.requests().length} requests, ${again.filter((r) => r.status === 'skipped').length} skipped, ${((performance.now() - t1) / 1000).toFixed(2)} s`,
    );
    if (minGap < 1000 || rx.requests().length !== 0) process.exitCode = 1;
  } finally {
    await rx.close();
    await db.close();
  }
}

await benchRender();
await benchDeliver();
