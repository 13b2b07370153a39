import { describe, expect, it } from 'vitest';
import { canonicalUrl, storyId } from '../../../shared/extract/index.ts';

describe('canonicalUrl', () => {
  it.each([
    // tracking parameters and fragments
    ['https://www.yna.co.kr/view/AKR20250128012300017?input=1195m', 'https://www.yna.co.kr/view/AKR20250128012300017'],
    ['https://www.hankyung.com/article/2025012812345?utm_source=naver&utm_medium=search&utm_campaign=x', 'https://www.hankyung.com/article/2025012812345'],
    ['https://zdnet.co.kr/view/?no=20250128104512&fbclid=IwAR0abc', 'https://zdnet.co.kr/view/?no=20250128104512'],
    ['https://www.etnews.com/20250128000123?gclid=Cj0KCQ&ref=twitter#comment', 'https://www.etnews.com/20250128000123'],
    ['https://www.khan.co.kr/article/202501281021001#c2b', 'https://www.khan.co.kr/article/202501281021001'],
    ['https://www.boannews.com/media/view.asp?kind=1&idx=135678', 'https://www.boannews.com/media/view.asp?idx=135678&kind=1'],
    ['https://news.google.com/rss/articles/CBMiVkFVX3lx?oc=5', 'https://news.google.com/rss/articles/CBMiVkFVX3lx'],
    // mobile and bare hosts of known outlets
    ['https://m.yna.co.kr/view/AKR20250128012300017?section=news', 'https://www.yna.co.kr/view/AKR20250128012300017?section=news'],
    ['http://m.hankyung.com/article/2025012812345', 'https://www.hankyung.com/article/2025012812345'],
    ['https://m.mk.co.kr/news/it/11227890', 'https://www.mk.co.kr/news/it/11227890'],
    ['https://www.zdnet.co.kr/view/?no=20250128104512', 'https://zdnet.co.kr/view/?no=20250128104512'],
    ['https://mobile.newsis.com/view/NISX20250128_0003012345', 'https://www.newsis.com/view/NISX20250128_0003012345'],
    // Naver's forms of one article
    ['https://n.news.naver.com/mnews/article/001/0012345678?sid=105', 'https://n.news.naver.com/mnews/article/001/0012345678'],
    ['https://n.news.naver.com/article/001/0012345678', 'https://n.news.naver.com/mnews/article/001/0012345678'],
    ['https://news.naver.com/main/read.naver?mode=LSD&mid=sec&sid1=105&oid=001&aid=0012345678', 'https://n.news.naver.com/mnews/article/001/0012345678'],
    ['https://news.naver.com/main/read.nhn?oid=001&aid=0012345678', 'https://n.news.naver.com/mnews/article/001/0012345678'],
    ['https://m.news.naver.com/read.nhn?oid=001&aid=0012345678&sid1=105', 'https://n.news.naver.com/mnews/article/001/0012345678'],
    // DCInside posts
    ['https://gall.dcinside.com/board/view/?id=drama_new3&no=19385272&page=1', 'https://gall.dcinside.com/board/view/?id=drama_new3&no=19385272'],
    ['https://m.dcinside.com/board/drama_new3/19385272', 'https://gall.dcinside.com/board/view/?id=drama_new3&no=19385272'],
    [
      'https://gall.dcinside.com/mgallery/board/view?id=singularity&no=123&exception_mode=recommend',
      'https://gall.dcinside.com/mgallery/board/view/?id=singularity&no=123',
    ],
    // already canonical once parsed: case, default port, empty query or fragment, user info
    ['HTTPS://News.Example.KR:443/article/7', 'https://news.example.kr/article/7'],
    ['https://news.example.kr/article/7?#', 'https://news.example.kr/article/7'],
    ['https://reader:secret@news.example.kr/article/7', 'https://news.example.kr/article/7'],
    ['https://news.example.kr./article/7', 'https://news.example.kr/article/7'],
    ['https://m.yna.co.kr./view/AKR20250128012300017', 'https://www.yna.co.kr/view/AKR20250128012300017'],
    // left alone
    ['https://www.unknown-outlet.kr/news/1?b=2&a=1', 'https://www.unknown-outlet.kr/news/1?a=1&b=2'],
    ['not a url', 'not a url'],
  ])('%s', (input, expected) => {
    // A canonical URL is its own canonical form (asked first, before the memo knows it as an answer).
    expect(canonicalUrl(expected)).toBe(expected);
    expect(canonicalUrl(input)).toBe(expected);
  });

  it('gives every variant of one article the same story id, and different articles different ids', () => {
    const variants = [
      'https://n.news.naver.com/mnews/article/001/0012345678?sid=105',
      'https://news.naver.com/main/read.naver?oid=001&aid=0012345678',
      'https://m.news.naver.com/read.nhn?oid=001&aid=0012345678#foo',
    ];
    const ids = new Set(variants.map(storyId));
    expect(ids.size).toBe(1);
    expect([...ids][0]).toMatch(/^[0-9a-f]{20}$/);
    expect(storyId('https://n.news.naver.com/mnews/article/001/0012345679')).not.toBe([...ids][0]);
  });
});
