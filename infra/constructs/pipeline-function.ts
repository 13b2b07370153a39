// Every newswatch Lambda is built the same way: Node.js 24 on arm64, one ESM file
// bundled by the locally installed esbuild (no Docker), minified with a source map,
// JSON logs with a retention, X-Ray tracing, and the validated config compiled in.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Architecture, Code, LoggingFormat, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat, SourceMapMode } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { fileURLToPath } from 'node:url';
import type { Config } from '../../shared/config/schema/index.ts';
import { METRICS_NAMESPACE, SERVICE_NAME } from '../../shared/metric-names.ts';

/** The repository root: esbuild runs there and resolves node_modules from it. */
export const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The identifier the handlers read the config from (functions/shared/deployed-config.ts).
 *
 * How the config reaches the Lambdas: it is validated at synth and compiled into each
 * bundle with esbuild `define` as one JSON string literal. Not an environment variable
 * (4 KB limit, and visible in the console); not a file beside the bundle (one more
 * thing to keep in step). The bundle's hash then changes with the config, so
 * `cdk deploy` updates exactly the functions whose config changed. NodejsFunction runs
 * esbuild without a shell, so the JSON needs no shell quoting; Linux caps one argument
 * at 128 KiB, hence the size check below.
 */
export const CONFIG_DEFINE = '__NEWSWATCH_CONFIG__';
const MAX_CONFIG_BYTES = 100 * 1024;

/** esbuild ESM output runs where `require` does not exist; some dependencies still call it. */
export const ESM_REQUIRE_BANNER = "import { createRequire as __nwCreateRequire } from 'node:module'; const require = __nwCreateRequire(import.meta.url);";

export interface PipelineFunctionProps {
  /** Handler entry, relative to the repository root, e.g. `functions/poll/handler.ts`. */
  readonly entry: string;
  /** The validated config, compiled into the bundle. */
  readonly config: Config;
  readonly description: string;
  /** @default Duration.seconds(30) */
  readonly timeout?: Duration;
  /** @default 256 */
  readonly memorySize?: number;
  /** @default {} */
  readonly environment?: Record<string, string>;
  /** @default config.deploy.logRetentionDays */
  readonly logRetentionDays?: number;
  /**
   * Bundle the entry with esbuild. Template tests turn this off to synthesise in
   * milliseconds; the code is then a stub and every other property is unchanged.
   * @default true
   */
  readonly bundle?: boolean;
}

/** A Lambda function built the newswatch way (see the file comment). */
export class PipelineFunction extends NodejsFunction {
  constructor(scope: Construct, id: string, props: PipelineFunctionProps) {
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: (props.logRetentionDays ?? props.config.deploy.logRetentionDays) as RetentionDays,
      // Logs are diagnostics, not data: they go with the stack.
      removalPolicy: RemovalPolicy.DESTROY,
    });
    const bundle = props.bundle ?? true;
    super(scope, id, {
      description: props.description,
      entry: `${PROJECT_ROOT}${props.entry}`,
      projectRoot: PROJECT_ROOT,
      depsLockFilePath: `${PROJECT_ROOT}package-lock.json`,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      memorySize: props.memorySize ?? 256,
      timeout: props.timeout ?? Duration.seconds(30),
      tracing: Tracing.ACTIVE,
      logGroup,
      loggingFormat: LoggingFormat.JSON,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_METRICS_NAMESPACE: METRICS_NAMESPACE,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        // Stack traces point at our TypeScript lines, through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...props.environment,
      },
      ...(bundle
        ? {
            bundling: {
              format: OutputFormat.ESM,
              mainFields: ['module', 'main'],
              minify: true,
              sourceMap: true,
              sourceMapMode: SourceMapMode.DEFAULT,
              sourcesContent: false,
              target: 'node24',
              banner: ESM_REQUIRE_BANNER,
              define: { [CONFIG_DEFINE]: configLiteral(props.config) },
              forceDockerBundling: false,
              // The Node.js 24 runtime ships AWS SDK v3: keeping it out keeps bundles small.
              externalModules: ['@aws-sdk/*', '@smithy/*'],
              // newswatch only calls cheerio.load; the package's main entry also carries URL
              // and stream loaders (undici, encoding-sniffer, two more iconv-lite copies):
              // 1.5 MB of code no handler runs. load-parse.js is the same `load`, alone.
              // iconv-lite's full package brings every encoding table (~480 KB); the shim
              // decodes EUC-KR/CP949 with iconv-lite's own codec and cp949 table, and every
              // other label through TextDecoder (functions/shared/iconv-korean.ts).
              esbuildArgs: {
                '--alias': [
                  `cheerio=${PROJECT_ROOT}node_modules/cheerio/dist/esm/load-parse.js`,
                  `iconv-lite=${PROJECT_ROOT}functions/shared/iconv-korean.ts`,
                  `iconv-lite/encodings=${PROJECT_ROOT}node_modules/iconv-lite/encodings`,
                ],
              },
            },
          }
        : { code: Code.fromInline('exports.handler = async () => { throw new Error("built without bundling"); };'), handler: 'index.handler' }),
    });
  }
}

/** The config as a JSON string literal for esbuild `define`. */
export function configLiteral(config: Config): string {
  const literal = JSON.stringify(JSON.stringify(config));
  if (Buffer.byteLength(literal) > MAX_CONFIG_BYTES) {
    throw new Error(
      `the config is ${Math.round(Buffer.byteLength(literal) / 1024)} KiB once serialised; the Lambdas can embed at most ${MAX_CONFIG_BYTES / 1024} KiB. Split topics or sources into a second deployment.`,
    );
  }
  return literal;
}
