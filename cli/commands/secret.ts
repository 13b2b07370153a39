// `newswatch secret`: a new Standard Webhooks signing secret (whsec_ + 32 random bytes,
// base64), for a webhook destination's signingSecret. Printed once; never stored by us.
import type { CliIo } from '../io.ts';
import { randomBytes } from 'node:crypto';
import { parseOptions, UsageError } from '../args.ts';
import { signingKey } from '../../shared/deliver/webhook.ts';

const HELP = `Usage: newswatch secret

Print a new webhook signing secret (whsec_ followed by 32 random bytes in base64, the
Standard Webhooks format). Put it in the environment variable your webhook
destination's signingSecret names (e.g. WEBHOOK_SECRET) and give the same value to
the receiver; never into the config file or the repository.
`;

/** A new `whsec_` secret: 256 bits from the OS's CSPRNG. */
export function newSigningSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

export async function run(args: string[], io: CliIo): Promise<number> {
  try {
    parseOptions('secret', args, {}, HELP);
  } catch (e) {
    if (!(e instanceof UsageError)) throw e;
    io.stderr.write(`newswatch secret: ${e.message}\n`);
    return 2;
  }
  const secret = newSigningSecret();
  signingKey(secret); // the format delivery accepts, checked by the code that will read it
  io.stdout.write(`${secret}\n`);
  if (io.stdout.isTTY) io.stderr.write('Set it as the env var your webhook signingSecret names (e.g. WEBHOOK_SECRET); do not commit it.\n');
  return 0;
}
