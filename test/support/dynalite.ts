// Starts a real dynalite (DynamoDB on LevelDB) in this process for integration tests:
// 127.0.0.1, a free port, in memory or on a directory, with the newswatch table created.
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import dynalite from 'dynalite';
import { ensureTable } from '../../shared/store/dynamodb.ts';

export interface TestDynamo {
  endpoint: string;
  client: DynamoDBClient;
  tableName: string;
  /** Destroys the client and stops the server (flushes LevelDB when on disk). */
  close(): Promise<void>;
}

/** Starts dynalite on 127.0.0.1:0 (in memory unless `path` is given) and creates the table. */
export async function startDynalite(options: { path?: string; tableName?: string } = {}): Promise<TestDynamo> {
  const server = dynalite({ ...(options.path ? { path: options.path } : {}), createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new DynamoDBClient({
    endpoint,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
  });
  const tableName = options.tableName ?? `newswatch-${randomUUID().slice(0, 8)}`;
  await ensureTable(client, tableName);
  return {
    endpoint,
    client,
    tableName,
    async close() {
      client.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
