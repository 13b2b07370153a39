// What the syndication evals (dedupe.eval.ts, e2e-syndication.eval.ts) share: which split an
// event goes to, how a page's time is read, and the pairwise score, so the clusterer called
// directly and `newswatch run` are scored by one definition.

export const SPLITS = ['dev', 'test'] as const;
export type Split = (typeof SPLITS)[number];
/** The one instant of the runs without times. */
export const ONE_INSTANT = '2026-01-01T00:00:00.000Z';

/** What every labelled article carries, raw or derived. */
export interface ArticleLabels {
  id: string;
  story: string;
  event: string;
  url: string;
  outlet: string;
  /** As the page showed it: ISO time, a date (YYYY-MM-DD, Korea time), or null. */
  publishedAt: string | null;
}

/** One gathered article as the raw file holds it (`dedupe.eval.ts --derive` reads it; not committed). */
export interface RawArticle extends ArticleLabels {
  title: string;
  text: string;
}

/** Share of events in dev, in percent. */
export const DEV_SHARE = 65;

/** FNV-1a: which split an event goes to (an event is never in both). */
export function splitOf(event: string): Split {
  let h = 0x811c9dc5;
  for (let i = 0; i < event.length; i++) {
    h ^= event.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0) % 100 < DEV_SHARE ? 'dev' : 'test';
}

/**
 * A page's time as UTC ISO. A bare date is read as the pipeline reads one (00:00 Korea time,
 * shared/extract/parse-date.ts), which the clusterer takes as the whole Korea day.
 */
export function timeOf(publishedAt: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(publishedAt)) return new Date(`${publishedAt}T00:00:00+09:00`).toISOString();
  return new Date(publishedAt).toISOString();
}

export interface PairScore {
  precision: number;
  recall: number;
  tp: number;
  fp: number;
  fn: number;
}

/** Pairwise precision and recall of `predicted` against `label`; wrongly joined and missed pairs go to `wrong` / `missed`. */
export function pairScore<R extends { id: string }>(
  rows: readonly R[],
  label: (r: R) => string,
  predicted: (r: R) => string,
  wrong?: string[],
  missed?: string[],
): PairScore {
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < rows.length; i++) {
    for (let j = i + 1; j < rows.length; j++) {
      const a = rows[i]!;
      const b = rows[j]!;
      const same = label(a) === label(b);
      const together = predicted(a) === predicted(b);
      if (same && together) tp++;
      else if (together) {
        fp++;
        wrong?.push(`${a.id} + ${b.id}`);
      } else if (same) {
        fn++;
        missed?.push(`${a.id} / ${b.id}`);
      }
    }
  }
  return { precision: tp + fp === 0 ? 1 : tp / (tp + fp), recall: tp + fn === 0 ? 1 : tp / (tp + fn), tp, fp, fn };
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`.padStart(6);

/** Union-find over cluster ids: `join` links two clusters as one event, `find` names an id's event. */
export function unionFind(): { join(a: string, b: string): void; find(x: string): string } {
  const parent = new Map<string, string>();
  const find = (x: string): string => {
    let p = parent.get(x) ?? x;
    while (p !== (parent.get(p) ?? p)) p = parent.get(p) ?? p;
    parent.set(x, p);
    return p;
  };
  return {
    find,
    join(a, b) {
      const x = find(a);
      const y = find(b);
      if (x !== y) parent.set(x, y);
    },
  };
}
