// `newswatch dedupe` as a user runs it: the CLI in-process (main with in-memory streams),
// JSONL in, one {"id","cluster"[,"related"]} line per input line out, in order; bad lines reported, the rest go on.
import { describe, expect, it } from 'vitest';
import { runCli } from '../../support/cli.ts';
import * as cases from './cases.ts';

const runDedupe = (stdin: string, args: string[] = []) => runCli(['dedupe', ...args], { stdin });

const line = (c: { id: string; url: string; title: string; body: string; outlet: string; publishedAt?: string }) =>
  JSON.stringify({ id: c.id, url: c.url, title: c.title, body: c.body, outlet: c.outlet, publishedAt: c.publishedAt });

describe('newswatch dedupe', () => {
  it('writes each story with the id of its cluster leader, in input order, and links related coverage', async () => {
    const input = [cases.wire, cases.sameTopicOtherStory, cases.editedHeadline, cases.trimmed, cases.tvScript, cases.independentSameDay, cases.followUpNextDay]
      .map(line)
      .join('\n');
    const { code, stdout } = await runDedupe(`${input}\n`);
    expect(code).toBe(0);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { id: 'wire', cluster: 'wire' },
      { id: 'other', cluster: 'other' },
      { id: 'regional', cluster: 'wire' },
      { id: 'trimmed', cluster: 'wire' },
      { id: 'tv', cluster: 'wire' },
      // Another outlet's own report and the next day's follow-up: their own stories, linked to the wire's.
      { id: 'independent', cluster: 'independent', related: ['wire'] },
      { id: 'followup', cluster: 'followup', related: ['wire'] },
    ]);
  });

  it('reports a bad line in place and carries on with the next ones', async () => {
    const input = [
      line(cases.wire),
      '{"id": "broken", "title": ',
      JSON.stringify({ id: 'no-text', outlet: 'x' }),
      JSON.stringify({ id: 'bad-date', title: '제목', outlet: 'x', publishedAt: 'yesterday' }),
      line(cases.trimmed),
    ].join('\n');
    const { code, stdout } = await runDedupe(`${input}\n`, ['--stats']);
    expect(code).toBe(0);
    const out = stdout
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(out).toHaveLength(5);
    expect(out[0]).toEqual({ id: 'wire', cluster: 'wire' });
    expect(out[1]).toMatchObject({ id: null, error: expect.stringContaining('not JSON') });
    expect(out[2]).toMatchObject({ id: 'no-text', error: expect.stringContaining('"title" or a "body"') });
    expect(out[3]).toMatchObject({ id: 'bad-date', error: expect.stringContaining('publishedAt') });
    expect(out[4]).toEqual({ id: 'trimmed', cluster: 'wire' });
  });

  it('groups copies given without publishedAt (all counted as published now)', async () => {
    const strip = ({ publishedAt: _p, ...rest }: typeof cases.wire) => rest;
    const { stdout } = await runDedupe(`${[strip(cases.wire), strip(cases.trimmed)].map((c) => JSON.stringify(c)).join('\n')}\n`);
    expect(
      stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l)),
    ).toEqual([
      { id: 'wire', cluster: 'wire' },
      { id: 'trimmed', cluster: 'wire' },
    ]);
  });
});
