// Syndication against the DynamoDB store on dynalite (in memory): copies of one
// wire story form one cluster with one leader, different stories stay apart, and two
// pollers working at the same time create each story once and agree on every cluster.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createClusterer, type Clusterer, type DedupeInput } from '../../../shared/dedupe/index.ts';
import type { Story } from '../../../shared/model.ts';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import { StoreError } from '../../../shared/store/errors.ts';
import { createSoleWriterStore } from '../../../adapters/dynamodb/sole-writer.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import * as cases from './cases.ts';

let db: TestDynamo;
let table = 0;

// In memory: a restart here is a new store over the same table, never a new dynalite.
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.close();
});

/** A fresh table per test, so ids from cases.ts can be reused. */
async function freshStore(): Promise<{ a: DynamoStore; b: DynamoStore }> {
  const { ensureTable } = await import('../../../adapters/dynamodb/store.ts');
  const tableName = `dedupe-${++table}`;
  await ensureTable(db.client, tableName);
  return { a: createDynamoStore({ client: db.client, tableName }), b: createDynamoStore({ client: db.client, tableName }) };
}

function storyOf(input: DedupeInput, clusterId: string, leader: boolean): Story {
  return {
    id: input.id,
    url: input.url,
    title: input.title,
    outlet: input.outlet,
    sourceId: input.outlet,
    summary: input.body.slice(0, 80),
    publishedAt: input.publishedAt,
    firstSeenAt: input.publishedAt,
    day: input.publishedAt.slice(0, 10),
    topics: ['sovereign-ai'],
    why: {},
    clusterId,
    leader,
  };
}

/** The pipeline's order for one new matched item: assign, conditional put, record membership. */
async function ingest(store: DynamoStore, clusterer: Clusterer, input: DedupeInput) {
  const a = await clusterer.assign(input);
  const created = await store.putStory(storyOf(input, a.clusterId, a.leader));
  if (created && !a.leader) await clusterer.addMember(a.clusterId, { id: input.id, outlet: input.outlet, url: input.url, title: input.title });
  return { ...a, created };
}

// The same table for the Lambdas' shared table and for the embedded store's single writer
// (index in memory, batched writes). A restart is a new process: for the embedded store, a
// new index rebuilt from the table.
for (const kind of ['shared table', 'embedded store'] as const)
  describe(`syndication table (${kind})`, () => {
    let table: DynamoStore;
    let store: DynamoStore;
    let clusterer: Clusterer;
    const open = (t: DynamoStore, now = () => new Date(cases.wire.publishedAt)) => (kind === 'embedded store' ? createSoleWriterStore(t, { now }) : t);
    const restart = () => (store = open(table));
    beforeEach(async () => {
      table = (await freshStore()).a;
      store = open(table);
      clusterer = createClusterer(store);
    });

    it.each([
      ['the wire re-run under an edited headline', cases.editedHeadline],
      ['a copy trimmed to its first two paragraphs', cases.trimmed],
      ['a TV anchor/reporter script of the same story', cases.tvScript],
    ])('joins %s to the wire story it copies', async (_name, copy) => {
      const lead = await ingest(store, clusterer, cases.wire);
      const joined = await ingest(store, clusterer, copy);
      expect(lead).toMatchObject({ clusterId: 'wire', leader: true, created: true });
      expect(joined).toMatchObject({ clusterId: 'wire', leader: false, created: true });
      expect(joined.similarity).toBeGreaterThan(0.3);
    });

    it.each([
      ['the follow-up published the next day', cases.followUpNextDay],
      ['another story on the same topic the same day', cases.sameTopicOtherStory],
    ])('keeps %s apart', async (_name, other) => {
      await ingest(store, clusterer, cases.wire);
      const r = await ingest(store, clusterer, other);
      expect(r).toMatchObject({ clusterId: other.id, leader: true });
    });

    it("keeps another outlet's own report of the same event apart, linked to the wire story as related coverage", async () => {
      await ingest(store, clusterer, cases.wire);
      const own = await ingest(store, clusterer, cases.independentSameDay);
      // Its own alert (a leader), and delivery can show it with the wire story.
      expect(own).toMatchObject({ clusterId: 'independent', leader: true, related: ['wire'] });
    });

    it('does not chain two independent reports through an article that borrows from both', async () => {
      await ingest(store, clusterer, cases.wire);
      // The bridge re-runs the wire's lede: a copy of the wire.
      expect(await ingest(store, clusterer, cases.bridge)).toMatchObject({ clusterId: 'wire', leader: false });
      // The independent report shares half its text with the bridge, little with the wire (the
      // leader): it stays its own story, related to the wire's.
      expect(await ingest(store, clusterer, cases.independentSameDay)).toMatchObject({ clusterId: 'independent', leader: true, related: ['wire'] });
    });

    it('joins a press-release re-run with light edits (its sentences kept, its paragraphs not) to the story it copies', async () => {
      await ingest(store, clusterer, cases.wire);
      expect(await ingest(store, clusterer, cases.lightEdit)).toMatchObject({ clusterId: 'wire', leader: false, created: true });
    });

    it("joins another outlet's re-run of a member's edited version, though it is too far from the leader alone", async () => {
      await ingest(store, clusterer, cases.wire);
      await ingest(store, clusterer, cases.lightEdit);
      expect(await ingest(store, clusterer, cases.reRunOfLightEdit)).toMatchObject({ clusterId: 'wire', leader: false });
    });

    it('joins that re-run to the cluster when it arrives in the same poll as the version it copies', async () => {
      await ingest(store, clusterer, cases.wire);
      const [edit, reRun] = await Promise.all([ingest(store, clusterer, cases.lightEdit), ingest(store, clusterer, cases.reRunOfLightEdit)]);
      expect(edit).toMatchObject({ clusterId: 'wire', leader: false });
      expect(reRun).toMatchObject({ clusterId: 'wire', leader: false });
    });

    it('keeps two reports that quote the same statement word for word apart, linked as related coverage', async () => {
      await ingest(store, clusterer, cases.briefingA);
      expect(await ingest(store, clusterer, cases.briefingB)).toMatchObject({ clusterId: 'briefing-b', leader: true, related: ['briefing-a'] });
    });

    it('joins a copy whose page shows only the date to the story it copies, published that evening', async () => {
      // The wire at 18:00 Korea time; the copy's page says only 2025-09-12, read as 00:00 KST.
      await ingest(store, clusterer, { ...cases.wire, publishedAt: '2025-09-12T09:00:00.000Z' });
      const copy = await ingest(store, clusterer, { ...cases.tvScript, publishedAt: '2025-09-11T15:00:00.000Z' });
      expect(copy).toMatchObject({ clusterId: 'wire', leader: false });
    });

    it('keeps the same-template market report of the next trading day apart', async () => {
      await ingest(store, clusterer, cases.marketMonday);
      const r = await ingest(store, clusterer, cases.marketTuesday);
      expect(r).toMatchObject({ clusterId: 'market-16', leader: true });
    });

    it('shows the leader once with every other outlet that carried it, in the order seen', async () => {
      for (const s of [cases.wire, cases.editedHeadline, cases.sameTopicOtherStory, cases.trimmed, cases.tvScript, cases.followUpNextDay]) {
        await ingest(store, clusterer, s);
      }
      const view = await store.cluster('wire');
      expect(view?.leader).toMatchObject({ id: 'wire', leader: true, outlet: '연합뉴스' });
      expect(view?.members.map((m) => m.outlet)).toEqual(['지역일보', '포털브리핑', 'TV뉴스']);
      expect(view?.members[0]?.url).toBe(cases.editedHeadline.url);
      expect((await store.cluster('other'))?.members).toEqual([]);
    });

    it('treats the same outlet re-posting a headline under a new URL within hours as the same story', async () => {
      await ingest(store, clusterer, cases.sameTopicOtherStory);
      const repost: DedupeInput = {
        ...cases.sameTopicOtherStory,
        id: 'other-repost',
        url: `${cases.sameTopicOtherStory.url}?from=mobile`,
        body: '(본문 수정) 지원 대상과 신청 일정은 중기부 누리집에서 확인할 수 있다.',
        publishedAt: new Date(Date.parse(cases.sameTopicOtherStory.publishedAt) + 2 * 3_600_000).toISOString(),
      };
      expect(await ingest(store, clusterer, repost)).toMatchObject({ clusterId: 'other', leader: false, similarity: 1 });
    });

    it('keeps the membership of a copy whose poller died after clustering it, and records it once', async () => {
      await ingest(store, clusterer, cases.wire);
      await clusterer.assign(cases.trimmed); // killed here: the story was never written
      const restarted = createClusterer(restart());
      expect(await ingest(store, restarted, cases.trimmed)).toMatchObject({ clusterId: 'wire', leader: false, created: true });
      expect((await store.cluster('wire'))?.members.map((m) => m.id)).toEqual(['trimmed']);
    });

    it('does not stall on a story whose poller died in the middle of electing it leader', async () => {
      // The fingerprint is written (unsettled) and then the process dies before settling it.
      const { probeOf, DEFAULT_DEDUPE_OPTIONS } = await import('../../../shared/dedupe/index.ts');
      const probe = probeOf(cases.sameTopicOtherStory, DEFAULT_DEDUPE_OPTIONS);
      await store.putFingerprint({
        id: 'other',
        clusterId: 'other',
        settled: false,
        publishedAt: cases.sameTopicOtherStory.publishedAt,
        outlet: cases.sameTopicOtherStory.outlet,
        createdAt: new Date(Date.now() - 5 * 60_000).toISOString(),
        shingles: probe.shingles,
        copy: probe.copy,
        keys: probe.keys,
      });
      // Waiting out a live writer would take a minute here (longer than the test may run);
      // a fingerprint abandoned five minutes ago is taken as it stands.
      const patient = createClusterer(store, { settleWaitMs: 60_000 });
      expect(await ingest(store, patient, cases.sameTopicOtherStory)).toMatchObject({ clusterId: 'other', leader: true, created: true });
    });

    it('joins a copy that arrives after a restart to the story stored before it', async () => {
      await ingest(store, clusterer, cases.wire);
      const restarted = createClusterer(restart());
      expect(await ingest(store, restarted, cases.editedHeadline)).toMatchObject({ clusterId: 'wire', leader: false, created: true });
      expect(await ingest(store, restarted, cases.sameTopicOtherStory)).toMatchObject({ clusterId: 'other', leader: true, created: true });
    });

    it('does not create a story again when a feed lists it weeks later, after a restart', async () => {
      await ingest(store, clusterer, cases.wire);
      const weeksLater = () => new Date(Date.parse(cases.wire.publishedAt) + 30 * 86_400_000);
      store = open(table, weeksLater);
      const again = await ingest(store, createClusterer(store, { now: weeksLater }), cases.wire);
      expect(again).toMatchObject({ clusterId: 'wire', leader: true, created: false });
    });

    it('creates a story once when two feeds list the same article at the same moment', async () => {
      const both = await Promise.all([ingest(store, clusterer, cases.wire), ingest(store, clusterer, { ...cases.wire, outlet: '연합뉴스 IT' })]);
      expect(both.filter((r) => r.created)).toHaveLength(1);
      expect(both.map((r) => r.clusterId)).toEqual(['wire', 'wire']);
      expect(await store.cluster('wire')).toMatchObject({ leader: { id: 'wire' }, members: [] });
    });

    it('joins the closer stored copy when a story also copies a leader assigned at the same moment', async () => {
      await ingest(store, clusterer, cases.wire);
      // The independent report is not a copy of the wire and leads; the mostly-wire article copies
      // both and meets the independent report in flight: it must still join the wire, its closer copy.
      const [independent, mostlyWire] = await Promise.all([ingest(store, clusterer, cases.independentSameDay), ingest(store, clusterer, cases.mostlyWire)]);
      expect(independent).toMatchObject({ clusterId: 'independent', leader: true });
      expect(mostlyWire).toMatchObject({ clusterId: 'wire', leader: false });
      expect(mostlyWire.similarity).toBeGreaterThan(0.7);
      expect((await store.cluster('wire'))?.members.map((m) => m.id)).toEqual(['mostly-wire']);
    });

    it('answers the same for a story it has already assigned (a retried poll)', async () => {
      await ingest(store, clusterer, cases.wire);
      await ingest(store, clusterer, cases.trimmed);
      const again = await createClusterer(restart()).assign(cases.trimmed);
      expect(again).toMatchObject({ clusterId: 'wire', leader: false });
    });
  });

describe('the embedded store when a batch write fails', () => {
  it("writes a copy's cluster rows again before its story, and never stores the story without them", async () => {
    const { a: table } = await freshStore();
    // The table refuses the first two batches carrying the copy's membership (a full disk, a
    // dying dynalite); everything else reaches dynalite as usual.
    let refusals = 2;
    const flaky: DynamoStore = {
      ...table,
      async putRecords(records) {
        if (refusals > 0 && records.some((r) => r.kind === 'member')) {
          refusals--;
          throw new StoreError('putRecords', 'injected write failure', { retryable: true });
        }
        return table.putRecords(records);
      },
    };
    const store = createSoleWriterStore(flaky, { now: () => new Date(cases.wire.publishedAt) });
    const clusterer = createClusterer(store);
    await ingest(store, clusterer, cases.wire);

    // Refused twice (the rows' batch, then their rewrite): the poll fails and stores nothing of the copy.
    await expect(ingest(store, clusterer, cases.trimmed)).rejects.toThrow('injected write failure');
    expect(await table.getStory('trimmed')).toBeUndefined();

    // The next poll writes the owed rows, then the story.
    expect(await ingest(store, clusterer, cases.trimmed)).toMatchObject({ clusterId: 'wire', leader: false, created: true });
    expect((await table.cluster('wire'))?.members.map((m) => m.id)).toEqual(['trimmed']);
    expect((await table.getFingerprints(['trimmed'])).get('trimmed')).toMatchObject({ clusterId: 'wire', settled: true });
  });
});

describe('two pollers at once', () => {
  const all = [cases.wire, cases.editedHeadline, cases.trimmed, cases.tvScript, cases.sameTopicOtherStory, cases.followUpNextDay];
  const expected: Record<string, string> = { wire: 'wire', regional: 'wire', trimmed: 'wire', tv: 'wire', other: 'other', followup: 'followup' };

  it('creates each story once and one leader per cluster when both poll the same feed', async () => {
    const { a, b } = await freshStore();
    const pollers = [
      { store: a, clusterer: createClusterer(a) },
      { store: b, clusterer: createClusterer(b) },
    ];
    const results = await Promise.all(
      pollers.map(async (p) => {
        const out: Record<string, { clusterId: string; leader: boolean; created: boolean }> = {};
        for (const s of all) out[s.id] = await ingest(p.store, p.clusterer, s);
        return out;
      }),
    );
    for (const s of all) {
      const [r0, r1] = [results[0]![s.id]!, results[1]![s.id]!];
      expect([r0.created, r1.created].filter(Boolean)).toHaveLength(1);
      expect(r0.clusterId).toBe(r1.clusterId);
      expect(r0.clusterId).toBe(expected[s.id]);
    }
    const stored = await Promise.all(all.map((s) => a.getStory(s.id)));
    expect(
      stored
        .filter((s) => s?.leader)
        .map((s) => s!.id)
        .sort(),
    ).toEqual(['followup', 'other', 'wire']);
    expect((await a.cluster('wire'))?.members.map((m) => m.id).sort()).toEqual(['regional', 'trimmed', 'tv']);
  });

  it('elects exactly one leader when two copies of a story arrive at the same moment in different pollers', async () => {
    // Repeated with fresh ids: the interleaving of band claims differs from round to round.
    for (let round = 0; round < 8; round++) {
      const { a, b } = await freshStore();
      const x = { ...cases.wire, id: `w${round}`, url: `${cases.wire.url}?r=${round}` };
      const y = { ...cases.editedHeadline, id: `e${round}`, url: `${cases.editedHeadline.url}&r=${round}`, publishedAt: cases.wire.publishedAt };
      const [rx, ry] = await Promise.all([ingest(a, createClusterer(a), x), ingest(b, createClusterer(b), y)]);
      expect([rx.leader, ry.leader].filter(Boolean)).toHaveLength(1);
      expect(rx.clusterId).toBe(ry.clusterId);
      const leaderId = rx.leader ? x.id : y.id;
      expect(rx.clusterId).toBe(leaderId);
    }
  });
});

describe('the embedded store after a restart', () => {
  it('gives a band to the same story as before the restart when a copy points it after another story claimed it', async () => {
    const { a: table } = await freshStore();
    const at = cases.wire.publishedAt;
    const store = createSoleWriterStore(table, { now: () => new Date(at) });
    const key = 'u:https://news.example.kr/article/1';
    const fp = (id: string, clusterId: string) => ({
      id,
      clusterId,
      settled: true,
      publishedAt: at,
      outlet: id,
      createdAt: at,
      shingles: new Uint32Array([1, 2, 3]),
      copy: new Uint32Array([4, 5, 6]),
      keys: [key],
    });
    // A copy looked the key up while it was free; before it points it, a new leader claims it
    // (the race the in-flight turns narrow, as it happens between two polls' stories).
    expect(await store.putFingerprint({ ...fp('copy', 'wire') })).toBe(true);
    expect(await store.putFingerprint({ ...fp('leader', 'leader'), settled: false })).toBe(true);
    expect(await store.claimBands([key], { storyId: 'leader', publishedAt: at }, '2000-01-01T00:00:00.000Z')).toEqual([key]);
    await store.settleFingerprint('leader', 'leader');
    await store.pointBands([key], { storyId: 'copy', publishedAt: at });
    for (const [id, clusterId] of [
      ['leader', 'leader'],
      ['copy', 'wire'],
    ] as const) {
      await store.putStory({ ...storyOf({ ...cases.wire, id, outlet: id }, clusterId, id === clusterId) });
    }
    const before = (await store.getBands([key]))[0]?.storyId;
    const after = (await createSoleWriterStore(table, { now: () => new Date(at) }).getBands([key]))[0]?.storyId;
    expect({ before, after }).toEqual({ before: 'leader', after: 'leader' });
  });
});
