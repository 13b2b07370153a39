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
    for (const issue of crossSectionIssues(config)) ctx.addIssue({ code: 'custom', ...issue });
  });

export interface CrossSectionIssue {
  path: (string | number)[];
  message: string;
}

/**
 * Checks that span sections: destinations name existing topics, source ids are unique.
 * zod skips a refinement once any section fails, so the loader also runs this on the raw
 * document; it reads only what is there (a section that is missing or malformed is skipped).
 */
export function crossSectionIssues(config: unknown): CrossSectionIssue[] {
  const issues: CrossSectionIssue[] = [];
  const root = asRecord(config);
  if (!root) return issues;
  // A misspelt topic in a destination would silently never match: say so at load.
  const topicMap = asRecord(root.topics);
  const delivery = asRecord(root.delivery);
  if (topicMap && delivery) {
    const topics = Object.keys(topicMap);
    for (const kind of ['slack', 'webhooks', 'email'] as const) {
      const list = delivery[kind];
      if (!Array.isArray(list)) continue;
      list.forEach((d, i) => {
        const named = asRecord(d)?.topics;
        if (!Array.isArray(named)) return;
        named.forEach((t, j) => {
          if (typeof t !== 'string' || topics.includes(t)) return;
          const near = nearestKey(t, topics);
          issues.push({
            path: ['delivery', kind, i, 'topics', j],
            message: `unknown topic "${t}"${near ? `; did you mean \`${near}\`?` : ''} (topics: ${topics.join(', ')})`,
          });
        });
      });
    }
  }
  // Source state and story records are keyed by source id.
  if (Array.isArray(root.sources)) {
    const seen = new Set<string>();
    root.sources.forEach((source, i) => {
      const id = asRecord(source)?.id;
      if (typeof id !== 'string') return;
      if (seen.has(id)) issues.push({ path: ['sources', i, 'id'], message: `source id "${id}" is used twice; ids must be unique` });
      seen.add(id);
    });
  }
  return issues;
}

function asRecord(v: unknown): Record<string, unknown> | undefined {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
}

export type Config = z.infer<typeof configSchema>;
export type { Topic, Term } from './topics.ts';
export type { Source, RssSource, HtmlSource, GoogleNewsSource, NaverSource } from './sources.ts';
export type { SlackDestination, WebhookDestination, EmailList, Delivery } from './delivery.ts';
export type { Settings, Deploy } from './settings.ts';
export type { SecretRef } from './secret-ref.ts';
