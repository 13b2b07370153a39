// Starts a real dynalite (DynamoDB on LevelDB) in this process for integration tests:
// 127.0.0.1, a free port, in memory or on a directory, with the newswatch table created.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { createDynamoClient } from '../../adapters/dynamodb/client.ts';
import dynalite from 'dynalite';
import { ensureTable } from '../../adapters/dynamodb/store.ts';

const WRITE_COMMANDS = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'BatchWriteItemCommand']);

export interface TestDynamo {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  /** Write requests (puts, updates, deletes, batch writes) the client has sent so far. */
  writes(): number;
  /** Destroys the client and stops the server (flushes LevelDB when on disk). */
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1:0 (in memory unless `path` is given) and creates the table. */
export async function startDynalite(options: { path?: string; tableName?: string; maxItemSizeKb?: number } = {}): Promise<TestDynamo> {
  const server = dynalite({
    ...(options.path ? { path: options.path } : {}),
    // A smaller item limit than DynamoDB's 400 KB lets a test make one story too large to store.
    ...(options.maxItemSizeKb ? { maxItemSizeKb: options.maxItemSizeKb } : {}),
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = createDynamoClient({
    endpoint,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  // Installed before the first request: the store's client caches each command's middleware.
  let writes = 0;
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (WRITE_COMMANDS.has(String(context.commandName))) writes++;
      return next(args);
    },
    { step: 'initialize', name: 'countWrites' },
  );
  const tableName = options.tableName ?? `newswatch-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, tableName);
  return {
    endpoint,
    client,
    tableName,
    writes: () => writes,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
