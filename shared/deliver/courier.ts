// A long-running process's sender (`newswatch run`): passes over the outbox run one at a
// time, beside polling. A poll only queues its alerts and wakes the courier; it never waits
// for a receiver. A cycle ends with a final pass, where a destination's alerts beyond its
// burstLimit for the cycle go out as one summary.
import { BurstBudget, sendDue, type SendResult } from './outbox-sender.ts';
import type { DeliverDeps } from './types.ts';

export interface Courier {
  /** Wake the sender: a pass starts now, or once more after the one under way. Never waits. */
  kick(): void;
  /** The cycle's last pass (after any under way); the next pass starts a new cycle. */
  endCycle(): Promise<SendResult>;
  /** Resolves when no pass is under way or queued. */
  idle(): Promise<void>;
}

export function createCourier(deps: DeliverDeps, opts: { owner?: string; onResult: (r: SendResult) => void }): Courier {
  let tail: Promise<unknown> = Promise.resolve();
  let queued = false;
  let burst = new BurstBudget();
  const pass = async (final: boolean): Promise<SendResult> => {
    const r = await sendDue(deps, { burst, final, ...(opts.owner ? { owner: opts.owner } : {}) });
    opts.onResult(r);
    return r;
  };
  return {
    kick() {
      if (queued) return;
      queued = true;
      tail = tail.then(() => {
        queued = false;
        return pass(false);
      });
    },
    endCycle() {
      const done = tail.then(async () => {
        try {
          return await pass(true);
        } finally {
          burst = new BurstBudget();
        }
      });
      tail = done.catch(() => undefined);
      return done;
    },
    idle: () => tail.then(() => undefined),
  };
}
