// `newswatch stories` as a user runs it: the CLI in-process (main with in-memory streams),
// reading an embedded store that the real pipeline filled from the demo's fixture outlets.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import stringWidth from 'string-width';
import { openLocalStore } from '../../../cli/local-store.ts';
import type { Story } from '../../../shared/model.ts';
import { cli, seedAtDemoClock, useMonthAfterDemoClock, type Seeded } from './seed.ts';

let seeded: Seeded;
let stored: Story[];
const SINCE = ['--since', '2025-02-01'];

beforeAll(async () => {
  seeded = await seedAtDemoClock();
  const local = await openLocalStore(seeded.store);
  try {
    stored = await local.store.storiesOfDay('2025-02-06');
  } finally {
    await local.close();
  }
  useMonthAfterDemoClock();
}, 300_000);
afterAll(async () => {
  vi.useRealTimers();
  await seeded?.close();
});

const jsonLines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .filter((l) => l.length > 0)
    .map((l) => JSON.parse(l) as Record<string, unknown> & { id: string; topics: string[]; copies: { outlet: string; id: string }[]; publishedAt: string });

describe('newswatch stories', { timeout: 180_000 }, () => {
  it('--json lists every stored leader once, newest first, with topics, why, UTC time and its copies', async () => {
    const r = await cli(['stories', '--store', seeded.store, ...SINCE, '--json']);
    expect(r.code).toBe(0);
    const lines = jsonLines(r.stdout);
    const leaders = stored.filter((s) => s.leader);
    expect(leaders.length).toBeGreaterThan(3);
    expect(lines.map((l) => l.id).sort()).toEqual(leaders.map((s) => s.id).sort());
    const times = lines.map((l) => l.publishedAt);
    expect([...times].sort().reverse()).toEqual(times);
    for (const line of lines) {
      const story = stored.find((s) => s.id === line.id)!;
      expect(Object.keys(line)).toEqual(['id', 'title', 'url', 'outlet', 'publishedAt', 'topics', 'score', 'why', 'copies', 'related']);
      expect(line.publishedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
      expect(line.topics).toEqual(story.topics);
      expect(Object.keys(line.why as object)).toEqual(story.topics);
      // Every copy the pipeline grouped under this leader is on its line, with its outlet.
      const copies = stored.filter((s) => s.clusterId === story.id && s.id !== story.id);
      expect(line.copies.map((c) => c.id).sort()).toEqual(copies.map((c) => c.id).sort());
      for (const c of line.copies) expect(c.outlet).toBe(copies.find((s) => s.id === c.id)!.outlet);
    }
    expect(lines.some((l) => l.copies.length > 0)).toBe(true);
  });

  it('prints a table in Korea time whose columns line up under Hangul', async () => {
    const r = await cli(['stories', '--store', seeded.store, ...SINCE]);
    expect(r.code).toBe(0);
    const rows = r.stdout.split('\n').filter((l) => /^\d\d-\d\d \d\d:\d\d/.test(l));
    expect(rows.length).toBe(stored.filter((s) => s.leader).length);
    // 과기정통부 story: 05:50 UTC is 14:50 in Korea.
    expect(r.stdout).toMatch(/02-06 14:50 .*국가대표 AI 모델/);
    const header = r.stdout.split('\n')[0]!;
    const titleColumn = stringWidth(header.slice(0, header.indexOf('제목')));
    for (const row of rows) {
      const title = stored.find((s) => s.leader && row.includes(s.title.slice(0, 8)))!;
      expect(stringWidth(row.slice(0, row.indexOf(title.title.slice(0, 8))))).toBe(titleColumn);
    }
    expect(r.stdout).toMatch(/연합뉴스 \+1/);
  });

  it('--search ignores spacing; --topic, --outlet and --limit narrow the list', async () => {
    const search = jsonLines((await cli(['stories', '--store', seeded.store, ...SINCE, '--json', '--search', 'AI추격 조'])).stdout);
    expect(search.length).toBe(1);
    expect(search[0]!.title).toContain("'AI 추격조'");

    const topic = jsonLines((await cli(['stories', '--store', seeded.store, ...SINCE, '--json', '--topic', 'sovereign_ai'])).stdout);
    expect(topic.length).toBeGreaterThan(0);
    for (const l of topic) expect(l.topics).toContain('sovereign_ai');
    expect(topic.length).toBeLessThan(stored.filter((s) => s.leader).length);

    const outlet = jsonLines((await cli(['stories', '--store', seeded.store, ...SINCE, '--json', '--outlet', '한국 경제'])).stdout);
    expect(outlet.length).toBeGreaterThan(0);
    for (const l of outlet) expect([l.outlet, ...l.copies.map((c) => c.outlet)]).toContain('한국경제');

    const limited = jsonLines((await cli(['stories', '--store', seeded.store, ...SINCE, '--json', '--limit', '2'])).stdout);
    expect(limited.length).toBe(2);
  });

  it('says what is wrong, in our words, with exit 2 for usage and 1 for a missing store', async () => {
    const unknown = await cli(['stories', '--store', seeded.store, '--serch', 'x']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe("newswatch stories: unknown option '--serch' (did you mean --search?); see `newswatch stories --help`\n");

    const since = await cli(['stories', '--store', seeded.store, '--since', 'last week']);
    expect(since.code).toBe(2);
    expect(since.stderr).toMatch(/--since "last week" is not a duration or a day: use e\.g\. 24h, 7d/);
    const endless = await cli(['stories', '--store', seeded.store, '--since', '2020-01-01']);
    expect(endless.code).toBe(2);
    expect(endless.stderr).toMatch(/^newswatch stories: --since 2020-01-01 reaches back [\d,]+ days; newswatch reads at most 1,095 days \(3 years\) back\n$/);

    // A value that starts with a dash is no value: Node calls it "ambiguous", we say what lacks one.
    const dash = await cli(['stories', '--store', seeded.store, '--since', '-3d']);
    expect(dash.code).toBe(2);
    expect(dash.stderr).toBe(
      "newswatch stories: option --since needs a value (one that starts with '-' is written --since=VALUE); see `newswatch stories --help`\n",
    );
    const next = await cli(['stories', '--limit', '--store', seeded.store]);
    expect(next.code).toBe(2);
    expect(next.stderr).toMatch(/^newswatch stories: option --limit needs a value /);

    const topic = await cli(['stories', '--store', seeded.store, '--topic', 'deepsek']);
    expect(topic.code).toBe(2);
    expect(topic.stderr).toMatch(/no topic 'deepsek' .*\(did you mean deepseek\?\)/);

    const missing = await cli(['stories', '--store', `${seeded.dir}/nowhere`]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no store at .*nowhere: run `newswatch run` first/);

    // A file where the store should be: said, not Node's "EEXIST ... mkdir".
    const file = await cli(['stories', '--store', 'package.json']);
    expect(file).toMatchObject({
      code: 1,
      stderr: 'newswatch stories: package.json is a file, not a store directory: pass the directory `newswatch run --store` wrote to\n',
    });

    const empty = await cli(['stories', '--store', seeded.store, '--since', '1h']);
    expect(empty.code).toBe(0);
    expect(empty.stdout).toBe('');
    expect(empty.stderr).toMatch(/No stories since .* KST match/);

    const help = await cli(['stories', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toMatch(/^Usage: newswatch stories/);
  });
});
