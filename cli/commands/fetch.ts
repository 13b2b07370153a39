import type { CliIo } from '../io.ts';
import { parseCommandArgs } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { settingsSchema, type Settings } from '../../shared/config/schema/settings.ts';
import type { Source } from '../../shared/config/schema/index.ts';
import { sourceSchema } from '../../shared/config/schema/sources.ts';
import { createFetcher } from '../../shared/fetch/index.ts';
import { readSource, SourceError } from '../../shared/sources/index.ts';
import { envSecrets } from '../env-secrets.ts';
import { alignedTable, fitWidth, quietOnClosedPipe } from './sources.ts';
import { nearestKey } from '../../shared/config/suggest.ts';
import { formatKorea } from '../../shared/time.ts';

const HELP = `Usage: newswatch fetch SOURCE_ID|URL [--allow-private-network] [--config FILE] [--json]

Read one source once and print its items: an aligned table on a terminal, JSON lines
(one Item each) when piped or with --json. The table shows Korea time; JSON dates are
UTC ISO-8601.

  SOURCE_ID                 a source id from the config (see \`newswatch sources\`)
  URL                       any RSS/Atom/RDF feed URL, read with the config's fetch settings
  --allow-private-network   allow loopback/private addresses (local fixture servers, the demo)
  --config FILE             config file (default ${DEFAULT_CONFIG_FILE}; optional for a URL)
  --json                    JSON lines even on a terminal

Naver sources need NAVER_CLIENT_ID and NAVER_CLIENT_SECRET in the environment.
Exits 1 when the source cannot be read.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      config: { type: 'string', short: 'c' },
      'allow-private-network': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    HELP,
    true,
  );
  const what = positionals[0];
  if (!what) {
    io.stderr.write(`newswatch fetch: give a source id or a feed URL\n\n${HELP}`);
    return 2;
  }
  const isUrl = /^https?:\/\//i.test(what);

  let settings: Settings = settingsSchema.parse({});
  let source: Source | undefined;
  if (!isUrl || values.config) {
    const config = loadConfig(values.config ?? DEFAULT_CONFIG_FILE, io.cwd);
    settings = config.settings;
    source = config.sources.find((s) => s.id === what);
    if (!isUrl && !source) {
      const near = nearestKey(
        what,
        config.sources.map((s) => s.id),
      );
      io.stderr.write(
        `newswatch fetch: no source '${what}' in ${values.config ?? DEFAULT_CONFIG_FILE}${near ? ` (did you mean ${near}?)` : ''}; known: ${config.sources.map((s) => s.id).join(', ')}\n`,
      );
      return 1;
    }
  }
  if (isUrl) source ??= sourceSchema.parse({ id: 'url', kind: 'rss', url: what, outlet: new URL(what).hostname.replace(/^www\./, '') });
  if (!source) return 1;
  if (!source.enabled) io.stderr.write(`note: ${source.id} is disabled in the config; fetching it anyway\n`);

  quietOnClosedPipe(io);
  const fetcher = createFetcher(settings, values['allow-private-network'] ? { allowPrivateNetwork: true } : {});
  try {
    const read = await readSource(source, { fetcher, secrets: envSecrets(io.env), now: new Date() });
    // A bare URL has no configured outlet name: the feed's own title is the best we have.
    if (isUrl && source.id === 'url' && read.feedTitle) read.items = read.items.map((i) => ({ ...i, outlet: read.feedTitle! }));
    for (const w of read.warnings) io.stderr.write(`warning: ${source.id}: ${w}\n`);
    if (values.json || !io.stdout.isTTY) {
      for (const item of read.items) io.stdout.write(`${JSON.stringify(item)}\n`);
      return 0;
    }
    const titleWidth = Math.max(30, Math.min(70, (io.stdout.columns ?? 160) - 90));
    const rows = read.items.map((i) => [i.publishedAt ? formatKorea(i.publishedAt) : '-', fitWidth(i.outlet, 16), fitWidth(i.title, titleWidth), i.url]);
    io.stdout.write(alignedTable(['PUBLISHED (KST)', 'OUTLET', 'TITLE', 'URL'], rows));
    io.stdout.write(`\n${read.items.length} items from ${source.id} (${read.url ?? ''})\n`);
    return 0;
  } catch (e) {
    if (e instanceof SourceError) {
      io.stderr.write(`newswatch fetch: ${e.message}${hintFor(e.message, values['allow-private-network'] === true)}\n`);
      return 1;
    }
    throw e;
  }
}

/** What a person can do about a fetch failure: a refused local address, or no network. */
export function hintFor(message: string, allowedPrivate: boolean): string {
  if (!allowedPrivate && /refused to connect to .*private, loopback or link-local/.test(message)) {
    return '\n  to read a server on this machine or your LAN (a fixture server, the demo), pass --allow-private-network';
  }
  if (/\b(ENOTFOUND|EAI_AGAIN|ENETUNREACH|EHOSTUNREACH)\b/.test(message)) {
    return '\n  the host could not be resolved or reached: this machine looks offline (or the name is wrong); fetch reads the live source';
  }
  return '';
}
