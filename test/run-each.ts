// `npm run bench` and `npm run eval`: run every test/<dir>/*.<dir>.ts in its own Node
// process, one after the other, so each measures or reports on its own. Arguments
// after the folder keep only the files whose names contain one of them.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const [kind = 'bench', ...only] = process.argv.slice(2);
const dir = fileURLToPath(new URL(`./${kind}/`, import.meta.url));
const files = readdirSync(dir)
  .filter((f) => f.endsWith(`.${kind}.ts`))
  .filter((f) => only.length === 0 || only.some((o) => f.includes(o)))
  .sort();
let failed = 0;
for (const file of files) {
  process.stdout.write(`\n=== ${file}\n`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', '--expose-gc', `${dir}${file}`], {
    stdio: 'inherit',
    env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  });
  if (r.status !== 0) failed++;
}
process.exitCode = failed ? 1 : 0;
