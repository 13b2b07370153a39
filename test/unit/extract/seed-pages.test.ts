// The five seed pages (../shared/seeds, rebuilt as HTML in the outlets' markup): the
// extracted text keeps the article and none of the headline rails, tickers, comment
// boxes or board lists around it.
import { describe, expect, it } from 'vitest';
import { extractArticle } from '../../../shared/extract/index.ts';
import { fixture } from '../../support/fixture-server.ts';

const page = (name: string) => fixture(`pages/${name}`);

describe('extractArticle on the seed pages', () => {
  it('이투데이: keeps the story, drops 주요 뉴스, the crypto ticker, font buttons and reactions', () => {
    const a = extractArticle(page('etoday-ai-chase-team.html'), 'https://www.etoday.co.kr/news/view/2443105?utm_source=naver');
    expect(a.title).toBe("“'AI 추격조' 만들어야”…딥시크 등장에 머리 맞대는 민관");
    expect(a.publishedAt).toBe('2025-02-06T06:15:00.000Z');
    expect(a.canonicalUrl).toBe('https://www.etoday.co.kr/news/view/2443105');
    expect(a.image).toMatch(/^https:\/\/img\.etoday\.co\.kr\//);
    expect(a.text).toContain('중국의 인공지능(AI) ‘딥시크’ 충격에 대응하는 ‘소버린 AI’의 중요성이 대두되고 있다.');
    expect(a.text).toContain('토종 AI 기업들은 기술 주권을 보호하기 위해 반대하는 분위기다.');
    expect(a.text).toContain('잘 알리는 활동이 부족했다"고 토로했다.');
    for (const noise of [
      '비트코인',
      '153,057,000',
      '실시간 암호화폐 시세',
      '주요 뉴스',
      '유느님이 사는',
      '청년도약계좌',
      '오늘의 상승종목',
      '가장작게',
      '좋아요',
      '24시간 변동률',
    ]) {
      expect(a.text, noise).not.toContain(noise);
    }
  });

  it('디지털데일리: keeps the <br>-separated story, drops the copyright line and the headline rail', () => {
    const a = extractArticle(page('digitaldaily-iitp-algorithms.html'), 'https://www.ddaily.co.kr/page/view/2025020616004612345');
    expect(a.title).toBe('IITP “딥시크 파장에 SW 알고리즘 연구 중요성 더 커져”');
    expect(a.publishedAt).toBe('2025-02-06T07:00:46.000Z');
    expect(a.text.startsWith('[디지털데일리 오병훈기자] “딥시크 파장을 계기로 소프트웨어 알고리즘 연구 중요성이 더욱 커지고 있다.”')).toBe(true);
    expect(a.text).toContain('정부는 여러 사항 면밀히 분석해 산업계를 지원하도록 하겠다”고 말했다.');
    expect(a.text.split('\n').length).toBeGreaterThanOrEqual(10); // paragraphs stay paragraphs
    for (const noise of [
      '단통법 폐지',
      '알뜰폰',
      'LG헬로비전',
      '춘화연애담',
      '마비노기 모바일',
      '파리 AI정상회의',
      '2025-02-06 15:54:20',
      '무단전재',
      '많이 본 기사',
    ]) {
      expect(a.text, noise).not.toContain(noise);
    }
  });

  it('MBC 뉴스데스크 repost on a board: keeps the report, drops the 20-row board list', () => {
    const a = extractArticle(page('mbc-deepseek-chase-team-repost.html'), 'https://www.ranknews.example/news/45001');
    expect(a.title).toBe('\'딥시크\' 자극받은 IT업계…"국가대표 AI 추격조 만들자"');
    expect(a.publishedAt).toBe('2025-02-06T11:21:33.000Z');
    expect(a.canonicalUrl).toBe('https://www.ranknews.example/news/45001');
    expect(a.text).toContain('딥시크가 밝힌 AI 모델 개발비는 80억 원.');
    expect(a.text).toContain('정부는 현재 2천 장인 GPU를 2027년까지 3만 장으로 늘리겠다고 밝혔습니다.');
    expect(a.text).toContain('MBC뉴스 김윤미입니다.');
    for (const noise of ['스타필드 마켓', '철강에 25% 관세', '마은혁', '런던베이글뮤지엄', '허사비스', '랭크뉴스', '번호', '메뉴 건너뛰기']) {
      expect(a.text, noise).not.toContain(noise);
    }
  });

  it('매일경제TV board view: picks the body cell of the table, reads "작성일 25/03/25 (11:46)"', () => {
    const a = extractArticle(page('mbnmoney-deepseek-pangyo.html'), 'https://mbnmoney.mbn.co.kr/community/news/view?news_no=MM1005504133');
    // og:title is only the site name; the headline is the table's subject cell.
    expect(a.title).toBe('경제토크쇼픽 비하인드- 이유 있는 딥시크의 성공, 판교에서 가능할까?(서영주 인공지능대학원장)');
    expect(a.publishedAt).toBe('2025-03-25T02:46:00.000Z');
    expect(a.canonicalUrl).toBe('https://mbnmoney.mbn.co.kr/community/news/view?news_no=MM1005504133');
    expect(a.text).toContain('최근 가장 화제였던 기업을 하나 뽑자면 아마 중국의 ‘딥시크’가 아닐까 싶습니다.');
    expect(a.text).toContain('출처: 매일경제TV(https://mbnmoney.mbn.co.kr/news/view?news_no=MM1005504133)');
    for (const noise of ['많이 본 뉴스', '코스피, 외국인 매도에', '환율 1,470원', '비트코인', '조회수 81', '자유게시판', '퇴계로']) {
      expect(a.text, noise).not.toContain(noise);
    }
  });

  it('DCInside post: keeps the interview, drops the gallery list, comments, recommend box and sidebar', () => {
    const a = extractArticle(page('dcinside-naver-deepseek-interview.html'), 'https://gall.dcinside.com/board/view/?id=drama_new3&no=18736204&page=1');
    expect(a.title).toBe('“지금 대규모 투자해야 AI강국 가능”… 네이버 개발자, 딥시크서 기회'); // gallery suffix dropped
    expect(a.publishedAt).toBe('2025-02-01T16:20:06.000Z');
    expect(a.canonicalUrl).toBe('https://gall.dcinside.com/board/view/?id=drama_new3&no=18736204');
    expect(a.text).toContain('국내 대표 AI 대규모언어모델(LLM)인 ‘하이퍼클로바X’를 이끄는 하정우 네이버클라우드 AI 이노베이션 센터장은');
    expect(a.text).toContain('2024년 한국 윤석열 정부 AI 투자금액 9.099억원');
    for (const noise of [
      '요새 남배 광고',
      '대군부인',
      '워터밤',
      '스티커북',
      '전체 댓글',
      '실시간 베스트',
      '고정닉',
      '비추천',
      'MZ 무당 조이현',
      '갤러리 내부 검색',
      '0c9c813fe7e117a520b5c6b236ef203e046ed8f0435def',
    ]) {
      expect(a.text, noise).not.toContain(noise);
    }
  });
});

describe('extractArticle overrides and metadata', () => {
  const html = `<!doctype html><html><head>
    <link rel="canonical" href="https://m.yna.co.kr/view/AKR20250128012300017?input=1195m">
    <script type="application/ld+json">{"@context":"https://schema.org","@type":"NewsArticle","headline":"JSON-LD 제목","datePublished":"2025-01-28T10:21:00+09:00","image":{"@type":"ImageObject","url":"https://img.yna.co.kr/photo/1.jpg"}}</script>
    </head><body><h1>화면 제목</h1>
    <div class="story-news"><p>${'본문 문장입니다. '.repeat(30)}</p><p class="byline">홍길동 기자 gildong@yna.co.kr</p></div>
    <div class="promo"><p>${'광고 문장입니다. '.repeat(10)}</p></div></body></html>`;

  it('takes title, date, image and canonical from JSON-LD and <link rel=canonical>', () => {
    const a = extractArticle(html, 'https://www.yna.co.kr/view/AKR20250128012300017');
    expect(a).toMatchObject({
      title: 'JSON-LD 제목',
      publishedAt: '2025-01-28T01:21:00.000Z',
      image: 'https://img.yna.co.kr/photo/1.jpg',
      canonicalUrl: 'https://www.yna.co.kr/view/AKR20250128012300017',
    });
    expect(a.text).toContain('본문 문장입니다.');
    expect(a.text).not.toContain('홍길동 기자'); // byline dropped
    expect(a.text).not.toContain('광고 문장');
  });

  it('per-outlet selectors win over the generic pass', () => {
    const a = extractArticle(html, 'https://www.yna.co.kr/view/AKR20250128012300017', { body: '.promo', title: 'h1', remove: [] });
    expect(a.title).toBe('화면 제목');
    expect(a.text).toContain('광고 문장입니다.');
    expect(a.text).not.toContain('본문 문장');
  });
});

describe('extractArticle on an ndsoft-CMS page (AI타임스, 테크M, 블로터, 디일렉 ...) wrapped in an ASP.NET form', () => {
  it('keeps the paragraphs, drops the related-articles box, byline, copyright, comments and the ranking', () => {
    const a = extractArticle(page('aitimes-ndsoft-article.html'), 'https://m.aitimes.com/news/articleView.html?idxno=167512&utm_source=rss');
    expect(a.title).toBe('딥시크, \'R1\' 오픈소스 공개…"o1급 추론 성능에 비용은 30분의 1"');
    expect(a.publishedAt).toBe('2025-01-28T01:21:00.000Z');
    expect(a.canonicalUrl).toBe('https://www.aitimes.com/news/articleView.html?idxno=167512');
    expect(a.text).toContain("중국 인공지능(AI) 스타트업 딥시크가 추론 모델 'R1'을 오픈소스로 공개했다.");
    expect(a.text).toContain('소버린 AI 전략을 다시 점검해야 한다는 목소리를 내고 있다.');
    for (const noise of ['관련기사', '개발비 80억원으로', 'H20 공급 확대', 'cpark@aitimes.com', '무단전재', '많이 본 뉴스', 'HBM4 샘플', '댓글 0']) {
      expect(a.text, noise).not.toContain(noise);
    }
  });

  it('finds the story by density when the page has no known container, even inside a <form>', () => {
    const html = `<html><body><form id="form1"><div class="wrap"><div class="txt">${'<p>' + '국가 AI 컴퓨팅 센터 구축이 본격화된다. '.repeat(8) + '</p>'}${'<p>' + '정부는 GPU 확보 예산을 늘린다. '.repeat(8) + '</p>'}</div>
      <ul class="news"><li><a href="/1">다른 기사 제목 하나입니다</a></li><li><a href="/2">다른 기사 제목 둘입니다</a></li><li><a href="/3">다른 기사 제목 셋입니다</a></li></ul></div></form></body></html>`;
    const a = extractArticle(html, 'https://www.example.kr/news/1');
    expect(a.text).toContain('국가 AI 컴퓨팅 센터 구축이 본격화된다.');
    expect(a.text).toContain('정부는 GPU 확보 예산을 늘린다.');
    expect(a.text).not.toContain('다른 기사');
  });
});
