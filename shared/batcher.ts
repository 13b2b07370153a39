// Gathers items written one by one by concurrent callers into batch writes: a call resolves
// when the batch holding its item is written, and rejects with that batch's error. A batch
// goes out when it is full or `waitMs` after its first item, whichever comes first.
import { setTimeout as sleep } from 'node:timers/promises';

export interface Batcher<T> {
  add(item: T): Promise<void>;
}

export function createBatcher<T>(write: (items: T[]) => Promise<void>, options: { max: number; waitMs: number }): Batcher<T> {
  let pending: { item: T; done: PromiseWithResolversLike }[] = [];

  function flush(): void {
    const batch = pending;
    pending = [];
    if (batch.length === 0) return;
    write(batch.map((b) => b.item)).then(
      () => batch.forEach((b) => b.done.resolve()),
      (e: unknown) => batch.forEach((b) => b.done.reject(e)),
    );
  }

  return {
    add(item) {
      const done = resolvers();
      pending.push({ item, done });
      if (pending.length >= options.max) flush();
      else if (pending.length === 1) {
        const batch = pending;
        void sleep(options.waitMs).then(() => {
          if (pending === batch) flush();
        });
      }
      return done.promise;
    },
  };
}

interface PromiseWithResolversLike {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: unknown) => void;
}

// Promise.withResolvers is Node 22+.
function resolvers(): PromiseWithResolversLike {
  let resolve!: () => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<void>((ok, fail) => {
    resolve = ok;
    reject = fail;
  });
  return { promise, resolve, reject };
}
