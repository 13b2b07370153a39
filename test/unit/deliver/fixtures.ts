// Stories and a config for the delivery tests: real-looking Korean headlines, with the
// hazards feeds really carry (&, <, >, long titles).
import { parseConfig } from '../../../shared/config/load.ts';
import type { Config } from '../../../shared/config/schema/index.ts';
import type { Story, TopicWhy } from '../../../shared/model.ts';
import { koreaDay } from '../../../shared/time.ts';

export const TOPICS_YAML = `version: 1
topics:
  sovereign_ai:
    label: 소버린 AI
    strong: [소버린 AI]
  gpu:
    label: GPU
    strong: [GPU, 엔비디아]
  deepseek:
    label: DeepSeek
    strong: [딥시크]
`;

/** A config with the given delivery section (YAML, indented under `delivery:`). */
export function configWith(delivery: string): Config {
  return parseConfig(`${TOPICS_YAML}delivery:\n${delivery}`, 'test.yaml');
}

function why(topic: string, term: string, score: number): Record<string, TopicWhy> {
  return {
    [topic]: { matched: true, score, threshold: 3, hits: [{ term, found: term, field: 'title', kind: 'strong', weight: score, count: 1, snippet: term }] },
  };
}

let seq = 0;

/** A matched story; `over` replaces fields. */
export function story(over: Partial<Story> & { topic?: string; term?: string; score?: number } = {}): Story {
  const n = ++seq;
  const { topic = 'gpu', term = '엔비디아', score = 6, ...rest } = over;
  const publishedAt = rest.publishedAt ?? new Date(Date.UTC(2026, 10, 22, 1, n % 60)).toISOString();
  const id = rest.id ?? `s${String(n).padStart(4, '0')}`;
  return {
    id,
    url: `https://www.example.co.kr/news/${id}`,
    title: `엔비디아, 한국에 GPU 26만 장 공급 발표 (${n})`,
    outlet: '연합뉴스',
    sourceId: 'yna',
    summary: '젠슨 황 엔비디아 CEO가 경주 APEC 기간 중 한국 정부와 기업에 최신 GPU를 공급하기로 했다.',
    publishedAt,
    firstSeenAt: publishedAt,
    day: koreaDay(new Date(publishedAt)),
    topics: [topic],
    why: why(topic, term, score),
    clusterId: id,
    leader: true,
    ...rest,
  };
}
