// Which alerts a stored story owes: recent matched leaders only, one per enabled destination
// that wants it. A story published before settings.maxAlertAgeHours goes to the digest only.
import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../../shared/config/load.ts';
import { alertable, alertsFor } from '../../../shared/deliver/enqueue.ts';
import { configWith, story, TOPICS_YAML } from './fixtures.ts';

const DELIVERY = `  slack:
    - id: team
      topics: [gpu]
      webhook: { env: SLACK_TEAM }
    - id: off
      topics: [gpu]
      enabled: false
      webhook: { env: SLACK_OFF }
  webhooks:
    - id: ingest
      topics: [deepseek]
      url: { env: HOOK_URL }
      signingSecret: { env: HOOK_SECRET }
`;
const NOW = new Date('2026-11-22T12:00:00Z');
const hoursAgo = (h: number) => new Date(NOW.getTime() - h * 3_600_000).toISOString();

describe('alertsFor', () => {
  const config = configWith(DELIVERY);

  it('owes a recent matched leader to each enabled destination that wants its topic', () => {
    const s = story({ publishedAt: hoursAgo(1) });
    expect(alertsFor(config, [s, s], NOW)).toEqual([{ storyId: s.id, destinationId: 'team', publishedAt: s.publishedAt }]);
  });

  it('owes nothing for a copy (not a leader) or a story older than maxAlertAgeHours (12 h by default)', () => {
    expect(alertsFor(config, [story({ publishedAt: hoursAgo(1), leader: false })], NOW)).toEqual([]);
    expect(alertsFor(config, [story({ publishedAt: hoursAgo(13) })], NOW)).toEqual([]);
    expect(alertsFor(config, [story({ publishedAt: new Date(NOW.getTime() - 300 * 86_400_000).toISOString() })], NOW)).toEqual([]);
    expect(alertable(config, story({ publishedAt: hoursAgo(11.9) }), NOW)).toBe(true);
  });

  it('follows settings.maxAlertAgeHours', () => {
    const wide = parseConfig(`${TOPICS_YAML}settings: { maxAlertAgeHours: 48 }\ndelivery:\n${DELIVERY}`, 'test.yaml');
    expect(alertsFor(wide, [story({ publishedAt: hoursAgo(30) })], NOW)).toHaveLength(1);
  });
});
