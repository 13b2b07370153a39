// "Is this story new?" as the pipeline asks it (docs/architecture.md#is-this-story-new). The
// store reports what it holds about an id; the decisions are these functions, the same for the
// Lambdas' shared table and `newswatch run`'s embedded store:
//   1. newToSource: the source did not list the item last time (no store call);
//   2. pageIsNew:   its article page was neither stored as a story nor fetched for nothing
//                   within seenTtlDays (one BatchGetItem per poll);
// then, for matched items only, two steps that stay where they are, because only the store
// can decide them without a race between pollers:
//   3. clustering (shared/dedupe): a stored fingerprint means the story was assigned before;
//   4. the conditional story write (Store.putStory): the first writer wins.
import type { PageRecord, PollRecordStore } from '../store/port.ts';

/** Step 1: the items of this read the source's last read did not list (the only ones that can be new). */
export function newToSource<T>(read: Map<string, T>, listedBefore: readonly string[] | undefined): Map<string, T> {
  if (!listedBefore || listedBefore.length === 0) return read;
  const listed = new Set(listedBefore);
  return new Map([...read].filter(([id]) => !listed.has(id)));
}

/**
 * Step 2: whether an article page is worth fetching: not when its story is stored, nor while a
 * SEEN marker says it was fetched and matched nothing (a marker past its expiry counts as none:
 * dynalite has no TTL and DynamoDB deletes expired items late).
 */
export function pageIsNew(record: PageRecord | undefined, now: Date): boolean {
  if (!record) return true;
  if (record.story) return false;
  return record.seenUntil === undefined || record.seenUntil.getTime() <= now.getTime();
}

/** Step 2 for many ids: those whose page is new, each once (one store read). */
export async function newPages(store: Pick<PollRecordStore, 'pageRecords'>, ids: string[], now: Date): Promise<string[]> {
  if (ids.length === 0) return [];
  const records = await store.pageRecords(ids);
  return [...new Set(ids)].filter((id) => pageIsNew(records.get(id), now));
}
