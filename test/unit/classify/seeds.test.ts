// The five real pages the project was created from (text renderings, copied from
// ../shared/seeds into test/fixtures/seeds). Each must get its right topics, and the
// page chrome around the article (gallery post lists, related-headline lists, crypto
// tickers) must not add any.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../shared/config/load.ts';
import { compileClassifier } from '../../../shared/classify/index.ts';

const classifier = compileClassifier(loadConfig('newswatch.config.yaml').topics);
const seed = (name: string) => readFileSync(`test/fixtures/seeds/${name}.txt`, 'utf8');

/** Splits a page the way the pipeline sees it: first non-empty line as title, the rest as body. */
function asArticle(text: string) {
  const lines = text.split('\n');
  const first = lines.findIndex((l) => l.trim() !== '');
  return { title: lines[first]!.trim(), body: lines.slice(first + 1).join('\n') };
}

describe('seed pages', () => {
  it.each([
    // Naver's Ha Jung-woo on DeepSeek; H100/H800 and more GPUs needed are a real thread of it.
    ['dcinside-gallery-naver-deepseek-interview', ['deepseek', 'gpu']],
    // IITP on DeepSeek's impact; one sentence wishes for Korea's own AI, not a sovereign-AI story.
    ['digitaldaily-iitp-software-algorithms', ['deepseek']],
    // The 소버린 AI meeting after DeepSeek; GPU infrastructure support is one of its demands.
    ['etoday-ai-chase-team-meeting', ['deepseek', 'sovereign_ai', 'gpu']],
    // 국가대표 AI 추격조 without the words 소버린 AI; securing GPUs is the closing problem.
    ['mbc-news-deepseek-korea-chase-team', ['deepseek', 'sovereign_ai', 'gpu']],
    // DeepSeek's success story; cheaper GPUs under US sanctions are its cost argument.
    ['mbnmoney-deepseek-pangyo-talkshow', ['deepseek', 'gpu']],
  ])('%s -> %j', (name, topics) => {
    // Order is by score (primary first); which topics is what this table checks.
    expect([...classifier.classify(asArticle(seed(name))).topics].sort()).toEqual([...topics].sort());
  });

  it('the DeepSeek headline in the MBC related-news list does not make its list a DeepSeek story', () => {
    const page = seed('mbc-news-deepseek-korea-chase-team');
    const list = page.slice(page.indexOf('번호 제목 글쓴이 날짜'));
    expect(list).toContain('딥시크');
    const r = classifier.classify({ title: '뉴스 목록', body: list });
    expect(r.topics).toEqual([]);
    expect(r.why.deepseek!.hits[0]!.weight).toBeLessThan(1);
  });

  it("the '딥시크' headline among etoday's 주요 뉴스 counts a tenth of a prose mention", () => {
    const page = seed('etoday-ai-chase-team-meeting');
    const chrome = page.slice(page.indexOf('주요 뉴스'));
    const why = classifier.classify({ title: '', body: chrome }).why.deepseek!;
    expect(why.matched).toBe(false);
    expect(why.score).toBeCloseTo(0.3);
  });

  it('a gallery page with fifty unrelated post titles adds nothing to an unrelated post', () => {
    const page = seed('dcinside-gallery-naver-deepseek-interview');
    const gallery = page.slice(page.indexOf('갤러리 리스트'));
    const r = classifier.classify({ title: '오늘 점심 뭐 먹지', body: `국밥 먹으러 갑니다.\n${gallery}` });
    expect(r.topics).toEqual([]);
  });

  it('엔비디아 and a GPU headline inside a stock ticker list do not flag gpu on an unrelated article', () => {
    const tickers = ['삼성전자 71,200 -0.8%', '엔비디아 145.20 +3.1%', 'SK하이닉스 198,500 +1.2%', '테슬라 412.10 -2.0%', '애플 229.30 +0.4%'];
    const related = ['엔비디아 H20 중국 수출 재개', '서울 아파트값 10주 연속 상승', '프로야구 개막 10만 관중'];
    const body = ['서울 아파트 값이 10주 연속 올랐다. 전세 가격도 1년 넘게 오름세다.', '', '오늘의 시세', ...tickers, '', '관련 기사', ...related].join('\n');
    const r = classifier.classify({ title: '서울 아파트 가격 10주 연속 오름세', body });
    expect(r.topics).toEqual([]);
    expect(r.why.gpu!.hits.every((h) => h.weight < 1)).toBe(true);
  });

  it('the same GPU sentence in the article text does flag gpu', () => {
    const r = classifier.classify({ title: '', body: '미국이 엔비디아 H20 칩의 중국 수출을 재개하기로 했다. H20은 중국 전용 GPU다.' });
    expect(r.topics).toEqual(['gpu']);
  });
});
