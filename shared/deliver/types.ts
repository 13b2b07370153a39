import { setTimeout as sleep } from 'node:timers/promises';
import type { Config } from '../config/schema/index.ts';
import type { SecretResolver } from '../config/secrets.ts';
import type { Store } from '../store/port.ts';
import type { HttpPost } from './http-post.ts';
import type { RetryPolicy } from './retry.ts';

export interface DeliverDeps {
  config: Config;
  store: Store;
  secrets: SecretResolver;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Optional override; default createHttpPost (the one HTTP client) with the config's settings. */
  post?: HttpPost;
  /** Retry policy within one send (tests shorten the backoff). */
  retry?: Partial<RetryPolicy>;
  /** Backoff between sends of one outbox row; default 10 s doubling to 30 min (OUTBOX_BACKOFF). */
  backoff?: { baseDelayMs?: number; maxDelayMs?: number };
  /** Minimum gap between two messages to one Slack webhook; default 1,000 ms. */
  slackIntervalMs?: number;
}

export interface DeliveryReport {
  destinationId: string;
  storyId?: string;
  /** `waiting`: its destination's secret is missing; `skipped`: already queued or sent before. */
  status: 'sent' | 'skipped' | 'failed' | 'summarised' | 'waiting' | 'given-up';
  attempts: number;
  error?: string;
}

/** The default pause between retries and paced messages. */
export const realSleep = (ms: number): Promise<void> => sleep(ms);
