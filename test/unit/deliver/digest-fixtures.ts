// One Korea day of matched stories (2026-11-22) shaped like the seeds under
// ../shared/seeds: clusters carried by several outlets, single stories, and feed text
// with markup and ampersands.
import type { Story } from '../../../shared/model.ts';
import { story } from './fixtures.ts';

export const DAY = '2026-11-22';

interface Spec {
  topic: string;
  term: string;
  title: string;
  summary: string;
  /** Korea time HH:MM on DAY. */
  at: string;
  outlets: string[];
}

const SPECS: Spec[] = [
  {
    topic: 'deepseek',
    term: '딥시크',
    at: '08:40',
    title: '"AI 추격조 만들어야"…딥시크 등장에 머리 맞대는 민관',
    summary: '과학기술정보통신부와 국가AI위원회는 22일 서울 중구에서 국내 AI 산업 경쟁력 진단 간담회를 열고 데이터 개방과 인프라 지원 방안을 논의했다.',
    outlets: ['이투데이', 'MBC', '디지털데일리', '연합뉴스'],
  },
  {
    topic: 'deepseek',
    term: '딥시크',
    at: '11:15',
    title: '딥시크 파장에 "소프트웨어 알고리즘 R&D 더 중요해져"',
    summary: '정혜동 IITP PM은 딥시크가 적은 비용으로 고성능 모델을 만든 비결로 알고리즘 최적화를 꼽으며 관련 연구 투자를 늘려야 한다고 말했다.',
    outlets: ['디지털데일리', '전자신문'],
  },
  {
    topic: 'deepseek',
    term: '딥시크',
    at: '19:05',
    title: '이유 있는 딥시크의 성공, 판교에서 가능할까',
    summary: '서영주 인공지능대학원장은 <경제토크쇼픽>에서 인재와 컴퓨팅 자원이 모이는 생태계가 필요하다고 강조했다.',
    outlets: ['매일경제TV'],
  },
  {
    topic: 'sovereign_ai',
    term: '소버린 AI',
    at: '09:30',
    title: '정부, 소버린 AI 파운데이션 모델 5개 정예팀 선정…네이버·LG·SKT 등',
    summary: '과기정통부는 독자 AI 파운데이션 모델 프로젝트에 참여할 5개 컨소시엄을 선정하고 GPU와 데이터를 우선 지원한다고 밝혔다.',
    outlets: ['연합뉴스', '한겨레', '조선일보', '중앙일보', 'ZDNet Korea', '전자신문'],
  },
  {
    topic: 'sovereign_ai',
    term: '소버린 AI',
    at: '14:20',
    title: '하정우 "지금 대규모 투자해야 AI 강국 가능"',
    summary: '토종 AI 하이퍼클로바X를 이끄는 하정우 네이버클라우드 센터장은 추론형 AI 단계에서 한국이 경쟁력을 갖추려면 지금이 투자의 적기라고 말했다.',
    outlets: ['매일경제', '한국경제'],
  },
  {
    topic: 'gpu',
    term: '엔비디아',
    at: '07:55',
    title: '엔비디아, 한국에 블랙웰 GPU 26만 장 공급…삼성·SK·현대차 참여',
    summary: '젠슨 황 CEO는 정부와 삼성전자, SK그룹, 현대자동차그룹, 네이버에 최신 GPU를 공급하는 계약을 발표했다.',
    outlets: ['연합뉴스', '조선비즈', '머니투데이', '서울경제', '한국경제'],
  },
  {
    topic: 'gpu',
    term: 'GPU',
    at: '16:45',
    title: 'GPU 클라우드 요금 내렸다…국내 스타트업 "숨통 트여"',
    summary: 'KT클라우드와 NHN클라우드가 H100 기반 GPU 서버 시간당 요금을 최대 30% 인하했다.',
    outlets: ['블로터', '아이뉴스24'],
  },
  {
    topic: 'gpu',
    term: 'GPU',
    at: '21:10',
    title: '<단독> 데이터센터 전력 부족에 GPU 증설 "제동"… 수도권 & 지방 희비',
    summary: '수도권 데이터센터의 전력 인입 대기가 길어지며 GPU 증설 계획이 지방으로 옮겨가고 있다.',
    outlets: ['머니투데이'],
  },
];

/** The day's stories: one leader per spec, plus a member story per extra outlet. */
export function dayStories(): Story[] {
  const out: Story[] = [];
  SPECS.forEach((spec, i) => {
    const [h, m] = spec.at.split(':').map(Number);
    const leaderAt = new Date(Date.UTC(2026, 10, 22, (h ?? 0) - 9, m ?? 0));
    const leader = story({
      id: `d${i}`,
      topic: spec.topic,
      term: spec.term,
      title: spec.title,
      summary: spec.summary,
      outlet: spec.outlets[0]!,
      publishedAt: leaderAt.toISOString(),
      url: `https://news.example.kr/${i}`,
    });
    out.push(leader);
    spec.outlets.slice(1).forEach((outlet, j) => {
      const at = new Date(leaderAt.getTime() + (j + 1) * 17 * 60_000).toISOString();
      out.push(
        story({
          id: `d${i}m${j}`,
          topic: spec.topic,
          term: spec.term,
          title: spec.title,
          summary: spec.summary,
          outlet,
          publishedAt: at,
          url: `https://news.example.kr/${i}/${j}`,
          clusterId: leader.id,
          leader: false,
        }),
      );
    });
  });
  return out;
}
