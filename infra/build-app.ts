// Builds the CDK app from a validated config. Kept apart from app.ts so tests can
// build the same app in-process with their own config and without bundling.
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { Config } from '../shared/config/schema/index.ts';
import { acknowledgeNagFindings } from './nag.ts';
import { DataStack, ServiceStack } from './stacks.ts';

export interface BuildAppOptions {
  config: Config;
  app?: App;
  /** @default true */
  bundle?: boolean;
  /** Run cdk-nag AwsSolutionsChecks at synth (a finding fails the synth). @default true */
  nag?: boolean;
}

export interface NewswatchApp {
  app: App;
  data: DataStack;
  service: ServiceStack;
}

/** The two newswatch stacks in one app, with cdk-nag registered. */
export function buildApp(opts: BuildAppOptions): NewswatchApp {
  const app = opts.app ?? new App();
  const data = new DataStack(app, 'NewswatchData', { description: 'newswatch: the table (stateful, retained)' });
  const service = new ServiceStack(app, 'Newswatch', {
    description: 'newswatch: polling, alerts, digest, monitoring (stateless)',
    config: opts.config,
    dataStackName: data.stackName,
    bundle: opts.bundle,
  });
  service.addStackDependency(data);
  acknowledgeNagFindings(service);
  if (opts.nag ?? true) Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, service };
}
