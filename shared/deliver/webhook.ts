// Standard Webhooks (https://www.standardwebhooks.com): the event body, its id and the
// v1 HMAC-SHA256 signature over "id.timestamp.body" with the base64 key after `whsec_`,
// signed by the spec's own reference library (`standardwebhooks`), which receivers verify with.
import { Webhook } from 'standardwebhooks';
import type { ClusterView, RelatedStory, Story } from '../model.ts';
import type { StoryView } from './story-view.ts';

export interface StoryMatchedEvent {
  id: string;
  type: 'story.matched';
  /** When newswatch first saw the story: stable across retries so the body never changes. */
  timestamp: string;
  data: {
    story: Omit<Story, 'why'>;
    topics: { id: string; label: string; score: number }[];
    why: Story['why'];
    matchedTerms: string[];
    cluster: { id: string; outlets: string[]; members: ClusterView['members'] };
    /** Earlier stories reporting the same event in their own words (each its own event); [] when none. */
    related: RelatedStory[];
  };
}

/** The event id of a story: the same on every retry and every run, so receivers can deduplicate. */
export function eventId(storyId: string): string {
  return `msg_${storyId}`;
}

/** The `story.matched` event for one story. */
export function storyMatchedEvent(v: StoryView, cluster?: ClusterView): StoryMatchedEvent {
  const { why, ...story } = v.story;
  return {
    id: eventId(v.story.id),
    type: 'story.matched',
    timestamp: v.story.firstSeenAt,
    data: {
      story,
      topics: v.story.topics.map((id, i) => ({ id, label: v.topicLabels[i] ?? id, score: why[id]?.score ?? 0 })),
      why,
      matchedTerms: v.terms,
      cluster: {
        id: v.story.clusterId,
        outlets: [v.story.outlet, ...v.otherOutlets],
        members: cluster?.members ?? [],
      },
      related: v.story.related ?? [],
    },
  };
}

/** Thrown for a signing secret that is not `whsec_<base64>`; names the destination, never the value. */
export class SigningSecretError extends Error {}

/** Decode a `whsec_...` secret into key bytes. */
export function signingKey(secret: string): Buffer {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret.trim());
  if (!m?.[1]) throw new SigningSecretError('the signing secret must look like whsec_<base64>');
  const key = Buffer.from(m[1], 'base64');
  if (key.length < 16) throw new SigningSecretError('the signing secret is too short (need at least 16 bytes after whsec_)');
  return key;
}

/** The `webhook-signature` header value for one attempt. */
export function signWebhook(key: Buffer, id: string, timestampSeconds: number, body: string): string {
  return new Webhook(key, { format: 'raw' }).sign(id, new Date(timestampSeconds * 1000), body);
}

/** Headers of one signed attempt; the timestamp is the attempt time, as the spec asks. */
export function signedHeaders(key: Buffer, id: string, now: Date, body: string): Record<string, string> {
  const ts = Math.floor(now.getTime() / 1000);
  return {
    'content-type': 'application/json',
    'webhook-id': id,
    'webhook-timestamp': String(ts),
    'webhook-signature': signWebhook(key, id, ts, body),
  };
}
