// The CDK app for tests that build it in-process, with the feature flags of cdk.json as
// `npx cdk` runs it. Without aws-cdk-lib's built-in CloudFormation validation: its WASM
// engine takes ~10 s of CPU to start in each process that synthesises, and it only warns
// (cdk.json does not set @aws-cdk/core:validateAgainstDefaultRules), so it changes neither
// whether a synth succeeds nor the templates.
import { readFileSync } from 'node:fs';
import { App } from 'aws-cdk-lib';

const context = JSON.parse(readFileSync('cdk.json', 'utf8')).context as Record<string, unknown>;

export function newApp(props: { outdir?: string } = {}): App {
  return new App({ ...props, context, builtinCloudFormationValidation: false });
}
