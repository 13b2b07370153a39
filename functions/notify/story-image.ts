// A DynamoDB stream record's NewImage back into the Story the pipeline wrote
// (adapters/dynamodb/store.ts putStory: the story's fields plus table keys).
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { DynamoDBRecord } from 'aws-lambda';
import type { Story } from '../../shared/model.ts';
import { TABLE } from '../../adapters/dynamodb/table.ts';

const TABLE_ATTRIBUTES = new Set<string>([
  TABLE.partitionKey,
  TABLE.sortKey,
  TABLE.dayIndex.partitionKey,
  TABLE.dayIndex.sortKey,
  TABLE.alertAttribute,
  'kind',
]);

/** The story of an INSERT of a new matched leader; throws naming the record when it is not one. */
export function storyFromRecord(record: DynamoDBRecord): Story {
  const image = record.dynamodb?.NewImage;
  if (!image) throw new Error(`stream record ${record.eventID ?? '?'} has no NewImage (is the stream NEW_IMAGE?)`);
  const row = unmarshall(image as Record<string, AttributeValue>);
  const story: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(row)) if (!TABLE_ATTRIBUTES.has(k)) story[k] = v;
  if (typeof story.id !== 'string' || typeof story.url !== 'string' || !Array.isArray(story.topics)) {
    throw new Error(`stream record ${record.eventID ?? '?'} (${String(row[TABLE.partitionKey])}) is not a story`);
  }
  return story as unknown as Story;
}
