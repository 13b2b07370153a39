// The clusterer over the in-memory index (the `newswatch dedupe` engine): leaders, members,
// exact keys, and the order-independence a user relies on.
import { describe, expect, it } from 'vitest';
import { createClusterer, createMemoryClusterIndex, type ClusterIndex, DEFAULT_DEDUPE_OPTIONS, type DedupeInput } from '../../../shared/dedupe/index.ts';
import { fingerprintSets, verifyPair } from '../../../shared/dedupe/similarity.ts';
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

  it('weighs every copy in flight by its cluster, as when they are stored: not only the closest member', async () => {
    // Made-up texts. A city's plan; a union's reaction that copies half of it; a ministry's rules
    // and a province's pilot, each leading its own cluster. The round-up copies the union's
    // reaction most (0.57), the rules (0.53) and the pilot (0.42), and none of the plan itself:
    // one at a time it joins the rules (the union's cluster is the plan's, which it does not copy).
    const plan = [
      '서울시는 내년부터 시내버스 전 노선에 자율주행 보조 장치를 단계적으로 설치한다고 밝혔다.',
      '첫 설치는 강남과 여의도를 오가는 간선버스 12개 노선에서 3월부터 이뤄진다.',
      '장치는 전방 카메라와 레이더로 보행자를 감지해 운전자에게 경고하고 필요하면 스스로 제동한다.',
      '시는 이번 사업에 국비와 시비를 합쳐 모두 420억원을 투입할 예정이다.',
      '버스 운수사들은 보험료 부담이 줄어들 것이라며 사업에 참여하겠다는 뜻을 밝혔다.',
      '시는 설치 효과를 분석해 마을버스와 택시로 대상을 넓히는 방안도 검토하기로 했다.',
      '지난해 시내버스가 낸 교통사고는 모두 1천여건으로 이 가운데 절반이 보행자 사고였다.',
      '장치 공급 업체는 다음 달 공개 입찰로 정해진다.',
    ];
    const union = [
      '노조는 장치 도입으로 운전기사 감시가 강화될 수 있다며 사용 기준을 먼저 정하라고 요구했다.',
      '운전기사들은 경고음이 너무 잦으면 오히려 운전에 방해가 된다고 지적했다.',
      '시범 운행에 참여한 기사 30명 가운데 21명은 장치가 도움이 됐다고 답했다.',
      '노조와 시는 이달 말 노사정 협의체를 꾸려 세부 운영 지침을 논의하기로 했다.',
      '전문가들은 야간과 우천 시 감지 성능을 따로 검증해야 한다고 조언했다.',
      '한 기사는 사각지대 사고를 줄이는 데는 분명히 효과가 있을 것이라고 말했다.',
      '협의체에는 교통안전공단과 시민단체 대표도 참여한다.',
    ];
    const rules = [
      '국토교통부는 자율주행 보조 장치의 성능 인증 기준을 올해 안에 새로 마련하겠다고 밝혔다.',
      '새 기준은 보행자 감지 거리와 자동 제동 반응 시간을 항목별로 따로 평가하는 방식이다.',
      '인증을 받지 못한 장치는 공공 사업 입찰에 참여할 수 없게 된다.',
      '업계는 인증 절차가 길어지면 장치 보급이 늦어질 수 있다고 우려했다.',
      '국토부는 상반기 중 공청회를 열어 업계와 전문가 의견을 듣기로 했다.',
    ];
    const abroad = [
      '해외에서는 유럽연합이 2024년부터 신형 버스와 트럭에 비상 제동 장치 장착을 의무화했다.',
      '일본 국토교통성도 비슷한 인증 제도를 운영하고 있다.',
      '국내 제조사 가운데서는 현대차가 가장 먼저 인증 준비에 들어간 것으로 알려졌다.',
      '인증 비용은 장치 한 대에 수십만원 수준이 될 것으로 보인다.',
    ];
    const pilot = [
      '경기도는 광역버스 200대에 같은 장치를 시범 설치하는 사업을 다음 달 시작한다.',
      '경기도 사업은 국비 지원 없이 도비 80억원으로 진행된다.',
      '도는 설치 대상 노선을 출퇴근 승객이 많은 순서로 고를 계획이다.',
      '경기도 버스조합은 장치 유지보수 비용을 누가 낼지부터 정해야 한다고 밝혔다.',
      '도는 시범 사업 결과를 보고 내후년 전면 확대 여부를 결정한다.',
    ];
    const story = (id: string, title: string, lines: string[]): DedupeInput => ({ ...item(id), title, body: lines.join('\n') });
    const stored = [
      story('plan', '서울 시내버스에 자율주행 보조 장치 단다', plan),
      story('pilot', '경기도 광역버스도 보조 장치 시범 설치', [...union.slice(4), rules[4]!, ...pilot]),
    ];
    const together = [
      story('union', '버스 자율주행 보조 장치 도입에 노조 "기준부터"', [...plan.slice(0, 4), ...union]),
      story('rules', '국토부, 자율주행 보조 장치 인증 기준 마련', [...rules, ...abroad]),
      story('roundup', '버스 보조 장치 놓고 노조·정부 기준 논의', [...union, ...rules]),
    ];
    const oneAtATime = createClusterer(createMemoryClusterIndex());
    const want: string[] = [];
    for (const s of [...stored, ...together]) want.push((await oneAtATime.assign(s)).clusterId);
    expect(want).toEqual(['plan', 'pilot', 'plan', 'rules', 'rules']);

    // Claiming bands takes a while, as over the shared table (a conditional write per band): the
    // rules are still claiming theirs when the round-up looks, so the store cannot show them yet.
    const inner = createMemoryClusterIndex();
    const slowClaims: ClusterIndex = {
      ...inner,
      claimBands: async (...args) => {
        await new Promise((r) => setTimeout(r, 30));
        return inner.claimBands(...args);
      },
    };
    const c = createClusterer(slowClaims);
    for (const s of stored) await c.assign(s);
    const got = await Promise.all(together.map((s) => c.assign(s)));
    // Before, the round-up took the union's cluster for the closest, found the plan no copy, and
    // looked in the store only, which did not yet show the rules: it joined the pilot.
    expect(got.map((a) => a.clusterId)).toEqual(want.slice(stored.length));
  });

  it('leaves a key to the story in flight that entered first, even when its own lookup answers sooner', async () => {
    // Made-up texts under one headline from three outlets: a report of a contract (first), another
    // outlet's piece on something else under the same headline (second), and a rewrite that keeps
    // two of the first report's sentences: 30 % of it, a copy only under the same headline (15 %,
    // docs/dedupe.md step 4). One at a time, the first report owns the headline key and the
    // rewrite joins it.
    const report = [
      '삼성전자가 2나노 파운드리 공정의 첫 대형 고객으로 미국 AI 칩 설계 회사를 확보했다.',
      '계약 규모는 수조원대로 알려졌으며 양산은 내년 하반기 평택 공장에서 시작된다.',
      '삼성전자는 그동안 수율 문제로 대형 고객 확보에 어려움을 겪어 왔다.',
      '이번 계약으로 대만 TSMC와의 점유율 격차를 좁힐 수 있을 것이라는 기대가 나온다.',
      '회사는 게이트올어라운드 구조를 적용해 전력 효율을 이전 공정보다 25% 높였다고 설명했다.',
      '증권가는 파운드리 사업부의 적자 폭이 내년부터 줄어들 것으로 전망했다.',
      '삼성전자 주가는 계약 소식이 알려진 뒤 장중 4% 넘게 올랐다.',
      '업계는 추가 고객사 발표가 이어질지 주목하고 있다.',
    ];
    const other = [
      '반도체 업계에 따르면 국내 팹리스 업체들의 해외 파운드리 의존도가 갈수록 높아지고 있다.',
      '정부는 국내 팹리스의 시제품 제작 비용을 지원하는 예산을 두 배로 늘리기로 했다.',
      '중소 팹리스 대표들은 첨단 공정 배정을 받기까지 1년 가까이 기다려야 한다고 호소했다.',
      '전문가들은 국내 생태계를 키우려면 설계 인력 양성이 먼저라고 지적했다.',
      '산업부는 다음 달 팹리스 지원 대책을 따로 발표할 예정이다.',
      '대학들도 반도체 설계 전공 정원을 늘리는 방안을 검토하고 있다.',
    ];
    const own = [
      '증권가에서는 이번 수주가 파운드리 사업 반등의 신호탄이 될 수 있다는 분석이 나왔다.',
      '한 애널리스트는 첫 대형 고객을 잡은 만큼 다른 빅테크와의 협상도 속도를 낼 것이라고 말했다.',
      '다만 수율 안정화가 확인되기 전까지는 신중해야 한다는 목소리도 있다.',
      '외국인 투자자들은 이날 삼성전자 주식을 3천억원어치 넘게 사들였다.',
      '반도체 장비주도 동반 강세를 보였다.',
      '시장에서는 연말까지 추가 수주 소식이 나올 가능성에 무게를 두고 있다.',
    ];
    const title = '삼성전자, 2나노 파운드리 첫 대형 고객 확보';
    const first = item('first', { title, body: report.join('\n') });
    const second = item('second', { title, body: other.join('\n') });
    const rewrite = item('rewrite', { title, body: [...report.slice(0, 2), ...own].join('\n') });
    const oneAtATime = createClusterer(createMemoryClusterIndex());
    const want: string[] = [];
    for (const s of [first, second, rewrite]) want.push((await oneAtATime.assign(s)).clusterId);
    expect(want).toEqual(['first', 'second', 'first']);

    // The two are assigned together, and the store answers the first one's lookup later (as two
    // concurrent requests may come back): the second must not take the headline key before it.
    const inner = createMemoryClusterIndex();
    const claims: string[] = [];
    const slowFirst: ClusterIndex = {
      ...inner,
      lookup: async (id, keys) => {
        if (id === 'first') await new Promise((r) => setTimeout(r, 30));
        return inner.lookup(id, keys);
      },
      claimBands: (keys, owner, staleBefore) => (claims.push(owner.storyId), inner.claimBands(keys, owner, staleBefore)),
    };
    const c = createClusterer(slowFirst);
    const together = await Promise.all([c.assign(first), c.assign(second)]);
    const got = [...together, await c.assign(rewrite)].map((a) => a.clusterId);
    // Before, the second owned the key, the rewrite never met the first report under the
    // headline, and it led a cluster of its own: two alerts for one story.
    expect(got).toEqual(want);
    // And the two leaders ask the index for their bands in the order they arrived: the embedded
    // store's restart replays claims in the order they were asked (sole-writer.ts), so it gives
    // the key to the first as well.
    expect(claims).toEqual(['first', 'second']);
  });

  it('takes the keys it left to a story in flight that then failed: the next copy still finds the cluster', async () => {
    // One wire story in three outlets. The first outlet's story cannot be written (a throttled
    // store), while the second, in flight with it, leaves every shared key to it.
    const inner = createMemoryClusterIndex();
    const failing: ClusterIndex = {
      ...inner,
      putFingerprint: async (fp) => {
        if (fp.id === 'w0') {
          await new Promise((r) => setTimeout(r, 20));
          throw new Error('ProvisionedThroughputExceededException');
        }
        return inner.putFingerprint(fp);
      },
    };
    const c = createClusterer(failing);
    const copy = (i: number) => ({ ...cases.wire, id: `w${i}`, url: `https://o${i}.example.kr/w`, outlet: `매체${i}` });
    const [first, second] = await Promise.allSettled([c.assign(copy(0)), c.assign(copy(1))]);
    expect(first.status).toBe('rejected');
    expect(second).toMatchObject({ status: 'fulfilled', value: { clusterId: 'w1', leader: true } });
    // Before, the keys left to the failed story stayed unowned: the third copy found nothing
    // and led a cluster of its own (a second alert for one wire story).
    expect(await c.assign(copy(2))).toMatchObject({ clusterId: 'w1', leader: false });
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

  it('copies of one wire story assigned together read the store side by side, not one after another', async () => {
    // Twelve outlets' edits of one wire story (each drops another sentence, under its own
    // headline), polled in one cycle. Each is a copy of those before it, so each waits for their
    // clusters; its own read of the store must not wait too.
    const sentences = cases.wire.body.split(/(?<=다\.)\s+/);
    expect(sentences.length).toBeGreaterThanOrEqual(4);
    const copies = Array.from({ length: 12 }, (_, i) => ({
      ...cases.wire,
      id: `w${i}`,
      url: `https://o${i}.example.kr/w`,
      outlet: `매체${i}`,
      title: `${cases.wire.title} (${i})`,
      body: sentences.filter((_, j) => j !== i % sentences.length).join(' '),
    }));
    const oneAtATime = createClusterer(createMemoryClusterIndex());
    const want: string[] = [];
    for (const s of copies) want.push((await oneAtATime.assign(s)).clusterId);
    expect(new Set(want)).toEqual(new Set(['w0']));

    // Every read takes a while to come back, as a store's does; each is noted with how many reads
    // had come back when it was asked.
    const inner = createMemoryClusterIndex();
    let answered = 0;
    const askedAfter: number[] = [];
    const slow: ClusterIndex = {
      ...inner,
      lookup: async (id, keys) => {
        askedAfter.push(answered);
        await new Promise((r) => setTimeout(r, 5));
        answered++;
        return inner.lookup(id, keys);
      },
    };
    const c = createClusterer(slow);
    const got = await Promise.all(copies.map((s) => c.assign(s)));
    expect(got.map((a) => a.clusterId)).toEqual(want);
    // Before, the k-th copy asked only after k-1 reads had come back: twelve round trips in a row.
    expect(askedAfter).toEqual(copies.map(() => 0));
  });

  it('keeps a short unrelated text alone', async () => {
    const c = createClusterer(createMemoryClusterIndex());
    await c.assign(item('a'));
    expect(await c.assign(item('b', { title: '오늘의 날씨', body: '전국이 대체로 맑겠다.' }))).toEqual({ clusterId: 'b', leader: true });
  });
  describe('a release rewritten sentence by sentence (fewer shared sentences, the same vocabulary)', () => {
    // A made-up release; an outlet's rewrite of it (three of its five sentences kept nearly word
    // for word, 58% of the release; the others reworded); an outlet's own report that keeps three
    // of them as closely (59%) and adds four sentences of its own (competitors, an analyst, the
    // budget). Both share 37-39% of the release's shingles, under the 40% bar.
    const release = [
      '한빛반도체는 3일 차세대 인공지능 가속기 누리2의 양산을 경기 화성 공장에서 시작했다고 밝혔다.',
      '누리2는 이전 세대보다 전력 효율이 두 배 높고 초당 처리 성능은 1.8배 빨라졌다.',
      '회사는 올해 안에 국내 데이터센터 세 곳에 누리2를 공급하고 내년에는 해외 시장에 진출할 계획이다.',
      '양산 라인에는 자체 개발한 패키징 기술이 처음으로 적용돼 불량률을 크게 낮췄다.',
      '한빛반도체는 이번 양산으로 연간 매출이 지난해의 두 배 수준으로 늘어날 것으로 내다봤다.',
    ].join('\n');
    const rewrite = [
      '한빛반도체가 만든 차세대 AI 가속기 누리2가 3일부터 경기 화성 공장에서 본격적인 양산 체제에 들어갔다.',
      '누리2는 이전 세대보다 전력 효율이 두 배 높아졌고, 초당 처리 성능도 1.8배 빨라졌다는 설명이다.',
      '회사 측은 올해 국내 데이터센터 세 곳에 누리2를 공급한 뒤 내년에는 해외 시장에 진출한다는 계획이다.',
      '양산 라인에는 자체 개발한 패키징 기술이 처음 적용돼 불량률이 줄었다.',
      '연간 매출 역시 이번 양산으로 지난해의 두 배 수준까지 늘 것이라는 게 회사 전망이다.',
    ].join('\n');
    const ownReport = [
      '국내 인공지능 반도체 업계의 양산 경쟁이 본격화됐다.',
      '누리2는 이전 세대보다 전력 효율이 두 배 높고 초당 처리 성능은 1.8배 빨라졌다고 회사는 설명했다.',
      '올해 안에 국내 데이터센터 세 곳에 누리2를 공급하고 내년부터는 해외 시장 진출도 추진할 계획이라고 회사는 덧붙였다.',
      '양산 라인에는 자체 개발한 패키징 기술이 처음으로 적용됐다.',
      '증권가에서는 경쟁사인 미래칩스와 새봄테크도 하반기 신제품을 내놓을 예정이어서 가격 경쟁이 치열해질 것으로 본다.',
      '한 애널리스트는 엔비디아 의존도를 낮추려는 통신사와 포털의 수요가 변수라고 분석했다.',
      '정부도 공공 클라우드에 국산 칩을 쓰는 사업에 올해 예산 사백억 원을 배정했다.',
      '업계 관계자는 수율을 안정적으로 유지하는 것이 관건이라며 장비 조달 일정도 지켜봐야 한다고 말했다.',
    ].join('\n');
    const story = (id: string, text: string, minutes: number): DedupeInput => ({
      id,
      url: `https://${id}.example.kr/1`,
      title: '',
      body: text,
      outlet: id,
      publishedAt: new Date(Date.parse('2025-03-03T01:00:00.000Z') + minutes * 60_000).toISOString(),
    });

    it('joins the rewrite to the release (one alert) and keeps the own report apart, linked as related', async () => {
      const c = createClusterer(createMemoryClusterIndex());
      expect(await c.assign(story('release', release, 0))).toMatchObject({ clusterId: 'release', leader: true });
      expect(await c.assign(story('rewrite', rewrite, 30))).toMatchObject({ clusterId: 'release', leader: false });
      expect(await c.assign(story('own', ownReport, 60))).toMatchObject({ clusterId: 'own', leader: true, related: ['release'] });
    });

    it('joins the rewrite by the vocabulary rule: under the shingle and the 60% sentence bars', () => {
      const o = DEFAULT_DEDUPE_OPTIONS;
      const sets = (text: string) => ({ ...fingerprintSets('', text, o), publishedAt: '2025-03-03T01:00:00.000Z' });
      const [r, w, own] = [sets(release), sets(rewrite), sets(ownReport)];
      expect(verifyPair(w, r, o).join).toBe(true);
      expect(verifyPair(w, r, { ...o, closeSentenceShare: 2 }).join).toBe(false);
      // As many shared sentences, but words of its own: bigram Jaccard under the bar.
      expect(verifyPair(own, r, { ...o, closeJaccard: 0 }).join).toBe(true);
      expect(verifyPair(own, r, o).join).toBe(false);
    });
  });
});
