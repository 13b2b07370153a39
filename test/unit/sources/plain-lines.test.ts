// Feed text for the classifier keeps the HTML's block breaks (one line per paragraph, list
// item, <br>); what people see (the summary, the lede) stays one line, exactly as before.
import { describe, expect, it } from 'vitest';
import { needsArticleFetch } from '../../../shared/extract/index.ts';
import type { Source } from '../../../shared/config/schema/index.ts';
import { feedItemToItem } from '../../../shared/sources/feed-items.ts';
import { flatLines, plainLines, plainText } from '../../../shared/sources/plain-text.ts';

const ctx = { sourceId: 's', outlet: '매체', feedUrl: 'https://news.example.kr/rss', now: new Date('2025-02-06T06:00:00Z') };
const auto = { id: 's', kind: 'rss', outlet: '매체', url: 'https://news.example.kr/rss', enabled: true, fetchArticle: 'auto' } as Source;

describe('plainLines', () => {
  it('keeps paragraphs, list items and <br> as lines; a line break in the source text is a space', () => {
    const html = '<p>첫 문단\n이어짐</p><p>  </p><div>둘째&nbsp;문단<br>셋째</div><ul><li>관련 1</li><li>관련 2</li></ul><script>x()</script>끝';
    expect(plainLines(html)).toBe('첫 문단 이어짐\n둘째 문단\n셋째\n관련 1\n관련 2\n끝');
    expect(plainLines('마크업 없는\n글')).toBe('마크업 없는 글');
  });

  it('is plainText once its breaks are spaces, cap included', () => {
    for (const html of [
      '<p>첫 문단</p><p>둘째&nbsp;문단<br>셋째</p><script>var x = 1;</script><style>p{}</style>R&amp;D &lt;AI&gt;',
      ' \t소버린\u3000AI\n\n전략\u00a0발표  GPU \r\n 확보 ',
      '<p>a</p>\n\n<p> b </p><li>c\r\nd</li>',
      `<p>${'딥시크 '.repeat(30)}</p><p>${'엔비디아 '.repeat(30)}</p>`,
    ]) {
      for (const max of [2000, 50]) expect(flatLines(plainLines(html, max))).toBe(plainText(html, max));
    }
  });
});

describe('feed items', () => {
  const paragraphs = '<p>첫 문단입니다.</p><ul><li>관련 기사 하나</li><li>관련 기사 둘</li></ul>';

  it('give the classifier the lines and people one line', () => {
    const item = feedItemToItem({ link: 'https://news.example.kr/1', title: '제목', summary: paragraphs, categories: [] }, ctx)!;
    expect(item.summary).toBe('첫 문단입니다. 관련 기사 하나 관련 기사 둘');
    expect(item.body).toBe('첫 문단입니다.\n관련 기사 하나\n관련 기사 둘');
    // One line of text: no body, as before.
    expect(feedItemToItem({ link: 'https://news.example.kr/2', title: '제목', summary: '<b>한</b> 줄', categories: [] }, ctx)!.body).toBeUndefined();
  });

  it('still fetch the page of a teaser that has lines', () => {
    const teaser = `<p>${'가'.repeat(400)}</p><p>${'나'.repeat(200)}…</p>`;
    const item = feedItemToItem({ link: 'https://news.example.kr/3', title: '제목', summary: teaser, categories: [] }, ctx)!;
    expect(item.body).toContain('\n');
    expect(needsArticleFetch(item, auto)).toBe(true);
    // The full text in content:encoded, longer than the teaser, is read from the feed.
    const full = feedItemToItem(
      { link: 'https://news.example.kr/4', title: '제목', summary: '요약…', content: teaser.replace('…', '.'), categories: [] },
      ctx,
    )!;
    expect(needsArticleFetch(full, auto)).toBe(false);
  });
});
