// A restart of `newswatch run` leaves every key with the owner the live process gave it. The
// embedded store keeps its dedupe index in memory and rebuilds it from the fingerprint rows on
// start, each story claiming the keys still free, in the order of the rows. Stories stored in one
// poll are often fingerprinted in the same millisecond (on this test's fixed clock, always), and
// the rebuild broke that tie by story id, not
// by the order the stories had claimed their keys: after a restart a key could belong to another
// story, and a later story then found other candidates than the same process would have.
//
// The case, written for this test: one outlet's recurring column under one headline. Its feed
// lists yesterday's (A) and this morning's (B) in one poll, oldest first, so A claims the
// outlet-and-headline key and B, a day later and in other words, leads a cluster of its own. A's
// id sorts after B's. Hours later the column appears again (C): the same outlet's same headline
// within 12 hours of the key's owner is the same story (docs/dedupe.md), over 12 hours is not.
// So C's cluster depends on who owns the key: A (the live process: C leads) or B (C joins B).
// Each case polls the same feeds into a store that never restarts and into one that does.
import { ScanCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_TABLE_NAME } from '../../../adapters/dynamodb/table.ts';
import { openLocalStore, type LocalStore } from '../../../cli/local-store.ts';
import type { Source } from '../../../shared/config/schema/index.ts';
import { DEFAULT_DEDUPE_OPTIONS, probeOf, type DedupeInput } from '../../../shared/dedupe/index.ts';
import { storyId } from '../../../shared/extract/index.ts';
import type { Story } from '../../../shared/model.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';
import { rssFeed } from '../../support/run-over-feeds.ts';
import { DEMO_NOW, demoFeedsConfig, pipelineDeps } from './support.ts';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

const HOUR = 3_600_000;
/** The first poll's clock: fixed, so every fingerprint of that poll has the same createdAt. */
const FIRST_POLL = DEMO_NOW;
/** The later poll: five hours on. */
const LATER_POLL = new Date(DEMO_NOW.getTime() + 5 * HOUR);
/** A poll a minute after the first (fingerprints a minute apart). */
const MINUTE_ON = new Date(DEMO_NOW.getTime() + 60_000);
const at = (hours: number) => new Date(FIRST_POLL.getTime() + hours * HOUR).toISOString();

const OUTLET = 'AI브리핑';
const HEADLINE = '[딥시크 브리핑] 오늘의 주요 소식';
const article = (idxno: number) => `https://www.aibriefing.example.kr/news/articleView.html?idxno=${idxno}`;

/** One edition of the column: its id, article number, hours from the first poll, and its three sentences. */
const column = (id: string, idxno: number, hours: number, sentences: string[]): DedupeInput => ({
  id,
  url: article(idxno),
  title: HEADLINE,
  outlet: OUTLET,
  publishedAt: at(hours),
  body: sentences.join('\n'),
});

const A = column('A', 41201, -30, [
  '중국 AI 스타트업 딥시크의 추론 모델 R1이 국내 앱 마켓에서 내려받기 순위 1위에 올랐다.',
  '개인정보보호위원회는 딥시크 앱이 이용자 정보를 중국 서버로 보내는지 점검에 나섰다.',
  '일부 부처와 공기업은 업무용 PC에서 딥시크 접속을 막았다.',
]);

const B = column('B', 41378, -6, [
  '딥시크가 새 언어모델 V3의 API 이용료를 절반으로 내렸다.',
  '네이버와 카카오는 저비용 AI 경쟁에 대응해 자체 모델의 가격 정책을 다시 검토하고 있다.',
  '증권가는 국내 클라우드 업체의 GPU 수요 전망을 낮춰 잡았다.',
]);

const C = column('C', 41530, 4, [
  '딥시크가 차세대 추론 모델 R2를 이르면 다음 달 공개한다는 관측이 나왔다.',
  '국내 연구진은 딥시크 모델을 한국어 시험 문제로 평가한 결과를 학회에서 발표했다.',
  '량원펑 딥시크 창업자는 오픈소스 공개 원칙을 이어가겠다고 말했다.',
]);

const CASES = [A, B, C];
/** Story id -> case id. */
const caseOf = new Map(CASES.map((c) => [storyId(c.url), c.id]));

type RssSource = Extract<Source, { kind: 'rss' }>;

/** The column's feed as it is at a poll: newest first, as feeds list them. */
function serve(server: FixtureServer, stories: DedupeInput[]): void {
  server.route('/column.xml', {
    body: rssFeed(OUTLET, [...stories].reverse(), FIRST_POLL),
    headers: { 'content-type': 'application/rss+xml; charset=utf-8' },
  });
}

/** One poll of the column: what its feed lists, on what clock. */
interface Poll {
  feed: DedupeInput[];
  at: Date;
}

interface Seen {
  /** Each case's stored story, by case id. */
  stories: Map<string, Story>;
  /** The case owning the column's outlet-and-headline key after each poll (and restart). */
  titleKeyOwner: string[];
}

/** Removes `seq` from every fingerprint row, as a newswatch from before it wrote them; returns how many rows. */
async function asWrittenBeforeSeq(local: LocalStore): Promise<number> {
  const { Items = [] } = await local.client.send(
    new ScanCommand({ TableName: DEFAULT_TABLE_NAME, FilterExpression: 'sk = :fp', ExpressionAttributeValues: { ':fp': { S: 'FP' } } }),
  );
  for (const item of Items) {
    await local.client.send(
      new UpdateItemCommand({ TableName: DEFAULT_TABLE_NAME, Key: { pk: item['pk']!, sk: item['sk']! }, UpdateExpression: 'REMOVE seq' }),
    );
  }
  return Items.length;
}

/**
 * Polls the column through the pipeline into an embedded store in a fresh directory. After each
 * poll in `restartAfter`, the store is closed and opened again (a new process over the same
 * directory); with `beforeSeq`, its fingerprint rows are first made as an older newswatch wrote them.
 */
async function pollColumn(polls: Poll[], restartAfter: number[] = [], beforeSeq = false): Promise<Seen> {
  const dir = mkdtempSync(join(tmpdir(), 'nw-rebuild-'));
  dirs.push(dir);
  const server = await startFixtureServer({});
  let clock = polls[0]!.at;
  let local = await openLocalStore(dir, { now: () => clock });
  try {
    const config = demoFeedsConfig(server.origin);
    const source: RssSource = {
      ...(config.sources[0] as RssSource),
      id: 'aibriefing-column',
      outlet: OUTLET,
      url: server.url('/column.xml'),
      fetchArticle: 'never',
    };
    const titleKey = probeOf(A, DEFAULT_DEDUPE_OPTIONS).titleKey;
    const seen: Seen = { stories: new Map(), titleKeyOwner: [] };
    for (const [i, { feed, at }] of polls.entries()) {
      clock = at;
      serve(server, feed);
      const deps = { ...pipelineDeps(config, local.client, DEFAULT_TABLE_NAME, clock), store: local.store };
      const [report] = await pollSources(deps, [source]);
      expect(report!.ok, report!.error).toBe(true);
      for (const s of report!.created) seen.stories.set(caseOf.get(s.id) ?? s.url, s);
      if (restartAfter.includes(i)) {
        if (beforeSeq) expect(await asWrittenBeforeSeq(local)).toBeGreaterThan(0);
        await local.close();
        local = await openLocalStore(dir, { now: () => clock });
      }
      seen.titleKeyOwner.push(caseOf.get((await local.store.getBands([titleKey]))[0]?.storyId ?? '') ?? 'none');
    }
    expect([...seen.stories.keys()].sort()).toEqual(['A', 'B', 'C']);
    return seen;
  } finally {
    await local.close();
    await server.close();
  }
}

/** C's cluster and related links, as case ids. */
const shown = (s: Story | undefined) => ({ cluster: caseOf.get(s?.clusterId ?? ''), related: s?.related?.map((r) => caseOf.get(r.id) ?? r.url) });

/** What the running process decides: both columns of the first poll lead; A, stored first, keeps the key; C, over 12 hours from A, leads. */
function expectLive(live: Seen): void {
  expect(live.stories.get('A')?.leader).toBe(true);
  expect(live.stories.get('B')?.leader).toBe(true);
  expect(live.titleKeyOwner.every((owner) => owner === 'A')).toBe(true);
  expect(live.stories.get('C')?.leader).toBe(true);
}

/**
 * Polls `polls` in a process that never restarts and in one restarted after each poll in
 * `restartAfter` (`beforeSeq`: its rows stripped of the claim order, as an older newswatch wrote
 * them): C gets the same cluster and related links, and the title key the same owner.
 */
async function expectSameAfterRestart(polls: Poll[], restartAfter: number[], beforeSeq = false): Promise<void> {
  const live = await pollColumn(polls);
  expectLive(live);
  const restarted = await pollColumn(polls, restartAfter, beforeSeq);
  expect(shown(restarted.stories.get('C'))).toEqual(shown(live.stories.get('C')));
  expect(restarted.titleKeyOwner).toEqual(live.titleKeyOwner);
}

describe('the embedded store rebuilt after a restart', () => {
  it("gives a story polled after a restart the cluster and related links the running process gives it, when its keys' owners were stored in one poll", async () => {
    // The collision this is about: both columns fingerprinted in the same millisecond, and their
    // ids sort the other way from the order they were stored in.
    expect(storyId(B.url) < storyId(A.url)).toBe(true);
    const polls: Poll[] = [
      { feed: [A, B], at: FIRST_POLL },
      { feed: [A, B, C], at: LATER_POLL },
    ];
    // The same after the restart (before the fix: C joined B's cluster, its alert lost).
    await expectSameAfterRestart(polls, [0]);
  });

  it('keeps the order across restarts on a clock that stands still (a process continues the order of the one before)', async () => {
    // A alone, then B after a restart on the same fixed clock: B's fingerprint has A's createdAt.
    const polls: Poll[] = [
      { feed: [A], at: FIRST_POLL },
      { feed: [A, B], at: FIRST_POLL },
      { feed: [A, B, C], at: LATER_POLL },
    ];
    await expectSameAfterRestart(polls, [0, 1]);
  });

  it('rebuilds rows written before the claim order was kept as before: by their createdAt', async () => {
    // B fingerprinted a minute after A: createdAt alone orders them.
    const polls: Poll[] = [
      { feed: [A], at: FIRST_POLL },
      { feed: [A, B], at: MINUTE_ON },
      { feed: [A, B, C], at: LATER_POLL },
    ];
    await expectSameAfterRestart(polls, [1], true);
  });
});
