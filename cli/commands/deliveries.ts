import type { CliIo } from '../io.ts';
import { parseCommandArgs } from '../args.ts';
import { DEFAULT_CONFIG_FILE, loadConfig } from '../../shared/config/load.ts';
import { deliveryId, formatDeliveries, loadDeliveries } from '../deliveries-view.ts';
import { paintFor } from '../print.ts';
import { openReadStore, STORE_HELP, STORE_OPTIONS, StoreChoiceError } from '../read-store.ts';

const HELP = `Usage: newswatch deliveries [--retry ID | --all] [--store DIR | --aws] [--config FILE] [--json]

List the Slack and webhook alerts not delivered yet, per destination: pending (queued, or
waiting for a destination's secret), failed (with the next try) and given up (older than
settings.deliveryGiveUpHours), each with the reason. IDs are STORY/DESTINATION.

Options:
  --retry ID       put one failed or given-up alert back: due at once
  --all            put every failed and given-up alert back: due at once
  --config FILE    config file (default ${DEFAULT_CONFIG_FILE})
  --json           the list as JSON
${STORE_HELP}
A running \`newswatch run\` sends what is put back within seconds; otherwise the next run does.
With --aws the deployed notify function's scheduled sweep sends it.

Exit codes: 0 listed or put back; 1 the ID names no failed or given-up alert, or no store to read; 2 bad usage.
`;

export async function run(args: string[], io: CliIo): Promise<number> {
  // A bad option is main's to word, in one line, as for every command.
  const { values } = parseCommandArgs(
    args,
    {
      retry: { type: 'string' },
      all: { type: 'boolean' },
      ...STORE_OPTIONS,
      config: { type: 'string', default: DEFAULT_CONFIG_FILE },
      json: { type: 'boolean' },
    },
    HELP,
  );
  if (values.retry !== undefined && values.all) {
    io.stderr.write('newswatch deliveries: give --retry ID or --all, not both\n');
    return 2;
  }
  if (values.retry !== undefined && !/^[^/\s]+\/[^/\s]+$/.test(values.retry)) {
    io.stderr.write(`newswatch deliveries: --retry takes STORY/DESTINATION as listed by \`newswatch deliveries\`\n`);
    return 2;
  }
  // The config is checked as every command does; the outbox rows name their destinations.
  loadConfig(values.config, io.cwd);
  let opened;
  try {
    opened = await openReadStore(values, io);
  } catch (e) {
    if (!(e instanceof StoreChoiceError)) throw e;
    io.stderr.write(`newswatch deliveries: ${e.message}\n`);
    return 1;
  }
  try {
    const store = opened.store;
    const now = new Date();
    const p = paintFor(io.stdout, io.env);
    if (values.retry !== undefined || values.all) {
      const view = await loadDeliveries(store, 10_000);
      const candidates = [...view.open.filter((r) => r.status === 'failed'), ...view.givenUp];
      const chosen = values.all ? candidates : candidates.filter((r) => deliveryId(r) === values.retry);
      if (values.retry !== undefined && chosen.length === 0) {
        io.stderr.write(`newswatch deliveries: no failed or given-up alert ${values.retry} (see \`newswatch deliveries\`)\n`);
        return 1;
      }
      let n = 0;
      for (const r of chosen) if (await store.retryDelivery(r.storyId, r.destinationId, now)) n++;
      io.stdout.write(`${p.green('✓')} ${n} ${n === 1 ? 'alert' : 'alerts'} due again now\n`);
      return 0;
    }
    const view = await loadDeliveries(store);
    if (values.json) {
      io.stdout.write(`${JSON.stringify({ open: view.open, givenUp: view.givenUp }, null, 2)}\n`);
      return 0;
    }
    io.stdout.write(`${[p.bold('Deliveries not delivered'), ...formatDeliveries(view, p)].join('\n')}\n`);
    return 0;
  } finally {
    await opened.close();
  }
}
