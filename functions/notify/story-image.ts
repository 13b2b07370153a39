// A DynamoDB stream record's NewImage back into the Story the pipeline wrote: the row laid
// out by adapters/dynamodb/stories.ts (the story's fields, `why` as one JSON string, plus
// table keys), read back by the same function the store's reads use.
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Story } from '../../shared/model.ts';
import { storyOf } from '../../adapters/dynamodb/stories.ts';
import { TABLE } from '../../adapters/dynamodb/table.ts';

/** The story of an INSERT of a new matched leader; throws naming the record when it is not one. */
export function storyFromRecord(record: DynamoDBRecord): Story {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error(`stream record ${record.eventID ?? '?'} has no NewImage (is the stream NEW_IMAGE?)`);
  const row = unmarshall(image as Record<string, AttributeValue>);
  if (typeof row['id'] !== 'string' || typeof row['url'] !== 'string' || !Array.isArray(row['topics'])) {
    throw new Error(`stream record ${record.eventID ?? '?'} (${String(row[TABLE.partitionKey])}) is not a story`);
  }
  try {
    return storyOf(row);
  } catch (e) {
    throw new Error(`stream record ${record.eventID ?? '?'} (${String(row[TABLE.partitionKey])}) has an unreadable why: ${(e as Error).message}`);
  }
}
