import type { CliIo } from '../io.ts';
import { parseCommandArgs } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { DeliveryError, sampleStory, sendTestMessage } from '../../shared/deliver/index.ts';
import { envSecrets } from '../env-secrets.ts';
import { paintFor } from '../print.ts';

const HELP = `Usage: newswatch notify --test DESTINATION [--config FILE]
       newswatch notify

Send a sample story to one Slack or webhook destination of the config, to check its
URL and secret (read from the environment variables the config names). No delivery
record is written, so it can be repeated. Without --test, list the destinations.

Options:
  --test ID        the destination id (delivery.slack[].id or delivery.webhooks[].id)
  --config FILE    config file (default ${DEFAULT_CONFIG_FILE})
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  const { values } = parseCommandArgs(
    args,
    {
      test: { type: 'string' },
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
    },
    HELP,
  );
  const config = loadConfig(values.config, io.cwd);
  const p = paintFor(io.stdout, io.env);
  if (!values.test) {
    const rows = [
      ...config.delivery.slack.map((d) => `  slack    ${d.id.padEnd(20)} topics: ${d.topics.join(', ')}${d.enabled ? '' : ' (disabled)'}`),
      ...config.delivery.webhooks.map((d) => `  webhook  ${d.id.padEnd(20)} topics: ${d.topics.join(', ')}${d.enabled ? '' : ' (disabled)'}`),
    ];
    io.stdout.write(
      rows.length ? `${rows.join('\n')}\n\nSend a sample: newswatch notify --test ID\n` : `No Slack or webhook destinations in ${values.config}.\n`,
    );
    return 0;
  }
  const now = new Date();
  try {
    const report = await sendTestMessage({ config, secrets: envSecrets(io.env), now: () => now }, values.test, sampleStory(now));
    if (report.status === 'sent') {
      io.stdout.write(`${p.green('✓')} ${report.destinationId}: sample story sent${report.attempts > 1 ? ` (after ${report.attempts} attempts)` : ''}\n`);
      return 0;
    }
    io.stderr.write(`${p.red('✗')} ${report.error ?? `${report.destinationId}: failed`}\n`);
    return 1;
  } catch (e) {
    if (e instanceof DeliveryError) {
      io.stderr.write(`newswatch notify: ${e.message}\n`);
      return 2;
    }
    throw e;
  }
}
