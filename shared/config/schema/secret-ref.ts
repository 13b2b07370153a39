import { z } from 'zod';

/**
 * A value pasted where a secret's *name* belongs: a URL (a Slack webhook, a receiver) or a
 * token (Slack xox*-, Standard Webhooks whsec_, API keys). Checked so such a value is refused
 * by `validate` instead of being logged, shown by `status` and written to the store. The
 * messages never repeat the value.
 */
export function looksLikeSecretValue(name: string): boolean {
  const v = name.trim();
  return (
    /^[a-z][a-z0-9+.-]*:\/\//i.test(v) || // any URL (https://hooks.slack.com/..., http://...)
    /^(xox[abeoprs]|xapp|xwfp)-/i.test(v) || // Slack tokens
    /^whsec_/i.test(v) || // Standard Webhooks signing secret
    /^(sk|pk|rk)_(live|test)_/i.test(v) || // Stripe-style keys
    /^(gh[pousr]_|github_pat_|glpat-)/.test(v) || // GitHub / GitLab tokens
    /^(AKIA|ASIA)[0-9A-Z]{16}$/.test(v) || // AWS access key ids
    /^eyJ[A-Za-z0-9_-]{10,}\./.test(v) || // JWTs
    /^[A-Za-z0-9+=_-]{40,}$/.test(v) // a long opaque string with no path: a key, not a name
  );
}

const NOT_A_NAME =
  'this looks like the secret itself (a URL or token), not its name; the value was not shown or stored. Put the value in the environment variable or Secrets Manager secret and write only its name here';

/**
 * Where a secret lives. Never the secret itself: locally an environment variable,
 * on AWS a Secrets Manager secret (name or ARN). At least one must be given.
 */
export const secretRefSchema = z
  .strictObject({
    env: z
      .string()
      .refine((v) => !looksLikeSecretValue(v), { message: `${NOT_A_NAME} (e.g. env: SLACK_WEBHOOK_URL)`, abort: true })
      .regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as SLACK_WEBHOOK_URL')
      .optional(),
    secret: z
      .string()
      .min(1)
      .refine((v) => /^arn:aws[a-z-]*:secretsmanager:/.test(v) || !looksLikeSecretValue(v), {
        message: `${NOT_A_NAME} (e.g. secret: newswatch/slack-team)`,
      })
      .optional()
      .describe('Secrets Manager secret name or ARN, used on AWS'),
  })
  .refine((r) => r.env !== undefined || r.secret !== undefined, {
    message: 'give `env` (local) and/or `secret` (Secrets Manager on AWS)',
  })
  .describe('A reference to a secret: never the secret value itself');

export type SecretRef = z.infer<typeof secretRefSchema>;
