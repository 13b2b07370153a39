// Which sources a scheduler tick should poll. Its own module so the dispatch Lambda
// bundles this and not the whole pipeline (parsers, extractor, classifier).
import type { Config, Source } from '../config/schema/index.ts';
import type { SourceState } from '../store/port.ts';

/** Sources due for a poll now: enabled, past any Retry-After/backoff, and past their own interval. */
export function dueSources(config: Config, states: SourceState[], now: Date): Source[] {
  const byId = new Map(states.map((s) => [s.id, s]));
  return config.sources.filter((source) => {
    if (!source.enabled) return false;
    const state = byId.get(source.id);
    if (!state) return true;
    if (state.nextPollAt && Date.parse(state.nextPollAt) > now.getTime()) return false;
    if (source.pollMinutes && state.lastAttemptAt) {
      // A minute of slack so a schedule that fires slightly early still polls.
      return now.getTime() - Date.parse(state.lastAttemptAt) >= (source.pollMinutes - 1) * 60_000;
    }
    return true;
  });
}
