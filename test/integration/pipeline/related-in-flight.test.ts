// A story's related links do not depend on which stories happen to be stored in the same poll.
// A new story compares at most 8 candidates (docs/dedupe.md, step 3); the stories still in flight
// in the process (their bands not yet claimed) now compete for those 8 with the stored ones, as
// they would once written. Before, they were compared on a budget of their own, so a story whose
// keys reached more than 8 owners was linked to a related report polled with it that it never
// compares when that report was stored a poll before (the syndication e2e eval's test split,
// event gpuplan: `run` and the clusterer over the same stories in the same order disagreed).
//
// The texts are written for this test: a trade paper's nine short briefs from two and a half days
// earlier (too old to be related, still owners of bands), each sharing a little of the new story's
// vocabulary, some a sentence of it; then one outlet's flash and, half an hour later, its full
// story of one event (related coverage: bigram Jaccard over 0.15, no shared text to speak of).
// The full story's keys reach the nine briefs and the flash, which ranks last. The briefs are
// polled one at a time so that they own their bands as they would one after another.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSoleWriterStore } from '../../../adapters/dynamodb/sole-writer.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import type { Source } from '../../../shared/config/schema/index.ts';
import { createClusterer, createMemoryClusterIndex, type DedupeInput } from '../../../shared/dedupe/index.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startFixtureServer } from '../../support/fixture-server.ts';
import { rssFeed } from '../../support/run-over-feeds.ts';
import { DEMO_NOW, demoFeedsConfig, pipelineDeps } from './support.ts';

let db: TestDynamo;
beforeEach(async () => {
  db = await startDynalite();
});
afterEach(async () => {
  await db.close();
});

const BRIEFS: [string, string][] = [
  [
    '퓨리오사AI, 2세대 NPU 양산 앞당겨',
    '퓨리오사AI는 2세대 신경망처리장치의 양산 일정을 석 달 앞당겼다.\nSK텔레콤은 GPU 구독형 서비스를 출시해 스타트업 고객을 빠르게 늘리고 있다.',
  ],
  [
    'GPU 임대 경쟁, 물량 싸움으로',
    '새 센터가 문을 열면 회사가 운영하는 GPU는 모두 1만2천장으로 늘어난다.\n클라우드 업계의 GPU 임대 경쟁은 가격보다 공급 물량 싸움으로 번지고 있다.',
  ],
  [
    '수도권 데이터센터 허가 지연 잇따라',
    '전력 공급 부족으로 수도권 데이터센터 신규 허가가 지연되는 사례가 늘고 있다.\n스타트업 업계는 정부의 GPU 바우처 사업 예산이 부족하다고 호소한다.',
  ],
  ['LG유플러스, 평촌에 GPU 전용 구역', 'LG유플러스는 평촌 데이터센터에 GPU 전용 구역을 새로 만들었다.'],
  [
    '중국, 화웨이 칩으로 GPU 공백 메워',
    '중국 업체들은 화웨이 어센드 칩으로 엔비디아 GPU 공백을 메우고 있다.\n회사는 확보한 GPU를 대학과 연구기관, 스타트업에 시간 단위로 빌려주는 임대 상품도 함께 내놓는다.',
  ],
  [
    '국가 AI 컴퓨팅센터 공모 마감…GPU 확보 계획 심사',
    '정부는 지난달 국가 AI 컴퓨팅센터 사업자 공모를 마감하고 GPU 확보 계획을 심사하고 있다.\n업계는 GPU 임대 가격이 올해 들어 30% 가까이 떨어진 만큼 가격 경쟁이 치열해질 것으로 본다.\n삼성SDS는 구미 데이터센터를 AI 전용으로 바꾸는 공사를 시작했다.',
  ],
  [
    '엔비디아, 한국에 GPU 26만장 공급',
    '엔비디아는 한국 기업들과 손잡고 GPU 26만장을 공급하기로 했다.\n대학 연구실들은 GPU를 구하지 못해 해외 클라우드에 비싼 이용료를 내고 있다.',
  ],
  [
    'GPU 서버 납기 반년 넘게 밀려',
    'AI 모델 학습 수요가 늘면서 GPU 서버 납기가 반년 넘게 밀리고 있다.\n한빛클라우드 관계자는 "국내 고객이 해외 클라우드에 기대지 않고 모델을 학습할 수 있게 하겠다"고 말했다.',
  ],
  ['KT클라우드, 액체 냉각으로 GPU 밀도 높여', 'KT클라우드는 가산 데이터센터에 액체 냉각 설비를 들여 GPU 서버 밀도를 높였다.'],
];

/** Hours from the pipeline's clock. */
const at = (hours: number) => new Date(DEMO_NOW.getTime() + hours * 3_600_000).toISOString();

const briefs: DedupeInput[] = BRIEFS.map(([title, body], i) => ({
  id: `brief-${i + 1}`,
  url: `https://www.ai-industry.example.kr/news/brief/${301 + i}`,
  title,
  body,
  outlet: 'AI산업신문',
  publishedAt: at(-61 + i),
}));

const flash: DedupeInput = {
  id: 'flash',
  url: 'https://news.daily.example.kr/article/88120',
  title: '한빛클라우드 용인 데이터센터 내년 가동',
  body: [
    '한빛클라우드는 용인 AI 데이터센터를 내년 1분기 가동하고 엔비디아 GPU 4천장을 새로 도입한다고 발표했다.',
    '이번 도입으로 한빛클라우드가 보유한 GPU는 1만2천장을 넘어선다.',
    '회사는 대학과 스타트업을 겨냥해 GPU를 시간 단위로 쓰는 임대 상품도 출시할 계획이다.',
  ].join('\n'),
  outlet: '누리일보',
  publishedAt: at(-1.5),
};

const full: DedupeInput = {
  id: 'full',
  url: 'https://news.daily.example.kr/article/88131',
  title: '한빛클라우드, 용인에 AI 데이터센터…엔비디아 GPU 4천장 추가',
  body: [
    '국내 클라우드 기업 한빛클라우드가 엔비디아 GPU 4천장을 추가로 들여와 내년 초 경기 용인에 AI 데이터센터를 연다고 14일 밝혔다.',
    '새 센터가 문을 열면 회사가 운영하는 GPU는 모두 1만2천장으로 늘어난다.',
    '회사는 확보한 GPU를 대학과 연구기관, 스타트업에 시간 단위로 빌려주는 임대 상품도 함께 내놓는다.',
    '한빛클라우드 관계자는 "국내 고객이 해외 클라우드에 기대지 않고 모델을 학습할 수 있게 하겠다"고 말했다.',
    '업계는 GPU 임대 가격이 올해 들어 30% 가까이 떨어진 만큼 가격 경쟁이 치열해질 것으로 본다.',
  ].join('\n'),
  outlet: '누리일보',
  publishedAt: at(-1),
};

/** The feed of one outlet's stories, oldest last as feeds list them. */
const feed = (stories: DedupeInput[]) => ({
  body: rssFeed(stories[0]!.outlet, [...stories].reverse(), DEMO_NOW),
  headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
});

/** The full story's related links from the clusterer called directly, one story after another. */
async function direct(inputs: DedupeInput[]): Promise<string[]> {
  const clusterer = createClusterer(createMemoryClusterIndex());
  let last: string[] = [];
  for (const c of inputs) last = [...((await clusterer.assign(c)).related ?? [])].sort();
  return last;
}

type RssSource = Extract<Source, { kind: 'rss' }>;

/**
 * Polls `polls` one after another (each a list of feeds polled together) through the pipeline,
 * on the shared table or the embedded store, and returns the full story's related links as case ids.
 */
async function linksOfFull(polls: DedupeInput[][][], soleWriter: boolean): Promise<string[]> {
  const routes = polls.flat().map((stories, i) => [`/feed-${i}.xml`, stories] as const);
  const server = await startFixtureServer(Object.fromEntries(routes.map(([path, stories]) => [path, feed(stories)])));
  try {
    const config = demoFeedsConfig(server.origin);
    const table = createDynamoStore({ client: db.client, tableName: db.tableName });
    const deps = { ...pipelineDeps(config, db.client, db.tableName), store: soleWriter ? createSoleWriterStore(table, { now: () => DEMO_NOW }) : table };
    const source = (i: number): RssSource => ({
      ...(config.sources[0] as RssSource),
      id: `feed-${i}`,
      outlet: routes[i]![1][0]!.outlet,
      url: server.url(routes[i]![0]),
      fetchArticle: 'never',
    });
    const ids = new Map<string, string>();
    let next = 0;
    for (const poll of polls) {
      const reports = await pollSources(
        deps,
        poll.map(() => source(next++)),
      );
      for (const r of reports) {
        expect(r.ok, r.error).toBe(true);
        for (const s of r.created) ids.set(s.id, [...briefs, flash, full].find((c) => c.url === s.url)!.id);
      }
    }
    expect([...ids.values()].sort()).toEqual([...briefs, flash, full].map((c) => c.id).sort());
    const story = [...ids].find(([, id]) => id === 'full')![0];
    const stored = await deps.store.getStory(story);
    expect(stored?.leader).toBe(true);
    return (stored!.related ?? []).map((r) => ids.get(r.id) ?? r.id).sort();
  } finally {
    await server.close();
  }
}

describe('related coverage stored in the same poll is found as when stored a poll before', () => {
  for (const soleWriter of [false, true]) {
    it(`links a story to the related coverage the clusterer finds when that coverage was polled a cycle before (${soleWriter ? 'embedded store' : 'shared table'})`, async () => {
      // Related coverage on their own; after the briefs, the flash is not one of the 8 compared.
      expect(await direct([flash, full])).toEqual(['flash']);
      const want = await direct([...briefs, flash, full]);
      expect(want).not.toContain('flash');

      const briefPolls = briefs.map((b) => [[b]]);
      // The flash polled a cycle before the full story...
      expect(await linksOfFull([...briefPolls, [[flash]], [[full]]], soleWriter)).toEqual(want);
    });

    it(`links it to the same when that coverage is in the same feed, still being assigned as the story looks (${soleWriter ? 'embedded store' : 'shared table'})`, async () => {
      const want = await direct([...briefs, flash, full]);
      // Oldest first: the flash is still being assigned when the full story looks for candidates.
      expect(await linksOfFull([...briefs.map((b) => [[b]]), [[flash, full]]], soleWriter)).toEqual(want);
    });
  }
});
