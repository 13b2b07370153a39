// The store a reading command (stories, serve, tune, status --aws, digest --preview --aws)
// opens: the embedded store in --store DIR (shared with a running `newswatch run`), or with
// --aws the deployed DynamoDB table, through the same store port. The table's name comes
// from --table or from the data stack's `TableName` output (CloudFormation DescribeStacks);
// credentials and region from the standard AWS chain; AWS_ENDPOINT_URL_DYNAMODB (or
// --endpoint) points it at another DynamoDB-compatible server such as dynalite.
import { existsSync, statSync } from 'node:fs';
import { createDynamoClient } from '../adapters/dynamodb/client.ts';
import { createDynamoStore } from '../adapters/dynamodb/store.ts';
import type { Store } from '../shared/store/port.ts';
import type { CliIo, Env } from './io.ts';
import { inCwd } from './io.ts';
import { DEFAULT_STORE_DIR, openLocalStore } from './local-store.ts';

/** The data stack infra/build-app.ts deploys (it holds the table and its `TableName` output). */
export const DEFAULT_STACK = 'NewswatchData';

export interface StoreChoice {
  store?: string | undefined;
  aws?: boolean | undefined;
  table?: string | undefined;
  stack?: string | undefined;
  endpoint?: string | undefined;
  region?: string | undefined;
}

/** parseArgs options shared by every reading command. */
export const STORE_OPTIONS = {
  store: { type: 'string', default: DEFAULT_STORE_DIR },
  aws: { type: 'boolean' },
  table: { type: 'string' },
  stack: { type: 'string' },
  endpoint: { type: 'string' },
  region: { type: 'string' },
} as const;

export const STORE_HELP = `  --store DIR      embedded store directory (default ${DEFAULT_STORE_DIR})
  --aws            read the deployed DynamoDB table instead (standard AWS credentials
                   and region); its name from the ${DEFAULT_STACK} stack's TableName output
  --table NAME     the table's name (implies --aws; no CloudFormation call)
  --stack NAME     the data stack to read the table name from (default ${DEFAULT_STACK})
  --endpoint URL   a DynamoDB-compatible endpoint (or AWS_ENDPOINT_URL_DYNAMODB)
  --region NAME    AWS region (default: AWS_REGION / your AWS profile)
`;

export class StoreChoiceError extends Error {
  override readonly name = 'StoreChoiceError';
}

export interface ReadStore {
  store: Store;
  /** Where it reads, for messages: a directory or `table NAME`. */
  where: string;
  close(): Promise<void>;
}

/** Opens the store `choice` names, for reading; a relative --store and the AWS settings are the command's (`io`). */
export async function openReadStore(choice: StoreChoice, io: Pick<CliIo, 'cwd' | 'env'>): Promise<ReadStore> {
  if (choice.aws || choice.table !== undefined || choice.endpoint !== undefined) return openDeployed(choice, io.env);
  const dir = choice.store ?? DEFAULT_STORE_DIR;
  if (!existsSync(inCwd(io, dir))) {
    throw new StoreChoiceError(`no store at ${dir}: run \`newswatch run\` first, pass --store DIR, or --aws for the deployed table`);
  }
  if (!statSync(inCwd(io, dir)).isDirectory()) {
    throw new StoreChoiceError(`${dir} is a file, not a store directory: pass the directory \`newswatch run --store\` wrote to`);
  }
  const local = await openLocalStore(inCwd(io, dir), { attach: true });
  return { store: local.store, where: local.dir, close: () => local.close() };
}

/**
 * What the SDK would read from the process's environment (endpoint, static credentials), read
 * from the command's instead: in-process they differ. The rest of the chain (profiles, SSO,
 * instance roles) stays the SDK's.
 */
function fromEnv(
  env: Env,
  service: 'DYNAMODB' | 'CLOUDFORMATION',
): { endpoint?: string; credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } } {
  const endpoint = env.AWS_IGNORE_CONFIGURED_ENDPOINT_URLS === 'true' ? undefined : (env[`AWS_ENDPOINT_URL_${service}`] ?? env.AWS_ENDPOINT_URL);
  // A named profile wins over the key pair in the SDK's chain too.
  const keys = !env.AWS_PROFILE && env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY;
  return {
    ...(endpoint ? { endpoint } : {}),
    ...(keys
      ? {
          credentials: {
            accessKeyId: env.AWS_ACCESS_KEY_ID!,
            secretAccessKey: env.AWS_SECRET_ACCESS_KEY!,
            ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
          },
        }
      : {}),
  };
}

async function openDeployed(choice: StoreChoice, env: Env): Promise<ReadStore> {
  const region = choice.region ?? env.AWS_REGION ?? env.AWS_DEFAULT_REGION;
  const tableName = choice.table ?? (await tableOfStack(choice.stack ?? DEFAULT_STACK, region, env));
  const client = createDynamoClient({
    ...fromEnv(env, 'DYNAMODB'),
    ...(region ? { region } : {}),
    ...(choice.endpoint ? { endpoint: choice.endpoint } : {}),
  });
  return {
    store: createDynamoStore({ client, tableName }),
    where: `table ${tableName}`,
    close: async () => client.destroy(),
  };
}

/** The `TableName` output of the deployed data stack. */
async function tableOfStack(stackName: string, region: string | undefined, env: Env): Promise<string> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = new CloudFormationClient({ ...fromEnv(env, 'CLOUDFORMATION'), ...(region ? { region } : {}) });
  try {
    const r = await cfn.send(new DescribeStacksCommand({ StackName: stackName }));
    const name = r.Stacks?.[0]?.Outputs?.find((o) => o.OutputKey === 'TableName')?.OutputValue;
    if (!name) throw new StoreChoiceError(`stack ${stackName} has no TableName output: is it the newswatch data stack? (or pass --table NAME)`);
    return name;
  } catch (e) {
    if (e instanceof StoreChoiceError) throw e;
    const why = e instanceof Error ? e.message : String(e);
    throw new StoreChoiceError(`could not read the table name from stack ${stackName}: ${why} (pass --table NAME, or check your AWS credentials and region)`);
  } finally {
    cfn.destroy();
  }
}
