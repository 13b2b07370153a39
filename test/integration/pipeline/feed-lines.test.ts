// A full-text feed keeps its paragraphs and list items as lines for the classifier, as an
// article page does: a related-headlines list at an article's foot is page chrome (its
// short lines count a tenth), not the article. Served over real HTTP, polled by the real
// pipeline into dynalite, with the shipped topics.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config/load.ts';
import type { Config } from '../../../shared/config/schema/index.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { startDynalite, type TestDynamo } from '../../support/dynalite.ts';
import { type FixtureServer, startFixtureServer } from '../../support/fixture-server.ts';
import { pipelineDeps } from './support.ts';

let db: TestDynamo;
let server: FixtureServer;

beforeEach(async () => {
  db = await startDynalite();
  server = await startFixtureServer({
    '/rss.xml': { file: 'feeds/full-text-related.xml', headers: { 'content-type': 'application/rss+xml; charset=utf-8' } },
  });
});
afterEach(async () => {
  await server.close();
  await db.close();
});

function feedConfig(): Config {
  const shipped = loadConfig('newswatch.config.yaml');
  return {
    ...shipped,
    settings: { ...shipped.settings, allowPrivateNetwork: true },
    sources: [{ id: 'regional', kind: 'rss', outlet: '지역경제신문', url: server.url('/rss.xml'), enabled: true, fetchArticle: 'auto' }],
  } as Config;
}

describe('a full-text feed item with a related-headlines list at its foot', () => {
  it('does not match on the list alone, still matches on its paragraphs, and shows a one-line lede', async () => {
    const config = feedConfig();
    const deps = pipelineDeps(config, db.client, db.tableName, new Date('2025-02-06T06:00:00Z'));
    const [report] = await pollSources(deps, config.sources);
    expect(report).toMatchObject({ ok: true, items: 2, warnings: [] });
    // No article page was fetched: the feed carries the text.
    expect(server.requests.map((r) => r.path)).toEqual(['/rss.xml']);

    const stored = report!.created;
    // The festival story names DeepSeek, Nvidia's H200 and the sovereign-AI teams only in the list.
    expect(stored.map((s) => s.title)).toEqual(['강원 스타트업, 중국 AI 모델 도입 검토']);
    const startups = stored[0]!;
    expect(startups.topics).toEqual(['deepseek']);
    expect(startups.why.deepseek!.hits[0]).toMatchObject({ term: '딥시크', field: 'body', kind: 'strong', weight: 6 });
    // The lede shown in Slack and the digest is still one line, the paragraphs run together.
    expect(startups.summary).not.toContain('\n');
    expect(startups.summary.startsWith('강원 지역 스타트업들이 딥시크의 오픈소스 모델을 자체 서비스에 도입하는 방안을 검토하고 있다. 업계에 따르면')).toBe(
      true,
    );
    expect(startups.summary).toContain('시험 적용했다. 이들 기업은');
  });
});
