// What reading one source yields, what it needs, and the conditional-GET helpers every
// HTTP-polled kind shares (Naver's API does not answer conditionally).
import { createHash } from 'node:crypto';
import type { SecretResolver } from '../config/secrets.ts';
import type { Fetcher, FetchResponse } from '../fetch/index.ts';
import type { Classification, Item } from '../model.ts';
import type { FeedBodyReader } from './feed-read.ts';

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
  /** Classifications the reader made while reading (see FeedRead.classified), by item. */
  classified?: { with: string; of: WeakMap<Item, Classification> };
}

export interface SourceContext {
  fetcher: Fetcher;
  secrets: SecretResolver;
  now: Date;
  etag?: string;
  lastModified?: string;
  /** The last successful poll's body digest (`<definition>.<body>`, see bodyDigest). */
  bodyHash?: string;
  /** A digest of the source's definition, kept with the body's (set by readSource). */
  readsWith?: string;
  /** Reads RSS/Atom/RDF bodies; default: in this thread (feed-read.ts). */
  readFeed?: FeedBodyReader;
  /** The story ids the source listed last poll (a reader that classifies leaves them out). */
  listed?: readonly string[];
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

/** A digest of what a source reads with (its definition), so a digest of a body read names it. */
export function definitionDigest(definition: string): string {
  return createHash('sha1').update(definition).digest('base64url');
}

// The body's digest starts with the definition's: `<definition>.<body>`. The state keeps it with
// the ETag and Last-Modified of the same poll, so it also tells which definition those were
// taken under (base64url has no '.', and a digest from before carries none).
function bodyDigest(body: Buffer, readsWith: string): string {
  return `${readsWith}.${createHash('sha1').update(body).digest('base64url')}`;
}

/** The validators were taken while the source had this definition. */
function takenUnder(bodyHash: string | undefined, readsWith: string): boolean {
  return bodyHash !== undefined && definitionOf(bodyHash) === readsWith;
}

/** The definition digest a body digest was taken under (none for a digest from before they carried one). */
export function definitionOf(bodyHash: string | undefined): string | undefined {
  if (bodyHash === undefined) return undefined;
  const dot = bodyHash.indexOf('.');
  return dot >= 0 ? bodyHash.slice(0, dot) : undefined;
}

export async function fetchConditional(url: string, ctx: SourceContext, accept: string): Promise<ConditionalResponse> {
  const readsWith = ctx.readsWith ?? '';
  // A 304 says the bytes are the same, not that they hold the same items: once the source's
  // definition changed (a fixed selector), the page must be read again, so validators taken
  // under another definition are not sent. Nor are those of a state saved before digests named
  // their definition: it is read in full once.
  const conditional = takenUnder(ctx.bodyHash, readsWith);
  const res = await ctx.fetcher.get(url, {
    accept,
    ...(conditional && ctx.etag ? { etag: ctx.etag } : {}),
    ...(conditional && ctx.lastModified ? { lastModified: ctx.lastModified } : {}),
  });
  if (res.notModified) return { ...res, ...(ctx.bodyHash ? { bodyHash: ctx.bodyHash } : {}) };
  // Most Korean outlets send no ETag or Last-Modified: the same bytes as last time hold the
  // same items, so they are not parsed again (rss-parser is most of an unchanged poll's CPU).
  const bodyHash = bodyDigest(res.body, readsWith);
  if (bodyHash === ctx.bodyHash) return { ...res, notModified: true, sameBody: true, bodyHash };
  return { ...res, bodyHash };
}
