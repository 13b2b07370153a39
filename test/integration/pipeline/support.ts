// Shared set-up for the pipeline suites: the demo's fixture outlets over real HTTP,
// a real dynalite, the user's real topics.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { loadConfig } from '../../../shared/config/load.ts';
import { demoConfig } from '../../../cli/demo/config.ts';
import type { Config } from '../../../shared/config/schema/index.ts';
import { createFetcher } from '../../../shared/fetch/index.ts';
import type { PipelineDeps } from '../../../shared/pipeline/types.ts';
import { createDynamoStore } from '../../../adapters/dynamodb/store.ts';
import type { TestDynamo } from '../../support/dynalite.ts';

export const DEMO_NOW = new Date('2025-02-06T06:00:00Z');

/** The demo's configuration: the user's real topics, the fixture outlets as sources. */
export function demoFeedsConfig(baseUrl: string): Config {
  return demoConfig(loadConfig('newswatch.config.yaml'), baseUrl);
}

export function pipelineDeps(config: Config, client: DynamoDBClient, tableName: string, now = DEMO_NOW): PipelineDeps {
  return {
    config,
    store: createDynamoStore({ client, tableName }),
    secrets: async (_ref, what) => {
      throw new Error(`${what}: no secrets in this test`);
    },
    now: () => now,
    fetcher: createFetcher(config.settings, { allowPrivateNetwork: true }),
  };
}

/** Counts the DynamoDB write requests the test's client sends from now on. */
export function countWrites(db: TestDynamo): { writes: () => number } {
  const start = db.writes();
  return { writes: () => db.writes() - start };
}
