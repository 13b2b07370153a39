// The store a reading command (stories, serve, tune, status --aws, digest --preview --aws)
// opens: the embedded store in --store DIR (shared with a running `newswatch run`), or with
// --aws the deployed DynamoDB table, through the same store port. The table's name comes
// from --table or from the data stack's `TableName` output (CloudFormation DescribeStacks);
// credentials and region from the standard AWS chain; AWS_ENDPOINT_URL_DYNAMODB (or
// --endpoint) points it at another DynamoDB-compatible server such as dynalite.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { createDynamoClient } from '../adapters/dynamodb/client.ts';
import { createDynamoStore } from '../adapters/dynamodb/store.ts';
import type { Store } from '../shared/store/port.ts';
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

/** Opens the store `choice` names, for reading. */
export async function openReadStore(choice: StoreChoice): Promise<ReadStore> {
  if (choice.aws || choice.table !== undefined || choice.endpoint !== undefined) return openDeployed(choice);
  const dir = choice.store ?? DEFAULT_STORE_DIR;
  if (!existsSync(resolve(dir))) {
    throw new StoreChoiceError(`no store at ${dir}: run \`newswatch run\` first, pass --store DIR, or --aws for the deployed table`);
  }
  const local = await openLocalStore(dir, { attach: true });
  return { store: local.store, where: local.dir, close: () => local.close() };
}

async function openDeployed(choice: StoreChoice): Promise<ReadStore> {
  const region = choice.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
  const tableName = choice.table ?? (await tableOfStack(choice.stack ?? DEFAULT_STACK, region));
  const client = createDynamoClient({ ...(region ? { region } : {}), ...(choice.endpoint ? { endpoint: choice.endpoint } : {}) });
  return {
    store: createDynamoStore({ client, tableName }),
    where: `table ${tableName}`,
    close: async () => client.destroy(),
  };
}

/** The `TableName` output of the deployed data stack. */
async function tableOfStack(stackName: string, region: string | undefined): Promise<string> {
  const { CloudFormationClient, DescribeStacksCommand } = await import('@aws-sdk/client-cloudformation');
  const cfn = new CloudFormationClient(region ? { region } : {});
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
