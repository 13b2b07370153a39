// `newswatch run` groups syndicated copies and links related coverage as the clusterer called
// directly does (`npm run eval`'s syndication figures end to end rest on it): the feed path must
// not change what the dedupe reads (the text, its paragraphs, the publication times) nor lose
// what it decides (related links to stories stored in the same cycle). The committed syndication
// cases (one wire story and its re-runs, the same event in other words, a bridge, a follow-up
// next day, two reports quoting one statement), one RSS feed per outlet on 127.0.0.1 with each
// article's own pubDate, polled by the real `run --once` in-process.
import { beforeAll, describe, expect, it } from 'vitest';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { loadConfig } from '../../../shared/config/load.ts';
import { type ClusterAssignment, createClusterer, createMemoryClusterIndex, type DedupeInput } from '../../../shared/dedupe/index.ts';
import { storyId } from '../../../shared/extract/index.ts';
import { ROOT } from '../../support/cli.ts';
import { type RunOverFeeds, runOverFeeds } from '../../support/run-over-feeds.ts';
import * as cases from '../dedupe/cases.ts';

const classifier = compileClassifier(loadConfig(`${ROOT}newswatch.config.yaml`).topics);
const all = Object.values(cases)
  .filter((c): c is DedupeInput => typeof c === 'object' && c !== null && 'body' in c)
  .sort((a, b) => a.publishedAt.localeCompare(b.publishedAt) || a.id.localeCompare(b.id));
/**
 * The order run gets them in: one feed per outlet, the feeds in the order of their first article
 * (see perHostConcurrency below), each feed's articles oldest first. The order of arrival picks
 * the leader and what a story can link to (the wire's feed brings the next day's follow-up along
 * before the other outlets' re-runs of the wire: it is not linked through them, as it would be
 * in publication order). Only the stories that match a topic: run stores and clusters no other.
 */
const outlets = [...new Set(all.map((c) => c.outlet))];
const matched = outlets
  .flatMap((o) => all.filter((c) => c.outlet === o))
  .filter((c) => classifier.classify({ title: c.title, body: c.body }).topics.length > 0);

/** Clusters and related links, as eval ids: each case's cluster leader and the leaders it links to. */
interface Grouping {
  cluster: Map<string, string>;
  related: Map<string, string[]>;
}

async function direct(inputs: DedupeInput[]): Promise<Grouping> {
  const clusterer = createClusterer(createMemoryClusterIndex());
  const out: Grouping = { cluster: new Map(), related: new Map() };
  for (const c of inputs) {
    const a: ClusterAssignment = await clusterer.assign(c);
    out.cluster.set(c.id, a.clusterId);
    out.related.set(c.id, [...(a.related ?? [])].sort());
  }
  return out;
}

/** Pairs of ids grouped together by `of`. */
function pairs(ids: string[], of: (id: string) => string): string[] {
  const out: string[] = [];
  for (const [i, a] of ids.entries()) for (const b of ids.slice(i + 1)) if (of(a) === of(b)) out.push(`${a} + ${b}`);
  return out;
}

describe('newswatch run over feeds groups copies as the clusterer called directly does', () => {
  let run: RunOverFeeds;
  let want: Grouping;
  const byStoryId = new Map(all.map((c) => [storyId(c.url), c.id]));
  const ran = (id: string) => byStoryId.get(run.stories.get(id)!.clusterId) ?? `unknown ${id}`;

  beforeAll(async () => {
    want = await direct(matched);
    // One request at a time to the served feeds (all on 127.0.0.1): they arrive in the order of
    // their first article, the order the direct clusterer is given (leader choice and links
    // follow the order of arrival); each feed's stories are still assigned all at once, and the
    // next feed's while they are in flight.
    run = await runOverFeeds(
      all.map((c) => ({ id: c.id, url: c.url, outlet: c.outlet, title: c.title, body: c.body, publishedAt: c.publishedAt })),
      { settings: { perHostConcurrency: 1 } },
    );
  }, 60_000);

  it('stores every matching case, each in the cluster the clusterer puts it in', () => {
    expect(run.code, run.stderr).toBe(0);
    expect(matched.length).toBeGreaterThanOrEqual(10);
    for (const c of all) expect(run.stories.has(c.id), c.id).toBe(matched.includes(c));
    const ids = matched.map((c) => c.id);
    const copies = pairs(ids, (id) => want.cluster.get(id)!);
    // Not a vacuous sample: re-runs of the wire and of its light edit are copies.
    expect(copies).toEqual(expect.arrayContaining(['wire + regional', 'wire + light-edit', 'light-edit + re-run']));
    expect(pairs(ids, ran)).toEqual(copies);
    for (const id of ids) expect(ran(id), id).toBe(want.cluster.get(id));
  });

  it('links the same related coverage, also between stories stored in the same poll', () => {
    const linked = (id: string) => (run.stories.get(id)!.related ?? []).map((r) => byStoryId.get(r.id) ?? r.id).sort();
    const expected = Object.fromEntries(matched.map((c) => [c.id, want.related.get(c.id)]));
    // The independent report and the wire are related coverage; so are the two briefings (one feed each, one cycle).
    expect(expected.independent).toContain('wire');
    expect(expected['briefing-b']).toContain('briefing-a');
    expect(Object.fromEntries(matched.map((c) => [c.id, linked(c.id)]))).toEqual(expected);
    // Delivery shows a related story by its outlet and headline: the link carries them.
    const link = run.stories.get('independent')!.related!.find((r) => byStoryId.get(r.id) === 'wire')!;
    expect(link).toMatchObject({ outlet: cases.wire.outlet, title: cases.wire.title, url: cases.wire.url });
  });
});

describe('the clusterer given stories at once (one poll stores a feed’s stories together)', () => {
  it('links related coverage among them as it does one story after another', async () => {
    const stories = [cases.wire, cases.trimmed, cases.independentSameDay, cases.briefingA, cases.briefingB];
    const one = await direct(stories);
    const clusterer = createClusterer(createMemoryClusterIndex());
    const together = await Promise.all(stories.map((c) => clusterer.assign(c)));
    expect(one.related.get('independent')).toEqual(['wire']);
    expect(one.related.get('briefing-b')).toEqual(['briefing-a']);
    expect(Object.fromEntries(stories.map((c, i) => [c.id, [together[i]!.clusterId, [...(together[i]!.related ?? [])].sort()]]))).toEqual(
      Object.fromEntries(stories.map((c) => [c.id, [one.cluster.get(c.id), one.related.get(c.id)]])),
    );
  });
});
