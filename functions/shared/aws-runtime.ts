// Lambda init: the bundled config, the DynamoDB store on TABLE_NAME, and the Secrets
// Manager resolver with this function's secrets read once, up front.
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { Config, SecretRef } from '../../shared/config/schema/index.ts';
import type { SecretResolver } from '../../shared/config/secrets.ts';
import { logger } from '../../adapters/powertools/observability.ts';
import { createDynamoClient } from '../../adapters/dynamodb/client.ts';
import { createDynamoStore, type DynamoStore } from '../../adapters/dynamodb/store.ts';
import { deployedConfig } from './deployed-config.ts';
import { secretsManagerResolver } from './secrets-manager.ts';

export interface AwsRuntime {
  config: Config;
  store: DynamoStore;
  secrets: SecretResolver;
  now: () => Date;
}

/** Build the dependencies every handler gets; `secretsOf` names the secrets to read at init. */
export async function awsRuntime(secretsOf: (config: Config) => SecretRef[] = () => []): Promise<AwsRuntime> {
  const config = deployedConfig();
  const tableName = process.env.TABLE_NAME;
  if (!tableName) throw new Error('TABLE_NAME is not set (the CDK stack sets it)');
  const store = createDynamoStore({ client: createDynamoClient(), tableName });
  const secrets = secretsManagerResolver(new SecretsManagerClient({}));
  for (const e of await secrets.prefetch(secretsOf(config))) logger.warn('secret not available at init', { error: e.message });
  return { config, store, secrets: secrets.resolve, now: () => new Date() };
}
