// Related coverage in delivery: other outlets' own reports of one event alert on their own,
// and the digest and Slack show them together (관련 보도).
import { describe, expect, it } from 'vitest';
import { groupDigest, renderDigest } from '../../../shared/deliver/index.ts';
import { slackStoryMessage } from '../../../shared/deliver/slack.ts';
import { storyView } from '../../../shared/deliver/story-view.ts';
import { storyMatchedEvent } from '../../../shared/deliver/webhook.ts';
import type { Story } from '../../../shared/model.ts';
import { configWith, story } from './fixtures.ts';

const config = configWith('  email: []\n');
const at = (h: number, m = 0) => new Date(Date.UTC(2026, 10, 22, h, m)).toISOString();

/** Three outlets' own reports of one ministry decision (each its own cluster), and an unrelated story. */
function event(): { first: Story; second: Story; third: Story; other: Story } {
  const first = story({ id: 'yna1', outlet: '연합뉴스', title: '외교·국방·산업부, 딥시크 접속 차단', publishedAt: at(1) });
  const second = story({
    id: 'hani1',
    outlet: '한겨레',
    title: '정부 부처 잇단 딥시크 차단…"정보 유출 우려"',
    publishedAt: at(2),
    related: [{ id: 'yna1', outlet: '연합뉴스', title: first.title, url: first.url }],
  });
  const third = story({
    id: 'news1x',
    outlet: '뉴스1',
    title: '은행권도 딥시크 막았다 <속보>',
    publishedAt: at(3),
    related: [{ id: 'hani1', outlet: '한겨레', title: second.title, url: second.url }],
  });
  const other = story({ id: 'other1', outlet: '전자신문', title: 'HBM4 샘플 공급', publishedAt: at(4) });
  return { first, second, third, other };
}

describe('related coverage in the digest', () => {
  it('shows related reports under the first of them as 관련 보도, each outlet with its linked title', () => {
    const { first, second, third, other } = event();
    const content = groupDigest(config, first.day, [third, other, second, first], { topics: ['gpu'] });
    const clusters = content.sections[0]!.clusters;
    // Two entries: the event (shown by its first report) and the unrelated story.
    expect(clusters.map((c) => c.story.id).sort()).toEqual(['other1', 'yna1']);
    const shown = clusters.find((c) => c.story.id === 'yna1')!;
    expect(shown.related).toEqual([
      { outlet: '한겨레', title: second.title, url: second.url },
      { outlet: '뉴스1', title: third.title, url: third.url },
    ]);
    expect(content.total).toBe(2);

    const { html, text } = renderDigest(content);
    expect(html).toContain('관련 보도');
    expect(html).toContain(`<a href="${second.url}"`);
    // Feed text is escaped in the HTML.
    expect(html).toContain('은행권도 딥시크 막았다 &lt;속보&gt;');
    expect(html).not.toContain('<속보>');
    expect(text).toContain(`관련 보도: 한겨레 - ${second.title} ${second.url}`);
  });

  it('keeps reports apart when their related story is not in the digest', () => {
    const { second, other } = event();
    const content = groupDigest(config, second.day, [second, other], { topics: ['gpu'] });
    expect(content.sections[0]!.clusters.map((c) => c.related)).toEqual([[], []]);
  });
});

describe('related coverage in alerts', () => {
  it('adds a 관련 보도 context line with the related outlets to the Slack alert', () => {
    const { third } = event();
    const texts = JSON.stringify(
      slackStoryMessage(
        storyView(config, {
          ...third,
          related: [
            ...third.related!,
            { id: 'x', outlet: '한겨레', title: 't', url: 'https://e.kr/x' },
            { id: 'y', outlet: '<조선>', title: 't', url: 'https://e.kr/y' },
          ],
        }),
      ),
    );
    // Each outlet once; Slack control characters escaped.
    expect(texts).toContain('관련 보도: 한겨레, &lt;조선&gt;');
  });

  it('sends no 관련 보도 line for a story without related coverage', () => {
    const { first } = event();
    expect(JSON.stringify(slackStoryMessage(storyView(config, first)))).not.toContain('관련 보도');
  });

  it('gives the webhook event a related field', () => {
    const { first, second } = event();
    expect(storyMatchedEvent(storyView(config, second)).data.related).toEqual([{ id: 'yna1', outlet: '연합뉴스', title: first.title, url: first.url }]);
    expect(storyMatchedEvent(storyView(config, first)).data.related).toEqual([]);
  });
});
