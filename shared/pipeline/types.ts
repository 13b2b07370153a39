import type { Config, Source } from '../config/schema/index.ts';
import type { SecretResolver } from '../config/secrets.ts';
import type { Story } from '../model.ts';
import type { Store } from '../store/port.ts';

/** What one poll of one source did, for the CLI progress line, status and Lambda logs. */
export interface SourceReport {
  sourceId: string;
  ok: boolean;
  /** The server said 304, or the source is not due yet (skipped). */
  notModified: boolean;
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
  durationMs: number;
}

export interface PipelineDeps {
  config: Config;
  store: Store;
  secrets: SecretResolver;
  now: () => Date;
}

export type { Source };
