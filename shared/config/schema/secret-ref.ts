import { z } from 'zod';

/**
 * Where a secret lives. Never the secret itself: locally an environment variable,
 * on AWS a Secrets Manager secret (name or ARN). At least one must be given.
 */
export const secretRefSchema = z
  .strictObject({
    env: z.string().regex(/^[A-Z_][A-Z0-9_]*$/, 'an environment variable name such as SLACK_WEBHOOK_URL').optional(),
    secret: z.string().min(1).optional().describe('Secrets Manager secret name or ARN, used on AWS'),
  })
  .refine((r) => r.env !== undefined || r.secret !== undefined, {
    message: 'give `env` (local) and/or `secret` (Secrets Manager on AWS)',
  })
  .describe('A reference to a secret: never the secret value itself');

export type SecretRef = z.infer<typeof secretRefSchema>;
