// Syndication cases written for the tests (not copied from any outlet): one wire story and
// the ways Korean outlets re-run it, plus stories that must stay apart from it.
import type { DedupeInput } from '../../../shared/dedupe/index.ts';

const WIRE_BODY = [
  '(서울=연합뉴스) 김하늘 기자 = 과학기술정보통신부는 국가 인공지능 컴퓨팅센터 구축 사업의 우선협상대상자로 삼성SDS 컨소시엄을 선정했다고 12일 밝혔다.',
  '컨소시엄에는 네이버클라우드와 KT, 전라남도가 참여하며 2028년까지 첨단 그래픽처리장치(GPU) 1만5천장을 확보해 대학과 스타트업에 연구용 컴퓨팅 자원을 저렴하게 공급한다.',
  '정부는 이번 사업에 총 2조5천억원을 투입하고, 민간 지분을 절반 이상으로 해 운영 효율을 높이기로 했다.',
  '과기정통부 관계자는 "국산 인공지능 반도체도 단계적으로 도입해 국내 생태계를 함께 키우겠다"며 "연내 협약을 마치고 내년 상반기 일부 자원을 먼저 개방할 계획"이라고 말했다.',
  '업계에서는 그래픽처리장치 확보 경쟁이 치열한 상황에서 공공 컴퓨팅 인프라가 숨통을 틔워줄 것이라는 기대가 나온다.',
  'hanul@yna.co.kr 저작권자(c) 연합뉴스, 무단 전재-재배포, AI 학습 및 활용 금지',
].join('\n');

const t = (h: number, m = 0) => new Date(Date.UTC(2025, 8, 12, h, m)).toISOString();

export const wire: DedupeInput = {
  id: 'wire',
  url: 'https://www.yna.co.kr/view/AKR20250912000100017',
  title: '국가AI컴퓨팅센터 우선협상대상자에 삼성SDS 컨소시엄',
  body: WIRE_BODY,
  outlet: '연합뉴스',
  publishedAt: t(1, 0),
};

/** A regional paper runs the wire verbatim under its own headline. */
export const editedHeadline: DedupeInput = {
  id: 'regional',
  url: 'https://www.regional-daily.example.kr/news/articleView.html?idxno=5512',
  title: '삼성SDS 컨소시엄, 2조5천억 국가AI컴퓨팅센터 맡는다…GPU 1만5천장',
  body: WIRE_BODY.replace('(서울=연합뉴스) 김하늘 기자 =', '').replace(/hanul@.*$/m, 'ⓒ 지역일보 무단전재 및 재배포 금지'),
  outlet: '지역일보',
  publishedAt: t(1, 40),
};

/** A portal brief keeps only the first two paragraphs. */
export const trimmed: DedupeInput = {
  id: 'trimmed',
  url: 'https://news.portal.example.kr/brief/20250912/778',
  title: '국가AI컴퓨팅센터에 삼성SDS 컨소시엄 선정',
  body: WIRE_BODY.split('\n').slice(0, 2).join('\n'),
  outlet: '포털브리핑',
  publishedAt: t(2, 5),
};

/** A TV newsroom rewrites it as an anchor/reporter script, keeping the facts. */
export const tvScript: DedupeInput = {
  id: 'tv',
  url: 'https://news.tv.example.kr/2025/09/12/ai-center',
  title: '[뉴스] 국가AI컴퓨팅센터, 삼성SDS 컨소시엄이 짓는다',
  body: [
    '[앵커] 국가 인공지능 컴퓨팅센터를 지을 사업자로 삼성SDS 컨소시엄이 선정됐습니다. 정부는 2조5천억원을 투입합니다. 박지민 기자입니다.',
    '[기자] 과학기술정보통신부는 국가 인공지능 컴퓨팅센터 구축 사업의 우선협상대상자로 삼성SDS 컨소시엄을 선정했다고 오늘 밝혔습니다.',
    '네이버클라우드와 KT, 전라남도가 함께 참여하는데, 2028년까지 첨단 그래픽처리장치 1만5천장을 확보해 대학과 스타트업에 연구용 컴퓨팅 자원을 저렴하게 공급하게 됩니다.',
    '정부는 민간 지분을 절반 이상으로 해 운영 효율을 높인다는 계획입니다. 국산 인공지능 반도체도 단계적으로 도입할 방침입니다. TV뉴스 박지민입니다.',
  ].join('\n'),
  outlet: 'TV뉴스',
  publishedAt: t(9, 30),
};

/** The next day: the agreement is signed. Related, repeats the background, but a new story. */
export const followUpNextDay: DedupeInput = {
  id: 'followup',
  url: 'https://www.yna.co.kr/view/AKR20250913000200017',
  title: '국가AI컴퓨팅센터 협약 체결…전남 해남에 2027년 착공',
  body: [
    '(서울=연합뉴스) 김하늘 기자 = 과학기술정보통신부와 삼성SDS 컨소시엄이 13일 국가 인공지능 컴퓨팅센터 구축 협약을 체결했다.',
    '센터는 전라남도 해남군 솔라시도 부지에 들어서며 2027년 착공해 2029년 완공을 목표로 한다. 전력은 인근 태양광 단지에서 공급받는다.',
    '협약식에서 삼성SDS 대표는 "국내 연구자라면 누구나 쓸 수 있는 개방형 인프라로 운영하겠다"고 말했다.',
    '앞서 과기정통부는 12일 삼성SDS 컨소시엄을 우선협상대상자로 선정했다.',
  ].join('\n'),
  outlet: '연합뉴스',
  publishedAt: new Date(Date.UTC(2025, 8, 13, 3, 0)).toISOString(),
};

/** Same day, same topic, different story: another ministry's GPU rental programme. */
export const sameTopicOtherStory: DedupeInput = {
  id: 'other',
  url: 'https://www.etnews.example.kr/20250912000321',
  title: '중기부, 스타트업 GPU 임대료 최대 80% 지원',
  body: [
    '중소벤처기업부는 인공지능 스타트업 300곳에 그래픽처리장치 임대료를 최대 80%까지 지원하는 사업을 시작한다고 12일 밝혔다.',
    '지원 기간은 최대 6개월이며 클라우드 사업자 다섯 곳이 참여한다. 신청은 다음 달 1일부터 중기부 누리집에서 받는다.',
    '중기부 관계자는 "초기 기업이 모델 학습 비용 때문에 사업을 포기하는 일이 없도록 하겠다"고 말했다.',
  ].join('\n'),
  outlet: '전자신문',
  publishedAt: t(4, 0),
};

function marketReport(id: string, day: number, kospi: string, change: string, pct: string, foreign: string, inst: string, kosdaq: string): DedupeInput {
  return {
    id,
    url: `https://www.market.example.kr/closing/2025-09-${day}`,
    title: `[마감시황] 코스피 ${kospi} 마감`,
    body: [
      `${day}일 코스피는 전 거래일보다 ${change}포인트(${pct}%) 오른 ${kospi}에 거래를 마쳤다.`,
      `유가증권시장에서 외국인은 ${foreign}억원을 순매수했고 기관은 ${inst}억원을 순매도했다.`,
      `코스닥 지수는 ${kosdaq}에 마감했다. 서울 외환시장에서 원·달러 환율은 1,38${day % 10}.${day % 7}원에 거래를 마쳤다.`,
    ].join('\n'),
    outlet: '마켓데일리',
    publishedAt: new Date(Date.UTC(2025, 8, day, 6, 40)).toISOString(),
  };
}

/** The same template filled in on two trading days: two stories. */
export const marketMonday = marketReport('market-15', 15, '3,407.31', '12.54', '0.37', '1,820', '640', '858.12');
export const marketTuesday = marketReport('market-16', 16, '3,421.08', '13.77', '0.40', '2,115', '1,093', '861.47');

/**
 * Same day, same event, another outlet's own report (not the wire's text): the ministry's
 * selection in its own words, with its own angle. Related coverage: its own story, linked.
 */
export const independentSameDay: DedupeInput = {
  id: 'independent',
  url: 'https://www.itdaily.example.kr/news/articleView.html?idxno=90817',
  title: '2조5천억 국가AI컴퓨팅센터, 삼성SDS 품으로…네이버·KT 합류',
  body: [
    '정부가 2조5천억원을 들여 짓는 국가 인공지능(AI) 컴퓨팅센터 사업을 삼성SDS가 이끄는 컨소시엄이 따냈다.',
    '12일 과기정통부 발표에 따르면 삼성SDS 컨소시엄은 네이버클라우드, KT, 전라남도와 손잡고 2028년까지 GPU 1만5천장 규모의 센터를 세운다.',
    '경쟁에 나섰던 다른 컨소시엄은 전력 확보 계획에서 점수가 갈린 것으로 알려졌다. 업계 관계자는 "공공이 대규모 GPU를 직접 확보하는 첫 사례"라고 평가했다.',
    '스타트업 업계는 연구용 컴퓨팅 자원이 실제로 얼마나 싸게 풀릴지 주목하고 있다. 센터 운영사는 내년 상반기 이용 요금을 공개할 예정이다.',
  ].join('\n'),
  outlet: 'IT데일리',
  publishedAt: t(3, 10),
};

/**
 * An article stitched from the wire's first two paragraphs and the independent report's
 * last two: a copy of the wire (it re-runs the wire's lede), and close to the independent
 * report too. It must not chain the two independent reports into one cluster.
 */
export const bridge: DedupeInput = {
  id: 'bridge',
  url: 'https://www.aggregator.example.kr/article/4411',
  title: '삼성SDS 컨소시엄, 국가AI컴퓨팅센터 사업자 선정',
  body: [...WIRE_BODY.split('\n').slice(0, 2), ...independentSameDay.body.split('\n').slice(2)].join('\n'),
  outlet: '모아뉴스',
  publishedAt: t(2, 30),
};

/**
 * Mostly the wire (its first four paragraphs) with the independent report's last two: a copy
 * of both, far closer to the wire (about 0.8) than to the independent report (about 0.5).
 */
export const mostlyWire: DedupeInput = {
  id: 'mostly-wire',
  url: 'https://www.aggregator.example.kr/article/4417',
  title: '삼성SDS 컨소시엄, 국가AI컴퓨팅센터 우선협상대상자로',
  body: [...WIRE_BODY.split('\n').slice(0, 4), ...independentSameDay.body.split('\n').slice(2)].join('\n'),
  outlet: '모아뉴스',
  publishedAt: t(3, 20),
};

/**
 * The release re-run with light edits, as press-release copies are: its own first line, the
 * date moved, words swapped for synonyms, one sentence dropped, its own last line. Most of the
 * release's sentences are still there nearly word for word, but its paragraphs are not: a copy.
 */
export const lightEdit: DedupeInput = {
  id: 'light-edit',
  url: 'https://www.biz-weekly.example.kr/news/88120',
  title: '삼성SDS 컨소시엄, 국가 AI 컴퓨팅센터 짓는다',
  body: [
    '[비즈위클리] 국가 AI 컴퓨팅센터를 지을 민간 사업자가 정해졌다. 대형 클라우드 기업들이 한 팀을 이뤘다. 세 번째 공모 끝에 나온 결과이며, 컨소시엄 구성은 지난달 말에야 확정됐다.',
    '과기정통부는 12일 국가 인공지능 컴퓨팅센터 구축 사업의 우선협상대상자로 삼성SDS가 이끄는 컨소시엄을 뽑았다고 발표했다.',
    '컨소시엄엔 네이버클라우드, KT, 전라남도가 함께하며 2028년까지 첨단 GPU 1만5천장을 들여와 대학·스타트업에 연구용 컴퓨팅 자원을 저렴하게 나눠준다.',
    '정부는 사업에 총 2조5천억원을 쓰고, 민간 지분은 절반 이상으로 정해 운영 효율을 끌어올리기로 했다.',
    '한 대학 연구소장은 “GPU를 구하지 못해 실험을 미뤄 온 연구실들이 가장 먼저 혜택을 볼 것”이라고 말했다.',
    '업계에서는 그래픽처리장치 확보 경쟁이 치열한 상황에서 공공 인프라가 숨통을 틔울 것이라는 기대가 크다. 센터를 운영할 특수목적법인은 연내 세워진다.',
  ].join('\n'),
  outlet: '비즈위클리',
  publishedAt: t(2, 20),
};

/**
 * Another outlet re-running the light edit's version (not the release's own), trimmed, under its
 * own first line: the same source text, so a copy. It keeps the light edit's reworded sentences,
 * which share a third of their long shingles with the release (under either copy bar against the
 * leader alone) and most with the light edit, a member of the release's cluster.
 */
export const reRunOfLightEdit: DedupeInput = {
  id: 're-run',
  url: 'https://www.tech-on.example.kr/news/5512',
  title: '국가 AI 컴퓨팅센터, 삼성SDS 컨소시엄이 짓는다',
  body: [
    '[테크온] 국가 AI 컴퓨팅센터를 지을 사업자가 나왔다.',
    ...lightEdit.body.split('\n').slice(1, 4),
    '센터 이용 신청은 내년 초부터 받는다. 지역 대학들은 벌써 공동 활용 방안을 논의하고 있다.',
  ].join('\n'),
  outlet: '테크온',
  publishedAt: t(2, 40),
};

const STATEMENT = [
  '“국산 인공지능 반도체를 공공 클라우드에 먼저 들여 내년까지 1만 장 규모로 늘리고, 국내 연구자라면 누구나 시간당 요금 걱정 없이 쓸 수 있도록 열겠다”며',
  '“민간 투자도 지금의 두 배 이상으로 끌어내 2030년에는 세계 3위 수준의 연산 능력을 갖추겠다”고 말했다.',
].join(' ');

/**
 * Two outlets' own reports of one briefing, each quoting the minister's two long sentences word
 * for word and telling the rest in its own words: related coverage, two stories.
 */
export const briefingA: DedupeInput = {
  id: 'briefing-a',
  url: 'https://www.daily-a.example.kr/news/articleView.html?idxno=3301',
  title: '과기정통부 장관 "국산 AI 반도체 1만 장 공공에 푼다"',
  body: [
    '과학기술정보통신부 장관이 15일 정부세종청사 브리핑에서 국산 인공지능 반도체 확산 계획을 내놨다.',
    `장관은 ${STATEMENT}`,
    '이번 계획에는 반도체 설계 기업 세 곳의 신경망처리장치가 우선 포함된다. 예산은 추가경정예산에서 4천억원을 끌어올 예정이다.',
  ].join('\n'),
  outlet: '데일리A',
  publishedAt: new Date(Date.UTC(2025, 8, 15, 2, 0)).toISOString(),
};

export const briefingB: DedupeInput = {
  id: 'briefing-b',
  url: 'https://www.tech-b.example.kr/article/20250915/552',
  title: '국산 NPU, 공공 클라우드 먼저 탄다…"연구자 누구나 무료로"',
  body: [
    '정부가 국내 팹리스가 만든 AI 칩을 공공 클라우드에 대거 투입한다. 장관은 세종 브리핑에서 연구자 개방과 민간 투자 확대를 함께 약속했다.',
    `그는 ${STATEMENT}`,
    '업계에서는 엔비디아 의존을 줄일 기회라는 반응과 실제 성능 검증이 먼저라는 지적이 엇갈린다.',
  ].join('\n'),
  outlet: '테크B',
  publishedAt: new Date(Date.UTC(2025, 8, 15, 3, 30)).toISOString(),
};
