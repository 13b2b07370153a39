// `newswatch run` stores for each feed item the topics the classifier gives that item's
// title and text: a user (and `npm run eval`'s e2e figures) sees what run stores, so the
// feed path must not change what is classified. Labelled news of the eval's dev split,
// served as real RSS feeds on 127.0.0.1, polled by the real `run --once` in-process.
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { loadConfig } from '../../../shared/config/load.ts';
import { ROOT } from '../../support/cli.ts';
import { type NewsItem, type RunOverFeeds, runOverFeeds } from '../../support/run-over-feeds.ts';

const classifier = compileClassifier(loadConfig(`${ROOT}newswatch.config.yaml`).topics);
const direct = (it: NewsItem) => classifier.classify({ title: it.title, body: it.body });

const dev = readFileSync(`${ROOT}test/eval/data/topics-dev.jsonl`, 'utf8')
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as NewsItem);
// A fixed rule, not a choice: every 10th line. It holds items without a headline (their
// page showed none), a body with `S&P`, and items matching no topic.
const sample = dev.filter((_, i) => i % 10 === 0);

// A feed that carries the whole article in <description>: a long text whose topic comes
// only after its first 2,000 characters (the dev items matching nothing, in file order,
// then the first sampled item that matches something), under a headline matching nothing.
const negatives = dev.filter((it) => direct(it).topics.length === 0);
let filler = '';
for (const it of negatives) if (filler.length < 3000) filler += `${it.body} `;
const topical = sample.find((it) => direct(it).topics.length > 0)!;
const long: NewsItem = {
  id: 'long-description',
  url: 'https://example.com/news/long-description',
  outlet: '전문 매체',
  title: negatives.find((it) => it.title !== '')!.title,
  body: filler + topical.body,
};

describe('newswatch run over feeds stores what the classifier says', () => {
  let run: RunOverFeeds;
  beforeAll(async () => {
    run = await runOverFeeds([...sample, long]);
  }, 60_000);

  it('stores every item of the sample with the topics the classifier gives it (and unmatched ones as unmatched)', () => {
    expect(run.code).toBe(0);
    expect(sample.length).toBeGreaterThanOrEqual(25);
    expect(sample.some((it) => it.title === '' && direct(it).topics.length > 0)).toBe(true);
    for (const it of sample) {
      const want = direct(it);
      const story = run.stories.get(it.id);
      if (want.topics.length === 0) {
        expect(story, it.id).toBeUndefined();
        expect(run.unmatched.has(it.id), `${it.id} read and kept as unmatched`).toBe(true);
        continue;
      }
      expect(story, `${it.id} stored`).toBeDefined();
      expect(story!.topics, it.id).toEqual(want.topics);
      for (const t of want.topics) expect(story!.why[t]?.score, `${it.id} ${t}`).toBe(want.why[t]!.score);
    }
    // run prints a matched item without a headline as the digest and Slack show it, not as a blank line.
    expect(run.stdout).toContain('(제목 없음)');
  });

  it('classifies a long <description> whole, not its first 2,000 characters', () => {
    expect(long.body.indexOf(topical.body)).toBeGreaterThan(2000);
    const want = direct(long);
    expect(want.topics.length).toBeGreaterThan(0);
    const story = run.stories.get(long.id);
    expect(story?.topics).toEqual(want.topics);
    for (const t of want.topics) expect(story!.why[t]?.score).toBe(want.why[t]!.score);
    // The summary people see is still short.
    expect(story!.summary.length).toBeLessThanOrEqual(300);
  });
});
