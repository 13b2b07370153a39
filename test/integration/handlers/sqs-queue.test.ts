// The dispatch Lambda's SQS adapter against a local peer speaking the SQS wire protocol
// (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.SendMessageBatch`, MD5 of each body), since
// SQS itself has no local peer among our dependencies.
import { createHash } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePollMessage, type PollMessage } from '../../../functions/shared/events.ts';
import { sqsPollQueue } from '../../../functions/shared/sqs-queue.ts';

interface Entry {
  Id: string;
  MessageBody: string;
}
const batches: { target: string; queueUrl: string; entries: Entry[] }[] = [];
let refuse = new Set<string>();
let server: http.Server;
let client: SQSClient;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const input = JSON.parse(body) as { QueueUrl: string; Entries: Entry[] };
      batches.push({ target: String(req.headers['x-amz-target']), queueUrl: input.QueueUrl, entries: input.Entries });
      const md5 = (s: string) => createHash('md5').update(s).digest('hex');
      const failed = input.Entries.filter((e) => refuse.has(parsePollMessage(e.MessageBody).sourceId));
      const ok = input.Entries.filter((e) => !failed.includes(e));
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(
        JSON.stringify({
          Successful: ok.map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: md5(e.MessageBody) })),
          Failed: failed.map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' })),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  client = new SQSClient({ endpoint: `http://127.0.0.1:${port}`, region: 'ap-northeast-2', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
});
afterAll(async () => {
  client?.destroy();
  server?.closeAllConnections();
  await new Promise<void>((r) => server.close(() => r()));
});

const QUEUE = 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/Newswatch-PollQueue';
const messages = (n: number): PollMessage[] => Array.from({ length: n }, (_, i) => ({ sourceId: `src-${i}`, queuedAt: '2025-02-06T06:00:00.000Z' }));

describe('SQS poll queue', () => {
  it('sends 23 due sources as SendMessageBatch calls of at most 10, one message per source', async () => {
    batches.length = 0;
    refuse = new Set();
    await sqsPollQueue(client, QUEUE).send(messages(23));
    expect(batches.map((b) => [b.target, b.queueUrl, b.entries.length])).toEqual([
      ['AmazonSQS.SendMessageBatch', QUEUE, 10],
      ['AmazonSQS.SendMessageBatch', QUEUE, 10],
      ['AmazonSQS.SendMessageBatch', QUEUE, 3],
    ]);
    const sent = batches.flatMap((b) => b.entries.map((e) => parsePollMessage(e.MessageBody).sourceId));
    expect(sent).toEqual(messages(23).map((m) => m.sourceId));
  });

  it('sends nothing for a tick with no due source', async () => {
    batches.length = 0;
    await sqsPollQueue(client, QUEUE).send([]);
    expect(batches).toEqual([]);
  });

  it('throws naming the sources SQS refused, after sending the rest', async () => {
    batches.length = 0;
    refuse = new Set(['src-3', 'src-12']);
    await expect(sqsPollQueue(client, QUEUE).send(messages(15))).rejects.toThrow('SQS refused poll messages for: src-3 (InternalError), src-12 (InternalError)');
    expect(batches).toHaveLength(2);
  });
});
