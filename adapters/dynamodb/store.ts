// The Store (and dedupe ClusterIndex) over one DynamoDB table, the same code against AWS
// and against dynalite. No transactions and no streams are used, so dynalite is a faithful peer.
// One module per part of the port, each laying out its own items (docs/architecture.md#data-model):
//   stories.ts        STORY#<id> / STORY, STORY#<leader> / MEMBER#<id>
//   source-states.ts  SOURCE / <sourceId>
//   poll-records.ts   SEEN#<id> / SEEN, and what a poll writes back in one batch (kept.ts: KEPT#DAY#<day> / POLL#...)
//   clusters.ts       FP#<id> / FP, BAND#<n>#<hash> / BAND
//   digests.ts        DIGEST#<day>#<list> / DIGEST
//   outbox.ts         DELIVERY#<story> / <destinationId>
// table-io.ts makes their requests; ensure-table.ts creates the table where the CDK does not.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { Store } from '../../shared/store/port.ts';
import { type ClusterTable, createClusterTable } from './clusters.ts';
import { createDigests } from './digests.ts';
import { createOutbox } from './outbox.ts';
import { createPollRecords } from './poll-records.ts';
import { createSourceStates } from './source-states.ts';
import { createStories } from './stories.ts';
import { createTableIo } from './table-io.ts';

export type { TableRecord } from './clusters.ts';
export { ensureTable } from './ensure-table.ts';

export interface DynamoStoreOptions {
  client: DynamoDBClient;
  tableName: string;
}

/** The DynamoDB store: implements the pipeline's Store and the dedupe ClusterIndex. */
export interface DynamoStore extends Store, ClusterTable {
  readonly tableName: string;
  /** Number of DynamoDB requests made so far, by operation (for benchmarks and status). */
  readonly calls: Readonly<Record<string, number>>;
}

/** A Store + ClusterIndex over `tableName` through `client` (the caller owns the client). */
export function createDynamoStore(options: DynamoStoreOptions): DynamoStore {
  const io = createTableIo(options.client, options.tableName);
  return {
    tableName: io.tableName,
    calls: io.calls,
    ...createOutbox(io),
    ...createStories(io),
    ...createSourceStates(io),
    ...createPollRecords(io),
    ...createClusterTable(io),
    ...createDigests(io),
  };
}
