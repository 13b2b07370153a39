// Shared by the handler suites: a local Secrets Manager peer, real AWS event shapes,
// and a reader for the CloudWatch EMF lines the handlers print (the alarms' input).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createHash } from 'node:crypto';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import type { DynamoDBRecord, SQSRecord } from 'aws-lambda';
import { logger } from '../../../adapters/powertools/observability.ts';

export interface SecretsPeer {
  client: SecretsManagerClient;
  /** SecretIds asked for, in order. */
  asked: string[];
  close(): Promise<void>;
}

/**
 * Secrets Manager has no local peer in our dependencies: this answers the real wire
 * protocol (AWS JSON 1.1, `X-Amz-Target: secretsmanager.GetSecretValue`) from a map,
 * so the SDK client and our resolver run unchanged against it.
 */
export async function startSecretsPeer(secrets: Record<string, string>): Promise<SecretsPeer> {
  const asked: string[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const { SecretId } = JSON.parse(body || '{}') as { SecretId: string };
      asked.push(SecretId);
      const value = secrets[SecretId];
      res.setHeader('content-type', 'application/x-amz-json-1.1');
      if (req.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue' || value === undefined) {
        res.statusCode = 400;
        res.end(JSON.stringify({ __type: 'ResourceNotFoundException', message: "Secrets Manager can't find the specified secret." }));
        return;
      }
      res.end(JSON.stringify({ ARN: `arn:aws:secretsmanager:ap-northeast-2:123456789012:secret:${SecretId}-AbCdEf`, Name: SecretId, SecretString: value }));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const client = new SecretsManagerClient({
    endpoint: `http://127.0.0.1:${port}`,
    region: 'ap-northeast-2',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    maxAttempts: 1,
  });
  return {
    client,
    asked,
    close: () =>
      new Promise<void>((r) => {
        client.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** An SQS record as Lambda delivers it from a standard queue. */
export function sqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `AQEB${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '1738821600000',
      SenderId: 'AROAEXAMPLE:newswatch-dispatch',
      ApproximateFirstReceiveTimestamp: '1738821600100',
    },
    messageAttributes: {},
    md5OfBody: 'd41d8cd98f00b204e9800998ecf8427e',
    eventSource: 'aws:sqs',
    eventSourceARN: 'arn:aws:sqs:ap-northeast-2:123456789012:Newswatch-PollingPollQueue',
    awsRegion: 'ap-northeast-2',
  };
}

/** A DynamoDB stream INSERT record carrying `image` (a marshalled item) as NewImage. */
export function streamInsert(sequence: string, image: Record<string, AttributeValue> | undefined): DynamoDBRecord {
  return {
    eventID: `evt-${sequence}`,
    eventName: 'INSERT',
    eventVersion: '1.1',
    eventSource: 'aws:dynamodb',
    awsRegion: 'ap-northeast-2',
    dynamodb: {
      ApproximateCreationDateTime: 1738821600,
      Keys: image ? { pk: image.pk as never, sk: image.sk as never } : { pk: { S: 'STORY#x' }, sk: { S: 'STORY' } },
      ...(image ? { NewImage: image as never } : {}),
      SequenceNumber: sequence,
      SizeBytes: 512,
      StreamViewType: 'NEW_IMAGE',
    },
    eventSourceARN: 'arn:aws:dynamodb:ap-northeast-2:123456789012:table/NewswatchData-StoreTable/stream/2025-02-06T00:00:00.000',
  };
}

/** Run `fn`, collecting the CloudWatch EMF metrics printed meanwhile: name → summed value. */
export async function emittedMetrics<T>(fn: () => Promise<T>): Promise<{ result: T; metrics: Record<string, number> }> {
  const metrics: Record<string, number> = {};
  const write = process.stdout.write.bind(process.stdout);
  let buffer = '';
  process.stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    if (!text.includes('"_aws"')) return write(chunk as never, ...(rest as []));
    buffer += text;
    return true;
  }) as typeof process.stdout.write;
  try {
    const result = await fn();
    return { result, metrics: collect(buffer, metrics) };
  } finally {
    process.stdout.write = write;
  }
}

/** Run `fn`, collecting what is written to stderr meanwhile (Powertools' own warnings go there). */
export async function writtenToStderr<T>(fn: () => Promise<T>): Promise<{ result: T; stderr: string }> {
  const write = process.stderr.write.bind(process.stderr);
  let stderr = '';
  process.stderr.write = ((chunk: string | Uint8Array) => {
    stderr += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8');
    return true;
  }) as typeof process.stderr.write;
  try {
    return { result: await fn(), stderr };
  } finally {
    process.stderr.write = write;
  }
}

function collect(buffer: string, into: Record<string, number>): Record<string, number> {
  for (const line of buffer.split('\n')) {
    if (!line.includes('"_aws"')) continue;
    const emf = JSON.parse(line) as { _aws: { CloudWatchMetrics: { Metrics: { Name: string }[] }[] } } & Record<string, unknown>;
    for (const m of emf._aws.CloudWatchMetrics.flatMap((d) => d.Metrics)) {
      const v = emf[m.Name];
      into[m.Name] = (into[m.Name] ?? 0) + (Array.isArray(v) ? v.reduce((a: number, b: number) => a + b, 0) : Number(v));
    }
  }
  return into;
}

// The handlers log structured JSON for CloudWatch; in test output it is noise.
logger.setLogLevel('CRITICAL');

export interface SqsPeer {
  endpoint: string;
  client: SQSClient;
  /** Every SendMessageBatch received: the X-Amz-Target, queue URL and entries. */
  batches: { target: string; queueUrl: string; entries: { Id: string; MessageBody: string }[] }[];
  /** Source ids whose messages the peer reports as Failed. */
  refuse: Set<string>;
  close(): Promise<void>;
}

/**
 * SQS has no local peer in our dependencies: this answers SendMessageBatch in the real
 * wire protocol (AWS JSON 1.0, `X-Amz-Target: AmazonSQS.SendMessageBatch`, with the MD5
 * of each body that the SDK verifies), recording what was sent.
 */
export async function startSqsPeer(): Promise<SqsPeer> {
  const batches: SqsPeer['batches'] = [];
  const refuse = new Set<string>();
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      const input = JSON.parse(body) as { QueueUrl: string; Entries: { Id: string; MessageBody: string }[] };
      batches.push({ target: String(req.headers['x-amz-target']), queueUrl: input.QueueUrl, entries: input.Entries });
      const md5 = (s: string) => createHash('md5').update(s).digest('hex');
      const refused = (e: { MessageBody: string }) => refuse.has(String((JSON.parse(e.MessageBody) as { sourceId?: string }).sourceId));
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(
        JSON.stringify({
          Successful: input.Entries.filter((e) => !refused(e)).map((e) => ({ Id: e.Id, MessageId: `m-${e.Id}`, MD5OfMessageBody: md5(e.MessageBody) })),
          Failed: input.Entries.filter(refused).map((e) => ({ Id: e.Id, SenderFault: false, Code: 'InternalError', Message: 'try again' })),
        }),
      );
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ endpoint, region: 'ap-northeast-2', credentials: { accessKeyId: 't', secretAccessKey: 't' }, maxAttempts: 1 });
  return {
    endpoint,
    client,
    batches,
    refuse,
    close: () =>
      new Promise<void>((r) => {
        client.destroy();
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}
