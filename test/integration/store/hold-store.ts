// Helper process for local-store.test.ts: opens the embedded store in argv[2], says "ready",
// and closes it when its stdin ends. Stands for a `newswatch run` already using the store.
import { openLocalStore } from '../../../cli/local-store.ts';

const local = await openLocalStore(process.argv[2]);
process.stdout.write('ready\n');
process.stdin.resume();
process.stdin.on('end', () => {
  void local.close().then(() => process.exit(0));
});
