import type { SecretRef } from './schema/index.ts';

/**
 * Turns a secret reference into its value. The CLI resolves `env` from the process
 * environment; the Lambdas resolve `secret` from Secrets Manager, cached per container.
 * Values must never be logged: errors name the reference, not the value.
 */
export type SecretResolver = (ref: SecretRef, what: string) => Promise<string>;
