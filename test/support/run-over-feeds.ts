// Labelled news items served as real RSS 2.0 feeds on 127.0.0.1, polled once by the real
// `newswatch run --once` (in-process) into a temporary embedded store, and read back per
// item: what a user of `run` sees, for comparing with the classifier called directly
// (test/eval/e2e.eval.ts, test/integration/cli-run/same-topics.test.ts).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { openLocalStore } from '../../cli/local-store.ts';
import { storyId } from '../../shared/extract/index.ts';
import type { Story } from '../../shared/model.ts';
import { runCli, ROOT } from './cli.ts';
import { startFixtureServer } from './fixture-server.ts';

/** One news item as the eval sets hold it (test/eval/data/README.md). */
export interface NewsItem {
  id: string;
  url: string;
  outlet: string;
  title: string;
  body: string;
  /**
   * The item's <pubDate>: a UTC ISO time, a bare date (YYYY-MM-DD, Korea time: served as
   * 00:00 +0900, what a feed that knows only the day carries), or null for none (run then
   * dates the story when it first saw it). Absent: the time the feeds were served.
   */
  publishedAt?: string | null;
}

export interface RunOverFeeds {
  /** Each item's own story row (a copy has its own row too); absent when `run` stored none. */
  stories: Map<string, Story>;
  /** Items `run` read and classified as matching nothing (kept for `tune`). */
  unmatched: Set<string>;
  /** The run's exit code and output. */
  code: number;
  stdout: string;
  stderr: string;
  /** Number of feeds served (one per outlet). */
  feeds: number;
}

const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

const KST = 9 * 3_600_000;

/** RFC 822 in Korea time, as Korean feeds write it: `Thu, 06 Feb 2025 13:06:40 +0900`. */
export function rfc822Kst(publishedAt: string): string {
  const t = /^\d{4}-\d{2}-\d{2}$/.test(publishedAt) ? Date.parse(`${publishedAt}T00:00:00+09:00`) : Date.parse(publishedAt);
  return new Date(t + KST).toUTCString().replace('GMT', '+0900');
}

/** A text as a full-text feed's HTML carries it: each line a paragraph, its text escaped. */
const paragraphs = (text: string) =>
  text
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => `<p>${xml(l)}</p>`)
    .join('');

/** A CDATA section of `text` (a `]]>` inside it split across two sections, as feeds must). */
const cdata = (text: string) => `<![CDATA[${text.replaceAll(']]>', ']]]]><![CDATA[>')}]]>`;

/**
 * One RSS 2.0 feed: title (plain text, RSS's <title>), link = the item's URL, description =
 * the body as HTML (a paragraph per line, escaped, so the text is what a reader shows), pubDate = the item's own
 * (see NewsItem.publishedAt) or `now`. An item with no headline has no <title>: RSS 2.0
 * needs only one of title and description. With `cdata`, the title and description are CDATA
 * sections, as most Korean outlets write them; otherwise XML-escaped text.
 */
export function rssFeed(outlet: string, items: NewsItem[], now: Date, options: { cdata?: boolean } = {}): string {
  const pubDateOf = (it: NewsItem) => (it.publishedAt === undefined ? now.toUTCString() : it.publishedAt === null ? undefined : rfc822Kst(it.publishedAt));
  const field = options.cdata ? cdata : xml;
  const entries = items.map((it) => {
    const pubDate = pubDateOf(it);
    return `    <item>
${it.title ? `      <title>${field(it.title)}</title>\n` : ''}      <link>${xml(it.url)}</link>
      <guid isPermaLink="true">${xml(it.url)}</guid>
      <description>${field(paragraphs(it.body))}</description>
${pubDate ? `      <pubDate>${pubDate}</pubDate>\n` : ''}    </item>`;
  });
  return `<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0">
  <channel>
    <title>${xml(outlet)}</title>
    <link>https://example.com/</link>
    <description>${xml(outlet)}</description>
${entries.join('\n')}
  </channel>
</rss>
`;
}

/**
 * Serves `items` as one feed per outlet (each in the order given), runs `newswatch run --once` over them with the
 * shipped config's topics and settings (`options.settings` overrides some; article pages not fetched: the feed carries the text, and no
 * request leaves 127.0.0.1), and reads back what it stored. Everything lives in a
 * temporary directory removed before returning.
 */
export async function runOverFeeds(items: NewsItem[], options: { settings?: Record<string, unknown> } = {}): Promise<RunOverFeeds> {
  const byOutlet = new Map<string, NewsItem[]>();
  for (const it of items) byOutlet.set(it.outlet, [...(byOutlet.get(it.outlet) ?? []), it]);
  const outlets = [...byOutlet.keys()];
  const now = new Date();
  const server = await startFixtureServer(
    Object.fromEntries(
      // Every other outlet writes its titles and bodies as CDATA, the others as escaped text: run reads both the same.
      outlets.map((o, i) => [
        `/feed-${i}.xml`,
        { body: rssFeed(o, byOutlet.get(o)!, now, { cdata: i % 2 === 1 }), headers: { 'content-type': 'application/rss+xml; charset=utf-8' } },
      ]),
    ),
  );
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-e2e-'));
  try {
    // The shipped config as a user has it, its sources swapped for the served feeds.
    const doc = parseDocument(readFileSync(join(ROOT, 'newswatch.config.yaml'), 'utf8'));
    doc.set(
      'sources',
      outlets.map((outlet, i) => ({ id: `feed-${i}`, kind: 'rss', outlet, url: server.url(`/feed-${i}.xml`), fetchArticle: 'never' })),
    );
    for (const [key, value] of Object.entries(options.settings ?? {})) doc.setIn(['settings', key], value);
    const configFile = join(dir, 'config.yaml');
    writeFileSync(configFile, String(doc));
    const store = join(dir, 'store');
    const r = await runCli(['run', '--once', '--config', configFile, '--store', store, '--allow-private-network'], { env: { NO_COLOR: '1' } });

    const stories = new Map<string, Story>();
    const unmatched = new Set<string>();
    const local = await openLocalStore(store);
    try {
      const found = await Promise.all(items.map((it) => local.store.getStory(storyId(it.url))));
      for (const [i, s] of found.entries()) if (s) stories.set(items[i]!.id, s);
      const kept = new Set((await local.store.listUnmatched({ since: new Date(now.getTime() - 3600_000), now })).map((u) => u.id));
      for (const it of items) if (kept.has(storyId(it.url))) unmatched.add(it.id);
    } finally {
      await local.close();
    }
    return { stories, unmatched, code: r.code, stdout: r.stdout, stderr: r.stderr, feeds: outlets.length };
  } finally {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}
