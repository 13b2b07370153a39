// A copy joins the cluster it would join had the stories been stored one at a time, whether the
// copies it resembles are stored or still being assigned beside it (docs/dedupe.md, "Copies
// polled at the same moment"). Before, a story copying a MEMBER still in flight compared that
// member's own similarity with the stored candidates' similarity to their LEADERS, and never
// looked at the member's own leader: the syndication e2e eval (dev without times, event
// lg-furiosa-2023) put fur-sedaily-2023 in economidaily's cluster in about one run in two, and
// in donga's (the clusterer's answer) in the others, as hankookilbo was in flight or stored.
//
// The texts are written for this test, one company's news told four ways. The announcement (D)
// and, an hour later, another outlet's report (E) lead their own clusters: they share three
// sentences, too few to be copies. A write-up from the launch (H) copies the announcement. The
// last story (S) copies all three: the announcement most, the other report less, the write-up
// least. Stored one at a time it joins the announcement. Polled in one feed with the write-up,
// oldest first, the write-up is still being assigned when S looks: that is the case that broke.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createSoleWriterStore } from '../../../adapters/dynamodb/sole-writer.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import type { Source } from '../../../shared/config/schema/index.ts';
import { createClusterer, createMemoryClusterIndex, DEFAULT_DEDUPE_OPTIONS, type DedupeInput, probeOf, verifyPair } from '../../../shared/dedupe/index.ts';
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

// The sentences the last story is made of; the others take some of them and add their own.
const S = [
  '국내 AI 반도체 기업 누리칩스가 2세대 NPU 시제품을 공개하고 내년 상반기 양산에 들어간다고 밝혔다.',
  '새 칩은 대규모 언어모델 추론에 맞춰 설계됐으며 전력 효율이 이전 세대보다 두 배 이상 높다.',
  '회사는 판교 연구소에서 열린 설명회에서 데이터센터 고객 세 곳과 공급 계약을 협의하고 있다고 설명했다.',
  '칩 생산은 국내 파운드리의 5나노 공정에서 이뤄지며 고대역폭 메모리를 함께 탑재한다.',
  '누리칩스는 올해 시리즈C 투자에서 1200억원을 유치해 기업가치를 8천억원으로 끌어올렸다.',
  '업계는 엔비디아 GPU 공급난이 이어지면서 국산 NPU를 찾는 수요가 빠르게 늘 것으로 내다봤다.',
  '정부도 공공 클라우드에 국산 AI 반도체를 우선 도입하는 시범 사업 예산을 늘리기로 했다.',
  '누리칩스는 소프트웨어 개발 도구를 공개해 개발자들이 기존 모델을 손쉽게 옮길 수 있게 할 계획이다.',
  '회사는 내후년 코스닥 상장을 목표로 주관사 선정 작업을 진행하고 있다.',
  '경쟁사들도 잇따라 차세대 칩 출시 일정을 앞당기며 시장 선점에 나서고 있다.',
];
const ANNOUNCEMENT_OWN = [
  '이 회사는 2019년 삼성전자 출신 엔지니어들이 세웠으며 직원 수는 현재 180명 남짓이다.',
  '1세대 칩은 지난해부터 국내 통신사 두 곳의 영상 분석 서버에 들어가 있다.',
  '시제품 성능 검증에는 글로벌 클라우드 업체 한 곳도 참여한 것으로 알려졌다.',
];
const REPORT_OWN = [
  '창업자인 김도윤 대표는 미국 실리콘밸리의 칩 설계 스타트업에서 10년 가까이 일했다.',
  '회사 측은 해외 영업 조직을 꾸려 일본과 동남아 시장 문을 두드릴 예정이다.',
  '올해 매출은 지난해의 세 배 수준인 150억원 안팎이 될 전망이다.',
  '주요 주주로는 국내 대기업 계열 벤처캐피털 세 곳이 이름을 올리고 있다.',
];
const WRITE_UP_OWN = ['시제품은 이날 설명회장에서 실제 챗봇 서비스를 돌리는 모습으로 시연됐다.', '회사는 연말까지 연구 인력을 50명 더 뽑을 방침이다.'];

/** Hours from the pipeline's clock. */
const at = (hours: number) => new Date(DEMO_NOW.getTime() + hours * 3_600_000).toISOString();

const story = (id: string, outlet: string, path: string, title: string, lines: string[], hours: number): DedupeInput => ({
  id,
  url: `https://${path}`,
  title,
  body: lines.join('\n'),
  outlet,
  publishedAt: at(hours),
});

const announcement = story(
  'announcement',
  '누리일보',
  'news.nuri.example.kr/article/5101',
  '누리칩스, 2세대 NPU 공개…내년 상반기 양산',
  [...S.slice(0, 7), ...ANNOUNCEMENT_OWN],
  -3,
);
const report = story(
  'report',
  '한빛경제',
  'www.hanbit.example.kr/news/77120',
  '누리칩스 "국산 NPU 수요 늘어"…코스닥 상장 추진',
  [...S.slice(4), ...REPORT_OWN],
  -2,
);
const writeUp = story(
  'write-up',
  '포털뉴스',
  'portal.example.kr/n/1',
  '[현장] 누리칩스 2세대 NPU 시제품 첫선',
  [...S.slice(0, 5), ...ANNOUNCEMENT_OWN, ...WRITE_UP_OWN],
  -1,
);
const last = story('last', '포털뉴스', 'portal.example.kr/n/2', '누리칩스 차세대 AI 칩 내년 양산, 상장도 추진', S, -0.5);
const ALL = [announcement, report, writeUp, last];

/** The feed of one outlet's stories, newest first as feeds list them. */
const feed = (stories: DedupeInput[]) => ({
  body: rssFeed(stories[0]!.outlet, [...stories].reverse(), DEMO_NOW),
  headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
});

/** Each story's cluster (as a case id) from the clusterer called directly, one story after another. */
async function direct(inputs: DedupeInput[]): Promise<Record<string, string>> {
  const clusterer = createClusterer(createMemoryClusterIndex());
  const clusters: Record<string, string> = {};
  for (const c of inputs) clusters[c.id] = (await clusterer.assign(c)).clusterId;
  return clusters;
}

type RssSource = Extract<Source, { kind: 'rss' }>;

/**
 * Polls `polls` one after another (each one feed of stories, polled alone) through the pipeline,
 * on the shared table or the embedded store; returns each story's cluster as a case id.
 */
async function clustersThroughPolls(polls: DedupeInput[][], soleWriter: boolean): Promise<Record<string, string>> {
  const server = await startFixtureServer(Object.fromEntries(polls.map((stories, i) => [`/feed-${i}.xml`, feed(stories)])));
  try {
    const config = demoFeedsConfig(server.origin);
    const table = createDynamoStore({ client: db.client, tableName: db.tableName });
    const deps = { ...pipelineDeps(config, db.client, db.tableName), store: soleWriter ? createSoleWriterStore(table, { now: () => DEMO_NOW }) : table };
    const ids = new Map<string, string>();
    for (const [i, stories] of polls.entries()) {
      const source: RssSource = {
        ...(config.sources[0] as RssSource),
        id: `feed-${i}`,
        outlet: stories[0]!.outlet,
        url: server.url(`/feed-${i}.xml`),
        fetchArticle: 'never',
      };
      const [r] = await pollSources(deps, [source]);
      expect(r!.ok, r!.error).toBe(true);
      for (const s of r!.created) ids.set(s.id, ALL.find((c) => c.url === s.url)!.id);
    }
    expect([...ids.values()].sort()).toEqual(ALL.map((c) => c.id).sort());
    const clusters: Record<string, string> = {};
    for (const [storyId, id] of ids) {
      const stored = await deps.store.getStory(storyId);
      clusters[id] = ids.get(stored!.clusterId) ?? stored!.clusterId;
    }
    return clusters;
  } finally {
    await server.close();
  }
}

describe('a copy of copies still being assigned joins the cluster it joins when they are stored', () => {
  it('the texts make the case: the last story copies all three, the announcement most and the write-up least', async () => {
    const o = DEFAULT_DEDUPE_OPTIONS;
    const p = Object.fromEntries(ALL.map((c) => [c.id, probeOf(c, o)]));
    const toLast = (id: string) => verifyPair(p.last!, p[id]!, o);
    expect([toLast('announcement').join, toLast('report').join, toLast('write-up').join]).toEqual([true, true, true]);
    expect(toLast('announcement').similarity).toBeGreaterThan(toLast('report').similarity);
    expect(toLast('report').similarity).toBeGreaterThan(toLast('write-up').similarity);
    // Two clusters before the last story: the report is no copy of the announcement.
    expect(await direct(ALL)).toEqual({ announcement: 'announcement', report: 'report', 'write-up': 'announcement', last: 'announcement' });
  });

  for (const soleWriter of [false, true]) {
    const store = soleWriter ? 'embedded store' : 'shared table';
    it(`joins the announcement when the write-up was stored a poll before (${store})`, async () => {
      expect(await clustersThroughPolls([[announcement], [report], [writeUp], [last]], soleWriter)).toEqual(await direct(ALL));
    });

    it(`joins the announcement when the write-up is in the same feed, still being assigned as the story looks (${store})`, async () => {
      // Oldest first within a feed: the write-up enters first and is in flight when the last story looks.
      expect(await clustersThroughPolls([[announcement], [report], [writeUp, last]], soleWriter)).toEqual(await direct(ALL));
    });
  }
});
