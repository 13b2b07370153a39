import { z } from 'zod';
import { topicsSchema } from './topics.ts';
import { sourcesSchema } from './sources.ts';
import { deliverySchema } from './delivery.ts';
import { deploySchema, settingsSchema } from './settings.ts';

/** The whole newswatch.config.yaml. */
export const configSchema = z.strictObject({
  version: z.literal(1),
  settings: settingsSchema,
  topics: topicsSchema,
  sources: sourcesSchema,
  delivery: deliverySchema,
  deploy: deploySchema,
});

export type Config = z.infer<typeof configSchema>;
export type { Topic, Term } from './topics.ts';
export type { Source, RssSource, HtmlSource, GoogleNewsSource, NaverSource } from './sources.ts';
export type { SlackDestination, WebhookDestination, EmailList, Delivery } from './delivery.ts';
export type { Settings, Deploy } from './settings.ts';
export type { SecretRef } from './secret-ref.ts';
