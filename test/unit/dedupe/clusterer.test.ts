// The clusterer over the in-memory index (the `newswatch dedupe` engine): leaders, members,
// exact keys, and the order-independence a user relies on.
import { describe, expect, it } from 'vitest';
import { createClusterer, createMemoryClusterIndex, type ClusterIndex, type DedupeInput } from '../../../shared/dedupe/index.ts';
import * as cases from '../../integration/dedupe/cases.ts';

const body =
  '중국 인공지능 스타트업 딥시크가 저비용 고성능 모델을 공개하면서 엔비디아 주가가 하루 만에 16.97% 폭락했다. 시가총액 5890억 달러가 증발해 뉴욕 증시 역사상 단일 기업 최대 감소를 기록했다. 브로드컴과 마이크론 등 반도체주도 일제히 급락했다.';
const at = '2025-01-28T00:10:00.000Z';
const item = (id: string, over: Partial<DedupeInput> = {}): DedupeInput => ({
  id,
  url: `https://n.example.kr/${id}`,
  title: `제목 ${id}`,
  body,
  outlet: `매체${id}`,
  publishedAt: at,
  ...over,
});

describe('createClusterer (memory index)', () => {
  it('makes the first copy the leader and records later copies as members', async () => {
    const index = createMemoryClusterIndex();
    const c = createClusterer(index);
    expect(await c.assign(item('a'))).toEqual({ clusterId: 'a', leader: true });
    const b = await c.assign(item('b', { body: `${body} (끝)` }));
    expect(b).toMatchObject({ clusterId: 'a', leader: false });
    await c.addMember('a', { id: 'b', outlet: '매체b', url: 'https://n.example.kr/b', title: '제목 b' });
    await c.addMember('a', { id: 'b', outlet: '매체b', url: 'https://n.example.kr/b', title: '제목 b' });
    expect(index.members('a').map((m) => m.id)).toEqual(['b']);
  });

  it('joins the same canonical URL or the same feed guid whatever the text', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(item('a', { guid: 'tag:news.example.kr,2025:777' }));
    expect(await c.assign(item('b', { url: 'https://n.example.kr/a', body: '완전히 다른 본문입니다.' }))).toMatchObject({ clusterId: 'a', similarity: 1 });
    expect(await c.assign(item('c', { url: 'https://n.example.kr/c2', body: '또 다른 본문', guid: 'tag:news.example.kr,2025:777' }))).toMatchObject({
      clusterId: 'a',
      similarity: 1,
    });
  });

  it('does not join the same headline from the same outlet a day later (a daily column)', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(item('a', { outlet: '마켓', title: '[표] 외국인 순매수 상위 종목', body: '삼성전자 1,200억 SK하이닉스 800억' }));
    const next = await c.assign(
      item('b', { outlet: '마켓', title: '[표] 외국인 순매수 상위 종목', body: '현대차 900억 네이버 300억', publishedAt: '2025-01-29T00:10:00.000Z' }),
    );
    expect(next).toMatchObject({ clusterId: 'b', leader: true });
  });

  it('does not let a story with a wrong future date take over the bands of current stories', async () => {
    const c = createClusterer(createMemoryClusterIndex(), { now: () => new Date('2025-01-28T01:00:00Z') });
    await c.assign(item('a'));
    // The same text re-listed with a bogus date years ahead: too far apart to join, and it must not own a's bands.
    expect(await c.assign(item('bogus', { title: '제목 a', publishedAt: '2031-01-01T00:00:00.000Z' }))).toMatchObject({ leader: true });
    expect(await c.assign(item('b', { body: `${body} (끝)` }))).toMatchObject({ clusterId: 'a', leader: false });
  });

  it('joins a stored closer copy rather than a weaker copy that is being assigned at the same moment', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(cases.wire);
    // Alone, the mostly-wire article joins the independent report (about 0.5) or the wire (about 0.8).
    const [independent, mostlyWire] = await Promise.all([c.assign(cases.independentSameDay), c.assign(cases.mostlyWire)]);
    expect(independent).toMatchObject({ clusterId: 'independent', leader: true });
    expect(mostlyWire).toMatchObject({ clusterId: 'wire', leader: false });
    expect(mostlyWire.similarity).toBeGreaterThan(0.7);
    // A copy of the mostly-wire article in flight with it follows it to the wire.
    const c2 = createClusterer(createMemoryClusterIndex());
    await c2.assign(cases.wire);
    const again = { ...cases.mostlyWire, id: 'again', url: 'https://other.example.kr/again', outlet: '다른매체' };
    const all = await Promise.all([c2.assign(cases.independentSameDay), c2.assign(cases.mostlyWire), c2.assign(again)]);
    expect(all.map((a) => a.clusterId)).toEqual(['independent', 'wire', 'wire']);
  });

  it('reads no candidates for copies in flight whose keys only the in-flight cluster owns', async () => {
    const inner = createMemoryClusterIndex();
    const reads: string[][] = [];
    const index: ClusterIndex = { ...inner, getFingerprints: (ids) => (reads.push(ids), inner.getFingerprints(ids)) };
    const c = createClusterer(index);
    const copies = Array.from({ length: 6 }, (_, i) => ({ ...cases.wire, id: `w${i}`, url: `https://o${i}.example.kr/w`, outlet: `매체${i}` }));
    const all = await Promise.all(copies.map((s) => c.assign(s)));
    expect(all.map((a) => a.clusterId)).toEqual(copies.map(() => 'w0'));
    expect(reads).toEqual([]);
  });

  it('keeps a short unrelated text alone', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(item('a'));
    expect(await c.assign(item('b', { title: '오늘의 날씨', body: '전국이 대체로 맑겠다.' }))).toEqual({ clusterId: 'b', leader: true });
  });
});
