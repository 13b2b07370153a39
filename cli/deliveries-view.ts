// The delivery outbox as `status` and `deliveries` show it: per destination, the alerts
// not delivered yet (pending, sending, failed) and those given up, each with why.
import type { DeliveryRow, Store } from '../shared/store/port.ts';
import { formatKorea } from '../shared/time.ts';
import type { Paint } from './print.ts';

export interface DeliveriesView {
  open: DeliveryRow[];
  givenUp: DeliveryRow[];
}

export async function loadDeliveries(store: Store, givenUpLimit = 50): Promise<DeliveriesView> {
  const [open, givenUp] = await Promise.all([store.openDeliveries(), store.givenUpDeliveries(givenUpLimit)]);
  return { open, givenUp };
}

/** The id `deliveries --retry` takes. */
export const deliveryId = (r: { storyId: string; destinationId: string }): string => `${r.storyId}/${r.destinationId}`;

function line(r: DeliveryRow, p: Paint): string {
  const mark = r.status === 'given-up' ? p.red('✗') : r.status === 'failed' ? p.yellow('!') : p.dim('·');
  const when =
    r.status === 'given-up'
      ? `given up ${formatKorea(r.gaveUpAt ?? r.updatedAt)} KST`
      : r.status === 'sending'
        ? 'sending'
        : `${r.status}, next try ${r.dueAt ? formatKorea(r.dueAt) + ' KST' : 'now'}`;
  const tries = r.attempts ? `, ${r.attempts} ${r.attempts === 1 ? 'try' : 'tries'}` : '';
  return `    ${mark} ${deliveryId(r)} ${p.dim(`${when}${tries}`)}${r.lastError ? `\n        ${p.dim(r.lastError)}` : ''}`;
}

/** Lines per destination; `none` when every alert was delivered. */
export function formatDeliveries(v: DeliveriesView, p: Paint): string[] {
  const all = [...v.open, ...v.givenUp];
  if (all.length === 0) return [p.dim('  none: every alert was delivered')];
  const out: string[] = [];
  for (const dest of [...new Set(all.map((r) => r.destinationId))].sort()) {
    const rows = all.filter((r) => r.destinationId === dest);
    const count = (s: string) => rows.filter((r) => r.status === s).length;
    const parts = [
      ['pending', count('pending') + count('sending')],
      ['failed', count('failed')],
      ['given up', count('given-up')],
    ]
      .filter(([, n]) => Number(n) > 0)
      .map(([s, n]) => `${n} ${s}`);
    out.push(`  ${p.bold(dest)}: ${parts.join(', ')}`);
    for (const r of rows) out.push(line(r, p));
  }
  return out;
}
