// Gathers items sent one by one by concurrent callers into batch requests: batch writes, or
// batch reads where each caller gets its own item's result. A call resolves when the batch
// holding its item is done, and rejects with that batch's error. A batch goes out when it is
// full or `waitMs` after its first item, whichever comes first.

export interface Batcher<T, R = void> {
  add(item: T): Promise<R>;
  /** Sends the pending items now, without waiting for more (the caller knows none are coming). */
  flush(): void;
}

/** `run` gets a batch and returns nothing (a write) or one result per item, in order (a read). */
export function createBatcher<T, R = void>(run: (items: T[]) => Promise<R[] | void>, options: { max: number; waitMs: number }): Batcher<T, R> {
  let pending: { item: T; done: Resolvers<R> }[] = [];
  let timer: NodeJS.Timeout | undefined;

  function flush(): void {
    clearTimeout(timer);
    timer = undefined;
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    run(batch.map((b) => b.item)).then(
      (results) => batch.forEach((b, i) => b.done.resolve(results ? (results[i] as R) : (undefined as R))),
      (e: unknown) => batch.forEach((b) => b.done.reject(e)),
    );
  }

  return {
    add(item) {
      const done = resolvers<R>();
      pending.push({ item, done });
      if (pending.length >= options.max) flush();
      else if (pending.length === 1) timer = setTimeout(flush, options.waitMs);
      return done.promise;
    },
    flush,
  };
}

interface Resolvers<R> {
  promise: Promise<R>;
  resolve: (value: R) => void;
  reject: (e: unknown) => void;
}

// Promise.withResolvers is Node 22+.
function resolvers<R>(): Resolvers<R> {
  let resolve!: (value: R) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<R>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
