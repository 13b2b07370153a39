// The digest email: a subject, an HTML part built from tables with inline CSS (what
// Gmail, Outlook and phone clients render alike) and a plain-text part. Feed text is
// escaped here and nowhere else.
import { cleanText, escapeHtml, safeHref, shownTitle, truncate } from './escape.ts';
import { koreaClock, koreanLongDate, koreanMonthDay } from '../time.ts';
import type { DigestCluster, DigestContent } from './digest-group.ts';

export interface DigestRenderInput extends DigestContent {
  /** List-Unsubscribe target (mailto: or https:), shown in the footer too. */
  unsubscribe?: string;
}

export interface RenderedDigest {
  subject: string;
  html: string;
  text: string;
}

const FONT = `-apple-system,BlinkMacSystemFont,'Apple SD Gothic Neo','Malgun Gothic','Noto Sans CJK KR','Noto Sans KR',sans-serif`;
// Accent and its light tint as plain 6-digit hex: Outlook and Gmail ignore 8-digit (alpha) colours.
const ACCENTS: [string, string][] = [
  ['#2563eb', '#e8effd'],
  ['#7c3aed', '#f0e9fd'],
  ['#0f766e', '#e3f1ef'],
  ['#c2410c', '#f9ebe4'],
  ['#be185d', '#f8e6ee'],
  ['#4d7c0f', '#edf2e5'],
];
const SUMMARY_CHARS = 150;
/** Clusters per topic shown in full; the next ones as one-line links. */
const FULL_PER_SECTION = 12;
const COMPACT_PER_SECTION = 40;
const HTML_BUDGET_BYTES = 95_000;

/** `[newswatch] 11월 22일 DeepSeek 뉴스 12건`; several topics are not named in the subject. */
export function digestSubject(content: DigestContent, topicLabels: string[]): string {
  const what = topicLabels.length === 1 ? `${topicLabels[0]} 뉴스` : '뉴스';
  return `[newswatch] ${koreanMonthDay(content.day)} ${what} ${content.total}건`;
}

/** Render the digest of one day. */
export function renderDigest(input: DigestRenderInput): RenderedDigest {
  const labels = input.sections.map((s) => s.label);
  const subject = digestSubject(input, labels.length ? labels : []);
  // Gmail clips HTML over ~102 KB behind "View entire message": shorten the compact
  // lists of big days until the HTML fits, keeping every story in the text part.
  let compact = COMPACT_PER_SECTION;
  let html = renderHtml(input, subject, compact);
  while (Buffer.byteLength(html, 'utf8') > HTML_BUDGET_BYTES && compact > 0) {
    compact = Math.floor(compact / 2);
    html = renderHtml(input, subject, compact);
  }
  return { subject, html, text: renderText(input, subject) };
}

function outletsLine(c: DigestCluster): string {
  return c.outlets.length > 1 ? `${c.outlets.length}개 매체` : '';
}

function renderText(input: DigestRenderInput, subject: string): string {
  const lines: string[] = [subject, koreanLongDate(input.day), ''];
  if (input.total === 0) {
    lines.push(`${koreanMonthDay(input.day)}에는 조건에 맞는 새 기사가 없었습니다.`, '');
  }
  for (const section of input.sections) {
    lines.push(`■ ${cleanText(section.label)} (${section.clusters.length}건)`, '');
    section.clusters.forEach((c, i) => {
      lines.push(`${i + 1}. ${cleanText(c.story.title)}`);
      const meta = [cleanText(c.story.outlet), koreaClock(c.story.publishedAt)];
      if (c.outlets.length > 1) meta.push(`${outletsLine(c)}: ${c.outlets.join(', ')}`);
      lines.push(`   ${meta.join(' · ')}`);
      if (c.tags.length) lines.push(`   태그: ${c.tags.map(cleanText).join(', ')}`);
      const summary = cleanText(c.story.summary);
      if (summary) lines.push(`   ${truncate(summary, SUMMARY_CHARS)}`);
      lines.push(`   ${c.story.url}`);
      for (const r of c.related) lines.push(`   관련 보도: ${r.outlet} - ${r.title} ${r.url}`);
      lines.push('');
    });
  }
  lines.push('--', 'newswatch: 한국 뉴스 모니터링');
  if (input.unsubscribe) lines.push(`수신 거부: ${input.unsubscribe}`);
  return lines.join('\n') + '\n';
}

function clusterHtml(c: DigestCluster, [accent, tint]: [string, string], first: boolean, sectionLabel: string): string {
  const title = escapeHtml(shownTitle(c.story.title));
  const href = escapeHtml(safeHref(c.story.url));
  const summary = cleanText(c.story.summary);
  const badge =
    c.outlets.length > 1
      ? ` &nbsp;<span style="display:inline-block;padding:1px 7px;border-radius:9px;background:${tint};color:${accent};font-weight:600;font-size:12px;">${c.outlets.length}개 매체</span>`
      : '';
  const others = c.others.length
    ? `<div style="margin-top:6px;font-size:12px;line-height:1.6;color:#6b7280;">함께 보도: ${c.others
        .slice(0, 8)
        .map((o) => `<a href="${escapeHtml(safeHref(o.url))}" style="color:#6b7280;text-decoration:underline;">${escapeHtml(o.outlet)}</a>`)
        .join(', ')}${c.others.length > 8 ? ` 외 ${c.others.length - 8}곳` : ''}</div>`
    : '';
  // Other outlets' own reports of the same event, each with its own alert: listed, linked.
  const related = c.related.length
    ? `<div style="margin-top:8px;font-size:13px;line-height:1.6;color:#374151;"><span style="font-weight:600;color:#6b7280;">관련 보도</span>${c.related
        .slice(0, 6)
        .map(
          (r) =>
            `<br>${escapeHtml(r.outlet)} · <a href="${escapeHtml(safeHref(r.url))}" style="color:#111827;text-decoration:underline;">${escapeHtml(truncate(r.title, 80))}</a>`,
        )
        .join('')}${c.related.length > 6 ? `<br>외 ${c.related.length - 6}건` : ''}</div>`
    : '';
  // A tag repeating the section's own name tells the reader nothing.
  const shownTerms = c.terms.filter((t) => t.toLowerCase() !== sectionLabel.toLowerCase());
  // The story's other topics first, as tags in the accent colour, then its matched terms.
  const tagChips = c.tags.map(
    (t) =>
      `<span style="display:inline-block;margin:2px 4px 0 0;padding:1px 6px;border:1px solid ${accent};border-radius:4px;font-size:11px;color:${accent};font-weight:600;">${escapeHtml(cleanText(t))}</span>`,
  );
  const termChips = shownTerms
    .slice(0, 6)
    .map(
      (t) =>
        `<span style="display:inline-block;margin:2px 4px 0 0;padding:1px 6px;border:1px solid #e5e7eb;border-radius:4px;font-size:11px;color:#6b7280;">${escapeHtml(t)}</span>`,
    );
  const terms = tagChips.length + termChips.length ? `<div style="margin-top:6px;">${[...tagChips, ...termChips].join('')}</div>` : '';
  return `<tr><td style="padding:14px 0;${first ? '' : 'border-top:1px solid #eef0f3;'}">
<a href="${href}" style="font-size:16px;line-height:1.45;font-weight:700;color:#111827;text-decoration:none;word-break:keep-all;">${title}</a>
<div style="margin-top:4px;font-size:13px;line-height:1.5;color:#6b7280;">${escapeHtml(cleanText(c.story.outlet))} · ${koreaClock(c.story.publishedAt)}${badge}</div>
${summary ? `<div style="margin-top:6px;font-size:14px;line-height:1.6;color:#374151;word-break:keep-all;">${escapeHtml(truncate(summary, SUMMARY_CHARS))}</div>` : ''}${others}${related}${terms}
</td></tr>`;
}

function compactHtml(c: DigestCluster): string {
  const count = (c.outlets.length > 1 ? ` · ${c.outlets.length}개 매체` : '') + (c.related.length ? ` · 관련 보도 ${c.related.length}건` : '');
  return `<tr><td style="padding:7px 0;border-top:1px solid #eef0f3;font-size:14px;line-height:1.5;word-break:keep-all;"><a href="${escapeHtml(safeHref(c.story.url))}" style="color:#111827;text-decoration:none;">${escapeHtml(shownTitle(c.story.title))}</a> <span style="font-size:12px;color:#6b7280;">${escapeHtml(cleanText(c.story.outlet))}${count}</span></td></tr>`;
}

function sectionRows(clusters: DigestCluster[], accent: [string, string], label: string, compact: number): string {
  const full = clusters.slice(0, FULL_PER_SECTION).map((c, j) => clusterHtml(c, accent, j === 0, label));
  const rest = clusters.slice(FULL_PER_SECTION, FULL_PER_SECTION + compact).map(compactHtml);
  const hidden = clusters.length - full.length - rest.length;
  if (hidden > 0) {
    rest.push(`<tr><td style="padding:7px 0;border-top:1px solid #eef0f3;font-size:13px;color:#6b7280;">외 ${hidden}건은 텍스트 버전에 있습니다.</td></tr>`);
  }
  return [...full, ...rest].join('\n');
}

function renderHtml(input: DigestRenderInput, subject: string, compact: number): string {
  const sections = input.sections
    .map((s, i) => {
      const accent = ACCENTS[i % ACCENTS.length]!;
      return `<tr><td style="padding:22px 24px 4px 24px;">
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0"><tr>
<td style="border-left:4px solid ${accent[0]};padding:2px 0 2px 10px;font-size:18px;font-weight:700;color:#111827;">${escapeHtml(s.label)} <span style="font-weight:400;font-size:14px;color:#6b7280;">${s.clusters.length}건</span></td>
</tr></table>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0">
${sectionRows(s.clusters, accent, s.label, compact)}
</table>
</td></tr>`;
    })
    .join('\n');
  const empty =
    input.total === 0
      ? `<tr><td style="padding:28px 24px;font-size:15px;line-height:1.6;color:#374151;">${koreanMonthDay(input.day)}에는 조건에 맞는 새 기사가 없었습니다.</td></tr>`
      : '';
  const reports = input.sections.reduce((n, s) => n + s.clusters.reduce((m, c) => m + c.outlets.length, 0), 0);
  const chips = input.sections
    .map(
      (s) =>
        `<span style="display:inline-block;margin:6px 6px 0 0;padding:3px 10px;border-radius:12px;background:#374151;color:#ffffff;font-size:13px;">${escapeHtml(s.label)} ${s.clusters.length}</span>`,
    )
    .join('');
  const preheader = input.sections
    .flatMap((s) => s.clusters.slice(0, 2).map((c) => cleanText(c.story.title)))
    .slice(0, 3)
    .join(' · ');
  const unsubscribe = input.unsubscribe ? ` · <a href="${escapeHtml(input.unsubscribe)}" style="color:#9ca3af;text-decoration:underline;">수신 거부</a>` : '';
  return `<!DOCTYPE html>
<html lang="ko"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><meta name="color-scheme" content="light"><title>${escapeHtml(subject)}</title></head>
<body style="margin:0;padding:0;background:#f3f4f6;font-family:${FONT};-webkit-text-size-adjust:100%;">
<div style="display:none;max-height:0;overflow:hidden;opacity:0;">${escapeHtml(truncate(preheader, 140))}</div>
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="background:#f3f4f6;"><tr><td align="center" style="padding:16px 8px;">
<!--[if mso]><table role="presentation" width="600" align="center" cellpadding="0" cellspacing="0" border="0"><tr><td><![endif]-->
<table role="presentation" width="100%" cellpadding="0" cellspacing="0" border="0" style="max-width:600px;background:#ffffff;border-radius:10px;overflow:hidden;">
<tr><td style="background:#111827;padding:22px 24px;">
<div style="font-size:12px;letter-spacing:1px;color:#9ca3af;text-transform:uppercase;">newswatch 데일리</div>
<div style="margin-top:6px;font-size:22px;line-height:1.35;font-weight:700;color:#ffffff;">${koreanLongDate(input.day)}</div>
<div style="margin-top:4px;font-size:14px;color:#d1d5db;">주요 기사 ${input.total}건${reports > input.total ? ` · 매체 보도 ${reports}건` : ''}</div>
<div>${chips}</div>
</td></tr>
${empty}${sections}
<tr><td style="padding:20px 24px 24px 24px;font-size:12px;line-height:1.6;color:#9ca3af;border-top:1px solid #eef0f3;">
같은 기사를 여러 매체가 보도하면 한 번만 보여 드립니다. 시간은 한국 시간입니다.<br>newswatch${unsubscribe}
</td></tr>
</table>
<!--[if mso]></td></tr></table><![endif]-->
</td></tr></table>
</body></html>
`;
}
