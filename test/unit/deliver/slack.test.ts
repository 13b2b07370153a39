import { describe, expect, it } from 'vitest';
import { slackStoryMessage, slackSummaryMessage, slackText, slackWorkflowVariables, SLACK_LIMITS } from '../../../shared/deliver/slack.ts';
import { storyView } from '../../../shared/deliver/story-view.ts';
import { configWith, story } from './fixtures.ts';

const config = configWith('  slack: []\n');

function texts(payload: unknown): string[] {
  const out: string[] = [];
  JSON.stringify(payload, (k, v) => {
    if (k === 'text' && typeof v === 'string') out.push(v);
    return v;
  });
  return out;
}

describe('Slack messages', () => {
  it('escapes &, < and > from feed text so a title cannot inject markup or mentions', () => {
    const s = story({ title: '<script>alert(1)</script> R&D <!channel> 투자', summary: 'A & B <b>굵게</b>', outlet: 'K&J <뉴스>' });
    const msg = slackStoryMessage(storyView(config, s));
    const all = texts(msg).join('\n');
    expect(all).toContain('&lt;script&gt;alert(1)&lt;/script&gt; R&amp;D &lt;!channel&gt; 투자');
    expect(all).toContain('A &amp; B &lt;b&gt;굵게&lt;/b&gt;');
    expect(all).toContain('K&amp;J &lt;뉴스&gt;');
    expect(all).not.toMatch(/<script>|<!channel>|<b>/);
    expect(msg.text).toContain('&lt;script&gt;');
  });

  it('shows headline link, outlet with Korea time, topics, matched terms and other outlets', () => {
    const s = story({ publishedAt: '2026-11-22T00:05:00.000Z', topic: 'deepseek', term: '딥시크' });
    const cluster = {
      leader: s,
      members: [
        { id: 'x1', outlet: '한겨레', url: 'https://h.kr/1', title: 't' },
        { id: 'x2', outlet: '조선일보', url: 'https://c.kr/2', title: 't' },
      ],
    };
    const all = texts(slackStoryMessage(storyView(config, s, cluster))).join('\n');
    expect(all).toContain(`<${s.url}|`);
    expect(all).toContain('11월 22일 09:05 KST');
    expect(all).toContain('DeepSeek');
    expect(all).toContain('매칭: 딥시크');
    expect(all).toContain('다른 매체 2곳: 한겨레, 조선일보');
  });

  it('keeps the headline to 150 characters and every section within 3,000 even after escaping', () => {
    const s = story({ title: '&'.repeat(400), summary: '<>'.repeat(5000) });
    const msg = slackStoryMessage(storyView(config, s));
    const headline = /\|(.*)>\*$/.exec(texts(msg)[1] ?? '')?.[1] ?? '';
    expect(headline.length).toBeLessThanOrEqual(SLACK_LIMITS.headline);
    expect(headline.length).toBeGreaterThan(100);
    for (const t of texts(msg)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(slackText('a&b', 3)).toBe('a…');
  });

  it('turns a burst into one summary within 50 blocks and 3,000-character sections', () => {
    const views = Array.from({ length: 400 }, (_, i) => storyView(config, story({ title: `기사 <${i}> ${'가'.repeat(100)}` })));
    const msg = slackSummaryMessage(views);
    expect(msg.blocks!.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
    for (const t of texts(msg)) expect(t.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
    expect(msg.text).toBe('새 기사 400건');
    expect(texts(msg).join('\n')).toMatch(/외 \d+건/);
  });

  it('promises the digest for the rest of a burst only when a digest is configured', () => {
    const views = Array.from({ length: 40 }, (_, i) => storyView(config, story({ title: `기사 ${i}` })));
    expect(texts(slackSummaryMessage(views, { digest: true })).join('\n')).toMatch(/외 10건은 다음 다이제스트/);
    const without = texts(slackSummaryMessage(views, { digest: false })).join('\n');
    expect(without).toMatch(/외 10건/);
    expect(without).not.toMatch(/다이제스트/);
    expect(texts(slackSummaryMessage(views)).join('\n')).not.toMatch(/다이제스트/);
  });

  it('gives Workflow Builder flat string variables', () => {
    const vars = slackWorkflowVariables(storyView(config, story({ title: 'A & B' })));
    expect(Object.values(vars).every((v) => typeof v === 'string')).toBe(true);
    expect(vars.title).toBe('A &amp; B');
    expect(Object.keys(vars)).toEqual(['title', 'url', 'outlet', 'published_at', 'topics', 'matched_terms', 'other_outlets', 'summary']);
  });
});
