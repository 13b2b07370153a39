// Everything a local command needs, wired once: the embedded store, env secrets, a
// fetcher, and delivery of new leaders to the configured destinations.
import type { Config } from '../shared/config/schema/index.ts';
import { deliverStories, destinationsOf } from '../shared/deliver/index.ts';
import { createFetcher } from '../shared/fetch/index.ts';
import type { Story } from '../shared/model.ts';
import type { PipelineDeps } from '../shared/pipeline/types.ts';
import { koreaDay } from '../shared/time.ts';
import { envSecrets } from './env-secrets.ts';
import { DEFAULT_STORE_DIR, openLocalStore, type LocalStore } from './local-store.ts';

export { DEFAULT_STORE_DIR };

/** Leaders first seen this recently are re-offered to delivery at start-up (see sweepUndelivered). */
const SWEEP_WINDOW_MS = 2 * 60 * 60 * 1000;

export interface LocalContext {
  deps: PipelineDeps;
  local: LocalStore;
  /** Deliver new leaders; resolves to one line per failed delivery (destination and reason). */
  deliver(leaders: Story[]): Promise<string[]>;
  /**
   * Locally there is no table stream: the pipeline hands leaders to delivery after its
   * write. A run killed between the two would lose those alerts, so at start-up recent
   * leaders go through delivery again; their delivery records make this send nothing twice.
   */
  sweepUndelivered(): Promise<string[]>;
  close(): Promise<void>;
}

export interface LocalOptions {
  storeDir?: string;
  allowPrivateNetwork?: boolean;
  /** Share the store of a running `newswatch run` instead of refusing (read-mostly commands). */
  attach?: boolean;
  /** A fixed clock (the demo); default the real one. */
  now?: () => Date;
}

/** Open the embedded store and wire the pipeline and delivery for a local command. */
export async function openLocalContext(config: Config, opts: LocalOptions = {}): Promise<LocalContext> {
  const now = opts.now ?? (() => new Date());
  const local = await openLocalStore(opts.storeDir ?? DEFAULT_STORE_DIR, { attach: opts.attach, now });
  const secrets = envSecrets();
  const fetcher = createFetcher(config.settings, opts.allowPrivateNetwork ? { allowPrivateNetwork: true } : undefined);
  const deps: PipelineDeps = { config, store: local.store, secrets, now, fetcher };
  const hasDestinations = destinationsOf(config).length > 0;

  const deliver = async (leaders: Story[]): Promise<string[]> => {
    if (!hasDestinations || leaders.length === 0) return [];
    const reports = await deliverStories({ config, store: local.store, secrets, now }, leaders);
    return reports.filter((r) => r.status === 'failed').map((r) => `${r.destinationId}${r.storyId ? ` story ${r.storyId}` : ''}: ${r.error ?? 'failed'}`);
  };

  return {
    deps,
    local,
    deliver,
    async sweepUndelivered() {
      if (!hasDestinations) return [];
      const t = now();
      const days = [...new Set([koreaDay(new Date(t.getTime() - SWEEP_WINDOW_MS)), koreaDay(t)])];
      const recent = (await Promise.all(days.map((d) => local.store.storiesOfDay(d))))
        .flat()
        .filter((s) => s.leader && t.getTime() - Date.parse(s.firstSeenAt) < SWEEP_WINDOW_MS);
      return deliver(recent);
    },
    close: () => local.close(),
  };
}
