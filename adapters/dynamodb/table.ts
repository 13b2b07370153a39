// The single table's shape, shared by the DynamoDB adapter, the local dynalite store
// and the CDK stack so the three never drift.

export const TABLE = {
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Sparse index of matched stories by Korea-time day: only matched stories carry its keys. */
  dayIndex: { name: 'byDay', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  /** Epoch seconds; DynamoDB TTL deletes expired SEEN# items (and readers check it too). */
  ttlAttribute: 'expiresAt',
  /**
   * Present (BOOL true) only on STORY# items that are new matched cluster leaders: the
   * stream filter of the notify Lambda keys on INSERT events carrying it.
   */
  alertAttribute: 'alert',
} as const;

export const DEFAULT_TABLE_NAME = 'newswatch';
