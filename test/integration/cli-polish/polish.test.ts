// Things a new user met in the walkthrough: typos, unknown options, a loopback refusal, being
// offline, a command waiting silently on a terminal, making a signing secret, Hangul tables.
// In-process (test/support/cli.ts), but for the last block: the installed command as a real
// process, where the process itself is what is tested.
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import { alignedTable, displayWidth } from '../../../cli/commands/sources.ts';
import { signingKey } from '../../../shared/deliver/webhook.ts';
import { ROOT, runCli } from '../../support/cli.ts';

const cli = (args: string[]) => runCli(args, { env: { NO_COLOR: '1' } });

let server: DemoServer;
beforeAll(async () => {
  server = await startDemoServer();
});
afterAll(() => server?.close());

describe('newswatch command line, polished', { timeout: 180_000 }, () => {
  it('suggests the command meant by a typo', async () => {
    const r = await cli(['stauts']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/^newswatch: unknown command 'stauts' \(did you mean `newswatch status`\?\)/);
  });

  it('answers an unknown option in our words, for commands that use parseArgs directly too', async () => {
    const r = await cli(['run', '--onse']);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe("newswatch run: unknown option '--onse'; see `newswatch run --help`\n");
    expect(r.stderr).not.toMatch(/ERR_PARSE_ARGS|TypeError/);
  });

  it('suggests the source id meant by a typo', async () => {
    const r = await cli(['fetch', 'yna-latst']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/no source 'yna-latst' in newswatch\.config\.yaml \(did you mean yna-latest\?\)/);
  });

  it('names --allow-private-network when it refuses a loopback address', async () => {
    const refused = await cli(['fetch', `${server.baseUrl}/yonhap.xml`]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /refused to connect to 127\.0\.0\.1[^\n]*\n {2}to read a server on this machine or your LAN \(a fixture server, the demo\), pass --allow-private-network/,
    );
    const allowed = await cli(['fetch', `${server.baseUrl}/yonhap.xml`, '--allow-private-network', '--json']);
    expect(allowed.code).toBe(0);
    expect(allowed.stdout).toContain('AI 추격조');
  });

  it('says the machine looks offline when a host cannot be resolved', async () => {
    // .invalid never resolves (RFC 2606): the same error an offline machine gets for any host.
    const r = await cli(['fetch', 'https://news.example.invalid/rss.xml']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/ENOTFOUND[^\n]*\n {2}the host could not be resolved or reached: this machine looks offline/);
  });

  it('prints a hint when dedupe waits on a terminal, as classify does', async () => {
    // stdin is a terminal (isTTY) on which Ctrl-D (end of input) comes at once.
    const r = await runCli(['dedupe'], { tty: { stdin: true } });
    expect(r.code).toBe(0);
    expect(r.stderr).toContain('newswatch dedupe: reading JSONL stories from stdin (Ctrl-D to finish; --help for the format)');
    const piped = await runCli(['dedupe']);
    expect(piped.stderr).toBe('');
  });

  it('makes a whsec_ signing secret that delivery accepts, new each time', async () => {
    const a = await cli(['secret']);
    const b = await cli(['secret']);
    expect(a.code).toBe(0);
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

/** The installed command (bin/newswatch.js) as a real process: what it exits with and prints. */
function bin(
  args: string[],
  onStdout?: (chunk: Buffer, stop: () => void) => void,
  stdin = '',
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['bin/newswatch.js', ...args], { cwd: ROOT, env: { PATH: process.env.PATH ?? '', NO_COLOR: '1' } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      onStdout?.(d, () => child.stdout.destroy());
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdin.on('error', () => {}); // it may stop reading once its stdout is closed
    child.stdin.end(stdin);
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('newswatch as a process', { timeout: 60_000 }, () => {
  it('bin/newswatch.js prints the same usage as main() in-process, exit 0 for --help and 2 for nothing', async () => {
    const [real, none, inProcess] = await Promise.all([bin(['--help']), bin([]), runCli(['--help'])]);
    expect(real.code).toBe(0);
    expect(real.stdout).toBe(inProcess.stdout);
    expect(real.stdout).toMatch(/^Usage: newswatch <command> \[options\]/);
    expect(real.stderr).toBe('');
    expect(none.code).toBe(2);
    expect(none.stdout).toBe(inProcess.stdout);
  });

  it('stops quietly with exit 0 when the reader closes its output early (`newswatch classify | head -1`)', async () => {
    const input = Array.from({ length: 20_000 }, (_, i) => JSON.stringify({ id: i, title: '딥시크 충격에 엔비디아 주가 급락', body: '' })).join('\n');
    const r = await bin(['classify'], (_chunk, stop) => stop(), `${input}\n`);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    expect(r.stdout.length).toBeLessThan(input.length);
  });
});
