// tune's per-topic "(new topic)": without a base config, "before" is only what the window's
// items recorded, so a topic is new when items are there and none recorded it, and never
// when the window is empty (it would otherwise call every configured topic new).
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config/load.ts';
import { tune, type ReplayItem } from '../../../cli/tune.ts';

const config = loadConfig('newswatch.config.yaml');
const topics = Object.keys(config.topics);

describe('tune without a base config', () => {
  it('calls no topic new in an empty window', () => {
    const result = tune([], config);
    expect(result.topics.map((d) => d.topic)).toEqual(topics);
    expect(result.topics.filter((d) => d.added)).toEqual([]);
  });

  it('calls a topic new when the window has items and none of them recorded it', () => {
    const [first, ...others] = topics;
    const item: ReplayItem = {
      id: 'a',
      title: '제목',
      text: '본문',
      url: 'https://example.com/a',
      outlet: '연합뉴스',
      publishedAt: '2025-02-06T02:00:00.000Z',
      storedTopics: [first!],
      storedWhy: {},
    };
    expect(
      tune([item], config)
        .topics.filter((d) => d.added)
        .map((d) => d.topic),
    ).toEqual(others);
  });
});
