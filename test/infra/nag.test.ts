// cdk-nag AwsSolutionsChecks over the whole app: zero findings that are not
// acknowledged, and every acknowledgement carries a reason.
import { Validations } from 'aws-cdk-lib';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { buildApp, type NewswatchApp } from '../../infra/build-app.ts';
import { newApp } from './app.ts';
import { loadConfig } from '../../shared/config/load.ts';

const config = loadConfig('test/infra/fixtures/full.config.yaml');

/** The app for a full config without nag at synth, built once for the tests that only read it. */
let built: NewswatchApp | undefined;
const fullApp = (): NewswatchApp => (built ??= buildApp({ config, app: newApp(), bundle: false, nag: false }));

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing unacknowledged in the app for a full config', () => {
    const { app } = fullApp();
    const report = new AwsSolutionsChecks(app).validateScope(app);
    expect(report.violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('runs at synth and lets the app synthesise', () => {
    const { app } = buildApp({ config, app: newApp({ outdir: 'test-artifacts/cdk-nag-synth' }), bundle: false });
    expect(() => app.synth()).not.toThrow();
  }, 120_000); // a full synth with every nag rule: ~2 s alone, 30 s on a loaded 2-core machine

  it('gives every acknowledged finding a specific reason', () => {
    const { app } = fullApp();
    const acks = app.node
      .findAll()
      .flatMap((c) => c.node.metadata.filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY))
      .flatMap((m) => Object.entries(m.data as Record<string, { reason?: string } | string>));
    expect(acks.length).toBeGreaterThan(0);
    for (const [id, value] of acks) {
      const reason = typeof value === 'string' ? value : value.reason;
      expect(reason, id).toMatch(/\w{4,}.*\w{4,}/);
      expect(reason!.length, id).toBeGreaterThan(40);
    }
  });

  it('still reports a resource that breaks a rule (the acknowledgements are not blanket)', () => {
    const { app, service } = buildApp({ config, app: newApp(), bundle: false, nag: false });
    new Queue(service, 'CarelessQueue', { enforceSSL: false });
    const rules = new AwsSolutionsChecks(app).validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toContain('AwsSolutions-SQS4');
    expect(rules).toContain('AwsSolutions-SQS3');
  });
});
