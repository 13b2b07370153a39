// What the feed worker's thread answers to a body posted to it: the items, or what was wrong
// as plain data (errors do not cross threads; feed-worker.ts makes them errors again).
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

export async function replyTo({ id, input }: { id: number; input: FeedBody }): Promise<FeedWorkerReply> {
  try {
    return { id, ok: true, read: await readFeedBody(input) };
  } catch (e) {
    return { id, ok: false, failure: failure(e, input.sourceId) };
  }
}
