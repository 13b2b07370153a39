// At most one message per interval per webhook URL (Slack allows about one per second
// per incoming webhook). Kept per process, so a warm Lambda container also respects it.

const nextSlot = new Map<string, number>();

/** Wait until `key` may send again, then reserve the next slot `intervalMs` later. */
export async function paced(key: string, intervalMs: number, sleep: (ms: number) => Promise<void>): Promise<void> {
  for (;;) {
    const now = performance.now();
    const at = nextSlot.get(key) ?? 0;
    if (at <= now) {
      nextSlot.set(key, now + intervalMs);
      return;
    }
    await sleep(at - now);
  }
}
