// The dispatch Lambda's SQS adapter against a local peer speaking the SQS wire protocol
// (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.SendMessageBatch`, MD5 of each body), since
// SQS itself has no local peer among our dependencies.
import type { SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parsePollMessage, type PollMessage } from '../../../functions/shared/events.ts';
import { sqsPollQueue } from '../../../functions/shared/sqs-queue.ts';
import { startSqsPeer, type SqsPeer } from './support.ts';

let peer: SqsPeer;
let client: SQSClient;
const batches = () => peer.batches;

beforeAll(async () => {
  peer = await startSqsPeer();
  client = peer.client;
});
afterAll(async () => peer?.close());

const QUEUE = 'https://sqs.ap-northeast-2.amazonaws.com/123456789012/Newswatch-PollQueue';
const messages = (n: number): PollMessage[] => Array.from({ length: n }, (_, i) => ({ sourceId: `src-${i}`, queuedAt: '2025-02-06T06:00:00.000Z' }));

describe('SQS poll queue', () => {
  it('sends 23 due sources as SendMessageBatch calls of at most 10, one message per source', async () => {
    peer.batches.length = 0;
    peer.refuse.clear();
    await sqsPollQueue(client, QUEUE).send(messages(23));
    expect(batches().map((b) => [b.target, b.queueUrl, b.entries.length])).toEqual([
      ['AmazonSQS.SendMessageBatch', QUEUE, 10],
      ['AmazonSQS.SendMessageBatch', QUEUE, 10],
      ['AmazonSQS.SendMessageBatch', QUEUE, 3],
    ]);
    const sent = batches().flatMap((b) => b.entries.map((e) => parsePollMessage(e.MessageBody).sourceId));
    expect(sent).toEqual(messages(23).map((m) => m.sourceId));
  });

  it('sends nothing for a tick with no due source', async () => {
    peer.batches.length = 0;
    await sqsPollQueue(client, QUEUE).send([]);
    expect(batches()).toEqual([]);
  });

  it('throws naming the sources SQS refused, after sending the rest', async () => {
    peer.batches.length = 0;
    peer.refuse.add('src-3').add('src-12');
    await expect(sqsPollQueue(client, QUEUE).send(messages(15))).rejects.toThrow(
      'SQS refused poll messages for: src-3 (InternalError), src-12 (InternalError)',
    );
    expect(batches()).toHaveLength(2);
  });
});
