// The daily digest of one email list: exactly once per list and Korea day. The DIGEST#
// item is claimed (conditional write) before sending and marked sent after, so a retried
// or doubled invocation never sends twice.
import type { Config, EmailList } from '../config/schema/index.ts';
import type { DeliverDeps } from './deliver-stories.ts';
import { DeliveryError } from './errors.ts';
import { groupDigest } from './digest-group.ts';
import { renderDigest, type RenderedDigest } from './digest-render.ts';
import type { EmailSender } from './email-sender.ts';
import { isDay, digestDayFor } from '../time.ts';
import { buildRawMessage, unsubscribeHeaders } from './mime.ts';
import type { Store } from '../store/port.ts';

export interface DigestDeps extends DeliverDeps {
  /** Sends the built message (adapters/ses/ on AWS and for `newswatch digest`). */
  email: EmailSender;
}

export interface DigestResult {
  listId: string;
  day: string;
  /** sent; skipped (empty day, list set to skip); already (claimed or sent by another run); failed */
  status: 'sent' | 'skipped' | 'already' | 'failed';
  /** Clusters in the digest. */
  stories: number;
  messageId?: string;
  error?: string;
}

/** Find an email list by id, with an error that lists the known ones. */
export function emailList(config: Config, listId: string): EmailList {
  const list = config.delivery.email.find((l) => l.id === listId);
  if (!list) {
    const known = config.delivery.email.map((l) => l.id);
    throw new DeliveryError(listId, `no email list with this id in delivery.email (known: ${known.join(', ') || 'none'})`, false);
  }
  return list;
}

/** Render the digest of `day` for a list (or, without a list, for every topic) from the store. */
export async function buildDigest(deps: { config: Config; store: Store }, day: string, list?: EmailList): Promise<RenderedDigest & { stories: number }> {
  const stories = await deps.store.storiesOfDay(day);
  const content = groupDigest(deps.config, day, stories, list ?? { topics: Object.keys(deps.config.topics) });
  return { ...renderDigest({ ...content, ...(list ? { unsubscribe: list.unsubscribe } : {}) }), stories: content.total };
}

/** Send the digest of one list for one Korea day (default: the previous Korea day), at most once. */
export async function runDigest(deps: DigestDeps, listId: string, opts: { day?: string } = {}): Promise<DigestResult> {
  const list = emailList(deps.config, listId);
  const now = deps.now();
  const day = opts.day ?? digestDayFor(now);
  if (!isDay(day)) throw new DeliveryError(listId, `"${day}" is not a day; use YYYY-MM-DD (Korea time)`, false);
  if (!list.enabled) return { listId, day, status: 'skipped', stories: 0 };

  if (!(await deps.store.claimDigest(day, listId, now))) return { listId, day, status: 'already', stories: 0 };
  const claimedAt = now.toISOString();
  const digest = await buildDigest(deps, day, list);
  if (digest.stories === 0 && list.emptyDay === 'skip') {
    await deps.store.finishDigest({ day, listId, status: 'skipped', claimedAt, stories: 0 });
    return { listId, day, status: 'skipped', stories: 0 };
  }
  const raw = buildRawMessage({
    from: list.from,
    to: list.to,
    subject: digest.subject,
    text: digest.text,
    html: digest.html,
    date: now,
    headers: unsubscribeHeaders(list.unsubscribe),
    idSeed: `${listId}/${day}`,
  });
  try {
    const { messageId } = await deps.email.send({ listId, from: list.from, to: list.to, raw });
    await deps.store.finishDigest({ day, listId, status: 'sent', claimedAt, sentAt: deps.now().toISOString(), stories: digest.stories, messageId });
    return { listId, day, status: 'sent', stories: digest.stories, messageId };
  } catch (e) {
    const error = (e as Error).message;
    // The provider (SES) answered with an error: nothing went out, so release the day for the next
    // invocation (a Lambda retry). Without an answer (a timeout) it may have gone out:
    // the claim then stays until its lease runs out, and the late-digest alarm tells.
    if (e instanceof DeliveryError && e.details.status !== undefined) {
      await deps.store.finishDigest({ day, listId, status: 'failed', claimedAt, stories: digest.stories });
    }
    return { listId, day, status: 'failed', stories: digest.stories, error };
  }
}
