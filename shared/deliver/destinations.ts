// The Slack and webhook destinations of a config, and their secrets resolved into a URL
// and signing key. Errors name the destination and where its secret should be, never a value.
import type { Config, SlackDestination, WebhookDestination } from '../config/schema/index.ts';
import type { SecretRef } from '../config/schema/secret-ref.ts';
import type { SecretResolver } from '../config/secrets.ts';
import { DeliveryError } from './errors.ts';
import { signingKey, SigningSecretError } from './webhook.ts';

export type Destination = ({ kind: 'slack' } & SlackDestination) | ({ kind: 'webhook' } & WebhookDestination);

/** Every Slack and webhook destination of the config, enabled or not. */
export function allDestinations(config: Config): Destination[] {
  return [
    ...config.delivery.slack.map((d) => ({ kind: 'slack' as const, ...d })),
    ...config.delivery.webhooks.map((d) => ({ kind: 'webhook' as const, ...d })),
  ];
}

/** Every enabled Slack and webhook destination of the config. */
export function destinationsOf(config: Config): Destination[] {
  return allDestinations(config).filter((d) => d.enabled);
}

export interface Resolved {
  url: string;
  key?: Buffer;
}

/** Where a reference says the secret lives, for "set ..." hints. */
export function secretLocation(ref: SecretRef): string {
  return [ref.env && `environment variable ${ref.env}`, ref.secret && `secret ${ref.secret}`].filter(Boolean).join(' or ');
}

/**
 * Secret references become values here. A missing secret is a retryable DeliveryError: the
 * destination's alerts wait in the outbox until it is set.
 */
export async function resolveSecrets(secrets: SecretResolver, d: Destination): Promise<Resolved> {
  const get = async (ref: SecretRef, what: string): Promise<string> => {
    const label = `${d.kind} destination "${d.id}" ${what}`;
    try {
      return await secrets(ref, label);
    } catch (e) {
      // The resolver names the variable or secret; without its own prefix the line reads once.
      const m = (e as Error).message;
      const reason = m.startsWith(`${label}: `) ? m.slice(label.length + 2) : `${m} (set ${secretLocation(ref)})`;
      throw new DeliveryError(d.id, `${what} is not available: ${reason}`, true, { code: 'secret-missing' });
    }
  };
  if (d.kind === 'slack') return { url: await get(d.webhook, 'webhook URL') };
  const url = await get(d.url, 'URL');
  const secret = await get(d.signingSecret, 'signing secret');
  try {
    return { url, key: signingKey(secret) };
  } catch (e) {
    if (e instanceof SigningSecretError)
      throw new DeliveryError(d.id, `${e.message} (fix ${secretLocation(d.signingSecret)})`, true, { code: 'secret-missing' });
    throw e;
  }
}

/**
 * Check every enabled destination's secrets once, at start: one line per destination that
 * cannot send, saying what to set. Its alerts stay queued meanwhile.
 */
export async function checkDestinationSecrets(config: Config, secrets: SecretResolver): Promise<{ destinationId: string; message: string }[]> {
  const out: { destinationId: string; message: string }[] = [];
  for (const d of destinationsOf(config)) {
    try {
      await resolveSecrets(secrets, d);
    } catch (e) {
      out.push({ destinationId: d.id, message: waitingMessage(d, (e as Error).message) });
    }
  }
  return out;
}

/** "slack destination "team" waits: ..." with how to fix it. */
export function waitingMessage(d: Destination, error: string): string {
  const reason = error.startsWith(`${d.id}: `) ? error.slice(d.id.length + 2) : error;
  return `${d.kind} destination "${d.id}" waits: ${reason}. Its alerts stay queued and go out on the first cycle after it is set.`;
}
