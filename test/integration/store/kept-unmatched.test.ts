// The unmatched items kept for `newswatch tune`, on a real dynalite: the items of the polls
// sharing a batch write are kept in one row per Korea day seen (a few when they would pass
// DynamoDB's 400 KB item limit), outside the byDay index, read back by publication window,
// latest seen once each, until keepUnmatchedDays after they were seen.
import { type AttributeValue, PutItemCommand, QueryCommand } from '@aws-sdk/client-dynamodb';
import { constants, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoStore, type DynamoStore } from '../../../adapters/dynamodb/store.ts';
import type { UnmatchedItem } from '../../../shared/store/port.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';

let db: TestDynamo;
let store: DynamoStore;
const DAY = 86_400_000;

beforeAll(async () => {
  db = await startDynalite();
  store = createDynamoStore({ client: db.client, tableName: db.tableName });
});
afterAll(async () => {
  await db?.close();
});

function item(id: string, sourceId: string, publishedAt: string, seenAt: string, over: Partial<UnmatchedItem> = {}): UnmatchedItem {
  return {
    id,
    url: `https://${sourceId}.example.kr/${id}`,
    title: `${id} 서울 아침 영하 10도`,
    lede: `${id} 주말까지 강추위가 이어지겠다.`,
    outlet: `매체 ${sourceId}`,
    sourceId,
    publishedAt,
    seenAt,
    ...over,
  };
}

/** The raw kept rows of the polls seen on a Korea day (a Query answers at most 1 MB at a time); `index`: the byDay index's KEPT#<day> partition. */
async function rowsOf(day: string, index = false) {
  const rows: Record<string, AttributeValue>[] = [];
  let start: Record<string, AttributeValue> | undefined;
  do {
    const r = await db.client.send(
      new QueryCommand({
        TableName: db.tableName,
        ...(index ? { IndexName: 'byDay' } : {}),
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': index ? 'gsi1pk' : 'pk' },
        ExpressionAttributeValues: { ':pk': { S: index ? `KEPT#${day}` : `KEPT#DAY#${day}` } },
        ...(start ? { ExclusiveStartKey: start } : {}),
      }),
    );
    rows.push(...(r.Items ?? []));
    start = r.LastEvaluatedKey;
  } while (start);
  return rows;
}

describe('unmatched items kept for tune', () => {
  it('lists the items published in the window, newest first, once each (the latest seen), whichever poll kept them', async () => {
    const seen1 = '2025-02-06T00:10:00.000Z';
    const seen2 = '2025-02-06T03:10:00.000Z';
    await store.savePolls([
      {
        at: new Date(seen1),
        keep: {
          days: 7,
          items: [
            item('w-old', 'yna', '2025-02-03T00:00:00.000Z', seen1),
            item('w-a', 'yna', '2025-02-05T23:00:00.000Z', seen1),
            item('w-both', 'yna', '2025-02-06T00:00:00.000Z', seen1, { title: 'first seen' }),
          ],
        },
      },
      {
        at: new Date(seen2),
        keep: {
          days: 7,
          items: [
            item('w-both', 'hani', '2025-02-06T00:00:00.000Z', seen2, { title: 'seen again' }),
            // A feed dating its item ahead: seen the day before it was "published".
            item('w-ahead', 'hani', '2025-02-07T01:00:00.000Z', seen2),
          ],
        },
      },
    ]);
    // The two polls of the batch (two sources) share one row, which the byDay index does not copy.
    expect(await rowsOf('2025-02-06')).toHaveLength(1);
    expect(await rowsOf('2025-02-06', true)).toEqual([]);

    const now = new Date('2025-02-06T06:00:00.000Z');
    const week = await store.listUnmatched({ since: new Date(now.getTime() - 2 * DAY), now });
    expect(week.map((i) => i.id)).toEqual(['w-ahead', 'w-both', 'w-a']);
    expect(week[1]).toEqual(item('w-both', 'hani', '2025-02-06T00:00:00.000Z', seen2, { title: 'seen again' }));
    const later = await store.listUnmatched({ since: new Date('2025-02-07T00:00:00.000Z'), now: new Date('2025-02-07T06:00:00.000Z') });
    expect(later.map((i) => i.id)).toEqual(['w-ahead']);
    const bounded = await store.listUnmatched({ since: new Date('2025-02-01T00:00:00.000Z'), until: new Date('2025-02-05T23:30:00.000Z'), now });
    expect(bounded.map((i) => i.id)).toEqual(['w-a', 'w-old']);
    expect((await store.listUnmatched({ since: new Date('2025-02-01T00:00:00.000Z'), limit: 2, now })).map((i) => i.id)).toEqual(['w-ahead', 'w-both']);
  });

  it('puts the polls of one batch seen on either side of midnight in Korea in their own day partitions, and reads both', async () => {
    // 15:00 UTC is midnight in Korea.
    const before = '2025-07-01T14:59:59.000Z';
    const after = '2025-07-01T15:00:01.000Z';
    await store.savePolls([
      { at: new Date(before), keep: { days: 7, items: [item('mid-a', 'late', '2025-07-01T14:00:00.000Z', before)] } },
      { at: new Date(after), keep: { days: 7, items: [item('mid-b', 'early', '2025-07-01T14:30:00.000Z', after)] } },
    ]);
    expect((await rowsOf('2025-07-01')).map((r) => r['count']?.N)).toEqual(['1']);
    expect((await rowsOf('2025-07-02')).map((r) => r['count']?.N)).toEqual(['1']);
    const listed = await store.listUnmatched({ since: new Date('2025-07-01T00:00:00.000Z'), now: new Date('2025-07-02T00:00:00.000Z') });
    expect(listed).toEqual([item('mid-b', 'early', '2025-07-01T14:30:00.000Z', after), item('mid-a', 'late', '2025-07-01T14:00:00.000Z', before)]);
  });

  it('keeps them until keepUnmatchedDays after they were seen, and not at all with 0 days', async () => {
    const seenAt = '2025-03-01T00:00:00.000Z';
    await store.savePolls([
      { at: new Date(seenAt), keep: { days: 3, items: [item('r-kept', 'ret', '2025-02-28T23:00:00.000Z', seenAt)] } },
      { at: new Date(seenAt), keep: { days: 0, items: [item('r-none', 'ret0', '2025-02-28T23:00:00.000Z', seenAt)] } },
    ]);
    const since = new Date('2025-02-28T00:00:00.000Z');
    const ids = async (now: string) => (await store.listUnmatched({ since, now: new Date(now) })).map((i) => i.id);
    expect(await ids('2025-03-03T23:59:00.000Z')).toEqual(['r-kept']);
    // dynalite has no TTL (and DynamoDB deletes late): the read leaves expired rows out.
    expect(await ids('2025-03-04T00:00:01.000Z')).toEqual([]);
    const [row, ...others] = await rowsOf('2025-03-01');
    expect(others).toEqual([]);
    expect(row?.['count']?.N).toBe('1');
  });

  it('keeps thousands of items of a batch of polls in a few rows, each under the 400 KB item limit, and reads every one back', async () => {
    // Random Hangul barely compresses: the worst case for the row size.
    let seed = 7;
    const hangul = (n: number) => String.fromCharCode(...Array.from({ length: n }, () => 0xac00 + ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % 11_172)));
    const seenAt = '2025-04-01T00:00:00.000Z';
    // One portal's poll of 3,000 items and 20 feeds' of 50: rows are cut inside a poll and between polls.
    const polls = [3_000, ...Array<number>(20).fill(50)].map((count, p) =>
      Array.from({ length: count }, (_, n) =>
        item(`big-${p}-${n}`, `src-${p}`, new Date(Date.parse(seenAt) - (p * 3_000 + n) * 1000).toISOString(), seenAt, {
          title: hangul(60),
          lede: hangul(300),
        }),
      ),
    );
    const items = polls.flat();
    const writes = db.writes();
    await store.savePolls(polls.map((items) => ({ at: new Date(seenAt), keep: { days: 7, items } })));
    // ~4 MB of text as a row per item would have been 160 batch writes.
    expect(db.writes() - writes).toBeLessThanOrEqual(2);

    const rows = await rowsOf('2025-04-01');
    expect(rows.length).toBeGreaterThan(1);
    expect(rows.length).toBeLessThan(25);
    for (const row of rows) expect(row['items']?.B?.byteLength).toBeLessThanOrEqual(350_000);
    expect(rows.reduce((n, r) => n + Number(r['count']?.N), 0)).toBe(4_000);

    const back = await store.listUnmatched({ since: new Date('2025-03-31T00:00:00.000Z'), now: new Date(seenAt) });
    expect(back).toHaveLength(4_000);
    expect(back).toEqual(items);
  });

  it('still reads the rows of the older layout (a row per item) until they expire', async () => {
    const S = (s: string) => ({ S: s });
    await db.client.send(
      new PutItemCommand({
        TableName: db.tableName,
        Item: {
          pk: S('KEPT#legacy-1'),
          sk: S('KEPT'),
          kind: S('kept'),
          id: S('legacy-1'),
          url: S('https://old.example.kr/1'),
          title: S('예전 형식'),
          lede: S('행마다 한 항목'),
          outlet: S('옛 매체'),
          sourceId: S('old'),
          publishedAt: S('2025-05-01T01:00:00.000Z'),
          seenAt: S('2025-05-01T01:05:00.000Z'),
          gsi1pk: S('KEPT#2025-05-01'),
          gsi1sk: S('2025-05-01T01:00:00.000Z#legacy-1'),
          expiresAt: { N: String(Date.parse('2025-05-08T01:05:00.000Z') / 1000) },
        },
      }),
    );
    const since = new Date('2025-04-30T00:00:00.000Z');
    const listed = await store.listUnmatched({ since, now: new Date('2025-05-02T00:00:00.000Z') });
    expect(listed).toEqual([
      item('legacy-1', 'old', '2025-05-01T01:00:00.000Z', '2025-05-01T01:05:00.000Z', {
        url: 'https://old.example.kr/1',
        title: '예전 형식',
        lede: '행마다 한 항목',
        outlet: '옛 매체',
      }),
    ]);
    expect(await store.listUnmatched({ since, now: new Date('2025-05-09T00:00:00.000Z') })).toEqual([]);
  });

  it('still reads the rows of the per-source layout (a poll of one source a row, in the byDay index) until they expire', async () => {
    const seenAt = '2025-06-01T02:00:00.000Z';
    const tuples = [
      ['ps-1', 'https://ps.example.kr/1', '출처별 형식 하나', '소스마다 한 행', '매체 ps', '2025-06-01T01:00:00.000Z'],
      ['ps-2', 'https://ps.example.kr/2', '출처별 형식 둘', '두 번째 항목', '매체 ps', '2025-06-01T01:30:00.000Z'],
    ];
    const S = (s: string) => ({ S: s });
    await db.client.send(
      new PutItemCommand({
        TableName: db.tableName,
        Item: {
          pk: S('KEPT#ps'),
          sk: S(`POLL#${seenAt}#ps-1`),
          kind: S('kept'),
          sourceId: S('ps'),
          seenAt: S(seenAt),
          count: { N: '2' },
          items: { B: gzipSync(JSON.stringify(tuples), { level: constants.Z_BEST_SPEED }) },
          gsi1pk: S('KEPT#2025-06-01'),
          gsi1sk: S(`${seenAt}#ps#ps-1`),
          expiresAt: { N: String(Date.parse('2025-06-08T02:00:00.000Z') / 1000) },
        },
      }),
    );
    const since = new Date('2025-05-31T00:00:00.000Z');
    const listed = await store.listUnmatched({ since, now: new Date('2025-06-02T00:00:00.000Z') });
    expect(listed).toEqual(
      tuples
        .reverse()
        .map(([id, url, title, lede, outlet, publishedAt]) =>
          item(id!, 'ps', publishedAt!, seenAt, { url: url!, title: title!, lede: lede!, outlet: outlet! }),
        ),
    );
    expect(await store.listUnmatched({ since, now: new Date('2025-06-09T00:00:00.000Z') })).toEqual([]);
  });
});
