// The command table: name -> one-line summary and a lazy import, so `newswatch classify`
// never loads the AWS SDK or the CDK.
import type { CliIo } from './io.ts';

export interface CommandModule {
  /** Runs the command with its arguments, printing to and reading from `io`; resolves to the exit code. */
  run(args: string[], io: CliIo): Promise<number>;
}

interface CommandEntry {
  summary: string;
  load(): Promise<CommandModule>;
}

export const commands: Record<string, CommandEntry> = {
  validate: { summary: 'check a config file; print every problem with its line', load: () => import('./commands/validate.ts') },
  fetch: { summary: 'read one source (id or feed URL) once and print its items', load: () => import('./commands/fetch.ts') },
  extract: { summary: 'extract title, date, canonical URL and text from an article URL or HTML file', load: () => import('./commands/extract.ts') },
  sources: { summary: 'list the configured sources', load: () => import('./commands/sources.ts') },
  digest: { summary: 'preview (--preview) or send (--send) the daily digest email', load: () => import('./commands/digest.ts') },
  notify: { summary: 'list the Slack/webhook destinations, or send one a sample story (--test ID)', load: () => import('./commands/notify.ts') },
  dedupe: { summary: 'group syndicated copies: JSONL stories in, {id, cluster} out', load: () => import('./commands/dedupe.ts') },
  classify: { summary: 'classify JSONL articles from stdin, or explain one article (FILE.txt / --text)', load: () => import('./commands/classify.ts') },
  secret: { summary: 'print a new whsec_ webhook signing secret (Standard Webhooks)', load: () => import('./commands/secret.ts') },
  schema: { summary: 'print, --write or --check newswatch.schema.json from the config schema', load: () => import('./commands/schema.ts') },
  run: { summary: 'poll every source on an interval into the embedded store; print and deliver new stories', load: () => import('./commands/run.ts') },
  stories: { summary: 'list the stored stories, newest first (--topic, --since, --search, --json)', load: () => import('./commands/stories.ts') },
  serve: { summary: 'a read-only web page of the stored stories, sources and digests on 127.0.0.1', load: () => import('./commands/serve.ts') },
  tune: { summary: 'what an edited config would newly match and drop among recent items (--config, --since)', load: () => import('./commands/tune.ts') },
  status: { summary: "source health, today's counts by topic, alerts not delivered", load: () => import('./commands/status.ts') },
  deliveries: { summary: 'list alerts not delivered yet (pending, failed, given up); --retry ID or --all', load: () => import('./commands/deliveries.ts') },
  demo: { summary: 'the whole flow offline on bundled fixture feeds (two cycles)', load: () => import('./commands/demo.ts') },
};

export function usage(): string {
  const width = Math.max(...Object.keys(commands).map((n) => n.length));
  const lines = Object.entries(commands).map(([n, c]) => `  ${n.padEnd(width)}  ${c.summary}`);
  return ['Usage: newswatch <command> [options]', '', 'Commands:', ...lines, '', 'Run `newswatch <command> --help` for the options of one command.', ''].join(
    '\n',
  );
}
