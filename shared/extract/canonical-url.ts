// One URL per article. Feeds, search APIs and shares point at the same article through
// tracking parameters, mobile hosts and Naver's several URL forms; the story id is a
// hash of this canonical form, so getting it right is what keeps alerts single.

const TRACKING =
  /^(utm_[a-z_]+|fbclid|gclid|gclsrc|dclid|msclkid|yclid|igshid|mc_cid|mc_eid|_ga|_gl|ref|ref_src|referrer|refer|from|fromrss|rss|sns|share|spm|cmpid|ncid|ocid|oc|cid_source|input|outlink|nv_ref|recopick)$/i;

/** Mobile (and bare) hosts of outlets we poll whose paths mirror the desktop site. */
const HOST_ALIASES: Record<string, string> = {
  'm.yna.co.kr': 'www.yna.co.kr',
  'yna.co.kr': 'www.yna.co.kr',
  'm.hankyung.com': 'www.hankyung.com',
  'hankyung.com': 'www.hankyung.com',
  'm.mk.co.kr': 'www.mk.co.kr',
  'mk.co.kr': 'www.mk.co.kr',
  'm.khan.co.kr': 'www.khan.co.kr',
  'm.hani.co.kr': 'www.hani.co.kr',
  'm.etnews.com': 'www.etnews.com',
  'm.zdnet.co.kr': 'zdnet.co.kr',
  'www.zdnet.co.kr': 'zdnet.co.kr',
  'm.edaily.co.kr': 'www.edaily.co.kr',
  'm.sedaily.com': 'www.sedaily.com',
  'm.mt.co.kr': 'www.mt.co.kr',
  'm.donga.com': 'www.donga.com',
  'm.newsis.com': 'www.newsis.com',
  'mobile.newsis.com': 'www.newsis.com',
  'newsis.com': 'www.newsis.com',
  'm.news1.kr': 'www.news1.kr',
  'm.inews24.com': 'www.inews24.com',
  'm.boannews.com': 'www.boannews.com',
  'm.etoday.co.kr': 'www.etoday.co.kr',
  'm.ddaily.co.kr': 'www.ddaily.co.kr',
  'm.fnnews.com': 'www.fnnews.com',
  'm.seoul.co.kr': 'www.seoul.co.kr',
  'm.kmib.co.kr': 'www.kmib.co.kr',
  'm.segye.com': 'www.segye.com',
  'm.imbc.com': 'imnews.imbc.com',
  'm.imnews.imbc.com': 'imnews.imbc.com',
  'mnews.sbs.co.kr': 'news.sbs.co.kr',
  'm.news.sbs.co.kr': 'news.sbs.co.kr',
  'm.biz.chosun.com': 'biz.chosun.com',
  'm.chosun.com': 'www.chosun.com',
  'chosun.com': 'www.chosun.com',
  'm.aitimes.com': 'www.aitimes.com',
  'm.thelec.kr': 'www.thelec.kr',
  'm.techm.kr': 'www.techm.kr',
  'm.bloter.net': 'www.bloter.net',
  'm.ajunews.com': 'www.ajunews.com',
};

const NAVER_NEWS_HOSTS = new Set(['news.naver.com', 'n.news.naver.com', 'm.news.naver.com']);

/** Naver's several forms of one article: oid (press) + aid (article). */
function naverArticle(u: URL): { oid: string; aid: string } | undefined {
  if (!NAVER_NEWS_HOSTS.has(u.hostname)) return undefined;
  const path = /^\/(?:mnews\/)?article\/(\d{3})\/(\d{10})/.exec(u.pathname);
  if (path) return { oid: path[1]!, aid: path[2]! };
  const oid = u.searchParams.get('oid');
  const aid = u.searchParams.get('aid');
  if (oid && aid && /^\/(main\/read|read)\.(naver|nhn)$/.test(u.pathname)) return { oid, aid };
  return undefined;
}

/** DCInside posts: only the gallery id and post number identify one. */
function dcinsidePost(u: URL): string | undefined {
  if (u.hostname === 'm.dcinside.com') {
    const m = /^\/(board|mini)\/([\w-]+)\/(\d+)/.exec(u.pathname);
    if (m) return `https://gall.dcinside.com/${m[1] === 'mini' ? 'mini/' : ''}board/view/?id=${m[2]}&no=${m[3]}`;
  }
  if (u.hostname === 'gall.dcinside.com' && /\/board\/view\/?$/.test(u.pathname)) {
    const id = u.searchParams.get('id');
    const no = u.searchParams.get('no');
    if (id && no) return `https://gall.dcinside.com${u.pathname.replace(/\/?$/, '/')}?id=${id}&no=${no}`;
  }
  return undefined;
}

// Feeds list the same articles poll after poll, and the story id hashes the canonical form
// again: recent answers are kept (bounded), each also as the answer for itself.
const MEMO_SIZE = 20_000;
const memo = new Map<string, string>();

/**
 * The canonical form of an article URL: https-normalised known hosts, no fragment, no
 * tracking parameters, mobile hosts mapped to desktop, Naver and DCInside forms unified,
 * remaining query parameters sorted. Unparseable input comes back trimmed.
 */
/** The longest link kept: real article URLs (Google News' included) are far shorter; a longer one is an attack or an error. */
export const MAX_URL_LENGTH = 4096;

/**
 * The link as an absolute http(s) URL fit to store and show, or undefined: `javascript:`,
 * `data:`, `file:` and other schemes, unparseable and over-long links never reach a message.
 */
export function webUrl(href: string | undefined, base?: string): string | undefined {
  if (!href) return undefined;
  let u: URL;
  try {
    u = new URL(href.trim(), base);
  } catch {
    return undefined;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return undefined;
  return u.href.length > MAX_URL_LENGTH ? undefined : u.href;
}

export function canonicalUrl(url: string): string {
  return memo.get(url) ?? remembered(url, canonicalForm(url));
}

/**
 * canonicalUrl of a URL already parsed (a feed's link resolved against the feed's address):
 * not parsed a second time. `u` may be changed.
 */
export function canonicalUrlOf(u: URL): string {
  const url = u.href;
  return memo.get(url) ?? remembered(url, canonicalOf(u));
}

function remembered(url: string, canonical: string): string {
  if (memo.size >= MEMO_SIZE) memo.clear();
  memo.set(url, canonical);
  memo.set(canonical, canonical);
  return canonical;
}

/**
 * Most feed links are canonical as parsed (the parser already lowercases the host and drops
 * a default port): no query, fragment or credentials, on a host with no rule of its own.
 * Answering them from the parse skips the setters below, each of which re-serialises the URL.
 */
function isCanonical(u: URL): boolean {
  const host = u.hostname;
  return !/[?#@]/.test(u.href) && !host.endsWith('.') && !Object.hasOwn(HOST_ALIASES, host) && !NAVER_NEWS_HOSTS.has(host) && !host.endsWith('dcinside.com');
}

function canonicalForm(url: string): string {
  let u: URL;
  try {
    u = new URL(url.trim());
  } catch {
    return url.trim();
  }
  return canonicalOf(u);
}

function canonicalOf(u: URL): string {
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return u.toString();
  if (isCanonical(u)) return u.href;
  u.hash = '';
  u.username = '';
  u.password = '';
  u.hostname = u.hostname.toLowerCase().replace(/\.$/, '');

  const naver = naverArticle(u);
  if (naver) return `https://n.news.naver.com/mnews/article/${naver.oid}/${naver.aid}`;
  const dc = dcinsidePost(u);
  if (dc) return dc;

  const alias = HOST_ALIASES[u.hostname];
  if (alias) {
    u.hostname = alias;
    u.protocol = 'https:'; // every outlet in the table serves https; http and https copies are one article
  }
  if ((u.protocol === 'https:' && u.port === '443') || (u.protocol === 'http:' && u.port === '80')) u.port = '';

  const kept = [...u.searchParams.entries()].filter(([k]) => !TRACKING.test(k));
  kept.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  u.search = '';
  for (const [k, v] of kept) u.searchParams.append(k, v);
  return u.toString();
}
