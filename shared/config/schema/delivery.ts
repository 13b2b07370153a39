import { z } from 'zod';
import { headerSafe } from './header-safe.ts';
import { secretRefSchema } from './secret-ref.ts';

const destinationId = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'a destination id in lower-case, digits, - or _');

/**
 * A secret reference field. A literal string (say a pasted https://hooks.slack.com/... URL)
 * is refused with a message that says where the secret belongs instead.
 */
function secretField(what: string, example: string) {
  return z.preprocess((value, ctx) => {
    if (typeof value === 'string') {
      ctx.addIssue({
        code: 'custom',
        message: `${what} is a secret and must not be written in the config file; reference it instead, e.g. { env: ${example} } locally and { secret: newswatch/${example.toLowerCase().replace(/_/g, '-')} } on AWS`,
      });
      return z.NEVER;
    }
    return value;
  }, secretRefSchema);
}

const routing = {
  id: destinationId,
  topics: z.array(z.string()).min(1).describe('Topic ids this destination wants'),
  minScore: z.number().nonnegative().optional().describe('Only stories whose topic score reaches this'),
  enabled: z.boolean().default(true),
};

export const slackDestinationSchema = z.strictObject({
  ...routing,
  webhook: secretField('the Slack webhook URL', 'SLACK_WEBHOOK_URL').describe('The incoming-webhook URL (a secret)'),
  /** `blocks`: incoming webhook with Block Kit; `workflow`: Workflow Builder, flat string variables. */
  format: z.enum(['blocks', 'workflow']).default('blocks'),
  /** More new stories than this in one cycle become one summary message. */
  burstLimit: z.number().int().positive().default(5),
});

export const webhookDestinationSchema = z.strictObject({
  ...routing,
  url: secretField('the webhook URL', 'WEBHOOK_URL').describe('The receiver URL (treated as a secret)'),
  signingSecret: secretField('the signing secret', 'WEBHOOK_SECRET').describe('A whsec_... Standard Webhooks signing secret'),
});

export const emailListSchema = z.strictObject({
  ...routing,
  from: headerSafe(z.string().min(3), 'email From').describe('Verified SES sender, e.g. "newswatch <news@example.com>"'),
  to: z.array(headerSafe(z.string().email(), 'email To')).min(1),
  hour: z.number().int().min(0).max(23).default(8).describe('Korea-time hour to send the digest'),
  emptyDay: z.enum(['skip', 'notice']).default('skip'),
  unsubscribe: headerSafe(z.string().min(3), 'List-Unsubscribe').describe('mailto: or https: URL for List-Unsubscribe'),
});

export const deliverySchema = z
  .strictObject({
    slack: z.array(slackDestinationSchema).default([]),
    webhooks: z.array(webhookDestinationSchema).default([]),
    email: z.array(emailListSchema).default([]),
  })
  .superRefine((d, ctx) => {
    // Delivery records and `notify --test` find a destination by id: ids must be unique across kinds.
    const seen = new Set<string>();
    for (const [kind, list] of [
      ['slack', d.slack],
      ['webhooks', d.webhooks],
      ['email', d.email],
    ] as const) {
      list.forEach((x, i) => {
        if (seen.has(x.id))
          ctx.addIssue({
            code: 'custom',
            path: [kind, i, 'id'],
            message: `destination id "${x.id}" is used twice; ids must be unique across slack, webhooks and email`,
          });
        seen.add(x.id);
      });
    }
  })
  .default({ slack: [], webhooks: [], email: [] });

export type SlackDestination = z.infer<typeof slackDestinationSchema>;
export type WebhookDestination = z.infer<typeof webhookDestinationSchema>;
export type EmailList = z.infer<typeof emailListSchema>;
export type Delivery = z.infer<typeof deliverySchema>;
