import { z } from 'zod';
import { topicsSchema } from './topics.ts';
import { sourcesSchema } from './sources.ts';
import { deliverySchema } from './delivery.ts';
import { deploySchema, settingsSchema } from './settings.ts';
import { nearestKey } from '../suggest.ts';

/** The whole newswatch.config.yaml. */
export const configSchema = z
  .strictObject({
    version: z.literal(1),
    settings: settingsSchema,
    topics: topicsSchema,
    sources: sourcesSchema,
    delivery: deliverySchema,
    deploy: deploySchema,
  })
  .superRefine((config, ctx) => {
    // A misspelt topic in a destination would silently never match: say so at load.
    const topics = Object.keys(config.topics);
    for (const kind of ['slack', 'webhooks', 'email'] as const) {
      config.delivery[kind].forEach((d, i) =>
        d.topics.forEach((t, j) => {
          if (topics.includes(t)) return;
          const near = nearestKey(t, topics);
          ctx.addIssue({
            code: 'custom',
            path: ['delivery', kind, i, 'topics', j],
            message: `unknown topic "${t}"${near ? `; did you mean \`${near}\`?` : ''} (topics: ${topics.join(', ')})`,
          });
        }),
      );
    }
    // Source state and story records are keyed by source id.
    const seen = new Set<string>();
    config.sources.forEach((source, i) => {
      if (seen.has(source.id))
        ctx.addIssue({ code: 'custom', path: ['sources', i, 'id'], message: `source id "${source.id}" is used twice; ids must be unique` });
      seen.add(source.id);
    });
  });

export type Config = z.infer<typeof configSchema>;
export type { Topic, Term } from './topics.ts';
export type { Source, RssSource, HtmlSource, GoogleNewsSource, NaverSource } from './sources.ts';
export type { SlackDestination, WebhookDestination, EmailList, Delivery } from './delivery.ts';
export type { Settings, Deploy } from './settings.ts';
export type { SecretRef } from './secret-ref.ts';
