// Route new cluster leaders to Slack and webhook destinations through the outbox: their
// rows are queued (if not already) and every due row of theirs is sent now. The CLI and the
// notify Lambda call this for fresh leaders; sendDue alone sends everything due.
import type { Story } from '../model.ts';
import { alertsFor } from './enqueue.ts';
import { allDestinations, resolveSecrets } from './destinations.ts';
import { DeliveryError } from './errors.ts';
import { createHttpPost, type HttpResponse } from './http-post.ts';
import { sendDue, type SendOptions, type SendResult } from './outbox-sender.ts';
import { attemptsOf, DEFAULT_RETRY, postWithRetry } from './retry.ts';
import { slackErrorCode, slackStoryMessage, slackWorkflowVariables } from './slack.ts';
import { storyView } from './story-view.ts';
import { signedHeaders, storyMatchedEvent } from './webhook.ts';
import { realSleep, type DeliverDeps, type DeliveryReport } from './types.ts';

export type { DeliverDeps, DeliveryReport } from './types.ts';
export { destinationsOf, type Destination } from './destinations.ts';

/** Queue and send the alerts of `leaders`; a delivery queued or sent before reports `skipped`. */
export async function deliverStoriesDetailed(deps: DeliverDeps, leaders: Story[], opts: SendOptions = {}): Promise<SendResult> {
  const owed = alertsFor(deps.config, leaders, deps.now());
  const written = owed.length > 0 ? await deps.store.enqueueDeliveries(owed, deps.now()) : [];
  const fresh = new Set(written.map((r) => `${r.storyId}|${r.destinationId}`));
  const result = await sendDue(deps, { ...opts, storyIds: new Set(owed.map((r) => r.storyId)), known: new Map(leaders.map((s) => [s.id, s])) });
  const reported = new Set(result.reports.map((r) => `${r.storyId}|${r.destinationId}`));
  for (const r of owed) {
    const k = `${r.storyId}|${r.destinationId}`;
    if (!fresh.has(k) && !reported.has(k)) result.reports.push({ destinationId: r.destinationId, storyId: r.storyId, status: 'skipped', attempts: 0 });
  }
  return result;
}

/** Queue and send the alerts of `leaders`: one report per (story, destination). Store errors throw. */
export async function deliverStories(deps: DeliverDeps, leaders: Story[], opts: SendOptions = {}): Promise<DeliveryReport[]> {
  const result = await deliverStoriesDetailed(deps, leaders, opts);
  if (result.errors.length > 0) throw result.errors[0];
  return result.reports;
}

/** Send `story` to one destination, without an outbox row: `newswatch notify --test`. */
export async function sendTestMessage(deps: Omit<DeliverDeps, 'store'>, destinationId: string, story: Story): Promise<DeliveryReport> {
  // Disabled destinations can be tested too: that is how one checks them before enabling.
  const all = allDestinations(deps.config);
  const d = all.find((x) => x.id === destinationId);
  if (!d) {
    throw new DeliveryError(destinationId, `no Slack or webhook destination with this id (known: ${all.map((x) => x.id).join(', ') || 'none'})`, false);
  }
  try {
    const resolved = await resolveSecrets(deps.secrets, d);
    const v = storyView(deps.config, story);
    const event = storyMatchedEvent(v);
    const body = JSON.stringify(d.kind === 'webhook' ? event : d.format === 'workflow' ? slackWorkflowVariables(v) : slackStoryMessage(v));
    const key = resolved.key;
    const r = await postWithRetry({
      destinationId: d.id,
      post: deps.post ?? createHttpPost(deps.config.settings),
      url: resolved.url,
      request: () => ({ body, headers: key ? signedHeaders(key, event.id, deps.now(), body) : { 'content-type': 'application/json; charset=utf-8' } }),
      policy: { ...DEFAULT_RETRY, ...deps.retry },
      sleep: deps.sleep ?? realSleep,
      now: deps.now,
      ...(d.kind === 'slack' ? { describe: (res: HttpResponse) => slackErrorCode(res.body) } : {}),
    });
    return { destinationId: d.id, storyId: story.id, status: 'sent', attempts: r.attempts };
  } catch (e) {
    return { destinationId: d.id, storyId: story.id, status: 'failed', attempts: attemptsOf(e), error: (e as Error).message };
  }
}
