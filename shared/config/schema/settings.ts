import { z } from 'zod';

export const settingsSchema = z
  .strictObject({
    pollMinutes: z.number().int().min(1).default(10).describe('Minutes between polls'),
    contactUrl: z.url().default('https://github.com/newswatch/newswatch').describe('Sent in the User-Agent'),
    timeoutMs: z.number().int().positive().default(20_000),
    maxBytes: z.number().int().positive().default(5 * 1024 * 1024),
    maxRedirects: z.number().int().min(0).max(10).default(5),
    perHostConcurrency: z.number().int().positive().default(2),
    /** Only for local tests and the demo: allow fetching loopback/private addresses. */
    allowPrivateNetwork: z.boolean().default(false),
    seenTtlDays: z.number().int().positive().default(14).describe('How long an unmatched item is remembered'),
  })
  .prefault({});

export const deploySchema = z
  .strictObject({
    alarmEmail: z.string().email().optional().describe('Receives operator alarms through SNS'),
    sourceFailingMinutes: z.number().int().positive().default(180).describe('Alarm when a source fails this long'),
  })
  .prefault({});

export type Settings = z.infer<typeof settingsSchema>;
export type Deploy = z.infer<typeof deploySchema>;
