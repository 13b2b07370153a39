// `newswatch serve`: a read-only web view of the store, server-rendered with Hono.
// Pages: recent stories by primary topic, one story with its copies, sources' health,
// deliveries, the digest of any day, topic counts per day. GET only; nothing here writes.
import { Hono } from 'hono';
import { loadDeliveries } from '../deliveries-view.ts';
import { html } from 'hono/html';
import { secureHeaders } from 'hono/secure-headers';
import type { Config } from '../../shared/config/schema/index.ts';
import { buildDigest, digestDayFor } from '../../shared/deliver/index.ts';
import { safeHref, shownTitle } from '../../shared/deliver/escape.ts';
import type { Story } from '../../shared/model.ts';
import type { Store } from '../../shared/store/port.ts';
import { dayBefore, formatKorea, isDay, koreaDay, koreanLongDate, koreanMonthDay } from '../../shared/time.ts';
import { SPLIT_RULE } from '../../shared/classify/index.ts';
import { parseSince } from '../since.ts';
import { entryOf, listEntries, topicLabel, topicsPrimaryFirst, whyLine, type StoryEntry } from '../story-list.ts';
import { page, type Html } from './layout.ts';
import type { OutStream } from '../io.ts';

export interface WebOptions {
  store: Store;
  config: Config;
  /** The clock (tests and the demo pass a fixed one). */
  now?: () => Date;
  /** Default window of the story list, as `--since` takes it (default 7d). */
  since?: string;
  /** Host names the page answers to; requests naming another host are refused (DNS rebinding). Empty: any. */
  allowedHosts?: string[];
  /** Where a page that failed is logged (default the process's stderr; `serve` passes its own). */
  errors?: OutStream;
}

/** Stories per page at most: the list is for reading, `stories --json` is for everything. */
const MAX_STORIES = 300;
const CHART_DAYS = 14;

export function createWebApp(opts: WebOptions): Hono {
  const { store, config } = opts;
  const now = opts.now ?? (() => new Date());
  const app = new Hono();

  app.use(
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'none'"],
        styleSrc: ["'unsafe-inline'"],
        imgSrc: ["'self'", 'https:', 'data:'],
        frameSrc: ["'self'"],
        formAction: ["'self'"],
        frameAncestors: ["'self'"],
      },
      referrerPolicy: 'no-referrer',
      crossOriginResourcePolicy: 'same-origin',
    }),
  );
  app.use(async (c, next) => {
    const host = (c.req.header('host') ?? '').replace(/:\d+$/, '').toLowerCase();
    if (opts.allowedHosts && opts.allowedHosts.length > 0 && !opts.allowedHosts.includes(host)) {
      return c.text(`newswatch serve answers to ${opts.allowedHosts.join(', ')} only`, 421);
    }
    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') return c.text('read-only', 405, { allow: 'GET, HEAD' });
    return next();
  });

  app.get('/', async (c) => {
    const sinceText = c.req.query('since') ?? opts.since ?? '7d';
    const at = now();
    let since: Date;
    try {
      since = parseSince(sinceText, at);
    } catch (e) {
      return c.html(page('잘못된 기간', '/', html`<p>${(e as Error).message}</p>`), 400);
    }
    // The window ends at the page's clock, the one `since` counts back from.
    const entries = await listEntries(store, { since, now: at, limit: MAX_STORIES });
    const sections = new Map<string, StoryEntry[]>(Object.keys(config.topics).map((t) => [t, []]));
    for (const e of entries) {
      const primary = e.topics[0] ?? '';
      const list = sections.get(primary);
      if (list) list.push(e);
      else sections.set(primary, [e]);
    }
    const body = html`<p class="muted">${formatKorea(since)} KST 이후 ${entries.length}건 · 주제별(대표 주제 기준), 최신순</p>
<form class="inline" method="get" action="/"><label>기간 <input name="since" value="${sinceText}" size="10"></label><button>보기</button><span class="muted">예: 24h, 7d, 2025-02-01</span></form>
${entries.length === 0 ? html`<p>이 기간에 저장된 기사가 없습니다. <code>newswatch run</code>이 매체를 읽으면 여기에 나타납니다.</p>` : ''}
${[...sections].filter(([, list]) => list.length > 0).map(([topic, list]) => html`<section><h2>${topicLabel(config, topic)} <span class="muted">${list.length}건</span></h2>${list.map((e) => storyCard(config, e))}</section>`)}`;
    return c.html(page('최근 기사', '/', body));
  });

  app.get('/story/:id', async (c) => {
    const story = await store.getStory(c.req.param('id'));
    if (!story) return c.html(page('기사 없음', '', html`<p>이 기사는 저장소에 없습니다: ${c.req.param('id')}</p><p><a href="/">최근 기사로</a></p>`), 404);
    const entry = await entryOf(store, story);
    const copies = await Promise.all(entry.copies.map(async (cp) => ({ ...cp, story: await store.getStory(cp.id) })));
    const body = html`${storyCard(config, entry, true)}
<h2>같은 기사를 실은 매체 <span class="muted">${outletCount(entry)}개 매체</span></h2>
<table><thead><tr><th>매체</th><th>제목</th><th>시각 (KST)</th></tr></thead><tbody>
<tr><td>${story.outlet}</td><td><a href="${safeHref(story.url)}" rel="noopener noreferrer">${shownTitle(story.title)}</a></td><td>${formatKorea(story.publishedAt)}</td></tr>
${copies.map((cp) => html`<tr><td>${cp.outlet}</td><td><a href="${safeHref(cp.url)}" rel="noopener noreferrer">${shownTitle(cp.title)}</a></td><td>${cp.story ? formatKorea(cp.story.publishedAt) : ''}</td></tr>`)}
</tbody></table>
<h2>왜 이 주제인가</h2>
${topicsPrimaryFirst(story).map((t) => {
  const why = story.why[t];
  return html`<div class="card"><b>${topicLabel(config, t)}</b> <span class="muted">${why ? `${Math.round(why.score * 10) / 10}점 / 기준 ${why.threshold}점` : ''}</span>
<ul class="copies">${(why?.hits ?? []).map((h) => html`<li>${h.term}${h.found !== h.term ? ` (${h.found})` : ''} · ${h.field === 'title' ? '제목' : '본문'} · ${kindLabel(h.kind, h.rule)} ${h.weight > 0 ? `+${h.weight}` : h.weight}<span class="snippet">${h.snippet}</span></li>`)}</ul></div>`;
})}`;
    return c.html(page(shownTitle(story.title), '', body));
  });

  app.get('/sources', async (c) => {
    const states = new Map((await store.listSourceStates()).map((s) => [s.id, s]));
    const t = now().getTime();
    const rows = config.sources.map((src) => {
      const s = states.get(src.id);
      const health = !src.enabled
        ? html`<span class="badge">꺼짐</span>`
        : s?.consecutiveFailures
          ? html`<span class="badge warn">실패 ${s.consecutiveFailures}회 · ${formatKorea(s.failingSince ?? s.lastAttemptAt ?? new Date(t))} KST부터</span>`
          : s?.lastSuccessAt
            ? html`<span class="badge ok">정상</span>`
            : html`<span class="badge">아직 안 읽음</span>`;
      const next = s?.nextPollAt && Date.parse(s.nextPollAt) > t ? `${formatKorea(s.nextPollAt)} KST` : '다음 주기';
      return html`<div class="card"><b>${src.id}</b> <span class="muted">${src.outlet ?? ''}</span> ${health}
<div class="muted">마지막 성공 ${s?.lastSuccessAt ? `${formatKorea(s.lastSuccessAt)} KST` : '—'} · 다음 읽기 ${next}</div>
${s?.consecutiveFailures && s.lastError ? html`<div class="why">마지막 오류: ${s.lastError}</div>` : ''}</div>`;
    });
    const body = html`<h2>매체 ${config.sources.length}곳</h2>${rows}`;
    return c.html(page('매체 상태', '/sources', body));
  });

  app.get('/deliveries', async (c) => {
    // The outbox: alerts not delivered yet (pending, sending, failed) and those given up.
    const { open, givenUp } = await loadDeliveries(store);
    const rows = [...open, ...givenUp];
    const label = { pending: '대기', sending: '보내는 중', failed: '실패 (재시도 예정)', 'given-up': '포기', sent: '보냄' } as const;
    const body = html`<h2>보내지 못한 알림 ${rows.length}건</h2>
${
  rows.length === 0
    ? html`<p>보내지 못한 알림이 없습니다 (none pending, failed or given up).</p>`
    : html`<table><thead><tr><th>보낼 곳</th><th>기사</th><th>상태</th><th>시도</th><th>다음 시도 / 포기 (KST)</th><th>이유</th></tr></thead><tbody>
${rows.map((f) => html`<tr><td>${f.destinationId}</td><td><a href="/story/${encodeURIComponent(f.storyId)}">${f.storyId}</a></td><td>${label[f.status]}</td><td>${f.attempts}</td><td>${formatKorea(f.status === 'given-up' ? (f.gaveUpAt ?? f.updatedAt) : (f.dueAt ?? f.updatedAt))}</td><td>${f.lastError ?? ''}</td></tr>`)}
</tbody></table>`
}
<p class="muted">포기한 알림은 <code>newswatch deliveries --retry 기사/보낼곳</code> 또는 <code>--all</code>로 다시 보냅니다.</p>`;
    return c.html(page('전송', '/deliveries', body));
  });

  app.get('/digest', (c) => {
    const day = c.req.query('day') ?? digestDayFor(now());
    if (!isDay(day)) return c.html(page('잘못된 날짜', '/digest', html`<p>"${day}"는 날짜가 아닙니다. YYYY-MM-DD (한국 시간)로 적어 주세요.</p>`), 400);
    const body = html`<h2>${koreanLongDate(day)} 다이제스트</h2>
<form class="inline" method="get" action="/digest"><label>날짜 <input type="date" name="day" value="${day}"></label><button>보기</button>
<a href="/digest?day=${dayBefore(day)}">← ${koreanMonthDay(dayBefore(day))}</a></form>
<p class="muted">이메일로 보내는 것과 같은 내용입니다. <a href="/digest/${day}/email.txt">텍스트판</a></p>
<iframe src="/digest/${day}/email.html" title="${koreanLongDate(day)} 다이제스트"></iframe>`;
    return c.html(page('다이제스트', '/digest', body));
  });

  app.get('/digest/:day/email.html', async (c) => {
    const day = c.req.param('day');
    if (!isDay(day)) return c.text('not a day', 400);
    return c.html((await buildDigest({ config, store }, day)).html);
  });
  app.get('/digest/:day/email.txt', async (c) => {
    const day = c.req.param('day');
    if (!isDay(day)) return c.text('not a day', 400);
    return c.text((await buildDigest({ config, store }, day)).text);
  });

  app.get('/topics', async (c) => {
    const until = c.req.query('until') ?? koreaDay(now());
    if (!isDay(until)) return c.html(page('잘못된 날짜', '/topics', html`<p>"${until}"는 날짜가 아닙니다. YYYY-MM-DD (한국 시간)로 적어 주세요.</p>`), 400);
    const days: string[] = [until];
    while (days.length < CHART_DAYS) days.push(dayBefore(days.at(-1)!));
    const stories = await store.listStories({
      since: new Date(Date.parse(`${days.at(-1)}T00:00:00+09:00`)),
      until: new Date(Date.parse(`${until}T23:59:59.999+09:00`)),
    });
    const body = html`<p class="muted">${koreanMonthDay(days.at(-1)!)}–${koreanMonthDay(until)} ${CHART_DAYS}일, 주제별 하루 기사 수 (같은 기사의 사본은 한 건으로, 한국 시간 기준)</p>
<form class="inline" method="get" action="/topics"><label>끝 날짜 <input type="date" name="until" value="${until}"></label><button>보기</button>
<a href="/topics?until=${dayBefore(days.at(-1)!)}">← 이전 ${CHART_DAYS}일</a></form>
${stories.length === 0 ? html`<p>이 기간에 저장된 기사가 없습니다.</p>` : ''}
${Object.keys(config.topics).map((t) => topicChart(config, t, days, stories))}`;
    return c.html(page('주제별 추이', '/topics', body));
  });

  app.notFound((c) => c.html(page('없는 페이지', '', html`<p>없는 페이지입니다. <a href="/">최근 기사로</a></p>`), 404));
  app.onError((err, c) => {
    (opts.errors ?? process.stderr).write(`newswatch serve: ${c.req.path}: ${err.message}\n`);
    return c.html(page('오류', '', html`<p>저장소를 읽지 못했습니다: ${err.message}</p>`), 500);
  });
  return app;
}

function kindLabel(kind: string, rule?: string): string {
  // A masked hit is either inside a longer word (`not`) or a two-syllable term split by a space.
  if (kind === 'masked' && rule === SPLIT_RULE) return '두 단어에 걸침';
  return { strong: '강한 단어', weak: '약한 단어', together: '함께 나옴', exclude: '제외어', masked: '다른 단어의 일부' }[kind] ?? kind;
}

function outletCount(e: StoryEntry): number {
  return new Set([e.story.outlet, ...e.copies.map((c) => c.outlet)]).size;
}

/** One story: headline (link to the article), N개 매체, outlet and time, why per topic, copies, related. */
function storyCard(config: Config, e: StoryEntry, full = false): Html {
  const s = e.story;
  const outlets = outletCount(e);
  return html`<article class="card">
<h3><a href="${safeHref(s.url)}" rel="noopener noreferrer">${shownTitle(s.title)}</a>${outlets > 1 ? html` <span class="badge">${outlets}개 매체</span>` : ''}</h3>
<div class="muted">${s.outlet} · ${formatKorea(s.publishedAt)} KST · ${e.topics.map((t) => topicLabel(config, t)).join(' · ')}${full ? '' : html` · <a href="/story/${encodeURIComponent(s.id)}">자세히</a>`}</div>
${full && s.summary ? html`<p class="summary">${s.summary}</p>` : ''}
${e.topics.map((t) => html`<p class="why"><b>${topicLabel(config, t)}</b>: ${whyLine(s.why[t])}</p>`)}
${e.copies.length > 0 && !full ? html`<ul class="copies">${e.copies.map((cp) => html`<li>${cp.outlet}: <a href="${safeHref(cp.url)}" rel="noopener noreferrer">${shownTitle(cp.title)}</a></li>`)}</ul>` : ''}
${e.related.length > 0 ? html`<p class="why"><b>관련 보도</b></p><ul class="copies">${e.related.map((r) => html`<li>${r.outlet}: <a href="${safeHref(r.url)}" rel="noopener noreferrer">${r.title}</a></li>`)}</ul>` : ''}
</article>`;
}

/** CSS bars: one row per day, the count of distinct clusters of `topic` on that Korea day. */
function topicChart(config: Config, topic: string, days: string[], stories: Story[]): Html {
  const counts = days.map((d) => new Set(stories.filter((s) => s.day === d && s.topics.includes(topic)).map((s) => s.clusterId)).size);
  const max = Math.max(1, ...counts);
  return html`<section class="chart"><h2>${topicLabel(config, topic)} <span class="muted">${counts.reduce((a, b) => a + b, 0)}건</span></h2>
${days.map((d, i) => html`<div class="row"><span class="day">${koreanMonthDay(d)}</span><span class="track"><span class="fill" style="display:block;width:${Math.round((counts[i]! / max) * 100)}%"></span></span><span class="n">${counts[i]}</span></div>`)}
</section>`;
}
