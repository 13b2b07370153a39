// `newswatch serve`: the web view of the store on 127.0.0.1 (read-only). See cli/web/app.ts.
import type { CliIo } from '../io.ts';
import { serve, type ServerType } from '@hono/node-server';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { parseOptions, positiveInt, UsageError } from '../args.ts';
import { openReadStore, STORE_HELP, STORE_OPTIONS, StoreChoiceError } from '../read-store.ts';
import { sinceOption } from '../since.ts';
import { createWebApp } from '../web/app.ts';

const DEFAULT_PORT = 8787;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);

const HELP = `Usage: newswatch serve [--port ${DEFAULT_PORT}] [--host 127.0.0.1] [--since 7d] [--store DIR | --aws]

A read-only web page of what newswatch stored, in Korean: recent stories by topic
with their copies and why they matched, one story with all its copies, the sources'
health, the alerts not delivered yet, the digest of any day and topic counts per day.
Stop it with Ctrl-C.

  --port N         port to listen on (default ${DEFAULT_PORT}; 0 picks a free one)
  --host ADDR      address to listen on (default 127.0.0.1, this machine only).
                   Any other address lets the network read your stories: there is no login.
  --since WHEN     window of the story list: 24h, 7d, 2025-02-01 (default 7d;
                   at most 3 years back)
  --config FILE    config file, for topics and sources (default ${DEFAULT_CONFIG_FILE})
${STORE_HELP}
Start \`newswatch run\` first to watch live: serve then reads the store run holds.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  try {
    return await serveCommand(args, io);
  } catch (e) {
    if (e instanceof UsageError || e instanceof StoreChoiceError) {
      io.stderr.write(`newswatch serve: ${e.message}\n`);
      return e instanceof UsageError ? 2 : 1;
    }
    throw e;
  }
}

async function serveCommand(args: string[], io: CliIo): Promise<number> {
  const { values } = parseOptions(
    'serve',
    args,
    {
      port: { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      since: { type: 'string', default: '7d' },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      ...STORE_OPTIONS,
    },
    HELP,
  );
  const port = values.port === '0' ? 0 : positiveInt('port', values.port, DEFAULT_PORT);
  if (port > 65_535) throw new UsageError(`--port ${port} is not a port (1-65535)`);
  sinceOption(values.since, new Date()); // refuse a bad --since before listening
  const config = loadConfig(values.config, io.cwd);
  const loopback = LOOPBACK.has(values.host);
  if (!loopback) {
    io.stderr.write(
      `newswatch serve: warning: listening on ${values.host}, not 127.0.0.1: anyone who can reach this address can read every stored story. There is no login.\n`,
    );
  }
  const opened = await openReadStore(values, io);
  const app = createWebApp({
    store: opened.store,
    config,
    since: values.since,
    errors: io.stderr,
    // On loopback only requests naming this machine are answered (a web page elsewhere cannot
    // point a DNS name at 127.0.0.1 and read the stories).
    ...(loopback ? { allowedHosts: ['127.0.0.1', 'localhost', '[::1]', '::1'] } : {}),
  });
  let server: ServerType;
  try {
    server = await new Promise<ServerType>((resolve, reject) => {
      const s = serve({ fetch: app.fetch, port, hostname: values.host }, () => resolve(s));
      s.once('error', reject);
    });
  } catch (e) {
    await opened.close();
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'EADDRINUSE' ? `port ${port} is in use; try --port ${port + 1}` : (e as Error).message;
    io.stderr.write(`newswatch serve: cannot listen on ${values.host}:${port}: ${why}\n`);
    return 1;
  }
  const address = server.address();
  const actual = typeof address === 'object' && address ? address.port : port;
  const shown = values.host.includes(':') && !values.host.startsWith('[') ? `[${values.host}]` : values.host;
  io.stdout.write(`newswatch serve: http://${shown}:${actual}/ (reading ${opened.where}; Ctrl-C stops)\n`);

  await new Promise<void>((resolve) => {
    const off = io.onInterrupt(() => {
      off();
      resolve();
    });
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await opened.close();
  io.stdout.write('newswatch serve: stopped\n');
  return 0;
}
