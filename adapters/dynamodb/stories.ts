// Stories and their clusters as read back (shared/store/port.ts StoryStore).
//   STORY#<id>        / STORY        a story; matched ones carry gsi1pk=DAY#<korea day>,
//                                    gsi1sk=<publishedAt>#<id>; matched leaders carry alert=true
//   STORY#<leaderId>  / MEMBER#<id>  a member that joined the leader's cluster (addedAt orders them),
//                                    so `cluster(leaderId)` is one Query of the leader's partition
import type { Member } from '../../shared/dedupe/index-port.ts';
import type { ClusterView, Story } from '../../shared/model.ts';
import type { StoryStore } from '../../shared/store/port.ts';
import type { Row } from './client.ts';
import { DAYS_AT_ONCE, inWindow, windowDays } from './day-window.ts';
import { type Key, strip, type TableIo } from './table-io.ts';
import { TABLE } from './table.ts';

export const storyKey = (id: string): Key => ({ pk: `STORY#${id}`, sk: 'STORY' });

// A story's `why` (per topic: score, threshold, each hit with its term, field and snippet) is
// stored as one JSON string, not as a map: nothing queries inside it, and as a map it was ~60
// attribute values per story for the SDK to write and the store to check (like the id lists,
// table-io.ts joinIds). Rows written as a map by earlier versions still read.
export function storyRow(story: Story): Row {
  const row: Row = { ...story, ...storyKey(story.id), kind: 'story', why: JSON.stringify(story.why) };
  if (story.topics.length > 0) {
    row[TABLE.dayIndex.partitionKey] = `DAY#${story.day}`;
    row[TABLE.dayIndex.sortKey] = `${story.publishedAt}#${story.id}`;
    if (story.leader) row[TABLE.alertAttribute] = true;
  }
  return row;
}

/** A story row as the Story it holds (`why` read from its JSON string, or the map an earlier version wrote). */
export function storyOf(row: Row): Story {
  const story = strip<Story>(row);
  if (typeof row['why'] === 'string') story.why = JSON.parse(row['why']) as Story['why'];
  return story;
}

export const memberRow = (leaderId: string, member: Member, addedAt: string): Row => ({
  pk: `STORY#${leaderId}`,
  sk: `MEMBER#${member.id}`,
  kind: 'member',
  ...member,
  addedAt,
});

export function createStories(io: TableIo): StoryStore {
  const { doc, tableName } = io;
  return {
    async putStory(story) {
      return io.conditional('putStory', () => doc.put({ TableName: tableName, Item: storyRow(story), ConditionExpression: 'attribute_not_exists(pk)' }));
    },

    async getStory(id) {
      const row = await io.get('getStory', storyKey(id));
      return row ? storyOf(row) : undefined;
    },

    async storiesOfDay(day) {
      const rows = await io.queryAll('storiesOfDay', {
        IndexName: TABLE.dayIndex.name,
        KeyConditionExpression: '#pk = :pk',
        ExpressionAttributeNames: { '#pk': TABLE.dayIndex.partitionKey },
        ExpressionAttributeValues: { ':pk': `DAY#${day}` },
      });
      return rows.map((r) => storyOf(r));
    },

    async listStories(window) {
      const limit = window.limit ?? Infinity;
      const out: Story[] = [];
      const days = windowDays(window);
      for (let i = 0; i < days.length && out.length < limit; i += DAYS_AT_ONCE) {
        for (const row of await io.queryDays('listStories', 'DAY', days.slice(i, i + DAYS_AT_ONCE))) {
          const story = storyOf(row);
          if (inWindow(story.publishedAt, window)) out.push(story);
        }
      }
      // Days are cut in Korea time and sorted within; a story's day is from its publishedAt, so
      // the concatenation is already newest first; sort anyway for rows written by older code.
      out.sort((a, b) => b.publishedAt.localeCompare(a.publishedAt));
      return out.slice(0, limit);
    },

    async cluster(leaderId) {
      const rows = await io.queryAll('cluster', {
        KeyConditionExpression: 'pk = :pk',
        ExpressionAttributeValues: { ':pk': `STORY#${leaderId}` },
        ConsistentRead: true,
      });
      const leaderRow = rows.find((r) => r['sk'] === 'STORY');
      if (!leaderRow) return undefined;
      const members = rows
        .filter((r) => String(r['sk']).startsWith('MEMBER#'))
        .sort((a, b) => String(a['addedAt']).localeCompare(String(b['addedAt'])) || String(a['id']).localeCompare(String(b['id'])))
        .map((r) => ({ id: String(r['id']), outlet: String(r['outlet']), url: String(r['url']), title: String(r['title']) }));
      const view: ClusterView = { leader: storyOf(leaderRow), members };
      return view;
    },
  };
}
