// The Lambdas' SecretResolver: config `secret:` references read from Secrets Manager,
// each secret fetched once per container and cached. Values are never logged; errors
// name the reference and what it is for.
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { SecretRef } from '../../shared/config/schema/index.ts';
import type { SecretResolver } from '../../shared/config/secrets.ts';
import { parseSecretId } from '../../shared/config/secret-id.ts';

export class SecretError extends Error {
  override readonly name = 'SecretError';
}

export interface CachingResolver {
  resolve: SecretResolver;
  /** Read these now (Lambda init). A failure is returned, not thrown: one missing secret must not stop the rest. */
  prefetch(refs: SecretRef[]): Promise<SecretError[]>;
}

/** A SecretResolver over Secrets Manager with a per-container cache of successful reads. */
export function secretsManagerResolver(client: Pick<SecretsManagerClient, 'send'>): CachingResolver {
  const cache = new Map<string, Promise<string>>();

  const fetchSecret = (secretId: string, what: string): Promise<string> => {
    let p = cache.get(secretId);
    if (!p) {
      p = client.send(new GetSecretValueCommand({ SecretId: secretId })).then(
        (out) => {
          if (out.SecretString === undefined) throw new SecretError(`${what}: secret ${secretId} has no string value`);
          return out.SecretString;
        },
        (e: unknown) => {
          throw translate(e, secretId, what);
        },
      );
      // Only successes stay cached: a secret created after a failure is found on the next call.
      p.catch(() => cache.delete(secretId));
      cache.set(secretId, p);
    }
    return p;
  };

  const resolve: SecretResolver = async (ref, what) => {
    if (!ref.secret) {
      throw new SecretError(`${what}: no Secrets Manager secret configured (env ${ref.env ?? '?'} is for local runs; add \`secret:\` to the reference)`);
    }
    const { secretId, jsonKey } = parseSecretId(ref.secret);
    const value = await fetchSecret(secretId, what);
    if (jsonKey === undefined) return value;
    let parsed: unknown;
    try {
      parsed = JSON.parse(value);
    } catch {
      throw new SecretError(`${what}: secret ${secretId} is not JSON, so it has no key "${jsonKey}"`);
    }
    const field = (parsed as Record<string, unknown> | null)?.[jsonKey];
    if (typeof field !== 'string') throw new SecretError(`${what}: secret ${secretId} has no string key "${jsonKey}"`);
    return field;
  };

  return {
    resolve,
    async prefetch(refs) {
      const settled = await Promise.allSettled(refs.filter((r) => r.secret).map((r) => resolve(r, `secret ${r.secret}`)));
      return settled.flatMap((s) => (s.status === 'rejected' ? [s.reason instanceof SecretError ? s.reason : new SecretError(String(s.reason))] : []));
    },
  };
}

function translate(e: unknown, secretId: string, what: string): SecretError {
  const name = (e as { name?: string })?.name ?? 'Error';
  if (name === 'ResourceNotFoundException') {
    return new SecretError(`${what}: secret ${secretId} does not exist (create it: aws secretsmanager create-secret --name ${secretId} --secret-string ...)`);
  }
  if (name === 'AccessDeniedException') {
    return new SecretError(`${what}: not allowed to read secret ${secretId} (is it named in the config that was deployed?)`);
  }
  // The SDK message names the operation, never the value.
  return new SecretError(`${what}: reading secret ${secretId} failed: ${name}: ${(e as Error)?.message ?? ''}`);
}
