// Band keys are numbers in the code, text in the table. The table's rows must stay exactly as
// the code before wrote them (`BAND#<n>#<hash in base 36>`, the FP# row's space-separated
// keys): a table filled before an upgrade keeps finding its stories after it.
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterer, type DedupeInput, DEFAULT_DEDUPE_OPTIONS, probeOf } from '../../../shared/dedupe/index.ts';
import type { Story } from '../../../shared/model.ts';
import { koreaDay } from '../../../shared/time.ts';
import { createDynamoStore, ensureTable } from '../../../adapters/dynamodb/store.ts';
import { createSoleWriterStore } from '../../../adapters/dynamodb/sole-writer.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import * as cases from './cases.ts';

let db: TestDynamo;
beforeAll(async () => {
  db = await startDynalite();
});
afterAll(async () => {
  await db?.close();
});

/** A key as the code before numeric band keys wrote it: `${band}#${hash.toString(36)}` from its string keys. */
const textOf = (key: number | string) => (typeof key === 'number' ? `${Math.floor(key / 2 ** 32)}#${(key % 2 ** 32).toString(36)}` : key);

/** The story row the pipeline writes after clustering (the embedded store rebuilds from the days' stories). */
function storyOf(input: DedupeInput): Story {
  const { id, url, title, outlet, publishedAt } = input;
  return {
    id,
    url,
    title,
    outlet,
    sourceId: outlet,
    summary: input.body.slice(0, 80),
    publishedAt,
    firstSeenAt: publishedAt,
    day: koreaDay(publishedAt),
    topics: ['t'],
    why: {},
    clusterId: id,
    leader: true,
  };
}

async function rows(tableName: string) {
  const out = await db.client.send(new ScanCommand({ TableName: tableName }));
  return (out.Items ?? []).map((item) => unmarshall(item));
}

describe('band rows in the table', () => {
  it('are keyed and listed as before, so a story stored before the upgrade is found by a copy after it', async () => {
    const tableName = 'band-rows';
    await ensureTable(db.client, tableName);
    const table = createDynamoStore({ client: db.client, tableName });
    expect(await createClusterer(table).assign(cases.wire)).toMatchObject({ clusterId: 'wire', leader: true });
    await table.putStory(storyOf(cases.wire));

    const keys = probeOf(cases.wire, DEFAULT_DEDUPE_OPTIONS).keys;
    expect(keys.filter((k) => typeof k === 'number')).toHaveLength(DEFAULT_DEDUPE_OPTIONS.bands);
    const all = await rows(tableName);
    expect(all.some((r) => r['pk'] === 'STORY#wire')).toBe(true);
    const bands = all.filter((r) => String(r['pk']).startsWith('BAND#')).map((r) => String(r['pk']));
    expect(bands.sort()).toEqual(keys.map((k) => `BAND#${textOf(k)}`).sort());
    expect(bands.filter((pk) => /^BAND#\d+#[0-9a-z]+$/.test(pk))).toHaveLength(DEFAULT_DEDUPE_OPTIONS.bands);
    const fp = all.find((r) => r['pk'] === 'FP#wire')!;
    expect(fp['keys']).toBe(keys.map(textOf).join(' '));

    // A copy after a restart of either store: the shared table reads the BAND# rows, the
    // embedded store rebuilds its index from the FP# row's keys.
    expect(await createClusterer(createDynamoStore({ client: db.client, tableName })).assign(cases.trimmed)).toMatchObject({
      clusterId: 'wire',
      leader: false,
    });
    const embedded = createSoleWriterStore(createDynamoStore({ client: db.client, tableName }), { now: () => new Date(cases.wire.publishedAt) });
    const copy = { ...cases.editedHeadline, id: 'regional-2', url: `${cases.editedHeadline.url}&2` };
    expect(await createClusterer(embedded).assign(copy)).toMatchObject({ clusterId: 'wire', leader: false });
  });
});
