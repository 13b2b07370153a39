// What the feed worker's thread answers to a body posted to it: the items (classified, when the
// thread was given the topics), or what was wrong as plain data (errors do not cross threads;
// feed-worker.ts makes them errors again).
import type { Classifier } from '../shared/classify/index.ts';
import { classifyItem } from '../shared/classify/item-classification.ts';
import { needsArticleFetch, storyId } from '../shared/extract/index.ts';
import type { Classification, Item } from '../shared/model.ts';
import { SourceError } from '../shared/sources/errors.ts';
import { type FeedBody, readFeedBody } from '../shared/sources/feed-read.ts';
import { FeedSyntaxError } from '../shared/sources/feed-repair.ts';
import type { FeedReadFailure, FeedWorkerReply } from './feed-worker.ts';

function failure(e: unknown, sourceId: string): FeedReadFailure {
  if (e instanceof SourceError) {
    const prefix = `${sourceId}: `;
    return { kind: 'source', message: e.message.startsWith(prefix) ? e.message.slice(prefix.length) : e.message, retryable: e.retryable };
  }
  if (e instanceof FeedSyntaxError) return { kind: 'syntax', message: e.message, ...(e.line !== undefined ? { line: e.line } : {}) };
  return { kind: 'other', message: (e as Error)?.message ?? String(e) };
}

/** The classifier the thread classifies with, and the digest of its topics (see topicsDigest). */
export interface Classifying {
  classifier: Classifier;
  with: string;
}

/** The items' classifications, null for those the poller will not use (see FeedBody.unclassified). */
function classifyNew(items: Item[], input: FeedBody, classifier: Classifier): (Classification | null)[] {
  const skip = input.unclassified;
  const listed = new Set(skip?.listed);
  return items.map((item) =>
    skip && ((listed.size > 0 && listed.has(storyId(item.url))) || needsArticleFetch(item, skip)) ? null : classifyItem(classifier, item),
  );
}

export async function replyTo({ id, input }: { id: number; input: FeedBody }, classifying?: Classifying): Promise<FeedWorkerReply> {
  try {
    const read = await readFeedBody(input);
    if (classifying) read.classified = { with: classifying.with, classifications: classifyNew(read.items, input, classifying.classifier) };
    return { id, ok: true, read };
  } catch (e) {
    return { id, ok: false, failure: failure(e, input.sourceId) };
  }
}
