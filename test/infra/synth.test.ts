// `npx cdk synth` as the operator runs it: offline, with no AWS credentials, through
// the pinned aws-cdk CLI (less a warning-only validation, see cdkSynth). A bad config stops it with the `newswatch validate` message;
// a good one yields four real esbuild bundles that load and initialise in Node, and
// the bundled dispatch and digest handlers run against dynalite and a local SQS peer.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../support/cli.ts';
import { startDynalite } from '../support/dynalite.ts';
import { startSqsPeer } from '../integration/handlers/support.ts';

const ROOT = process.cwd();
const FULL = 'test/infra/fixtures/full.config.yaml';
const BAD = 'test/infra/fixtures/bad.config.yaml';

/** The environment of a machine with no AWS account configured. */
function offlineEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) if (k.startsWith('AWS_') || k.startsWith('CDK_')) delete env[k];
  return { ...env, AWS_EC2_METADATA_DISABLED: 'true', CI: 'true' };
}

interface Ran {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs a command to its end without blocking this process; never rejects. */
function run(command: string, args: string[], options: { env: NodeJS.ProcessEnv; timeout: number }): Promise<Ran> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options }, (err, stdout, stderr) => {
      // A non-zero exit is an error with the code; a kill (timeout) has none.
      const status = err ? (typeof err.code === 'number' ? err.code : null) : 0;
      resolve({ status, stdout, stderr });
    });
  });
}

/**
 * The operator's synth, less aws-cdk-lib's built-in CloudFormation validation (CDK_VALIDATION=false,
 * the switch it documents): here it can only warn (cdk.json does not set
 * @aws-cdk/core:validateAgainstDefaultRules), so it changes neither the outcome nor the
 * templates, and starting its WASM engine was ~7 s of CPU per synth. The pinned CLI is started
 * with node, not npx (npx resolving it cost ~0.7 s of CPU), and without notices (a lookup that
 * shows news about CDK versions and says nothing about this app).
 */
function cdkSynth(configFile: string, outdir: string): Promise<Ran> {
  return run(process.execPath, ['node_modules/aws-cdk/bin/cdk', 'synth', '--no-notices', '--quiet', '-c', `config=${configFile}`, '-o', outdir], {
    env: { ...offlineEnv(), CDK_VALIDATION: 'false' },
    timeout: 240_000,
  });
}

const problemLines = (text: string): string[] => text.split('\n').filter((l) => l.startsWith(`${BAD}:`));

describe('cdk synth', () => {
  // A clean clone has no test-artifacts/ yet, and this suite may run before any other creates it.
  mkdirSync(join(ROOT, 'test-artifacts'), { recursive: true });
  const outdir = mkdtempSync(join(ROOT, 'test-artifacts', 'synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));
  // Both synths start together: each is mostly a CLI waiting on its app process.
  let bad: Promise<Ran>;
  let full: Promise<Ran>;
  beforeAll(() => {
    bad = cdkSynth(BAD, join(outdir, 'bad'));
    full = cdkSynth(FULL, join(outdir, 'full'));
  });

  it('fails on a bad config with the same line-numbered problems as `newswatch validate`', async () => {
    const synth = await bad;
    const validate = await runCli(['validate', BAD], { cwd: ROOT });
    expect(synth.status).not.toBe(0);
    expect(validate.code).toBe(1);
    const expected = problemLines(validate.stderr);
    expect(expected.length).toBeGreaterThanOrEqual(3);
    for (const line of expected) expect(line).toMatch(/^test\/infra\/fixtures\/bad\.config\.yaml:\d+:\d+: /);
    expect(problemLines(synth.stderr)).toEqual(expected);
    expect(synth.stderr).toContain('deploy.pollConcurrency');
    // nothing was synthesised
    expect(existsSync(join(outdir, 'bad', 'Newswatch.template.json'))).toBe(false);
  }, 120_000);

  describe('of a full config, offline and without credentials', () => {
    let template: { Resources: Record<string, { Type: string; Properties: Record<string, any> }> };
    let functions: { id: string; dir: string }[];
    beforeAll(async () => {
      const synth = await full;
      if (synth.status !== 0) throw new Error(`cdk synth failed:\n${synth.stderr}`);
      template = JSON.parse(readFileSync(join(outdir, 'full', 'Newswatch.template.json'), 'utf8'));
      functions = Object.entries(template.Resources)
        .filter(([, r]) => r.Type === 'AWS::Lambda::Function')
        .map(([id, r]) => ({ id, dir: join(outdir, 'full', `asset.${String(r.Properties.Code.S3Key).replace(/\.zip$/, '')}`) }));
    }, 240_000);

    it('writes both stacks and bundles four functions as ESM with a source map', () => {
      expect(existsSync(join(outdir, 'full', 'NewswatchData.template.json'))).toBe(true);
      expect(functions).toHaveLength(4);
      for (const { id, dir } of functions) {
        const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
        expect(code.startsWith("import { createRequire as __nwCreateRequire } from 'node:module';"), id).toBe(true);
        expect(statSync(join(dir, 'index.mjs.map')).size, id).toBeGreaterThan(0);
        // minified: comments and our function names are gone
        expect(code.includes('Lambda entry:'), id).toBe(false);
        expect(/function (pollHandler|notifyHandler|digestHandler|dispatchHandler)\b/.test(code), id).toBe(false);
      }
    });

    it('compiles the validated config (with defaults applied) into every bundle', () => {
      for (const { id, dir } of functions) {
        const code = readFileSync(join(dir, 'index.mjs'), 'utf8');
        // (booleans: a failing toContain would print the whole bundle)
        expect(code.includes('"id":"naver-deepseek"'), id).toBe(true);
        expect(code.includes('"sourceFailingMinutes":120'), id).toBe(true);
        expect(code.includes('"seenTtlDays":14'), id).toBe(true); // a default the YAML does not spell out
      }
    });

    it('yields handlers that load and initialise in a fresh Node process', async () => {
      // One fresh process per bundle, side by side.
      const loads = functions.map(({ dir }) =>
        run(
          process.execPath,
          ['--input-type=module', '-e', `const m = await import(${JSON.stringify(join(dir, 'index.mjs'))}); console.log(typeof m.handler);`],
          {
            timeout: 30_000,
            env: {
              ...offlineEnv(),
              TABLE_NAME: 'newswatch-test',
              QUEUE_URL: 'http://127.0.0.1:9/queue',
              AWS_REGION: 'ap-northeast-2',
              AWS_ACCESS_KEY_ID: 'x',
              AWS_SECRET_ACCESS_KEY: 'x',
              AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://127.0.0.1:9',
              AWS_MAX_ATTEMPTS: '1',
            },
          },
        ),
      );
      for (const [i, loaded] of (await Promise.all(loads)).entries()) {
        const id = functions[i]!.id;
        expect(loaded.stderr.replace(/.*secret not available at init.*\n?/g, ''), id).not.toMatch(/Error/);
        expect(loaded.stdout.trim(), id).toBe('function');
      }
    }, 60_000);

    it('runs the bundled dispatch and digest handlers against dynalite and a local SQS peer', async () => {
      const db = await startDynalite();
      const sqs = await startSqsPeer();
      try {
        const byName = (what: string) => functions.find((f) => String(template.Resources[f.id]!.Properties.Description).includes(what))!;
        // Asynchronous: dynalite and the SQS peer answer from this process's event loop.
        const invoke = async (fnDir: string, event: unknown) => {
          const { stdout } = await promisify(execFile)(
            process.execPath,
            [
              '--input-type=module',
              '-e',
              `const { handler } = await import(${JSON.stringify(join(fnDir, 'index.mjs'))}); console.log('RESULT ' + JSON.stringify(await handler(${JSON.stringify(event)})));`,
            ],
            {
              cwd: ROOT,
              encoding: 'utf8',
              timeout: 30_000,
              env: {
                ...offlineEnv(),
                NODE_NO_WARNINGS: '1',
                TABLE_NAME: db.tableName,
                // the SQS client sends to the queue URL's host
                QUEUE_URL: `${sqs.endpoint}/123456789012/Newswatch-PollQueue`,
                AWS_REGION: 'ap-northeast-2',
                AWS_ACCESS_KEY_ID: 'test',
                AWS_SECRET_ACCESS_KEY: 'test',
                AWS_ENDPOINT_URL_DYNAMODB: db.endpoint,
                AWS_ENDPOINT_URL_SQS: sqs.endpoint,
                POWERTOOLS_LOG_LEVEL: 'ERROR',
              },
            },
          );
          const lines = stdout.trim().split('\n');
          return { result: JSON.parse(lines.find((l) => l.startsWith('RESULT '))!.slice(7)), emf: lines.filter((l) => l.includes('"_aws"')).join('\n') };
        };

        const tick = await invoke(byName('queue one poll').dir, { kind: 'poll-tick', scheduledTime: '2025-02-06T06:00:00Z' });
        expect(tick.result.dispatched).toEqual(['yonhap-it', 'etnews', 'naver-deepseek']);
        expect(sqs.batches.flatMap((b) => b.entries.map((e) => JSON.parse(e.MessageBody).sourceId))).toEqual(['yonhap-it', 'etnews', 'naver-deepseek']);
        expect(tick.emf).toContain('"SourcesDispatched":3');

        const check = await invoke(byName('daily digest').dir, { kind: 'digest-check', listId: 'morning' });
        expect(check.result).toMatchObject({ listId: 'morning', late: true });
        expect(check.emf).toContain('"DigestLate":1');
      } finally {
        await sqs.close();
        await db.close();
      }
    }, 60_000);
  });
});
