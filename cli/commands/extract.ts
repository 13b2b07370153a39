import { inCwd, readFileIn, type CliIo } from '../io.ts';
import { pathToFileURL } from 'node:url';
import { parseCommandArgs } from '../args.ts';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { settingsSchema, type Settings } from '../../shared/config/schema/settings.ts';
import type { Source } from '../../shared/config/schema/index.ts';
import { extractArticle, fetchArticle, NotHtmlPageError, readPage, type Article } from '../../shared/extract/index.ts';
import { createFetcher, FetchError, redactUrl } from '../../shared/fetch/index.ts';
import { formatKorea } from '../../shared/time.ts';
import { quietOnClosedPipe } from './sources.ts';

const HELP = `Usage: newswatch extract URL|FILE [--url URL] [--source ID] [--allow-private-network] [--config FILE] [--json]

Fetch an article page (or read a saved HTML file) and print what newswatch extracts:
title, published time, canonical URL, image and the main text without navigation,
headline lists, tickers, comments or bylines. JSON when piped or with --json.
A FILE or URL that is no HTML page (JSON, a feed, plain text, an image, an empty or
binary file or response) is refused: exit 1.

  --url URL                 for a FILE: the page's address (resolves relative links)
  --source ID               use that source's article selectors (default: a configured
                            source on the same host that has some)
  --allow-private-network   allow loopback/private addresses (local fixture servers)
  --config FILE             config file (default ${DEFAULT_CONFIG_FILE}; optional)
  --json                    JSON, also on a terminal
`;

function overridesFor(sources: readonly Source[], url: string, id: string | undefined): Source['article'] {
  if (id) return sources.find((s) => s.id === id)?.article;
  let host: string;
  try {
    host = new URL(url).hostname;
  } catch {
    return undefined;
  }
  return sources.find((s) => s.article && (s.kind === 'rss' || s.kind === 'html') && new URL(s.url).hostname === host)?.article;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values, positionals } = parseCommandArgs(
    args,
    {
      url: { type: 'string' },
      source: { type: 'string' },
      config: { type: 'string', short: 'c' },
      'allow-private-network': { type: 'boolean' },
      json: { type: 'boolean' },
    },
    HELP,
    true,
  );
  const what = positionals[0];
  if (!what) {
    io.stderr.write(`newswatch extract: give an article URL or an HTML file\n\n${HELP}`);
    return 2;
  }
  let settings: Settings = settingsSchema.parse({});
  let sources: readonly Source[] = [];
  try {
    const config = loadConfig(values.config ?? DEFAULT_CONFIG_FILE, io.cwd);
    settings = config.settings;
    sources = config.sources;
  } catch (e) {
    // A config asked for (or needed for --source) that does not load: cli/main.ts prints its problems.
    if (!(e instanceof ConfigError) || values.config || values.source) throw e;
    // No usable default config: extract with generic rules only.
  }
  if (values.source && !sources.some((s) => s.id === values.source)) {
    io.stderr.write(`newswatch extract: no source '${values.source}' in the config\n`);
    return 1;
  }

  let article: Article;
  try {
    if (/^https?:\/\//i.test(what)) {
      const fetcher = createFetcher(settings, values['allow-private-network'] ? { allowPrivateNetwork: true } : {});
      article = await fetchArticle(fetcher, what, overridesFor(sources, what, values.source));
    } else {
      let html: Buffer;
      try {
        html = readFileIn(io, what);
      } catch (e) {
        io.stderr.write(`newswatch extract: cannot read ${what} (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})\n`);
        return 1;
      }
      const url = values.url ?? pathToFileURL(inCwd(io, what)).toString();
      // Decoded as extractArticle would decode it, to refuse what is no page before it prints as one.
      const page = readPage(html, undefined, url);
      if ('notHtml' in page) {
        io.stderr.write(`newswatch extract: ${what} is not an HTML page (${page.notHtml})\n`);
        return 1;
      }
      article = extractArticle(page.text, url, overridesFor(sources, url, values.source));
    }
  } catch (e) {
    if (e instanceof NotHtmlPageError) {
      io.stderr.write(`newswatch extract: ${redactUrl(what)} is not an HTML page (${e.why})\n`);
      return 1;
    }
    if (e instanceof FetchError) {
      io.stderr.write(`newswatch extract: ${e.message}\n`);
      return 1;
    }
    throw e;
  }

  quietOnClosedPipe(io);
  if (values.json || !io.stdout.isTTY) {
    io.stdout.write(`${JSON.stringify(article)}\n`);
    return 0;
  }
  const when = article.publishedAt ? `${article.publishedAt} (${formatKorea(article.publishedAt)} KST)` : 'unknown';
  io.stdout.write(
    [
      `title:      ${article.title}`,
      `published:  ${when}`,
      `canonical:  ${article.canonicalUrl}`,
      ...(article.image ? [`image:      ${article.image}`] : []),
      `text:       ${article.text.length} characters`,
      '',
      article.text,
      '',
    ].join('\n'),
  );
  return 0;
}
