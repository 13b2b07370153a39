// Publisher names for search results that give only a URL (Naver) or a press code.

/** Naver News press codes (oid) of outlets in our default sources. */
const NAVER_OID: Record<string, string> = {
  '001': '연합뉴스',
  '003': '뉴시스',
  '008': '머니투데이',
  '009': '매일경제',
  '011': '서울경제',
  '014': '파이낸셜뉴스',
  '015': '한국경제',
  '018': '이데일리',
  '020': '동아일보',
  '023': '조선일보',
  '025': '중앙일보',
  '028': '한겨레',
  '030': '전자신문',
  '031': '아이뉴스24',
  '032': '경향신문',
  '052': 'YTN',
  '055': 'SBS',
  '056': 'KBS',
  '057': 'MBN',
  '092': '지디넷코리아',
  '138': '디지털데일리',
  '214': 'MBC',
  '277': '아시아경제',
  '293': '블로터',
  '366': '조선비즈',
  '421': '뉴스1',
  '422': '연합뉴스TV',
  '437': 'JTBC',
};

const HOSTS: Record<string, string> = {
  'yna.co.kr': '연합뉴스',
  'newsis.com': '뉴시스',
  'mt.co.kr': '머니투데이',
  'mk.co.kr': '매일경제',
  'sedaily.com': '서울경제',
  'fnnews.com': '파이낸셜뉴스',
  'hankyung.com': '한국경제',
  'edaily.co.kr': '이데일리',
  'donga.com': '동아일보',
  'chosun.com': '조선일보',
  'biz.chosun.com': '조선비즈',
  'it.chosun.com': 'IT조선',
  'joongang.co.kr': '중앙일보',
  'hani.co.kr': '한겨레',
  'etnews.com': '전자신문',
  'inews24.com': '아이뉴스24',
  'khan.co.kr': '경향신문',
  'ytn.co.kr': 'YTN',
  'sbs.co.kr': 'SBS',
  'kbs.co.kr': 'KBS',
  'imbc.com': 'MBC',
  'mbn.co.kr': 'MBN',
  'zdnet.co.kr': '지디넷코리아',
  'ddaily.co.kr': '디지털데일리',
  'asiae.co.kr': '아시아경제',
  'bloter.net': '블로터',
  'news1.kr': '뉴스1',
  'yonhapnewstv.co.kr': '연합뉴스TV',
  'jtbc.co.kr': 'JTBC',
  'etoday.co.kr': '이투데이',
  'thelec.kr': '디일렉',
  'aitimes.com': 'AI타임스',
  'boannews.com': '보안뉴스',
  'byline.network': '바이라인네트워크',
  'techm.kr': '테크M',
  'heraldcorp.com': '헤럴드경제',
  'ajunews.com': '아주경제',
  'seoul.co.kr': '서울신문',
  'kmib.co.kr': '국민일보',
  'nocutnews.co.kr': '노컷뉴스',
  'ebn.co.kr': 'EBN',
  'einfomax.co.kr': '연합인포맥스',
};

/** The outlet name for an article URL: a known host or Naver press code, else the bare host name. */
export function outletForUrl(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return undefined;
  }
  const naver = /^\/mnews\/article\/(\d{3})\//.exec(u.pathname);
  if (u.hostname === 'n.news.naver.com' && naver) return NAVER_OID[naver[1]!];
  const parts = u.hostname.split('.');
  for (let i = 0; i < parts.length - 1; i++) {
    const name = HOSTS[parts.slice(i).join('.')];
    if (name) return name;
  }
  return u.hostname.replace(/^(www|m)\./, '');
}
