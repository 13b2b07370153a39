// Route new cluster leaders to Slack and webhook destinations: once per story and
// destination (a delivery record in the store), paced, retried, and with one failing
// destination never holding up the others.
import type { Config, SlackDestination, WebhookDestination } from '../config/schema/index.ts';
import type { SecretRef } from '../config/schema/secret-ref.ts';
import type { SecretResolver } from '../config/secrets.ts';
import type { ClusterView, Story } from '../model.ts';
import type { Store } from '../store/port.ts';
import { DeliveryError } from './errors.ts';
import { nodeHttpPost, type HttpPost, type HttpResponse } from './http-post.ts';
import { mapLimit } from '../map-limit.ts';
import { paced } from './pacing.ts';
import { attemptsOf, DEFAULT_RETRY, postWithRetry, type RetryPolicy } from './retry.ts';
import { slackErrorCode, slackStoryMessage, slackSummaryMessage, slackWorkflowSummary, slackWorkflowVariables } from './slack.ts';
import { storyView, wants, type StoryView } from './story-view.ts';
import { signedHeaders, signingKey, SigningSecretError, storyMatchedEvent } from './webhook.ts';
import { setTimeout as sleep } from 'node:timers/promises';

export interface DeliverDeps {
  config: Config;
  store: Store;
  secrets: SecretResolver;
  now: () => Date;
  sleep?: (ms: number) => Promise<void>;
  /** Optional override; default node:http(s) with a timeout. */
  post?: HttpPost;
  /** Retry policy for Slack and webhooks (tests shorten the backoff). */
  retry?: Partial<RetryPolicy>;
  /** Minimum gap between two messages to one Slack webhook; default 1,000 ms. */
  slackIntervalMs?: number;
}

export interface DeliveryReport {
  destinationId: string;
  storyId?: string;
  status: 'sent' | 'skipped' | 'failed' | 'summarised';
  attempts: number;
  error?: string;
}

/** Webhook requests in flight at once per destination (they need no pacing). */
const WEBHOOK_CONCURRENCY = 4;

export type Destination = ({ kind: 'slack' } & SlackDestination) | ({ kind: 'webhook' } & WebhookDestination);

/** Every Slack and webhook destination of the config, enabled or not. */
function allDestinations(config: Config): Destination[] {
  return [
    ...config.delivery.slack.map((d) => ({ kind: 'slack' as const, ...d })),
    ...config.delivery.webhooks.map((d) => ({ kind: 'webhook' as const, ...d })),
  ];
}

/** Every enabled Slack and webhook destination of the config. */
export function destinationsOf(config: Config): Destination[] {
  return allDestinations(config).filter((d) => d.enabled);
}

/** The default pause between retries and paced messages. */
export const realSleep = (ms: number): Promise<void> => sleep(ms);

interface Ctx {
  deps: DeliverDeps;
  post: HttpPost;
  sleep: (ms: number) => Promise<void>;
  policy: RetryPolicy;
  cluster: (id: string) => Promise<ClusterView | undefined>;
}

function context(deps: DeliverDeps): Ctx {
  const clusters = new Map<string, Promise<ClusterView | undefined>>();
  return {
    deps,
    post: deps.post ?? nodeHttpPost(),
    sleep: deps.sleep ?? realSleep,
    policy: { ...DEFAULT_RETRY, ...deps.retry },
    // Other outlets are a nice-to-have: a failed lookup must not stop the alert.
    cluster: (id) => {
      let p = clusters.get(id);
      if (!p) {
        p = deps.store.cluster(id).catch(() => undefined);
        clusters.set(id, p);
      }
      return p;
    },
  };
}

/** Deliver the new matched cluster leaders of one cycle to every destination that wants them. */
export async function deliverStories(deps: DeliverDeps, leaders: Story[]): Promise<DeliveryReport[]> {
  const ctx = context(deps);
  const unique = [...new Map(leaders.map((s) => [s.id, s])).values()];
  const reports = await Promise.all(
    destinationsOf(deps.config).map((d) =>
      deliverTo(ctx, d, unique.filter((s) => wants(d, s))).catch((e: unknown) =>
        // Last line of defence: a bug or a store outage for one destination is reported, not thrown.
        unique.filter((s) => wants(d, s)).map((s) => ({ destinationId: d.id, storyId: s.id, status: 'failed' as const, attempts: 0, error: (e as Error).message })),
      ),
    ),
  );
  return reports.flat();
}

interface Resolved {
  url: string;
  key?: Buffer;
}

/** Secret references become values here; the error names the destination and where the secret should be. */
async function resolveSecrets(secrets: SecretResolver, d: Destination): Promise<Resolved> {
  const get = async (ref: SecretRef, what: string): Promise<string> => {
    try {
      return await secrets(ref, `${d.kind} destination "${d.id}" ${what}`);
    } catch (e) {
      const where = [ref.env && `environment variable ${ref.env}`, ref.secret && `secret ${ref.secret}`].filter(Boolean).join(' or ');
      throw new DeliveryError(d.id, `${what} is not available (set ${where}): ${(e as Error).message}`, false);
    }
  };
  if (d.kind === 'slack') return { url: await get(d.webhook, 'webhook URL') };
  const url = await get(d.url, 'URL');
  const secret = await get(d.signingSecret, 'signing secret');
  try {
    return { url, key: signingKey(secret) };
  } catch (e) {
    if (e instanceof SigningSecretError) throw new DeliveryError(d.id, e.message, false);
    throw e;
  }
}

async function deliverTo(ctx: Ctx, d: Destination, stories: Story[]): Promise<DeliveryReport[]> {
  if (stories.length === 0) return [];
  const { store, now } = ctx.deps;
  const claimed: Story[] = [];
  const reports: DeliveryReport[] = [];
  for (const s of stories) {
    if (await store.claimDelivery(s.id, d.id, now())) claimed.push(s);
    else reports.push({ destinationId: d.id, storyId: s.id, status: 'skipped', attempts: 0 });
  }
  if (claimed.length === 0) return reports;

  let resolved: Resolved;
  try {
    resolved = await resolveSecrets(ctx.deps.secrets, d);
  } catch (e) {
    return [...reports, ...(await failAll(ctx, d, claimed, (e as Error).message, 0))];
  }
  const views = await Promise.all(claimed.map(async (s) => storyView(ctx.deps.config, s, await ctx.cluster(s.clusterId))));
  if (d.kind === 'slack') return [...reports, ...(await deliverSlack(ctx, d, resolved.url, views))];
  return [...reports, ...(await deliverWebhook(ctx, d, resolved, views))];
}

async function record(ctx: Ctx, d: Destination, storyId: string, status: 'sent' | 'failed', attempts: number, error?: string): Promise<void> {
  await ctx.deps.store.finishDelivery({ storyId, destinationId: d.id, status, attempts, ...(error ? { error } : {}) }, ctx.deps.now());
}

async function failAll(ctx: Ctx, d: Destination, stories: Story[], error: string, attempts: number): Promise<DeliveryReport[]> {
  const out: DeliveryReport[] = [];
  for (const s of stories) {
    await record(ctx, d, s.id, 'failed', attempts, error);
    out.push({ destinationId: d.id, storyId: s.id, status: 'failed', attempts, error });
  }
  return out;
}

async function deliverSlack(ctx: Ctx, d: Destination & { kind: 'slack' }, url: string, views: StoryView[]): Promise<DeliveryReport[]> {
  const interval = ctx.deps.slackIntervalMs ?? 1000;
  const send = async (payload: unknown): Promise<number> => {
    const body = JSON.stringify(payload);
    const r = await paced(url, interval, ctx.sleep, () => postWithRetry({
      destinationId: d.id,
      post: ctx.post,
      url,
      request: () => ({ body, headers: { 'content-type': 'application/json; charset=utf-8' } }),
      policy: ctx.policy,
      sleep: ctx.sleep,
      now: ctx.deps.now,
      describe: (res) => slackErrorCode(res.body),
    }));
    return r.attempts;
  };

  if (views.length > d.burstLimit) {
    const payload = d.format === 'workflow' ? slackWorkflowSummary(views) : slackSummaryMessage(views);
    try {
      const attempts = await send(payload);
      const out: DeliveryReport[] = [];
      for (const v of views) {
        await record(ctx, d, v.story.id, 'sent', attempts);
        out.push({ destinationId: d.id, storyId: v.story.id, status: 'summarised', attempts });
      }
      return out;
    } catch (e) {
      return failAll(ctx, d, views.map((v) => v.story), (e as Error).message, attemptsOf(e));
    }
  }

  const out: DeliveryReport[] = [];
  for (let i = 0; i < views.length; i++) {
    const v = views[i]!;
    try {
      const attempts = await send(d.format === 'workflow' ? slackWorkflowVariables(v) : slackStoryMessage(v));
      await record(ctx, d, v.story.id, 'sent', attempts);
      out.push({ destinationId: d.id, storyId: v.story.id, status: 'sent', attempts });
    } catch (e) {
      const error = (e as Error).message;
      await record(ctx, d, v.story.id, 'failed', attemptsOf(e), error);
      out.push({ destinationId: d.id, storyId: v.story.id, status: 'failed', attempts: attemptsOf(e), error });
      // The destination is failing (rejected, or down after every retry): stop sending to it this cycle.
      const rest = views.slice(i + 1).map((r) => r.story);
      out.push(...(await failAll(ctx, d, rest, `not sent: destination is failing (${error})`, 0)));
      break;
    }
  }
  return out;
}

async function deliverWebhook(ctx: Ctx, d: Destination & { kind: 'webhook' }, resolved: Resolved, views: StoryView[]): Promise<DeliveryReport[]> {
  const key = resolved.key!;
  let failing: string | undefined;
  return mapLimit(views, WEBHOOK_CONCURRENCY, async (v): Promise<DeliveryReport> => {
    if (failing !== undefined) {
      const error = `not sent: destination is failing (${failing})`;
      await record(ctx, d, v.story.id, 'failed', 0, error);
      return { destinationId: d.id, storyId: v.story.id, status: 'failed', attempts: 0, error };
    }
    const event = storyMatchedEvent(v, await ctx.cluster(v.story.clusterId));
    const body = JSON.stringify(event);
    try {
      const r = await postWithRetry({
        destinationId: d.id,
        post: ctx.post,
        url: resolved.url,
        // Same id and body on every attempt; the timestamp and signature are per attempt.
        request: () => ({ body, headers: signedHeaders(key, event.id, ctx.deps.now(), body) }),
        policy: ctx.policy,
        sleep: ctx.sleep,
        now: ctx.deps.now,
      });
      await record(ctx, d, v.story.id, 'sent', r.attempts);
      return { destinationId: d.id, storyId: v.story.id, status: 'sent', attempts: r.attempts };
    } catch (e) {
      const error = (e as Error).message;
      if (e instanceof DeliveryError && !e.retryable) failing = error;
      await record(ctx, d, v.story.id, 'failed', attemptsOf(e), error);
      return { destinationId: d.id, storyId: v.story.id, status: 'failed', attempts: attemptsOf(e), error };
    }
  });
}

/** Send `story` to one destination, without delivery records: `newswatch notify --test`. */
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
      post: deps.post ?? nodeHttpPost(),
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
