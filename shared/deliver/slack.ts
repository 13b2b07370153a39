// Slack incoming-webhook payloads: one Block Kit message per story, a summary for a
// burst, and the flat-variable shape Workflow Builder webhooks expect.
import { escapeSlack, truncate } from './escape.ts';
import { koreaDateTime } from '../time.ts';
import type { StoryView } from './story-view.ts';

/** Slack's documented limits. */
export const SLACK_LIMITS = { sectionText: 3000, contextText: 2000, blocks: 50, headline: 150, text: 40_000 } as const;

type Block = Record<string, unknown>;

/** Stories listed by name in a burst summary. */
const SUMMARY_MAX_LINES = 30;

export interface SlackPayload {
  text: string;
  blocks?: Block[];
  unfurl_links?: boolean;
  unfurl_media?: boolean;
}

/** Escape, then cut so the escaped text fits `max` characters (escaping can lengthen it). */
export function slackText(raw: string, max: number): string {
  const full = escapeSlack(raw);
  if (full.length <= max) return full;
  let out = '';
  for (const ch of raw) {
    const piece = escapeSlack(ch);
    if (out.length + piece.length > max - 1) break;
    out += piece;
  }
  return out.trimEnd() + '…';
}

/** A link for mrkdwn: `|` would end the URL part, so it is percent-encoded. */
function slackLink(url: string, label: string): string {
  return `<${escapeSlack(url.replace(/\|/g, '%7C'))}|${label}>`;
}

function metaLine(v: StoryView): string {
  const parts = [slackText(v.story.outlet, 100), koreaDateTime(v.story.publishedAt)];
  // The primary topic, then the others as tags.
  const [primary, ...tags] = v.topicLabels;
  if (primary !== undefined) parts.push(`*${slackText(primary, 100)}*${tags.length ? ` (태그: ${slackText(tags.join(', '), 200)})` : ''}`);
  return parts.join('  ·  ');
}

/** The Block Kit message for one new story. */
export function slackStoryMessage(v: StoryView): SlackPayload {
  const headline = slackText(v.title, SLACK_LIMITS.headline);
  const blocks: Block[] = [
    { type: 'section', text: { type: 'mrkdwn', text: `*${slackLink(v.story.url, headline)}*` } },
    { type: 'context', elements: [{ type: 'mrkdwn', text: metaLine(v) }] },
  ];
  if (v.summary) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: slackText(v.summary, 500) } });
  const context: string[] = [];
  if (v.terms.length) context.push(`매칭: ${slackText(v.terms.join(', '), 600)}`);
  if (v.otherOutlets.length) context.push(`다른 매체 ${v.otherOutlets.length}곳: ${slackText(v.otherOutlets.join(', '), 800)}`);
  // Earlier reports of the same event in other outlets' own words (each alerted on its own).
  const related = [...new Set((v.story.related ?? []).map((r) => r.outlet))];
  if (related.length) context.push(`관련 보도: ${slackText(related.join(', '), 600)}`);
  // Why a topic the headline names is not a tag: it was mentioned only in passing.
  if (v.passing.length) context.push(`지나가는 언급: ${slackText(v.passing.join(', '), 300)}`);
  if (context.length) blocks.push({ type: 'context', elements: context.map((text) => ({ type: 'mrkdwn', text })) });
  const fallback = `${headline} (${slackText(v.story.outlet, 100)}, ${koreaDateTime(v.story.publishedAt)})`;
  return { text: fallback, blocks, unfurl_links: false, unfurl_media: false };
}

/** One message standing for many new stories, so a burst does not flood the channel. */
export function slackSummaryMessage(views: StoryView[], opts: { digest?: boolean } = {}): SlackPayload {
  const labels = [...new Set(views.flatMap((v) => v.topicLabels))];
  const head = `*새 기사 ${views.length}건*${labels.length ? ` · ${slackText(labels.join(', '), 300)}` : ''}`;
  const blocks: Block[] = [{ type: 'section', text: { type: 'mrkdwn', text: head } }];
  // Pack one line per story into sections of at most 3,000 characters, leaving room for the tail.
  let current = '';
  let listed = 0;
  const flush = (): void => {
    if (current) blocks.push({ type: 'section', text: { type: 'mrkdwn', text: current } });
    current = '';
  };
  for (const v of views) {
    // A summary is for skimming: the rest is in the daily digest, when there is one.
    if (listed >= SUMMARY_MAX_LINES) break;
    const line = `• ${slackLink(v.story.url, slackText(v.title, 120))} — ${slackText(v.story.outlet, 60)}, ${koreaDateTime(v.story.publishedAt).replace(/^\d+월 \d+일 /, '')}`;
    if (current.length + line.length + 1 > SLACK_LIMITS.sectionText) {
      if (blocks.length >= SLACK_LIMITS.blocks - 2) break;
      flush();
    }
    current = current ? `${current}\n${line}` : line;
    listed++;
  }
  flush();
  if (listed < views.length) {
    const rest = views.length - listed;
    // Only promise a digest that is configured: otherwise say where the rest can be seen.
    const text = opts.digest
      ? `외 ${rest}건은 다음 다이제스트에서 볼 수 있습니다.`
      : `외 ${rest}건은 \`newswatch status\` 또는 웹훅 수신처에서 볼 수 있습니다.`;
    blocks.push({ type: 'context', elements: [{ type: 'mrkdwn', text }] });
  }
  return { text: `새 기사 ${views.length}건`, blocks: blocks.slice(0, SLACK_LIMITS.blocks), unfurl_links: false, unfurl_media: false };
}

/** Workflow Builder webhooks take flat string variables, no blocks. */
export function slackWorkflowVariables(v: StoryView): Record<string, string> {
  return {
    title: slackText(v.title, SLACK_LIMITS.headline),
    url: v.story.url,
    outlet: slackText(v.story.outlet, 100),
    published_at: koreaDateTime(v.story.publishedAt),
    topics: slackText(v.topicLabels.join(', '), 300),
    matched_terms: slackText(v.terms.join(', '), 600),
    other_outlets: slackText(v.otherOutlets.join(', '), 800),
    summary: slackText(v.summary, 500),
  };
}

/** Workflow variables for a burst: the same keys, the list in `summary`. */
export function slackWorkflowSummary(views: StoryView[]): Record<string, string> {
  const lines = views.slice(0, 30).map((v) => `• ${slackText(v.title, 120)} (${slackText(v.story.outlet, 60)}) ${v.story.url}`);
  if (views.length > 30) lines.push(`외 ${views.length - 30}건`);
  return {
    title: `새 기사 ${views.length}건`,
    url: views[0]?.story.url ?? '',
    outlet: slackText([...new Set(views.map((v) => v.story.outlet))].join(', '), 300),
    published_at: views[0] ? koreaDateTime(views[0].story.publishedAt) : '',
    topics: slackText([...new Set(views.flatMap((v) => v.topicLabels))].join(', '), 300),
    matched_terms: slackText([...new Set(views.flatMap((v) => v.terms))].join(', '), 600),
    other_outlets: '',
    summary: truncate(lines.join('\n'), SLACK_LIMITS.sectionText),
  };
}

/** Slack answers errors with a short code in the body (`invalid_payload`, `no_service`). */
export function slackErrorCode(body: string): string {
  const code = body.trim().slice(0, 60);
  return /^[a-z_]+$/.test(code) ? code : '';
}
