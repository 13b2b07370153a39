import { hash } from 'node:crypto';
import { canonicalUrl } from './canonical-url.ts';

/** The story id: first 20 hex chars of sha256 of the canonical URL, so every variant of one article gets one id. */
export function storyId(url: string): string {
  // One-shot hash: no Hash object per item (a first poll hashes thousands of links).
  return hash('sha256', canonicalUrl(url)).slice(0, 20);
}
