// The per-deps runtime cache. It exists because pollSources calls pollSource once per
// source with the same deps: the classifier should compile once per cycle, not per source,
// and the fetcher's per-host limits only hold if every source shares one fetcher. Keyed
// weakly by the deps object, so a new deps (a new config, a test) gets a fresh runtime and
// a dropped one is collected.
import { type Classifier, compileClassifier } from '../classify/index.ts';
import { type Clusterer, createClusterer } from '../dedupe/index.ts';
import { createFetcher, type Fetcher } from '../fetch/index.ts';
import type { Story } from '../model.ts';
import type { PipelineDeps } from './types.ts';

export interface Runtime {
  fetcher: Fetcher;
  readonly classifier: Classifier;
  clusterer: Clusterer;
  /**
   * The stories this clusterer assigned that are still being written, by id: a related leader
   * assigned in the same cycle (the clusterer links stories in flight) has its fingerprint
   * before its story row, so its follower waits for the write here instead of reading too early.
   * `order` counts writes as they start: a story waits only for writes that started before its
   * own (the clusterer links a story in flight only to those entered before it), so two writes
   * can never wait for each other.
   */
  storing: Map<string, { order: number; written: Promise<Story | undefined> }>;
  writesStarted: number;
}

const runtimes = new WeakMap<PipelineDeps, Runtime>();
/**
 * Compiled classifiers by the topics they were compiled from: a config's topics never change,
 * and a new deps over the same config (the poll bench's passes, a test) need not recompile.
 */
const classifiers = new WeakMap<PipelineDeps['config']['topics'], Classifier>();

function classifierOf(topics: PipelineDeps['config']['topics']): Classifier {
  let c = classifiers.get(topics);
  if (!c) classifiers.set(topics, (c = compileClassifier(topics)));
  return c;
}

/** The runtime shared by every poll made with these deps, built on first use. */
export function runtimeOf(deps: PipelineDeps): Runtime {
  let r = runtimes.get(deps);
  if (!r) {
    let classifier: Classifier | undefined;
    r = {
      fetcher: deps.fetcher ?? createFetcher(deps.config.settings),
      // Compiled when the first items arrive, not before the first request goes out.
      get classifier() {
        return (classifier ??= classifierOf(deps.config.topics));
      },
      clusterer: createClusterer(deps.store, { now: deps.now }),
      storing: new Map(),
      writesStarted: 0,
    };
    runtimes.set(deps, r);
  }
  return r;
}
