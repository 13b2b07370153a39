// Every command answers --help and -h the same way, through the one option parser
// (cli/args.ts): its help on stdout starting with its Usage line, nothing on stderr, exit 0,
// and nothing run. A bad option given with --help is still a usage error.
import { describe, expect, it } from 'vitest';
import { commands } from '../../../cli/commands.ts';
import { runCli } from '../../support/cli.ts';

const cli = (args: string[]) => runCli(args, { env: { NO_COLOR: '1' } });

describe('newswatch <command> --help', () => {
  it.each(Object.keys(commands))('%s: --help and -h print its usage on stdout and exit 0', async (name) => {
    const [long, short] = await Promise.all([cli([name, '--help']), cli([name, '-h'])]);
    expect(long.stdout.split('\n')[0]).toMatch(new RegExp(`^Usage: newswatch ${name}\\b`));
    expect(long.code).toBe(0);
    expect(long.stderr).toBe('');
    expect(short).toEqual(long);
  });

  it.each(Object.keys(commands))('%s: every option its Usage line names has a line of its own in the help', async (name) => {
    const help = (await cli([name, '--help'])).stdout;
    const usage = help.split('\n\n')[0]!;
    const named = [...new Set(usage.match(/--[a-z][a-z-]*/g) ?? [])];
    const explained = named.filter((o) => new RegExp(`^ +(-[a-z], )?${o}\\b`, 'm').test(help));
    expect(explained).toEqual(named);
  });

  it('a bad option beside --help is still a usage error (exit 2), not the help', async () => {
    const r = await cli(['run', '--help', '--onse']);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe('');
    expect(r.stderr).toBe("newswatch run: unknown option '--onse'; see `newswatch run --help`\n");
  });
});
