/** Parse "10m", "30s", "1h", "90" (minutes) into milliseconds; throws a message a person can act on. */
export function parseDuration(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h)?$/.exec(text.trim());
  if (!m) throw new Error(`invalid duration '${text}': use e.g. 30s, 10m or 1h`);
  const n = Number(m[1]);
  const unit = m[2] ?? 'm';
  const ms = n * { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[unit as 'ms' | 's' | 'm' | 'h'];
  if (ms < 1000) throw new Error(`duration '${text}' is too short: at least 1s`);
  return ms;
}
