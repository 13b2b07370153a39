// A story is filed under its primary topic (the highest score), never under a topic it
// only mentions: from the classifier through the digest grouping and the Slack message.
// Before, the digest took the first topic in config order, so a GPU-funding story with
// one passing DeepSeek hook sat under DeepSeek.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config/load.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';
import { groupDigest } from '../../../shared/deliver/digest-group.ts';
import { renderDigest } from '../../../shared/deliver/digest-render.ts';
import { slackStoryMessage } from '../../../shared/deliver/slack.ts';
import { storyView } from '../../../shared/deliver/story-view.ts';
import { storyMatchedEvent } from '../../../shared/deliver/webhook.ts';
import type { Story } from '../../../shared/model.ts';
import { koreaDay } from '../../../shared/time.ts';

const config = loadConfig('newswatch.config.yaml');
const classifier = compileClassifier(config.topics);

function storyOf(id: string, title: string, body: string): Story {
  const publishedAt = '2026-11-22T01:00:00.000Z';
  const c = classifier.classify({ title, body });
  return {
    id,
    url: `https://www.example.co.kr/news/${id}`,
    title,
    outlet: '전자신문',
    sourceId: 'etnews',
    summary: body.slice(0, 120),
    publishedAt,
    firstSeenAt: publishedAt,
    day: koreaDay(new Date(publishedAt)),
    topics: c.topics,
    why: c.why,
    clusterId: id,
    leader: true,
  };
}

// A GPU-funding story with DeepSeek as a headline hook (제2의 딥시크) and a yardstick (딥시크처럼).
const funding = storyOf(
  'gpu-funding',
  "'제2의 딥시크' 키운다…과기정통부, AI 스타트업에 GPU 1천장 지원",
  '과학기술정보통신부는 국내 AI 스타트업 30곳에 그래픽처리장치(GPU) 1천 장을 6개월간 무상으로 빌려준다고 22일 밝혔다. 엔비디아 H100 기반 클러스터로, 딥시크처럼 적은 자원으로 경쟁력 있는 모델을 만드는 기업을 키우겠다는 취지다.',
);
// A DeepSeek story that also talks about GPUs: DeepSeek first, GPU as a tag.
const launch = storyOf(
  'deepseek-r2',
  '딥시크, 추론 모델 R2 공개…"오픈AI o3에 맞먹어"',
  '중국 딥시크가 새 추론 모델 R2를 공개했다. 딥시크는 R2가 오픈AI의 o3에 맞먹는 성능을 낸다고 밝혔다. 훈련에는 엔비디아 H800 GPU 2천 장이 쓰였다.',
);

describe('primary topic in delivery', () => {
  it('the GPU-funding story matches gpu only: the passing DeepSeek hooks add nothing', () => {
    expect(funding.topics).toEqual(['gpu']);
    expect(funding.why.deepseek!.hits.every((h) => h.kind === 'passing' && h.weight === 0)).toBe(true);
  });

  it('the digest files it under GPU, and a DeepSeek story with GPU talk under DeepSeek', () => {
    const digest = groupDigest(config, funding.day, [funding, launch]);
    const under = Object.fromEntries(digest.sections.map((s) => [s.topicId, s.clusters.map((c) => c.story.id)]));
    expect(launch.topics).toEqual(['deepseek', 'gpu']);
    expect(under).toEqual({ deepseek: ['deepseek-r2'], gpu: ['gpu-funding'] });
    expect(digest.total).toBe(2);
    // The other topics show as tags on the story, in the text and the HTML email.
    const r = renderDigest({ ...digest });
    expect(r.text).toMatch(/딥시크, 추론 모델 R2 공개[^\n]*\n[^\n]*\n {3}태그: GPU\n/);
    expect(r.html).toMatch(/font-weight:600;">GPU<\/span>/);
  });

  it('Slack shows the primary topic first, in bold, and the others as tags; passing mentions are not "matched" terms', () => {
    const fundingMeta = JSON.stringify(slackStoryMessage(storyView(config, funding)).blocks);
    expect(fundingMeta).toContain('*GPU*');
    expect(fundingMeta).not.toContain('DeepSeek');
    expect(fundingMeta).not.toMatch(/매칭: [^"]*딥시크/);
    // The reader sees why DeepSeek is not a tag: its mentions were in passing, and by which rule.
    expect(fundingMeta).toContain('지나가는 언급: 딥시크 (\\"제2의 *\\"), 딥시크 (\\"*처럼\\")');
    const launchMeta = JSON.stringify(slackStoryMessage(storyView(config, launch)).blocks);
    expect(launchMeta).toContain('*DeepSeek* (태그: GPU)');
  });

  it('the webhook lists the primary topic first', () => {
    expect(storyMatchedEvent(storyView(config, launch)).data.topics.map((t) => t.id)).toEqual(['deepseek', 'gpu']);
  });
});
