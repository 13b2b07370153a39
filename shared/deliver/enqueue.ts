// Which alerts a new story owes: one outbox row per destination that wants it, written
// right after the story (the pipeline), again by the notify Lambda from the table stream,
// and at local start-up for recent leaders (a crash between the two writes). Rows are
// written only if absent, so the three never queue an alert twice.
import type { Config } from '../config/schema/index.ts';
import type { Story } from '../model.ts';
import type { NewDelivery, Store } from '../store/port.ts';
import { destinationsOf } from './destinations.ts';
import { wants } from './story-view.ts';

/** Is `story` recent enough to alert? Older ones go to the digest only (settings.maxAlertAgeHours). */
export function alertable(config: Config, story: Story, now: Date): boolean {
  const published = Date.parse(story.publishedAt);
  if (Number.isNaN(published)) return true; // the pipeline stamps undated items with their first sighting
  return now.getTime() - published <= config.settings.maxAlertAgeHours * 3_600_000;
}

/** The deliveries `stories` owe: matched leaders recent enough, to every enabled destination that wants them. */
export function alertsFor(config: Config, stories: Story[], now: Date): NewDelivery[] {
  const out: NewDelivery[] = [];
  const destinations = destinationsOf(config);
  for (const s of new Map(stories.map((x) => [x.id, x])).values()) {
    if (!s.leader || s.topics.length === 0 || !alertable(config, s, now)) continue;
    for (const d of destinations) if (wants(d, s)) out.push({ storyId: s.id, destinationId: d.id, publishedAt: s.publishedAt });
  }
  return out;
}

/** Queue the alerts `stories` owe; returns the rows this call wrote (none for an alert already queued or sent). */
export async function enqueueAlerts(deps: { config: Config; store: Store; now: () => Date }, stories: Story[]): Promise<NewDelivery[]> {
  const rows = alertsFor(deps.config, stories, deps.now());
  return rows.length > 0 ? deps.store.enqueueDeliveries(rows, deps.now()) : [];
}
