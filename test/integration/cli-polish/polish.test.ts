// Things a new user met in the walkthrough: typos, unknown options, a loopback refusal, being
// offline, a command waiting silently on a terminal, making a signing secret, Hangul tables.
import { execFile } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import { alignedTable, displayWidth } from '../../../cli/commands/sources.ts';
import { signingKey } from '../../../shared/deliver/webhook.ts';
import { cli } from '../cli-stories/seed.ts';

let server: DemoServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(() => server?.close());

describe('newswatch command line, polished', { timeout: 180_000 }, () => {
  it('suggests the command meant by a typo', async () => {
    const r = await cli(['stauts']);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/^newswatch: unknown command 'stauts' \(did you mean `newswatch status`\?\)/);
  });

  it('answers an unknown option in our words, for commands that use parseArgs directly too', async () => {
    const r = await cli(['run', '--onse']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe("newswatch run: unknown option '--onse'; see `newswatch run --help`\n");
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|TypeError/);
  });

  it('suggests the source id meant by a typo', async () => {
    const r = await cli(['fetch', 'yna-latst']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/no source 'yna-latst' in newswatch\.config\.yaml \(did you mean yna-latest\?\)/);
  });

  it('names --allow-private-network when it refuses a loopback address', async () => {
    const refused = await cli(['fetch', `${server.baseUrl}/yonhap.xml`]);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toMatch(
      /refused to connect to 127\.0\.0\.1[^\n]*\n {2}to read a server on this machine or your LAN \(a fixture server, the demo\), pass --allow-private-network/,
    );
    const allowed = await cli(['fetch', `${server.baseUrl}/yonhap.xml`, '--allow-private-network', '--json']);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toContain('AI 추격조');
  });

  it('says the machine looks offline when a host cannot be resolved', async () => {
    // .invalid never resolves (RFC 2606): the same error an offline machine gets for any host.
    const r = await cli(['fetch', 'https://news.example.invalid/rss.xml']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/ENOTFOUND[^\n]*\n {2}the host could not be resolved or reached: this machine looks offline/);
  });

  it('prints a hint when dedupe waits on a terminal, as classify does', async () => {
    // `script` gives the child a terminal for stdin; Ctrl-D (EOF) is sent at once.
    const out = await new Promise<string>((resolve) => {
      const child = execFile('script', ['-qec', `${process.execPath} --import tsx cli/main.ts dedupe`, '/dev/null'], { timeout: 150_000 }, (_e, stdout) =>
        resolve(stdout),
      );
      setTimeout(() => child.stdin?.end('\u0004'), 3000);
    });
    expect(out).toContain('newswatch dedupe: reading JSONL stories from stdin (Ctrl-D to finish; --help for the format)');
  });

  it('makes a whsec_ signing secret that delivery accepts, new each time', async () => {
    const a = await cli(['secret']);
    const b = await cli(['secret']);
    expect(a.status).toBe(0);
    expect(a.stdout).toMatch(/^whsec_[A-Za-z0-9+/]{43}=\n$/);
    expect(signingKey(a.stdout.trim()).length).toBe(32);
    expect(a.stdout).not.toBe(b.stdout);
  });

  it('lines up table columns after Hangul, CJK and emoji', () => {
    expect(displayWidth('연합뉴스')).toBe(8);
    expect(displayWidth('👍')).toBe(2);
    expect(displayWidth('𠀀')).toBe(2); // CJK extension B
    const table = alignedTable(
      ['ID', 'OUTLET', 'URL'],
      [
        ['a', '연합뉴스👍', 'u1'],
        ['bb', 'KBS', 'u2'],
        ['c', '𠀀日報', 'u3'],
      ],
    );
    const lines = table.trimEnd().split('\n');
    const starts = ['URL', 'u1', 'u2', 'u3'].map((cell, i) => displayWidth(lines[i]!.slice(0, lines[i]!.indexOf(cell))));
    expect(new Set(starts).size).toBe(1);
  });
});
