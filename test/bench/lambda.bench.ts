// Lambda bundles: size per function (target ≤ 1 MB) and cold start, measured as a fresh
// Node process that imports the bundled handler and runs its init (config parse,
// clients, the secrets it reads at init, over loopback to a local Secrets Manager
// peer). Target: handler ready ≤ 200 ms after the process starts. Prints, asserts nothing.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { App } from 'aws-cdk-lib';
import { buildApp } from '../../infra/build-app.ts';
import { loadConfig } from '../../shared/config/load.ts';
import { startSecretsPeer } from '../integration/handlers/support.ts';

const RUNS = 9;
const SIZE_TARGET = 1024 * 1024;
const COLD_TARGET_MS = 200;

const outdir = mkdtempSync(join(process.cwd(), 'test-artifacts', 'bench-lambda-'));
try {
  const config = loadConfig('test/infra/fixtures/full.config.yaml');
  const started = performance.now();
  const { app, service } = buildApp({ config, app: new App({ outdir }), nag: false });
  app.synth();
  const synthMs = performance.now() - started;
  const template = JSON.parse(readFileSync(join(outdir, `${service.artifactId}.template.json`), 'utf8')) as {
    Resources: Record<string, { Type: string; Properties: Record<string, any> }>;
  };
  const functions = Object.entries(template.Resources)
    .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
    .map(([id, r]) => ({
      name: /queue one poll|poll sources|Slack and webhooks|daily digest/.test(r.Properties.Description)
        ? ({ 'queue one poll': 'dispatch', 'poll sources': 'poll', 'Slack and webhooks': 'notify', 'daily digest': 'digest' } as Record<string, string>)[
            /queue one poll|poll sources|Slack and webhooks|daily digest/.exec(r.Properties.Description)![0]
          ]!
        : id,
      file: join(outdir, `asset.${String(r.Properties.Code.S3Key).replace(/\.zip$/, '')}`, 'index.mjs'),
    }));

  const peer = await startSecretsPeer({
    'newswatch/naver': JSON.stringify({ clientId: 'id', clientSecret: 'secret' }),
    'newswatch/slack-team-ai': 'https://hooks.slack.com/services/T/B/x',
    'newswatch/archive-url': 'https://archive.example/hook',
    'newswatch/archive-signing': 'whsec_' + Buffer.from('k'.repeat(32)).toString('base64'),
  });
  const endpoint = String(await peer.client.config.endpoint?.().then((e) => `${e.protocol}//${e.hostname}:${e.port}`));

  console.log(`synth with esbuild bundling of ${functions.length} functions: ${synthMs.toFixed(0)} ms\n`);
  console.log('function   bundle      gzip    vs 1 MB   ready (median / p90 of 9)   import+init   vs 200 ms');
  for (const fn of functions) {
    const code = readFileSync(fn.file);
    const size = statSync(fn.file).size;
    const samples: { ready: number; init: number }[] = [];
    for (let i = 0; i < RUNS; i++) {
      // Asynchronous: the Secrets Manager peer answers from this process's event loop.
      const run = await promisify(execFile)(
        process.execPath,
        [
          '--input-type=module',
          '-e',
          `const t0 = performance.now(); const m = await import(${JSON.stringify(fn.file)}); if (typeof m.handler !== 'function') throw new Error('no handler');
           console.log(JSON.stringify({ ready: performance.now(), init: performance.now() - t0 }));`,
        ],
        {
          encoding: 'utf8',
          timeout: 30_000,
          env: {
            PATH: process.env.PATH,
            TABLE_NAME: 'newswatch-bench',
            QUEUE_URL: 'http://127.0.0.1:9/queue',
            AWS_REGION: 'ap-northeast-2',
            AWS_ACCESS_KEY_ID: 'bench',
            AWS_SECRET_ACCESS_KEY: 'bench',
            AWS_ENDPOINT_URL_SECRETS_MANAGER: endpoint,
            POWERTOOLS_LOG_LEVEL: 'ERROR',
            NODE_NO_WARNINGS: '1',
          },
        },
      );
      samples.push(JSON.parse(run.stdout.trim().split('\n').pop()!));
    }
    const ready = samples.map((s) => s.ready).sort((a, b) => a - b);
    const init = samples.map((s) => s.init).sort((a, b) => a - b);
    const median = (xs: number[]) => xs[Math.floor(xs.length / 2)]!;
    const p90 = (xs: number[]) => xs[Math.ceil(xs.length * 0.9) - 1]!;
    console.log(
      [
        fn.name.padEnd(9),
        `${(size / 1024).toFixed(0).padStart(6)} KB`,
        `${(gzipSync(code).length / 1024).toFixed(0).padStart(6)} KB`,
        `${(size / SIZE_TARGET).toFixed(2).padStart(7)}x`,
        `${median(ready).toFixed(0).padStart(8)} / ${p90(ready).toFixed(0)} ms`.padEnd(27),
        `${median(init).toFixed(0).padStart(8)} ms`,
        `${(median(ready) / COLD_TARGET_MS).toFixed(2).padStart(9)}x`,
      ].join('  '),
    );
  }
  console.log(`\nready = ms from Node process start until the handler is initialised (Node boot + import + init);`);
  console.log(`import+init = the import alone. Sizes are index.mjs; AWS SDK v3 is external (in the Node.js 24 runtime).`);
  console.log(`secret reads at init went to a local peer: ${peer.asked.length} GetSecretValue calls over ${RUNS} runs of each function.`);
  await peer.close();
} finally {
  rmSync(outdir, { recursive: true, force: true });
}
