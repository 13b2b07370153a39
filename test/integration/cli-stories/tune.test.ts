// `newswatch tune` as a user runs it before deploying a keyword edit: the CLI in-process, a store
// filled by `newswatch run --once` from the demo's fixture outlets (so unmatched items were
// kept by the pipeline; the clock a month after the fixtures'), and an edited copy of the config.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import YAML from 'yaml';
import { runCli } from '../../support/cli.ts';
import { cli, seedStore, useMonthAfterDemoClock, type Seeded } from './seed.ts';

let seeded: Seeded;
const WINDOW = ['--since', '2025-02-01'];

/** The seeded config with `edit` applied, written next to it. */
function edited(name: string, edit: (doc: { topics: Record<string, Record<string, unknown>> }) => void): string {
  const doc = YAML.parse(readFileSync(seeded.configFile, 'utf8')) as { topics: Record<string, Record<string, unknown>> };
  edit(doc);
  const file = join(seeded.dir, name);
  writeFileSync(file, YAML.stringify(doc));
  return file;
}

beforeAll(async () => {
  useMonthAfterDemoClock();
  seeded = await seedStore();
}, 300_000);
afterAll(async () => {
  vi.useRealTimers();
  await seeded?.close();
});

describe('newswatch tune', { timeout: 180_000 }, () => {
  it('shows, per topic, what an edit newly matches (from kept unmatched items) and drops, each with why', async () => {
    const file = edited('edited.yaml', (doc) => {
      doc.topics['cold_wave'] = { label: '한파', threshold: 3, strong: ['강추위', '한파'] };
      doc.topics['sovereign_ai']!['threshold'] = 20;
    });
    const r = await cli(['tune', '--store', seeded.store, '--config', file, '--base', seeded.configFile, ...WINDOW]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    // The weather story matched nothing when it came in: only its kept title and lede make this visible.
    expect(r.stdout).toMatch(/한파 cold_wave \(new topic\): \+1 newly matched, −0 dropped/);
    expect(r.stdout).toMatch(/\+ 02-06 11:00 {2}서울 아침 영하 10도…주말까지 강추위 이어져 {2}— 연합뉴스\n {6}왜: 강추위\(제목\), 강추위 — 9점 \(기준 3점\)/);
    expect(r.stdout).toMatch(/소버린 AI sovereign_ai: \+0 newly matched, −4 dropped, 1 unchanged/);
    expect(r.stdout).toMatch(
      /− 02-06 08:50 {2}네이버, 하이퍼클로바X로 '소버린 AI' 승부수…중동 진출 가속 {2}— 한국경제\n {6}왜: 12점 < 기준 20점: 소버린 AI\(제목\)/,
    );
    expect(r.stdout).toMatch(/DeepSeek deepseek: no change \(\d+ still match\)/);
    expect(r.stdout).toMatch(/1 newly matched, 4 dropped\.\n$/);

    const ci = await cli(['tune', '--store', seeded.store, '--config', file, '--base', seeded.configFile, ...WINDOW, '--fail-on-drop', '--json']);
    expect(ci.code).toBe(1);
    const lines = ci.stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { topic: string; change: string; title: string; publishedAt: string; why: string });
    expect(lines.filter((l) => l.change === 'dropped').map((l) => l.topic)).toEqual(Array(4).fill('sovereign_ai'));
    expect(lines.find((l) => l.change === 'new')).toMatchObject({
      topic: 'cold_wave',
      title: '서울 아침 영하 10도…주말까지 강추위 이어져',
      publishedAt: '2025-02-06T02:00:00.000Z',
    });
  });

  it('an edit that only adds exits 0 even with --fail-on-drop; an unchanged config changes nothing', async () => {
    const file = edited('adds.yaml', (doc) => {
      doc.topics['cold_wave'] = { label: '한파', threshold: 3, strong: ['강추위'] };
    });
    const adds = await cli(['tune', '--store', seeded.store, '--config', file, '--base', seeded.configFile, ...WINDOW, '--fail-on-drop']);
    expect(adds.code).toBe(0);
    expect(adds.stdout).toMatch(/1 newly matched, 0 dropped\./);

    const same = await cli(['tune', '--store', seeded.store, '--config', seeded.configFile, '--base', seeded.configFile, ...WINDOW, '--fail-on-drop']);
    expect(same.code).toBe(0);
    expect(same.stdout).toMatch(/0 newly matched, 0 dropped\./);
  });

  it('an exclusion term added to a topic drops the stories it vetoes, naming the term', async () => {
    const file = edited('veto.yaml', (doc) => {
      doc.topics['deepseek']!['exclude'] = ['엔비디아'];
    });
    const r = await cli(['tune', '--store', seeded.store, '--config', file, '--base', seeded.configFile, ...WINDOW]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/− .*엔비디아.*\n {6}왜: 제외어 "엔비디아"에 걸림/);
  });

  it('says plainly that a window with no kept items has nothing to compare, and how to widen it', async () => {
    // Editing newswatch.config.yaml in place: "before" is what the store recorded, of which this window holds nothing.
    writeFileSync(join(seeded.dir, 'newswatch.config.yaml'), readFileSync(seeded.configFile));
    const inPlace = (...args: string[]) =>
      runCli(['tune', '--store', seeded.store, '--since', '2025-03-01', ...args], { env: { NO_COLOR: '1' }, cwd: seeded.dir });
    const r = await inPlace();
    expect(r).toEqual({
      code: 0,
      stderr: '',
      stdout: [
        'Replayed 0 items since 2025-03-01 00:00 KST (0 matched stories, 0 unmatched kept) against newswatch.config.yaml,',
        'compared with what the store recorded.',
        '',
        `No kept items in this window in ${seeded.store}, so there is nothing to compare per topic.`,
        'Widen the window with --since (e.g. --since 30d), or run newswatch for a while first.',
        'Items that matched no topic are kept for settings.keepUnmatchedDays (7 days in newswatch.config.yaml); raise it to replay them further back.',
        '',
        '0 newly matched, 0 dropped.',
        '',
      ].join('\n'),
    });
    expect(await inPlace('--fail-on-drop', '--json')).toEqual({ code: 0, stdout: '', stderr: '' });

    // Comparing two files: the base's keepUnmatchedDays is the one that kept (or did not keep) the items.
    const keepsNone = edited('keeps-none.yaml', (doc) => {
      (doc as unknown as { settings: Record<string, unknown> }).settings['keepUnmatchedDays'] = 0;
    });
    const none = await cli(['tune', '--store', seeded.store, '--config', seeded.configFile, '--base', keepsNone, '--since', '2025-03-01']);
    expect(none.code).toBe(0);
    expect(none.stdout).not.toMatch(/no change/);
    expect(none.stdout).toContain(
      `Items that matched no topic are not kept (settings.keepUnmatchedDays is 0 in ${keepsNone}); set it above 0 to replay them.\n`,
    );
  });

  it('answers bad input with exit 2 and a message', async () => {
    const r = await cli(['tune', '--store', seeded.store, '--fail-on-dorp']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/unknown option '--fail-on-dorp' \(did you mean --fail-on-drop\?\)/);
  });
});
