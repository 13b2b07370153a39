import { describe, expect, it } from 'vitest';
import { webUrl } from '../../../shared/extract/canonical-url.ts';
import type { Item } from '../../../shared/model.ts';
import { ITEM_LIMITS, limitItems } from '../../../shared/sources/item-limits.ts';

const item = (over: Partial<Item>): Item => ({
  sourceId: 's',
  outlet: '연합뉴스',
  url: 'https://www.yna.co.kr/view/AKR1',
  guid: 'g',
  title: '제목',
  summary: '요약',
  publishedAt: null,
  categories: [],
  ...over,
});

describe('webUrl', () => {
  it.each([
    ['https://www.yna.co.kr/view/AKR1', 'https://www.yna.co.kr/view/AKR1'],
    ['  http://example.com/a b ', 'http://example.com/a%20b'],
    ['/view/2', 'https://news.example.com/view/2'],
  ])('keeps %s', (href, expected) => expect(webUrl(href, 'https://news.example.com/feed')).toBe(expected));

  it.each([
    'javascript:alert(1)',
    ' JavaScript:alert(1)',
    'data:text/html,<script>',
    'file:///etc/passwd',
    'vbscript:x',
    'mailto:a@b.c',
    'ftp://x/y',
    'http://',
    '',
    `https://x.com/${'a'.repeat(5000)}`,
  ])('drops %s', (href) => expect(webUrl(href, 'https://news.example.com/feed')).toBeUndefined());
});

describe('limitItems', () => {
  it('drops items without a web link, with one warning per kind', () => {
    const warnings: string[] = [];
    const out = limitItems(
      [item({ url: 'javascript:alert(1)' }), item({ url: 'data:,x' }), item({ url: `https://x.com/${'a'.repeat(600_000)}` }), item({})],
      warnings,
    );
    expect(out.map((i) => i.url)).toEqual(['https://www.yna.co.kr/view/AKR1']);
    expect(warnings).toEqual([
      '2 items dropped: the link is not an http(s) URL (javascript:, data: and the like are never stored or sent)',
      `1 item dropped: the link is longer than ${ITEM_LIMITS.url} characters`,
    ]);
  });

  it('caps every text field and drops a non-web image', () => {
    const [out] = limitItems(
      [
        item({
          title: '가'.repeat(10_000),
          summary: '나'.repeat(100_000),
          outlet: 'o'.repeat(1000),
          body: 'b'.repeat(1_000_000),
          guid: 'g'.repeat(5000),
          image: 'javascript:alert(1)',
          categories: Array.from({ length: 100 }, () => 'c'.repeat(500)),
        }),
      ],
      [],
    );
    expect(out!.title).toHaveLength(ITEM_LIMITS.title);
    expect(out!.title.endsWith('…')).toBe(true);
    expect(out!.summary).toHaveLength(ITEM_LIMITS.summary);
    expect(out!.outlet).toHaveLength(ITEM_LIMITS.outlet);
    expect(out!.body).toHaveLength(ITEM_LIMITS.body);
    expect(out!.guid).toBe(out!.url);
    expect(out!.image).toBeUndefined();
    expect(out!.categories).toHaveLength(ITEM_LIMITS.categories);
    // Well under DynamoDB's 400 KB even at 3 bytes a character.
    expect(Buffer.byteLength(JSON.stringify(out))).toBeLessThan(400 * 1024);
  });

  it('keeps an http(s) image and leaves ordinary items as they are', () => {
    const ordinary = item({ image: 'https://img.yna.co.kr/photo/1.jpg' });
    expect(limitItems([ordinary], [])).toEqual([ordinary]);
  });
});
