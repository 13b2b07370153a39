// Text from feeds is untrusted: it may carry markup, Slack control sequences
// (<!channel>, <url|label>) or invisible characters. Escape at the last moment, per target.

/** Slack mrkdwn/plain-text escaping: only &, < and > are special (Slack's own rule). */
export function escapeSlack(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

const HTML_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** HTML text and attribute escaping. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => HTML_ENTITIES[c] ?? c);
}

/** Only http(s) URLs go into links; anything else (javascript:, data:) becomes '#'. */
export function safeHref(url: string): string {
  try {
    const u = new URL(url);
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : '#';
  } catch {
    return '#';
  }
}

/** Collapse whitespace and strip control characters feeds sometimes carry. */
export function cleanText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f\u200b\ufeff]/g, '')
    .replace(/\s+/g, ' ')
    .trim();
}

/** A headline to show: a feed item may have none (RSS needs only a title or a description). */
export function shownTitle(title: string): string {
  return cleanText(title) || '(제목 없음)';
}

/** Cut to at most `max` characters (code points), ending with an ellipsis when cut. */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  return (
    chars
      .slice(0, Math.max(0, max - 1))
      .join('')
      .trimEnd() + '…'
  );
}
