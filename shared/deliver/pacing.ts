// At most one message per interval per webhook URL (Slack allows about one per second
// per incoming webhook). Sends to one URL are serialised and the interval is counted
// from the end of the previous send, so the receiver never sees two closer together
// whatever the network does. Kept per process: a warm Lambda container respects it too.

const lastEnd = new Map<string, number>();
const queue = new Map<string, Promise<unknown>>();

/** Run `send` for `key` once the previous send to it ended at least `intervalMs` ago. */
export async function paced<T>(key: string, intervalMs: number, sleep: (ms: number) => Promise<void>, send: () => Promise<T>): Promise<T> {
  const previous = queue.get(key) ?? Promise.resolve();
  const turn = previous
    .catch(() => undefined)
    .then(async () => {
      const wait = (lastEnd.get(key) ?? -Infinity) + intervalMs - performance.now();
      if (wait > 0) await sleep(wait);
      try {
        return await send();
      } finally {
        lastEnd.set(key, performance.now());
      }
    });
  queue.set(key, turn);
  try {
    return await turn;
  } finally {
    if (queue.get(key) === turn) queue.delete(key);
  }
}
