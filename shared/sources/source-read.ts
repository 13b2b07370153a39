// What reading one source yields, what it needs, and the conditional-GET helpers every
// HTTP-polled kind shares (Naver's API does not answer conditionally).
import type { SecretResolver } from '../config/secrets.ts';
import type { Fetcher, FetchResponse } from '../fetch/index.ts';
import type { Item } from '../model.ts';

export interface SourceRead {
  notModified: boolean;
  items: Item[];
  etag?: string;
  lastModified?: string;
  warnings: string[];
  retryAfter?: Date;
  /** The URL finally read (after redirects). */
  url?: string;
  /** The feed's own title (channel/feed title), when it has one. */
  feedTitle?: string;
}

export interface SourceContext {
  fetcher: Fetcher;
  secrets: SecretResolver;
  now: Date;
  etag?: string;
  lastModified?: string;
}

export function validators(res: FetchResponse): Pick<SourceRead, 'etag' | 'lastModified'> {
  return { ...(res.etag ? { etag: res.etag } : {}), ...(res.lastModified ? { lastModified: res.lastModified } : {}) };
}

export async function fetchConditional(url: string, ctx: SourceContext, accept: string): Promise<FetchResponse> {
  return ctx.fetcher.get(url, {
    accept,
    ...(ctx.etag ? { etag: ctx.etag } : {}),
    ...(ctx.lastModified ? { lastModified: ctx.lastModified } : {}),
  });
}
