// Where the dispatch Lambda puts poll messages. An interface so the handler tests can
// capture the messages (SQS has no local peer here) and feed them to the poll handler.
import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { PollMessage } from './events.ts';

export interface PollQueue {
  send(messages: PollMessage[]): Promise<void>;
}

const SQS_BATCH = 10;

/** The poll queue over SQS SendMessageBatch; throws naming the sources SQS refused. */
export function sqsPollQueue(client: Pick<SQSClient, 'send'>, queueUrl: string): PollQueue {
  return {
    async send(messages) {
      const refused: string[] = [];
      for (let i = 0; i < messages.length; i += SQS_BATCH) {
        const chunk = messages.slice(i, i + SQS_BATCH);
        const out = await client.send(
          new SendMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: chunk.map((m, j) => ({ Id: String(j), MessageBody: JSON.stringify(m) })),
          }),
        );
        for (const f of out.Failed ?? []) refused.push(`${chunk[Number(f.Id)]?.sourceId ?? f.Id} (${f.Code ?? 'error'})`);
      }
      if (refused.length > 0) throw new Error(`SQS refused poll messages for: ${refused.join(', ')}`);
    },
  };
}
