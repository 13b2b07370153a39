// Batch writes shared by many writers (stories of every source in flight) where one row the
// store refuses fails only its own writer. DynamoDB refuses a whole BatchWriteItem when one
// item is invalid (say over 400 KB); the others then go again one by one, so only the
// refused row's caller sees an error. An outage still fails the batch as one: every row
// would fail alike, and writing them one by one would only multiply the failing requests.
import { createBatcher, type Batcher } from '../batcher.ts';
import { isUnstorable } from './errors.ts';

class Refused {
  constructor(readonly error: unknown) {}
}

/** A batcher of rows for `put` (one BatchWriteItem per call) whose failures are per row. */
export function createIsolatedWrites<T>(put: (rows: T[]) => Promise<void>, options: { max: number; waitMs: number }): Batcher<T> {
  const batcher = createBatcher<T, Refused | undefined>(async (rows) => {
    try {
      await put(rows);
      return rows.map(() => undefined);
    } catch (e) {
      if (rows.length === 1 || !isUnstorable(e)) throw e;
      return Promise.all(
        rows.map((row) =>
          put([row]).then(
            () => undefined,
            (err: unknown) => new Refused(err),
          ),
        ),
      );
    }
  }, options);
  return {
    async add(row) {
      const outcome = await batcher.add(row);
      if (outcome instanceof Refused) throw outcome.error;
    },
    flush: () => batcher.flush(),
  };
}
