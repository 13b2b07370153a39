// `newswatch run` reads feeds on a thread of its own (cli/feed-worker.ts). What comes back
// must be exactly what the poller's own thread reads, errors included, and a thread that dies
// must cost only the feed it was reading.
import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { startFeedWorker } from '../../../cli/feed-worker.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { classifyItem, topicsDigest } from '../../../shared/classify/item-classification.ts';
import { loadConfig } from '../../../shared/config/load.ts';
import { storyId } from '../../../shared/extract/index.ts';
import { type FeedBody, readFeedBody } from '../../../shared/sources/feed-read.ts';

const FEEDS = new URL('../../fixtures/feeds/', import.meta.url);

function bodyOf(file: string, sourceId = 'src'): FeedBody {
  return {
    sourceId,
    outlet: '매체',
    body: readFileSync(new URL(file, FEEDS)),
    url: 'https://news.example.kr/rss/all.xml',
    now: '2025-02-06T06:00:00.000Z',
    ...(file.includes('euckr') ? { contentType: 'application/rss+xml; charset=euc-kr' } : {}),
  };
}

/** A read's outcome as plain data: the items, or the error's kind, message and retryability. */
const outcome = (read: Promise<unknown>) =>
  read.then(
    (r) => ({ read: r }),
    (e: Error & { retryable?: boolean; line?: number }) => ({ error: { name: e.name, message: e.message, retryable: e.retryable, line: e.line } }),
  );

/** A well-formed RSS feed of `n` items, each with a body of `size` characters (one that takes a while to read). */
function bigFeed(n: number, size: number): Buffer {
  const body = '반도체 '.repeat(Math.ceil(size / 4)).slice(0, size);
  const items = Array.from({ length: n }, (_, i) => `<item><title>기사 ${i}</title><link>https://a.kr/${i}</link><description>${body}</description></item>`);
  return Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel><title>큰 피드</title>${items.join('')}</channel></rss>`);
}

describe('the feed worker', () => {
  it('reads every fixture feed as the poller thread does, all at once: items, warnings, title, or the same error', async () => {
    const files = readdirSync(FEEDS).filter((f) => /\.(xml|html)$/.test(f));
    expect(files.length).toBeGreaterThanOrEqual(10);
    const worker = startFeedWorker();
    try {
      await worker.ready;
      expect(worker.unusable).toBeUndefined();
      const inThread = await Promise.all(files.map((f, i) => outcome(worker.read(bodyOf(f, `s${i}`)))));
      const here = await Promise.all(files.map((f, i) => outcome(readFeedBody(bodyOf(f, `s${i}`)))));
      expect(inThread).toEqual(here);
      // Both kinds of failure crossed: a page that is not a feed, and XML broken before any item.
      const errors = here.flatMap((o) => ('error' in o ? [o.error] : []));
      expect(errors.map((e) => e.name).sort()).toEqual(expect.arrayContaining(['FeedSyntaxError', 'SourceError']));
      // The Korean text came through the EUC-KR decoding and the thread boundary intact.
      const euc = inThread[files.indexOf('boannews-euckr.xml')] as { read: { items: { title: string }[] } };
      expect(euc.read.items[0]!.title).toMatch(/[가-힣]/);
    } finally {
      await worker.close();
    }
  });

  it('given the topics, classifies every item it reads as the poller thread would', async () => {
    const { topics } = loadConfig('newswatch.config.yaml');
    const classifier = compileClassifier(topics);
    const worker = startFeedWorker({ topics });
    try {
      await worker.ready;
      let matched = 0;
      for (const file of readdirSync(FEEDS).filter((f) => /\.xml$/.test(f))) {
        const read = await worker.read(bodyOf(file)).catch(() => undefined);
        if (!read) continue; // not a feed: nothing to classify
        expect(read.classified?.with, file).toBe(topicsDigest(topics));
        expect(read.classified?.classifications, file).toEqual(read.items.map((item) => classifyItem(classifier, item)));
        matched += read.classified!.classifications.filter((c) => c && c.topics.length > 0).length;
      }
      expect(matched).toBeGreaterThan(0); // the fixtures hold stories about the topics
      // Items the poller will not use a classification of are left unclassified: those the source
      // listed last poll, and those whose article page it fetches.
      const yna = bodyOf('yna-news.xml');
      const all = await worker.read(yna);
      const listedFirst = await worker.read({ ...yna, unclassified: { listed: [storyId(all.items[0]!.url)], fetchArticle: 'never' } });
      expect(listedFirst.classified!.classifications).toEqual([null, ...all.classified!.classifications.slice(1)]);
      const pagesFetched = await worker.read({ ...yna, unclassified: { listed: [], fetchArticle: 'always' } });
      expect(pagesFetched.classified!.classifications).toEqual(all.items.map(() => null));
    } finally {
      await worker.close();
    }
  });

  it('a thread that dies costs only the feed it was reading: the feeds queued behind it are read by a new thread, and so is the next poll', async () => {
    const worker = startFeedWorker({ module: new URL('../../support/feed-thread-that-dies.ts', import.meta.url) });
    try {
      await worker.ready;
      const good = bodyOf('yna-news.xml', 'before');
      const queued = ['after-1', 'after-2', 'after-3'].map((id) => bodyOf('aitimes-allArticle.xml', id));
      const [before, died, ...after] = await Promise.all([good, bodyOf('yna-news.xml', 'dies'), ...queued].map((b) => outcome(worker.read(b))));
      const expected = (await readFeedBody(good)).items.length;
      expect(before).toHaveProperty('read.items.length', expected);
      expect(died).toEqual({
        error: expect.objectContaining({
          name: 'SourceError',
          retryable: true,
          message: "dies: the feed reader's thread stopped while reading this feed (it exited with code 3); it is read again at the next poll",
        }),
      });
      const queuedItems = (await readFeedBody(queued[0]!)).items.length;
      expect(queuedItems).toBeGreaterThan(0);
      for (const a of after) expect(a).toHaveProperty('read.items.length', queuedItems);
      // The next poll's read gets a thread again.
      expect(await outcome(worker.read(bodyOf('yna-news.xml', 'next-poll')))).toHaveProperty('read.items.length', expected);
    } finally {
      await worker.close();
    }
  });

  it('a thread that cannot load its modules leaves the feeds to the caller’s thread: nothing is lost', async () => {
    const worker = startFeedWorker({ module: new URL('../../support/no-such-thread.ts', import.meta.url) });
    try {
      const read = worker.read(bodyOf('yna-news.xml', 'first'));
      await worker.ready;
      expect(worker.unusable).toMatch(/no-such-thread/);
      expect(await outcome(read)).toEqual(await outcome(readFeedBody(bodyOf('yna-news.xml', 'first'))));
      expect(await outcome(worker.read(bodyOf('rdf-1.0.xml', 'later')))).toEqual(await outcome(readFeedBody(bodyOf('rdf-1.0.xml', 'later'))));
    } finally {
      await worker.close();
    }
  });

  it('reads still pending when it closes fail as retryable, and reads after fail at once', async () => {
    const worker = startFeedWorker();
    await worker.ready;
    const pending = outcome(worker.read({ ...bodyOf('yna-news.xml', 'late'), body: bigFeed(3_000, 500) }));
    await worker.close();
    expect(await pending).toEqual({ error: expect.objectContaining({ name: 'SourceError', retryable: true, message: expect.stringMatching(/^late: /) }) });
    expect(await outcome(worker.read(bodyOf('yna-news.xml', 'after')))).toEqual({ error: expect.objectContaining({ retryable: true }) });
  });
});
