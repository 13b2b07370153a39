import { z } from 'zod';
import { headerSafe } from './header-safe.ts';

export const settingsSchema = z
  .strictObject({
    pollMinutes: z.number().int().min(1).default(10).describe('Minutes between polls'),
    contactUrl: headerSafe(z.url(), 'User-Agent').default('https://github.com/newswatch/newswatch').describe('Sent in the User-Agent'),
    timeoutMs: z.number().int().positive().default(20_000).describe('Total time allowed for one fetch, redirects included'),
    connectTimeoutMs: z.number().int().positive().default(10_000).describe('Time allowed to open the connection'),
    maxBytes: z
      .number()
      .int()
      .positive()
      .default(5 * 1024 * 1024)
      .describe('Body cap, on the wire and after decompression'),
    maxRedirects: z.number().int().min(0).max(10).default(5),
    perHostConcurrency: z.number().int().positive().default(2).describe('Requests in flight per host'),
    /** Only for local tests and the demo: allow fetching loopback/private addresses. */
    allowPrivateNetwork: z.boolean().default(false),
    seenTtlDays: z.number().int().positive().default(14).describe('How long an unmatched item is remembered'),
    keepUnmatchedDays: z
      .number()
      .int()
      .min(0)
      .max(90)
      .default(7)
      .describe('Days the title and lede of items that matched no topic are kept, for `newswatch tune` (0: keep none)'),
    maxAlertAgeHours: z
      .number()
      .positive()
      .default(12)
      .describe('Only stories published within this many hours alert (Slack, webhooks); older ones go to the digest only'),
    deliveryGiveUpHours: z
      .number()
      .positive()
      .default(24)
      .describe('A Slack or webhook alert still not delivered after this many hours is given up (newswatch deliveries --retry resends it)'),
  })
  .prefault({});

export const deploySchema = z
  .strictObject({
    alarmEmail: headerSafe(z.string().email(), 'alarm email To').optional().describe('Receives operator alarms through SNS'),
    sourceFailingMinutes: z.number().int().positive().default(180).describe('Alarm when a source fails this long'),
    pollConcurrency: z.number().int().min(2).max(50).default(5).describe('Poll Lambdas running at once (SQS maxConcurrency): bounds the load on outlets'),
    logRetentionDays: z
      .union([z.literal(1), z.literal(3), z.literal(7), z.literal(14), z.literal(30), z.literal(60), z.literal(90), z.literal(180), z.literal(365)])
      .default(30)
      .describe('CloudWatch Logs retention of every Lambda'),
  })
  .prefault({});

export type Settings = z.infer<typeof settingsSchema>;
export type Deploy = z.infer<typeof deploySchema>;
