// The CDK app: `npx cdk synth|deploy [-c config=path/to/newswatch.config.yaml]`.
// The config is loaded and validated here, at synth: a bad file stops the synth with
// the same line-numbered problems as `newswatch validate`, before anything is built.
import { App } from 'aws-cdk-lib';
import { ConfigError, DEFAULT_CONFIG_FILE, loadConfig } from '../shared/config/load.ts';
import { buildApp } from './build-app.ts';

const app = new App();
const file = (app.node.tryGetContext('config') as string | undefined) ?? DEFAULT_CONFIG_FILE;
try {
  buildApp({ app, config: loadConfig(file) });
} catch (e) {
  if (!(e instanceof ConfigError)) throw e;
  process.stderr.write(`${e.message}\n${e.problems.length} problem${e.problems.length === 1 ? '' : 's'} in ${file}\n`);
  process.exit(1);
}
app.synth();
