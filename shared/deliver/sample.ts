// A realistic story for `newswatch notify --test` and the demo, with feed-like
// hazards (an ampersand, angle brackets) so a test message shows the escaping works.
import type { Story } from '../model.ts';
import { koreaDay } from '../time.ts';

/** A sample matched story published five minutes before `now`. */
export function sampleStory(now: Date): Story {
  const publishedAt = new Date(now.getTime() - 5 * 60_000).toISOString();
  const id = `sample-${Math.floor(now.getTime() / 1000)}`;
  return {
    id,
    url: 'https://example.com/news/newswatch-sample',
    title: '[테스트] 딥시크, 새 추론 모델 공개… "R&D 비용 <1/10>"',
    outlet: 'newswatch 테스트',
    sourceId: 'sample',
    summary: 'newswatch가 보낸 테스트 메시지입니다. 이 알림이 보이면 설정이 맞습니다. 중국 AI 스타트업 딥시크(DeepSeek)가 새 추론 모델을 공개했다.',
    publishedAt,
    firstSeenAt: now.toISOString(),
    day: koreaDay(new Date(publishedAt)),
    topics: ['deepseek'],
    why: {
      deepseek: {
        matched: true,
        score: 6,
        threshold: 3,
        hits: [{ term: '딥시크', found: '딥시크', field: 'title', kind: 'strong', weight: 6, count: 1, snippet: '딥시크, 새 추론 모델 공개' }],
      },
    },
    clusterId: id,
    leader: true,
  };
}
