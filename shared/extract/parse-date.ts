// Dates as Korean outlets write them. Feeds mix RFC 822 with +0900, KST or GMT, ISO
// 8601, bare `2025-01-28 10:21:00` and `2025.01.28 10:21` (no zone: Korea time), ASP's
// `2025-01-28 오전 10:21:00`, and list pages show `3시간 전`, `어제`, `14:03` or `05.22`.
import { collapseWhitespace } from '../whitespace.ts';

const KST_MINUTES = 9 * 60;
const MONTHS: Record<string, number> = { jan: 1, feb: 2, mar: 3, apr: 4, may: 5, jun: 6, jul: 7, aug: 8, sep: 9, oct: 10, nov: 11, dec: 12 };
const ZONES: Record<string, number> = {
  z: 0,
  ut: 0,
  utc: 0,
  gmt: 0,
  kst: 540,
  jst: 540,
  est: -300,
  edt: -240,
  cst: -360,
  cdt: -300,
  mst: -420,
  mdt: -360,
  pst: -480,
  pdt: -420,
};

/** Offset in minutes east of UTC for a zone token, or undefined when unknown. */
function zoneOffset(token: string | undefined): number | undefined {
  if (!token) return undefined;
  const t = token.trim().toLowerCase();
  if (t in ZONES) return ZONES[t];
  const m = /^([+-])(\d{2}):?(\d{2})?$/.exec(t);
  if (!m) return undefined;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  return m[1] === '-' ? -minutes : minutes;
}

/** Milliseconds since epoch of a wall-clock time in a zone (default Korea). */
function wallClock(y: number, mo: number, d: number, h: number, mi: number, s: number, offsetMinutes = KST_MINUTES): number | undefined {
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 60) return undefined;
  const t = Date.UTC(y, mo - 1, d, h, mi, s) - offsetMinutes * 60_000;
  const check = new Date(Date.UTC(y, mo - 1, d));
  return check.getUTCDate() === d ? t : undefined; // rejects 2025-02-30
}

/** Korea-time calendar fields of an instant. */
function kstFields(ms: number): { y: number; mo: number; d: number } {
  const k = new Date(ms + KST_MINUTES * 60_000);
  return { y: k.getUTCFullYear(), mo: k.getUTCMonth() + 1, d: k.getUTCDate() };
}

function hour12(h: number, meridiem: string | undefined): number {
  if (meridiem === '오후' || meridiem?.toLowerCase() === 'pm') return (h % 12) + 12;
  if (meridiem === '오전' || meridiem?.toLowerCase() === 'am') return h % 12;
  return h;
}

function fullYear(y: string): number {
  const n = Number(y);
  return y.length === 2 ? 2000 + n : n;
}

const RELATIVE_UNITS: Record<string, number> = { 초: 1_000, 분: 60_000, 시간: 3_600_000, 일: 86_400_000, 주: 7 * 86_400_000, 개월: 30 * 86_400_000 };

function parseMs(raw: string, now: Date): number | undefined {
  const text = collapseWhitespace(raw);
  const nowMs = now.getTime();

  // Relative Korean times.
  if (/^방금( 전)?$/.test(text)) return nowMs;
  const rel = /^(\d+)\s*(초|분|시간|일|주|개월)\s*전$/.exec(text);
  if (rel) return nowMs - Number(rel[1]) * RELATIVE_UNITS[rel[2]!]!;
  const dayWord = /^(오늘|어제|그제|그저께)(?:\s*(오전|오후)?\s*(\d{1,2}):(\d{2}))?$/.exec(text);
  if (dayWord) {
    const back = { 오늘: 0, 어제: 1, 그제: 2, 그저께: 2 }[dayWord[1] as '오늘'] ?? 0;
    if (dayWord[3] === undefined) return nowMs - back * 86_400_000;
    const { y, mo, d } = kstFields(nowMs - back * 86_400_000);
    return wallClock(y, mo, d, hour12(Number(dayWord[3]), dayWord[2]), Number(dayWord[4]), 0);
  }

  // Time only (a list page's "today"): today in Korea, or yesterday if that is still ahead.
  const timeOnly = /^(\d{1,2}):(\d{2})(?::(\d{2}))?$/.exec(text);
  if (timeOnly) {
    const { y, mo, d } = kstFields(nowMs);
    const t = wallClock(y, mo, d, Number(timeOnly[1]), Number(timeOnly[2]), Number(timeOnly[3] ?? 0));
    return t !== undefined && t > nowMs ? t - 86_400_000 : t;
  }
  // Month and day only (DCInside "05.22"): this year, or last year if still ahead.
  const monthDay = /^(\d{1,2})[./-](\d{1,2})\.?$/.exec(text);
  if (monthDay) {
    const { y } = kstFields(nowMs);
    const t = wallClock(y, Number(monthDay[1]), Number(monthDay[2]), 0, 0, 0);
    return t !== undefined && t > nowMs ? wallClock(y - 1, Number(monthDay[1]), Number(monthDay[2]), 0, 0, 0) : t;
  }

  // RFC 822 / 1123: "Tue, 28 Jan 2025 10:21:00 +0900" (zone optional: KST).
  const rfc =
    /^(?:[A-Za-z]{3,9},?\s*)?(\d{1,2})\s+([A-Za-z]{3})[A-Za-z]*\.?\s+(\d{2,4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*([A-Za-z]{1,4}|[+-]\d{2}:?\d{2})?$/.exec(
      text,
    );
  if (rfc) {
    const mo = MONTHS[rfc[2]!.toLowerCase()];
    const offset = rfc[7] === undefined ? KST_MINUTES : zoneOffset(rfc[7]);
    if (mo === undefined || offset === undefined) return undefined;
    return wallClock(fullYear(rfc[3]!), mo, Number(rfc[1]), Number(rfc[4]), Number(rfc[5]), Number(rfc[6] ?? 0), offset);
  }

  // Numeric dates: 2025-01-28T10:21:00+09:00, 2025-01-28 10:21:00, 2025.01.28 10:21,
  // 2025-01-28 오전 10:21:00, 25/03/25 (11:46), 2025년 1월 28일 10시 21분.
  const num =
    /^(\d{4}|\d{2})\s*[-./년]\s*(\d{1,2})\s*[-./월]\s*(\d{1,2})\s*[.일]?(?:\s*\([^)\d]*\))?(?:[T ]\s*\(?\s*(오전|오후|AM|PM|am|pm)?\s*(\d{1,2})\s*[:시]\s*(\d{2})(?:\s*[:분]\s*(\d{2})(?:\.\d+)?)?\s*(?:초|분)?\s*\)?\s*(?:(오전|오후|AM|PM|am|pm))?)?\s*(Z|[A-Za-z]{2,4}|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      text,
    );
  if (num) {
    const offset = num[9] === undefined ? KST_MINUTES : zoneOffset(num[9]);
    if (offset === undefined) return undefined;
    const h = num[5] === undefined ? 0 : hour12(Number(num[5]), num[4] ?? num[8]);
    return wallClock(fullYear(num[1]!), Number(num[2]), Number(num[3]), h, Number(num[6] ?? 0), Number(num[7] ?? 0), offset);
  }

  // Anything else with an explicit zone that the platform understands.
  if (/(Z|[+-]\d{2}:?\d{2}|GMT|UTC)$/i.test(text)) {
    const t = Date.parse(text);
    return Number.isNaN(t) ? undefined : t;
  }
  return undefined;
}

/** The number of the two ASCII digits at `at`, or -1. */
function twoDigits(text: string, at: number): number {
  const a = text.charCodeAt(at) - 48;
  const b = text.charCodeAt(at + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

const isLetter = (c: number): boolean => (c >= 65 && c <= 90) || (c >= 97 && c <= 122);

/**
 * RFC 822 as nearly every feed writes it, `Thu, 06 Feb 2025 09:21:00 +0900` or `... GMT`,
 * read by position: the general path below (a prefix strip, whitespace collapsing, six
 * regular expressions and their match arrays) was ~1 KB and a few µs per item. Anything
 * else, or anything it cannot vouch for, is undefined and goes the general way; what it
 * reads, the RFC pattern there reads the same.
 */
function rfc822Ms(text: string): number | undefined {
  const gmt = text.length === 29 && text.endsWith(' GMT');
  if (!gmt && text.length !== 31) return undefined;
  if (!isLetter(text.charCodeAt(0)) || !isLetter(text.charCodeAt(1)) || !isLetter(text.charCodeAt(2))) return undefined;
  if (text.charCodeAt(3) !== 44 || text.charCodeAt(4) !== 32 || text.charCodeAt(7) !== 32 || text.charCodeAt(11) !== 32 || text.charCodeAt(16) !== 32)
    return undefined; // ", " and spaces
  if (text.charCodeAt(19) !== 58 || text.charCodeAt(22) !== 58) return undefined; // ':'
  const mo = MONTHS[text.slice(8, 11).toLowerCase()];
  const d = twoDigits(text, 5);
  const y1 = twoDigits(text, 12);
  const y2 = twoDigits(text, 14);
  const h = twoDigits(text, 17);
  const mi = twoDigits(text, 20);
  const s = twoDigits(text, 23);
  if (mo === undefined || d < 0 || y1 < 0 || y2 < 0 || h < 0 || mi < 0 || s < 0) return undefined;
  let offset = 0;
  if (!gmt) {
    const sign = text.charCodeAt(26);
    const oh = twoDigits(text, 27);
    const om = twoDigits(text, 29);
    if (text.charCodeAt(25) !== 32 || (sign !== 43 && sign !== 45) || oh < 0 || om < 0) return undefined;
    offset = (sign === 45 ? -1 : 1) * (oh * 60 + om);
  }
  return wallClock(y1 * 100 + y2, mo, d, h, mi, s, offset);
}

/**
 * Parses a date as Korean sources write it into a UTC ISO string; no zone means Korea
 * time; a date in the future is clamped to `now`; null when it cannot be read.
 */
export function parseDate(text: string, now: Date): string | null {
  if (!text) return null;
  const ms = rfc822Ms(text) ?? parseMs(text.replace(/^(입력|등록|수정|작성|발행|기사입력|승인)\s*[:：]?\s*/, ''), now);
  if (ms === undefined || Number.isNaN(ms)) return null;
  return new Date(Math.min(ms, now.getTime())).toISOString();
}
