import { createHash } from 'node:crypto';
import { canonicalUrl } from './canonical-url.ts';

/** The story id: first 20 hex chars of sha256 of the canonical URL, so every variant of one article gets one id. */
export function storyId(url: string): string {
  return createHash('sha256').update(canonicalUrl(url)).digest('hex').slice(0, 20);
}
