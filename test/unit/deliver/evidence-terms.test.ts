// The matched terms a reader sees for a story are one list wherever it is shown: a `together`
// group named by the words it found, not by its whole definition, and a mention in passing
// never listed as evidence. Before, Slack and the digest showed a group as
// "정부/과기정통부/과학기술정보통신부 + GPU/그래픽처리장치 + 확보/구매/구입/…", and `run`,
// `stories` and `serve` listed passing mentions (엔비디아 in "엔비디아 관련주") as matched.
import { describe, expect, it } from 'vitest';
import { formatStory, type Paint } from '../../../cli/print.ts';
import { termsOf, whyLine } from '../../../cli/story-list.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { loadConfig } from '../../../shared/config/load.ts';
import { groupDigest } from '../../../shared/deliver/digest-group.ts';
import { renderDigest } from '../../../shared/deliver/digest-render.ts';
import { slackStoryMessage } from '../../../shared/deliver/slack.ts';
import { storyView } from '../../../shared/deliver/story-view.ts';
import { storyMatchedEvent } from '../../../shared/deliver/webhook.ts';
import type { Story } from '../../../shared/model.ts';
import { koreaDay } from '../../../shared/time.ts';

const config = loadConfig('newswatch.config.yaml');
const title = "과기정통부, '국가대표 AI 모델' 선발 착수…GPU 1만장 지원";
const body = '과학기술정보통신부는 GPU 1만장을 확보해 정예팀에 지원한다. 이날 증시에서는 엔비디아 관련주가 올랐다.';
const publishedAt = '2026-11-22T01:00:00.000Z';
const c = compileClassifier(config.topics).classify({ title, body });
const story: Story = {
  id: 'gpu-pick',
  url: 'https://www.example.co.kr/news/gpu-pick',
  title,
  outlet: '연합뉴스',
  sourceId: 'yna',
  summary: body,
  publishedAt,
  firstSeenAt: publishedAt,
  day: koreaDay(new Date(publishedAt)),
  topics: c.topics,
  why: c.why,
  clusterId: 'gpu-pick',
  leader: true,
};
const found = '과학기술정보통신부 + GPU + 확보';
const definition = /정부\/과기정통부\/과학기술정보통신부/;

describe('the matched terms a reader is shown', () => {
  it('the story matches by a together group and mentions Nvidia in passing (the premise)', () => {
    expect(story.topics).toEqual(['sovereign_ai', 'gpu']);
    const hits = Object.values(story.why).flatMap((w) => w.hits);
    expect(hits.find((h) => h.kind === 'together' && h.found === found)?.term).toMatch(definition);
    expect(hits.some((h) => h.kind === 'passing' && h.term === '엔비디아')).toBe(true);
  });

  it('Slack, the webhook and the digest name the group by the words found', () => {
    const view = storyView(config, story);
    expect(view.terms).toContain(found);
    const slack = JSON.stringify(slackStoryMessage(view));
    expect(slack).toContain(found);
    expect(slack).not.toMatch(definition);
    expect(storyMatchedEvent(view).data.matchedTerms).toContain(found);
    const digest = renderDigest(groupDigest(config, story.day, [story]));
    expect(digest.html).toContain(found);
    expect(digest.html).not.toMatch(definition);
    expect(digest.text).not.toMatch(definition);
  });

  it('run, stories and serve show the same terms, without the passing mention', () => {
    const plain = (t: string) => t;
    const paint: Paint = { bold: plain, dim: plain, green: plain, red: plain, yellow: plain, cyan: plain };
    const printed = formatStory(story, config, paint);
    const line = printed.split('\n')[1]!;
    expect(line).toContain(found);
    expect(line).not.toMatch(definition);
    expect(line).not.toContain('엔비디아');
    expect(termsOf(story)).toEqual(storyView(config, story).terms);
    expect(termsOf(story)).not.toContain('엔비디아');
    const why = whyLine(story.why.gpu);
    expect(why).toMatch(/^GPU\(제목\), GPU — 9점 \(기준 3점\)$/);
  });
});
