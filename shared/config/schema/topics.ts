import { z } from 'zod';
import { headerSafe } from './header-safe.ts';

/** A term: one spelling, or a canonical spelling with aliases (other scripts, variants). */
export const termSchema = z.union([
  z.string().min(1),
  z.strictObject({
    term: z.string().min(1).describe('Canonical spelling shown in explanations'),
    aliases: z.array(z.string().min(1)).default([]).describe('Other spellings: Hangul/Latin, variants'),
    weight: z.number().positive().optional().describe('Overrides the default weight of its list'),
  }),
]);

export const topicSchema = z
  .strictObject({
    label: headerSafe(z.string().min(1), 'digest email Subject').describe('Name shown to people, e.g. "소버린 AI"'),
    description: z.string().optional(),
    threshold: z.number().positive().default(3).describe('Score needed to match'),
    strong: z.array(termSchema).default([]).describe('Terms that can decide alone (default weight 3)'),
    weak: z.array(termSchema).default([]).describe('Terms that need company (default weight 1)'),
    together: z
      .array(z.array(z.string().min(1)).min(2))
      .default([])
      .describe('Groups of terms that count as strong only when all appear'),
    exclude: z.array(termSchema).default([]).describe('Terms that veto the topic'),
  })
  .describe('A topic: the terms that make a story about it');

export const topicsSchema = z
  .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a topic id in snake_case such as sovereign_ai'), topicSchema)
  .refine((t) => Object.keys(t).length > 0, { message: 'define at least one topic' });

export type Term = z.infer<typeof termSchema>;
export type Topic = z.infer<typeof topicSchema>;
