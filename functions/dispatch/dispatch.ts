// Scheduler tick → one poll message per due source. Also the one place that sees every
// source's state each tick, so it reports sources failing for too long (the alarm).
import type { Config } from '../../shared/config/schema/index.ts';
import { METRIC, MetricUnit, logger, metrics } from '../../adapters/powertools/observability.ts';
import { dueSources } from '../../shared/pipeline/due.ts';
import type { SourceState, Store } from '../../shared/store/port.ts';
import type { TickEvent } from '../shared/events.ts';
import type { PollQueue } from '../shared/sqs-queue.ts';

export interface DispatchDeps {
  config: Config;
  store: Pick<Store, 'listSourceStates'>;
  queue: PollQueue;
  now: () => Date;
}

export interface DispatchResult {
  dispatched: string[];
  failingTooLong: string[];
}

/** The dispatch handler over its dependencies. */
export function dispatchHandler(deps: DispatchDeps): (event: TickEvent) => Promise<DispatchResult> {
  return async (event) => {
    const now = deps.now();
    const states = await deps.store.listSourceStates();
    const due = dueSources(deps.config, states, now);
    await deps.queue.send(due.map((s) => ({ sourceId: s.id, queuedAt: now.toISOString() })));

    const failing = failingTooLong(deps.config, states, now);
    for (const s of failing) logger.warn('source failing too long', { sourceId: s.id, failingSince: s.failingSince, lastError: s.lastError });
    metrics.addMetric(METRIC.sourcesDispatched, MetricUnit.Count, due.length);
    metrics.addMetric(METRIC.sourcesFailingTooLong, MetricUnit.Count, failing.length);
    logger.info('dispatched', { scheduledTime: event.scheduledTime, due: due.length, sources: deps.config.sources.length });
    return { dispatched: due.map((s) => s.id), failingTooLong: failing.map((s) => s.id) };
  };
}

/** Enabled sources whose failing streak began more than deploy.sourceFailingMinutes ago. */
export function failingTooLong(config: Config, states: SourceState[], now: Date): SourceState[] {
  const enabled = new Set(config.sources.filter((s) => s.enabled).map((s) => s.id));
  const limit = config.deploy.sourceFailingMinutes * 60_000;
  return states.filter((s) => enabled.has(s.id) && s.failingSince !== undefined && now.getTime() - Date.parse(s.failingSince) > limit);
}
