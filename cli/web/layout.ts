// The page frame of `newswatch serve`: Korean, readable from phone width up, no script.
// Every value goes through hono/html's `html` tag, which escapes what it interpolates.
import { html } from 'hono/html';
import type { HtmlEscapedString } from 'hono/utils/html';

export type Html = HtmlEscapedString | Promise<HtmlEscapedString>;

const NAV: [string, string][] = [
  ['/', '최근 기사'],
  ['/topics', '주제별 추이'],
  ['/sources', '매체 상태'],
  ['/deliveries', '전송'],
  ['/digest', '다이제스트'],
];

const CSS = `
*{box-sizing:border-box}
body{margin:0;font-family:"Noto Sans CJK KR","Noto Sans KR","Apple SD Gothic Neo","Malgun Gothic",system-ui,sans-serif;color:#1d232b;background:#f5f6f8;line-height:1.55;word-break:keep-all;overflow-wrap:anywhere}
header{background:#1f3a5f;color:#fff;padding:12px 0}
header .in{max-width:980px;margin:0 auto;padding:0 12px}
header h1{margin:0;font-size:1.1rem}
nav{display:flex;flex-wrap:wrap;gap:6px 14px;margin-top:6px}
nav a{color:#dbe7f7;text-decoration:none;font-size:.95rem}
nav a[aria-current]{color:#fff;font-weight:700;border-bottom:2px solid #fff}
main{max-width:980px;margin:0 auto;padding:12px}
h2{font-size:1.15rem;margin:20px 0 8px;border-left:4px solid #1f3a5f;padding-left:8px}
.muted{color:#5d6875;font-size:.9rem}
.card{background:#fff;border:1px solid #dde2e8;border-radius:8px;padding:12px 14px;margin:10px 0}
.card h3{margin:0 0 4px;font-size:1.05rem;line-height:1.45}
.card h3 a{color:#12345a;text-decoration:none}
.card h3 a:hover{text-decoration:underline}
.badge{display:inline-block;background:#e8f0fb;color:#1f3a5f;border-radius:10px;padding:0 8px;font-size:.8rem;font-weight:700;margin-left:4px;white-space:nowrap}
.badge.warn{background:#fdecea;color:#a12622}
.badge.ok{background:#e6f4ea;color:#1e6b34}
.why{font-size:.88rem;color:#384452;margin:4px 0 0}
.why b{color:#1f3a5f}
ul.copies{margin:6px 0 0;padding-left:18px;font-size:.9rem}
.summary{margin:6px 0 0;font-size:.93rem;color:#2f3a46}
table{border-collapse:collapse;width:100%;background:#fff;font-size:.9rem}
th,td{border-bottom:1px solid #e3e7ec;padding:6px 8px;text-align:left;vertical-align:top}
.chart .row{display:flex;align-items:center;gap:8px;font-size:.85rem;margin:2px 0}
.chart .day{width:5.5em;flex:none;color:#5d6875}
.chart .track{flex:1;background:#eef1f5;border-radius:3px;height:14px;position:relative}
.chart .fill{background:#3a6fb0;height:14px;border-radius:3px}
.chart .n{width:2.5em;flex:none;text-align:right}
form.inline{display:flex;gap:8px;flex-wrap:wrap;align-items:center;margin:8px 0}
input,button{font:inherit;padding:4px 8px}
iframe{width:100%;height:1400px;border:1px solid #dde2e8;background:#fff}
snippet,.snippet{display:block;font-size:.85rem;color:#5d6875;margin-left:8px}
@media (max-width:600px){main{padding:8px}table{font-size:.82rem}th,td{padding:4px}}
`;

/** A whole page: `path` marks the current tab. */
export function page(title: string, path: string, body: Html): Html {
  return html`<!doctype html>
<html lang="ko">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} — newswatch</title>
<style>${CSS}</style>
</head>
<body>
<header><div class="in"><h1>newswatch</h1>
<nav>${NAV.map(([href, label]) => html`<a href="${href}"${path === href ? html` aria-current="page"` : ''}>${label}</a>`)}</nav>
</div></header>
<main>
${body}
</main>
</body>
</html>`;
}
