// Everything a local command needs, wired once: the embedded store, env secrets, a
// fetcher, and the delivery outbox's sender for new leaders.
import type { Config } from '../shared/config/schema/index.ts';
import { checkDestinationSecrets, destinationsOf, enqueueAlerts, type DeliverDeps } from '../shared/deliver/index.ts';
import { createFetcher } from '../shared/fetch/index.ts';
import type { PipelineDeps } from '../shared/pipeline/types.ts';
import { koreaDay } from '../shared/time.ts';
import { envSecrets } from './env-secrets.ts';
import type { Env } from './io.ts';
import { startFeedWorker } from './feed-worker.ts';
import { DEFAULT_STORE_DIR, openLocalStore, type LocalStore } from './local-store.ts';

export { DEFAULT_STORE_DIR };

/** Leaders first seen this recently get any missing outbox row at start-up (see startDelivery). */
const RECOVER_WINDOW_MS = 2 * 60 * 60 * 1000;

export interface LocalContext {
  deps: PipelineDeps;
  /** What the outbox sender needs (tests shorten its retries through these). */
  deliverDeps: DeliverDeps;
  local: LocalStore;
  /**
   * Before the first cycle: this process holds the store's lock, so a `sending` row is a dead
   * run's: due again now. Leaders stored just before a crash get the outbox rows they may
   * lack. Resolves to one line per destination whose secret is missing.
   */
  startDelivery(): Promise<{ released: number; queued: number; waiting: { destinationId: string; message: string }[] }>;
  close(): Promise<void>;
}

export interface LocalOptions {
  storeDir?: string;
  /** The CLI's --allow-private-network: settings.allowPrivateNetwork for this run. */
  allowPrivateNetwork?: boolean;
  /** Share the store of a running `newswatch run` instead of refusing (read-mostly commands). */
  attach?: boolean;
  /** A fixed clock (the demo); default the real one. */
  now?: () => Date;
  /** Where destination secrets are read (the command's environment; default the process's). */
  env?: Env;
  /** Read feeds on a thread of their own (the commands that poll; see feed-worker.ts). */
  feedWorker?: boolean;
}

/** Open the embedded store and wire the pipeline and delivery for a local command. */
export async function openLocalContext(given: Config, opts: LocalOptions = {}): Promise<LocalContext> {
  // --allow-private-network is settings.allowPrivateNetwork for this run, so it reaches every
  // request the run makes: feeds and article pages, and the redirects its deliveries follow.
  const config = opts.allowPrivateNetwork ? { ...given, settings: { ...given.settings, allowPrivateNetwork: true } } : given;
  const now = opts.now ?? (() => new Date());
  // Its modules load while the store opens.
  const feeds = opts.feedWorker ? startFeedWorker({ topics: config.topics }) : undefined;
  let local: LocalStore;
  try {
    local = await openLocalStore(opts.storeDir ?? DEFAULT_STORE_DIR, { attach: opts.attach, now });
    await feeds?.ready;
  } catch (e) {
    await feeds?.close();
    throw e;
  }
  const secrets = envSecrets(opts.env);
  const fetcher = createFetcher(config.settings);
  const deps: PipelineDeps = { config, store: local.store, secrets, now, fetcher, ...(feeds ? { readFeed: feeds.read } : {}) };
  const deliverDeps: DeliverDeps = { config, store: local.store, secrets, now };

  return {
    deps,
    deliverDeps,
    local,
    async startDelivery() {
      if (destinationsOf(config).length === 0) return { released: 0, queued: 0, waiting: [] };
      const released = await local.store.releaseLeases(now());
      const t = now();
      const days = [...new Set([koreaDay(new Date(t.getTime() - RECOVER_WINDOW_MS)), koreaDay(t)])];
      const recent = (await Promise.all(days.map((d) => local.store.storiesOfDay(d))))
        .flat()
        .filter((s) => s.leader && t.getTime() - Date.parse(s.firstSeenAt) < RECOVER_WINDOW_MS);
      const queued = (await enqueueAlerts(deliverDeps, recent)).length;
      return { released, queued, waiting: await checkDestinationSecrets(config, secrets) };
    },
    async close() {
      await feeds?.close();
      await local.close();
    },
  };
}
