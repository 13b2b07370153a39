// `--since 7d`, `--since 36h`, `--since 2025-02-01` (a Korea day): the start of a window.
import { MAX_WINDOW_DAYS } from '../shared/store/port.ts';
import { isDay } from '../shared/time.ts';
import { UsageError } from './args.ts';

const UNIT_MS = { m: 60_000, h: 3_600_000, d: 86_400_000, w: 7 * 86_400_000 } as const;

/** The instant `text` names, counted back from `now`; throws a message a person can act on. */
export function parseSince(text: string, now: Date): Date {
  const t = text.trim();
  const m = /^(\d+)\s*(m|h|d|w)$/.exec(t);
  if (!isDay(t) && !m) throw new Error(`--since "${text}" is not a duration or a day: use e.g. 24h, 7d, 2w or 2025-02-01 (Korea time)`);
  const since = m ? new Date(now.getTime() - Number(m[1]) * UNIT_MS[m[2] as keyof typeof UNIT_MS]) : new Date(Date.parse(`${t}T00:00:00+09:00`));
  const back = Math.ceil((now.getTime() - since.getTime()) / UNIT_MS.d);
  if (back > MAX_WINDOW_DAYS) {
    throw new Error(
      `--since ${t} reaches back ${back.toLocaleString('en')} days; newswatch reads at most ${MAX_WINDOW_DAYS.toLocaleString('en')} days (3 years) back`,
    );
  }
  return since;
}

/** `--since` of a command: as parseSince, but a bad value is a usage error (exit 2). */
export function sinceOption(text: string, now: Date): Date {
  try {
    return parseSince(text, now);
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
}
