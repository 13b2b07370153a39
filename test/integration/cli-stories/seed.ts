// A store seeded the way a user's is: `newswatch run --once` (in-process, main with in-memory
// streams) polling the demo's fixture outlets over HTTP, two cycles (the second brings copies).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startDemoServer, type DemoServer } from '../../../cli/demo/server.ts';
import { demoConfig } from '../../../cli/demo/config.ts';
import { openLocalContext } from '../../../cli/context.ts';
import { loadConfig } from '../../../shared/config/load.ts';
import { pollSources } from '../../../shared/pipeline/index.ts';
import { runCli, type CliResult } from '../../support/cli.ts';
import { DEMO_NOW } from '../../support/demo-clock.ts';

export { DEMO_NOW, useMonthAfterDemoClock } from '../../support/demo-clock.ts';

export type { CliResult };

/** `newswatch ...args` in-process, to the end; `env` is its whole environment. */
export function cli(args: string[], env: Record<string, string> = {}, input?: string): Promise<CliResult> {
  return runCli(args, { env: { NO_COLOR: '1', ...env }, ...(input === undefined ? {} : { stdin: input }) });
}

/** Swap one top-level section of the YAML text, keeping the rest as the user wrote it. */
export function replaceSection(yaml: string, key: string, section: string): string {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => l.startsWith(`${key}:`));
  let end = start + 1;
  while (end < lines.length && (lines[end] === '' || /^[\s#-]/.test(lines[end] ?? ''))) end++;
  return [...lines.slice(0, start), section, ...lines.slice(end)].join('\n');
}

export interface Seeded {
  dir: string;
  store: string;
  configFile: string;
  server: DemoServer;
  close(): Promise<void>;
}

/**
 * The demo's run at the demo's clock (so copies join their leaders as they would have on the
 * day): the embedded store `newswatch run` opens, polled by the real pipeline, two cycles
 * ten minutes apart; then closed, for the CLI to open.
 */
export async function seedAtDemoClock(): Promise<Seeded> {
  const server = await startDemoServer();
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-stories-'));
  const store = join(dir, 'store');
  const config = demoConfig(loadConfig('newswatch.config.yaml'), server.baseUrl);
  let clock = DEMO_NOW;
  const ctx = await openLocalContext(config, { storeDir: store, allowPrivateNetwork: true, now: () => new Date(clock) });
  try {
    for (const cycle of [1, 2]) {
      server.setCycle(cycle);
      await pollSources(ctx.deps, config.sources, { concurrency: 4 });
      clock += 10 * 60_000;
    }
  } finally {
    await ctx.close();
  }
  return {
    dir,
    store,
    configFile: 'newswatch.config.yaml',
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The user's topics, the demo outlets as sources, no destinations; two `run --once` into `store` (the test's clock). */
export async function seedStore(): Promise<Seeded> {
  const server = await startDemoServer();
  const dir = mkdtempSync(join(tmpdir(), 'newswatch-stories-'));
  const sources = `sources:
  - { kind: rss, id: demo_yonhap, outlet: 연합뉴스, url: "${server.baseUrl}/yonhap.xml", fetchArticle: never }
  - { kind: rss, id: demo_etnews, outlet: 전자신문, url: "${server.baseUrl}/etnews.xml", fetchArticle: never }
  - { kind: rss, id: demo_hankyung, outlet: 한국경제, url: "${server.baseUrl}/hankyung.xml", fetchArticle: never }
  - { kind: rss, id: demo_mt, outlet: 머니투데이, url: "${server.baseUrl}/mt.atom.xml", fetchArticle: never }
  - { kind: rss, id: demo_down, outlet: 장애 매체, url: "${server.baseUrl}/broken.xml" }
`;
  const base = readFileSync('newswatch.config.yaml', 'utf8');
  const configFile = join(dir, 'config.yaml');
  writeFileSync(configFile, replaceSection(replaceSection(base, 'sources', sources), 'delivery', 'delivery: {}\n'));
  const store = join(dir, 'store');
  for (const cycle of [1, 2]) {
    server.setCycle(cycle);
    const r = await cli(['run', '--once', '--config', configFile, '--store', store, '--allow-private-network']);
    if (r.code !== 0) throw new Error(`seeding run failed (${r.code}): ${r.stderr}`);
  }
  return {
    dir,
    store,
    configFile,
    server,
    async close() {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
