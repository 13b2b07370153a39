// A story the store refuses (here: over the item size limit, made small so a real story
// crosses it) is skipped with a warning; its feed's other stories and the other sources
// are stored, and the source is not failed for it (before: the source failed on every poll).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import { createSoleWriterStore } from '../../../adapters/dynamodb/sole-writer.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { startFixtureServer, type FixtureServer } from '../../support/fixture-server.ts';
import { DEMO_NOW, pipelineDeps } from './support.ts';

let db: TestDynamo;
let feeds: FixtureServer;

const pub = new Date(DEMO_NOW.getTime() - 10 * 60_000).toUTCString();
const item = (guid: string, title: string, description: string, link: string) =>
  `<item><title><![CDATA[${title}]]></title><link>${link}</link><guid isPermaLink="false">${guid}</guid><description><![CDATA[${description}]]></description><pubDate>${pub}</pubDate></item>`;
const rss = (items: string[]) => `<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>t</title>${items.join('')}</channel></rss>`;

// The long story: every field within its cap, yet its row is over this table's limit.
const LONG_TITLE = `GPU ${'엔비디아 GPU 수출 통제 '.repeat(30)}`.slice(0, 480);

beforeEach(async () => {
  db = await startDynalite({ maxItemSizeKb: 1 });
  feeds = await startFixtureServer({
    '/mixed.xml': {
      body: rss([
        item('long-1', LONG_TITLE, `${'엔비디아 GPU 수출 통제 강화. '.repeat(40)}`, 'https://news.example.com/long'),
        item('short-1', 'GPU 공급', 'GPU 공급 확대', 'https://news.example.com/short'),
      ]),
    },
    '/other.xml': { body: rss([item('other-1', 'H100 GPU', 'H100 GPU 도입', 'https://other.example.com/h100')]) },
  });
});
afterEach(async () => {
  await feeds.close();
  await db.close();
});

function config() {
  return parseConfig(
    `version: 1
settings: { allowPrivateNetwork: true }
topics:
  gpu: { label: GPU, strong: [GPU, H100] }
sources:
  - { kind: rss, id: mixed, outlet: 혼합, url: "${feeds.url('/mixed.xml')}", fetchArticle: never }
  - { kind: rss, id: other, outlet: 다른, url: "${feeds.url('/other.xml')}", fetchArticle: never }
`,
    'unstorable.yaml',
  );
}

describe('a story the store refuses', () => {
  it.each([
    ['the Lambdas (conditional put per story)', false],
    ['the local run (batch writes shared by every source)', true],
  ])('is skipped with a warning through %s; the feed and the other source go on', async (_how, sole) => {
    const deps = pipelineDeps(config(), db.client, db.tableName);
    if (sole) deps.store = createSoleWriterStore(createDynamoStore({ client: db.client, tableName: db.tableName }), { now: () => DEMO_NOW });
    const reports = await pollSources(deps, deps.config.sources);
    const mixed = reports.find((r) => r.sourceId === 'mixed')!;
    const other = reports.find((r) => r.sourceId === 'other')!;

    expect(mixed.ok).toBe(true);
    expect(other.ok).toBe(true);
    expect(mixed.created.map((s) => s.url)).toEqual(['https://news.example.com/short']);
    expect(other.created.map((s) => s.url)).toEqual(['https://other.example.com/h100']);
    expect(mixed.warnings.join('\n')).toMatch(/story skipped, the store refuses it .*size.*https:\/\/news\.example\.com\/long/s);
    expect((await deps.store.getSourceState('mixed'))?.consecutiveFailures).toBe(0);
  });
});
