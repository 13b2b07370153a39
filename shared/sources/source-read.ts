// What reading one source yields, what it needs, and the conditional-GET helpers every
// HTTP-polled kind shares (Naver's API does not answer conditionally).
import { createHash } from 'node:crypto';
import type { SecretResolver } from '../config/secrets.ts';
import type { Fetcher, FetchResponse } from '../fetch/index.ts';
import type { Item } from '../model.ts';

export interface SourceRead {
  notModified: boolean;
  items: Item[];
  etag?: string;
  lastModified?: string;
  /** A digest of the body read, so the next poll can tell the same bytes without parsing them. */
  bodyHash?: string;
  /** notModified because the body was byte for byte the last poll's (the server sent no 304). */
  sameBody?: boolean;
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
  /** The last successful poll's body digest. */
  bodyHash?: string;
  /** The source's definition, digested with the body (set by readSource). */
  readsWith?: string;
}

/** A response with the digest of its body; `notModified` also when the bytes are the last poll's. */
export interface ConditionalResponse extends FetchResponse {
  bodyHash?: string;
  sameBody?: boolean;
}

export function validators(res: ConditionalResponse): Pick<SourceRead, 'etag' | 'lastModified' | 'bodyHash' | 'sameBody'> {
  return {
    ...(res.etag ? { etag: res.etag } : {}),
    ...(res.lastModified ? { lastModified: res.lastModified } : {}),
    ...(res.bodyHash ? { bodyHash: res.bodyHash } : {}),
    ...(res.sameBody ? { sameBody: true } : {}),
  };
}

export async function fetchConditional(url: string, ctx: SourceContext, accept: string): Promise<ConditionalResponse> {
  const res = await ctx.fetcher.get(url, {
    accept,
    ...(ctx.etag ? { etag: ctx.etag } : {}),
    ...(ctx.lastModified ? { lastModified: ctx.lastModified } : {}),
  });
  if (res.notModified) return { ...res, ...(ctx.bodyHash ? { bodyHash: ctx.bodyHash } : {}) };
  // Most Korean outlets send no ETag or Last-Modified: the same bytes as last time hold the
  // same items, so they are not parsed again (rss-parser is most of an unchanged poll's CPU).
  const bodyHash = createHash('sha1')
    .update(res.body)
    .update(ctx.readsWith ?? '')
    .digest('base64url');
  if (bodyHash === ctx.bodyHash) return { ...res, notModified: true, sameBody: true, bodyHash };
  return { ...res, bodyHash };
}
