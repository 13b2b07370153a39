// The items a poll found new: fetch article pages where the feed carried a teaser,
// classify, cluster and conditionally write the matched stories; the unmatched are
// returned for the SEEN markers and `newswatch tune`.
import type { Classifier } from '../classify/index.ts';
import { classifyItem, topicsDigest } from '../classify/item-classification.ts';
import type { Source } from '../config/schema/index.ts';
import { fetchArticle, needsArticleFetch } from '../extract/index.ts';
import type { Fetcher } from '../fetch/index.ts';
import { mapLimit } from '../map-limit.ts';
import type { Item, RelatedStory, Story } from '../model.ts';
import { NewswatchError } from '../retryable-error.ts';
import { isUnstorable } from '../store/errors.ts';
import type { SourceRead } from '../sources/index.ts';
import type { UnmatchedItem } from '../store/port.ts';
import { koreaDay } from '../time.ts';
import { collapseWhitespace } from '../whitespace.ts';
import { newPages } from './novelty.ts';
import type { Runtime } from './runtime.ts';
import type { PipelineDeps, SourceReport } from './types.ts';

/** Article pages fetched at once per source: polite to one outlet, quick enough for 50 items. */
const ARTICLE_CONCURRENCY = 4;

interface Classified {
  id: string;
  item: Item;
  /** Its article page was fetched (the feed carried a teaser). */
  fetched: boolean;
  /** The page failed in a way that may pass (a timeout, a 5xx): classified on the teaser for now. */
  retry: boolean;
  classification: ReturnType<Classifier['classify']>;
}

/**
 * Store the new matched stories among the items a feed added; returns the ids of those whose
 * article page was fetched and matched nothing (remembered so no source fetches them again),
 * every unmatched item's title and lede (kept for `newswatch tune`), and the items whose page
 * failed for now and whose teaser matched nothing (`retry`, shaped as kept items: the
 * source-state policy, pageRetries, decides whether the next poll tries the page again or
 * keeps the teaser).
 */
export async function processItems(
  deps: PipelineDeps,
  rt: Runtime,
  source: Source,
  added: Map<string, Item>,
  now: Date,
  report: SourceReport,
  readClassified?: SourceRead['classified'],
): Promise<{ seen: string[]; kept: UnmatchedItem[]; retry: UnmatchedItem[] }> {
  // An item that needs its page fetched is first checked against the stories and pages every
  // source has stored (one BatchGetItem): a page is fetched once. An item carrying its text is
  // classified straight away; if it is a stored story, the clusterer and the conditional
  // story write find it.
  const withPage = new Set([...added].filter(([, item]) => needsArticleFetch(item, source)).map(([id]) => id));
  const unseenPages = new Set(await newPages(deps.store, [...withPage], now));
  const fresh = [...added].filter(([id]) => !withPage.has(id) || unseenPages.has(id));
  report.fresh = fresh.length;
  if (fresh.length === 0) return { seen: [], kept: [], retry: [] };

  // Items the reader classified as it read them (the CLI's feed worker) with these very topics
  // keep that classification; an item whose page is fetched is classified on the page's text.
  const known = readClassified && readClassified.with === topicsDigest(deps.config.topics) ? readClassified.of : undefined;
  const classify = (id: string, item: Item, fetched: boolean, retry = false): Classified => ({
    id,
    item,
    fetched,
    retry,
    classification: (!fetched && known?.get(item)) || classifyItem(rt.classifier, item),
  });
  // An item that carries its text is classified at once; only those whose page is fetched go
  // through the pool (a first poll of 200 feeds is 6,000 items, nearly none of them fetched:
  // an async call and its promises each was work for nothing).
  const classified = new Array<Classified>(fresh.length);
  const pages: number[] = [];
  for (let i = 0; i < fresh.length; i++) {
    const [id, item] = fresh[i]!;
    if (withPage.has(id)) pages.push(i);
    else classified[i] = classify(id, item, false);
  }
  await mapLimit(pages, ARTICLE_CONCURRENCY, async (i) => {
    const [id, item] = fresh[i]!;
    const read = await withArticle(rt.fetcher, source, item, report.warnings);
    classified[i] = classify(id, read.item, true, read.retry);
  });

  const unmatched: string[] = [];
  const retry: UnmatchedItem[] = [];
  const kept: UnmatchedItem[] = [];
  const matched: Classified[] = [];
  const seenAt = now.toISOString(); // once a poll, not twice an item
  for (const c of classified) {
    if (c.classification.topics.length > 0) {
      matched.push(c);
      continue;
    }
    // A page that failed for now is not remembered as read: its text may match.
    if (c.retry) {
      retry.push(unmatchedItem(c, source, seenAt));
      continue;
    }
    if (c.fetched) unmatched.push(c.id);
    kept.push(unmatchedItem(c, source, seenAt));
  }
  report.matched = matched.length;
  // Oldest first, so the first-published copy leads its cluster. All are stored at once, not
  // one after another: assign enters each story in flight before its first await, so a later
  // copy in this feed still waits for the earlier one's cluster, and the store batches the
  // writes of all of them (a feed with five matches costs one round trip, not five).
  matched.sort((a, b) => (a.item.publishedAt ?? '').localeCompare(b.item.publishedAt ?? ''));
  const stored = await Promise.allSettled(matched.map((c) => storeTracked(deps, rt, source, c, now)));
  for (const [i, r] of stored.entries()) {
    if (r.status === 'rejected') {
      // A story the store refuses (over 400 KB after every cap) can never be written: skip it,
      // keep the feed's other stories. Anything else fails the source; its next poll retries.
      if (!isUnstorable(r.reason)) throw r.reason;
      report.warnings.push(`story skipped, the store refuses it (${(r.reason as Error).message.slice(0, 200)}): ${matched[i]!.item.url.slice(0, 200)}`);
      continue;
    }
    const story = r.value;
    if (!story) continue; // another poller wrote it first
    report.created.push(story);
    if (story.leader) report.leaders.push(story);
  }
  return { seen: unmatched, kept, retry };
}

/** What `tune` needs of an item that matched nothing: the text it was classified on, capped like a summary. */
function unmatchedItem({ id, item }: Classified, source: Source, seenAt: string): UnmatchedItem {
  return {
    id,
    url: item.url,
    title: item.title,
    lede: summarise(item.body ?? item.summary),
    outlet: item.outlet,
    sourceId: source.id,
    publishedAt: item.publishedAt ?? seenAt,
    seenAt,
  };
}

/** storeStory, with its write visible to related stories of the same cycle until it settles (rt.storing). */
async function storeTracked(deps: PipelineDeps, rt: Runtime, source: Source, c: Classified, now: Date): Promise<Story | undefined> {
  const order = rt.writesStarted++;
  const writing = storeStory(deps, rt, source, c, now, order);
  // A story another poller wrote first, or one that failed, is read from the store instead.
  rt.storing.set(c.id, { order, written: writing.catch(() => undefined) });
  try {
    return await writing;
  } finally {
    rt.storing.delete(c.id);
  }
}

/** Clusters and writes one matched story; undefined when another poller stored it first. */
async function storeStory(
  deps: PipelineDeps,
  rt: Runtime,
  source: Source,
  { id, item, classification }: Classified,
  now: Date,
  order: number,
): Promise<Story | undefined> {
  const publishedAt = item.publishedAt ?? now.toISOString();
  const body = item.body ?? item.summary;
  // A guid is only unique within its feed (CMSes number articles from 1), so scope it.
  const guid = item.guid && item.guid !== item.url ? `${source.id}:${item.guid}` : undefined;
  const assignment = await rt.clusterer.assign({ id, url: item.url, guid, title: item.title, body, outlet: item.outlet, publishedAt });
  const story: Story = {
    id,
    url: item.url,
    title: item.title,
    outlet: item.outlet,
    sourceId: source.id,
    summary: summarise(body),
    publishedAt,
    firstSeenAt: now.toISOString(),
    day: koreaDay(publishedAt),
    topics: classification.topics,
    why: classification.why,
    clusterId: assignment.clusterId,
    leader: assignment.leader,
    ...(assignment.related ? { related: await relatedStories(deps, rt, assignment.related, order) } : {}),
    ...(item.image ? { image: item.image } : {}),
  };
  // A joining copy is already recorded in its cluster by assign, before this write, so
  // a crash between the two cannot leave a stored copy missing from its cluster.
  return (await deps.store.putStory(story)) ? story : undefined;
}

/**
 * The related clusters' leaders as delivery shows them. A leader assigned in this same cycle
 * (another feed polled at the same moment: two outlets' own reports of one event usually are)
 * may not have its story row yet: its write is awaited (`rt.storing`) before the row is read.
 * Read too early, the link was lost for good: the eval end to end found half the related
 * pairs missing.
 */
async function relatedStories(deps: PipelineDeps, rt: Runtime, ids: string[], order: number): Promise<RelatedStory[]> {
  const earlier = (id: string) => {
    const w = rt.storing.get(id);
    return w && w.order < order ? w.written : undefined;
  };
  const stories = await Promise.all(ids.map(async (id) => (await earlier(id)) ?? deps.store.getStory(id)));
  return stories.flatMap((s) => (s ? [{ id: s.id, outlet: s.outlet, title: s.title, url: s.url }] : []));
}

/**
 * The item with its article text, when the feed carried only a teaser; the teaser if the page
 * fails, with `retry` when the failure may pass (a timeout, a refused connection, a 5xx).
 */
async function withArticle(fetcher: Fetcher, source: Source, item: Item, warnings: string[]): Promise<{ item: Item; retry: boolean }> {
  try {
    const article = await fetchArticle(fetcher, item.url, source.article);
    return {
      item: {
        ...item,
        title: item.title || article.title,
        body: article.text || item.summary,
        publishedAt: item.publishedAt ?? article.publishedAt,
        image: item.image ?? article.image,
      },
      retry: false,
    };
  } catch (e) {
    // The teaser still classifies; a page that fails today is not worth losing the item.
    const retry = e instanceof NewswatchError && e.retryable;
    const again = retry ? ' (tried again on later polls if the teaser matches nothing)' : '';
    warnings.push(`article page not read${again}, classified on the feed's teaser: ${item.url}: ${(e as Error)?.message ?? String(e)}`);
    return { item, retry };
  }
}

function summarise(text: string): string {
  const flat = collapseWhitespace(text);
  return flat.length > 300 ? `${flat.slice(0, 299)}…` : flat;
}
