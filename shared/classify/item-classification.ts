// What an item is classified on, and a digest naming the topics a classification was made with,
// so that one made elsewhere (the CLI's feed worker, which classifies while it reads a feed) is
// used only when it was made with the same topics.
import { createHash } from 'node:crypto';
import type { Config } from '../config/schema/index.ts';
import type { Classification, Item } from '../model.ts';
import type { Classifier } from './index.ts';

/** The text an item is classified on: its headline, and its article text or else its teaser. */
export function classifyItem(classifier: Classifier, item: Pick<Item, 'title' | 'body' | 'summary'>): Classification {
  return classifier.classify({ title: item.title, body: item.body ?? item.summary });
}

const digests = new WeakMap<Config['topics'], string>();

/** A digest of the topics (their definitions, in order). */
export function topicsDigest(topics: Config['topics']): string {
  let d = digests.get(topics);
  if (d === undefined) digests.set(topics, (d = createHash('sha1').update(JSON.stringify(topics)).digest('base64url')));
  return d;
}
