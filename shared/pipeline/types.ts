import type { Config, Source } from '../config/schema/index.ts';
import type { SecretResolver } from '../config/secrets.ts';
import type { Story } from '../model.ts';
import type { ClusterIndex } from '../dedupe/index.ts';
import type { Fetcher } from '../fetch/index.ts';
import type { FeedBodyReader } from '../sources/feed-read.ts';
import type { Store } from '../store/port.ts';

/** What one poll of one source did, for the CLI progress line, status and Lambda logs. */
export interface SourceReport {
  sourceId: string;
  ok: boolean;
  /** The server said 304, or the source is not due yet (skipped). */
  notModified: boolean;
  /** Not modified because the body was byte for byte the last poll's (no 304 from the server). */
  sameBody?: boolean;
  skipped?: 'not-due' | 'disabled';
  items: number;
  /** Items not seen before. */
  fresh: number;
  matched: number;
  /** Stories this poll created (conditional write won). */
  created: Story[];
  /** The subset of `created` that are matched cluster leaders: what notify sends. */
  leaders: Story[];
  error?: string;
  /** What went wrong without failing the source: a cut-off feed, a charset mismatch, an article page not read. */
  warnings: string[];
  durationMs: number;
}

export interface PipelineDeps {
  config: Config;
  /** The DynamoDB store implements both ports: stories and source state, and the cluster bands. */
  store: Store & ClusterIndex;
  secrets: SecretResolver;
  now: () => Date;
  /** Defaults to one built from config.settings; the demo and tests pass one that allows 127.0.0.1. */
  fetcher?: Fetcher;
  /** Reads fetched feed bodies; default: in the poller's thread. `newswatch run` gives its feed worker's. */
  readFeed?: FeedBodyReader;
}

export type { Source };
