import { z } from 'zod';
import { secretRefSchema } from './secret-ref.ts';

const sourceId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a source id in lower-case, digits, - or _');

const common = {
  id: sourceId,
  outlet: z.string().min(1).describe('Publisher name shown to people'),
  enabled: z.boolean().default(true),
  /** Fetch the article page when the feed carries only a teaser. */
  fetchArticle: z.enum(['auto', 'always', 'never']).default('auto'),
  /** Per-outlet overrides for article extraction (CSS selectors). */
  article: z
    .strictObject({
      body: z.string().optional(),
      title: z.string().optional(),
      date: z.string().optional(),
      remove: z.array(z.string()).default([]),
    })
    .optional(),
  /** Minutes between polls for this source; defaults to settings.pollMinutes. */
  pollMinutes: z.number().int().positive().optional(),
};

export const rssSourceSchema = z.strictObject({
  kind: z.literal('rss'),
  url: z.url(),
  ...common,
});

export const htmlSourceSchema = z.strictObject({
  kind: z.literal('html'),
  url: z.url(),
  selectors: z.strictObject({
    item: z.string().min(1),
    link: z.string().min(1),
    title: z.string().min(1),
    /** Its `datetime` or `title` attribute is read first (DCInside keeps the full date there), then its text. */
    date: z.string().optional(),
    summary: z.string().optional(),
  }),
  ...common,
});

export const googleNewsSourceSchema = z.strictObject({
  kind: z.literal('google-news'),
  query: z.string().min(1).describe('Google News search, e.g. "소버린 AI" or "딥시크 OR DeepSeek"'),
  /** Only for tests and mirrors: the search RSS endpoint. */
  endpoint: z.url().default('https://news.google.com/rss/search'),
  ...common,
  outlet: z.string().default('Google News'),
});

export const naverSourceSchema = z.strictObject({
  kind: z.literal('naver'),
  query: z.string().min(1),
  display: z.number().int().min(1).max(100).default(50),
  sort: z.enum(['date', 'sim']).default('date'),
  /** Calls per Korea-time day this process may make (Naver allows 25,000 a day across all search APIs). */
  dailyQuota: z.number().int().min(1).max(25_000).default(25_000),
  /** Only for tests and mirrors: the search API endpoint. */
  endpoint: z.url().default('https://openapi.naver.com/v1/search/news.json'),
  clientId: secretRefSchema.default({ env: 'NAVER_CLIENT_ID' }),
  clientSecret: secretRefSchema.default({ env: 'NAVER_CLIENT_SECRET' }),
  ...common,
  outlet: z.string().default('Naver News'),
});

export const sourceSchema = z.discriminatedUnion('kind', [rssSourceSchema, htmlSourceSchema, googleNewsSourceSchema, naverSourceSchema]);

export const sourcesSchema = z.array(sourceSchema).default([]);

export type Source = z.infer<typeof sourceSchema>;
export type RssSource = z.infer<typeof rssSourceSchema>;
export type HtmlSource = z.infer<typeof htmlSourceSchema>;
export type GoogleNewsSource = z.infer<typeof googleNewsSourceSchema>;
export type NaverSource = z.infer<typeof naverSourceSchema>;
