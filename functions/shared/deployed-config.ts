// The config the Lambdas run with: validated at `cdk synth` and compiled into each
// bundle as one JSON string (esbuild `define`, see infra/constructs/pipeline-function.ts),
// so a Lambda never starts with a config that `newswatch validate` would reject.
import type { Config } from '../../shared/config/schema/index.ts';
import { deepFreeze } from '../../shared/deep-freeze.ts';

declare const __NEWSWATCH_CONFIG__: string | undefined;

/** The config compiled into this bundle, frozen. */
export function deployedConfig(): Config {
  // Outside a bundle the identifier is a global: tests may set it on globalThis.
  const text = typeof __NEWSWATCH_CONFIG__ === 'string' ? __NEWSWATCH_CONFIG__ : undefined;
  if (text === undefined) {
    throw new Error('no config compiled into this function: build it with `cdk synth` (infra/constructs/pipeline-function.ts)');
  }
  return deepFreeze(JSON.parse(text) as Config);
}
