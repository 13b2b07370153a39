import { inCwd, type CliIo, type Env } from '../io.ts';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandArgs } from '../args.ts';
import { SESClient } from '@aws-sdk/client-ses';
import { createSesSender } from '../../adapters/ses/ses-sender.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import type { Config } from '../../shared/config/schema/index.ts';
import { buildDigest, DeliveryError, digestDayFor, emailList, runDigest } from '../../shared/deliver/index.ts';
import { isDay } from '../../shared/time.ts';
import type { Store } from '../../shared/store/port.ts';
import { envSecrets } from '../env-secrets.ts';
import { DEFAULT_STORE_DIR, openLocalStore } from '../local-store.ts';
import { paintFor } from '../print.ts';
import { openReadStore, STORE_OPTIONS, StoreChoiceError, type StoreChoice } from '../read-store.ts';

const DEFAULT_OUT = join(DEFAULT_STORE_DIR, 'digest');

const HELP = `Usage: newswatch digest --preview [--date YYYY-MM-DD] [--list ID] [--out DIR] [--store DIR] [--config FILE] [--aws]
       newswatch digest --send [--list ID] [--date YYYY-MM-DD] [--store DIR] [--config FILE]

The daily digest from the embedded store: the matched stories of one Korea day
(default: yesterday, Korea time), grouped by topic, each story once.

  --preview        write digest.html and digest.txt to --out and print their paths
  --send           send through SES: the endpoint comes from the environment
                   (AWS_ENDPOINT_URL_SES or AWS_ENDPOINT_URL, e.g. aws-ses-v2-local);
                   at most one email per list and day, as on AWS
  --list ID        an email list of delivery.email (default: preview all topics /
                   send every list)
  --date DAY       the Korea day, YYYY-MM-DD
  --out DIR        preview directory (default ${DEFAULT_OUT})
  --store DIR      embedded store directory (default ${DEFAULT_STORE_DIR})
  --config FILE    config file (default ${DEFAULT_CONFIG_FILE})
  --aws            preview from the deployed DynamoDB table (standard AWS credentials
                   and region; --table NAME, --stack NAME, --endpoint URL, --region
                   as for \`newswatch stories\`). The deployed stack sends digests itself.
`;

/** The store the command reads; one function so another store can be swapped in. */
async function withStore<T>(dir: string, use: (store: Store) => Promise<T>): Promise<T> {
  // Attach to a running `newswatch run` on the same store rather than refusing.
  const local = await openLocalStore(dir, { attach: true });
  try {
    return await use(local.store);
  } finally {
    await local.close();
  }
}

/** An SES client for the endpoint in the environment; local endpoints get dummy credentials. */
function sesFromEnv(env: Env): SESClient {
  const endpoint = env.AWS_ENDPOINT_URL_SES ?? env.AWS_ENDPOINT_URL;
  const local = endpoint !== undefined && /^https?:\/\/(127\.0\.0\.1|localhost|\[::1\])(:|\/|$)/.test(endpoint);
  return new SESClient({
    region: env.AWS_REGION ?? env.AWS_DEFAULT_REGION ?? 'ap-northeast-2',
    ...(endpoint ? { endpoint } : {}),
    ...(local && !env.AWS_ACCESS_KEY_ID ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
  });
}

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      preview: { type: 'boolean' },
      send: { type: 'boolean' },
      list: { type: 'string' },
      date: { type: 'string' },
      out: { type: 'string', default: DEFAULT_OUT },
      ...STORE_OPTIONS,
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
    },
    HELP,
  );
  const deployed = values.aws || values.table !== undefined || values.endpoint !== undefined;
  if (values.send && deployed) {
    io.stderr.write('newswatch digest: --send works on the embedded store; the deployed stack sends its digests itself (use --preview --aws to see one)\n');
    return 2;
  }
  // Exactly one: with both, --send would win and mail what the user meant to preview.
  if (values.preview === values.send) {
    io.stderr.write(`newswatch digest: give --preview or --send${values.preview ? ', not both' : ''}; see \`newswatch digest --help\`\n`);
    return 2;
  }
  if (values.date !== undefined && !isDay(values.date)) {
    io.stderr.write(`newswatch digest: --date "${values.date}" is not a day; use YYYY-MM-DD (Korea time)\n`);
    return 2;
  }
  const config = loadConfig(values.config, io.cwd);
  try {
    if (values.list !== undefined) emailList(config, values.list);
    return values.send ? await send(config, values, io) : await preview(config, values, io);
  } catch (e) {
    if (e instanceof StoreChoiceError) {
      io.stderr.write(`newswatch digest: ${e.message}\n`);
      return 1;
    }
    if (e instanceof DeliveryError) {
      io.stderr.write(`newswatch digest: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}

interface Options extends StoreChoice {
  list?: string | undefined;
  date?: string | undefined;
  out: string;
  store: string;
}

async function preview(config: Config, o: Options, io: CliIo): Promise<number> {
  const day = o.date ?? digestDayFor(new Date());
  const list = o.list !== undefined ? emailList(config, o.list) : undefined;
  const opened = await openReadStore(o, io);
  const digest = await buildDigest({ config, store: opened.store }, day, list).finally(() => opened.close());
  const dir = inCwd(io, o.out);
  mkdirSync(dir, { recursive: true });
  const html = join(dir, 'digest.html');
  const text = join(dir, 'digest.txt');
  writeFileSync(html, digest.html);
  writeFileSync(text, digest.text);
  const p = paintFor(io.stdout, io.env);
  io.stdout.write(`${p.bold(digest.subject)}\n${html}\n${text}\n`);
  if (digest.stories === 0) io.stdout.write(p.dim(`No matched stories on ${day} (Korea time) in ${opened.where}; try --date.\n`));
  return 0;
}

async function send(config: Config, o: Options, io: CliIo): Promise<number> {
  const lists = o.list !== undefined ? [emailList(config, o.list)] : config.delivery.email;
  if (lists.length === 0) {
    io.stderr.write('newswatch digest: no email lists in delivery.email\n');
    return 2;
  }
  const ses = sesFromEnv(io.env);
  const p = paintFor(io.stdout, io.env);
  let failed = 0;
  try {
    await withStore(inCwd(io, o.store), async (store) => {
      for (const list of lists) {
        const r = await runDigest(
          { config, store, secrets: envSecrets(io.env), now: () => new Date(), email: createSesSender(ses) },
          list.id,
          o.date ? { day: o.date } : {},
        );
        const line = `${r.listId} ${r.day}: `;
        if (r.status === 'sent') io.stdout.write(`${p.green('✓')} ${line}sent (${r.stories} stories) to ${list.to.join(', ')}\n`);
        else if (r.status === 'skipped') io.stdout.write(`${p.dim('·')} ${line}nothing to send (empty day, list set to skip)\n`);
        else if (r.status === 'already') io.stdout.write(`${p.dim('·')} ${line}already sent or being sent (one digest per list and day)\n`);
        else {
          failed++;
          io.stderr.write(`${p.red('✗')} ${r.error ?? `${line}failed`}\n`);
        }
      }
    });
  } finally {
    ses.destroy();
  }
  return failed ? 1 : 0;
}
