// A raw MIME message: the only way to send custom headers (List-Unsubscribe) through
// SES. Non-ASCII headers use RFC 2047 encoded-words; bodies are base64 UTF-8.
import { createHash } from 'node:crypto';

/** RFC 2047 B-encoding in words of at most 75 characters, never splitting a character. */
export function encodeHeaderWord(value: string): string {
  if (/^[\x20-\x7e]*$/.test(value)) return value;
  const words: string[] = [];
  let chunk = '';
  // 75 - "=?UTF-8?B?" - "?=" = 63 base64 chars = 45 bytes (a multiple of 3).
  for (const ch of value) {
    if (Buffer.byteLength(chunk + ch, 'utf8') > 45) {
      words.push(chunk);
      chunk = '';
    }
    chunk += ch;
  }
  if (chunk) words.push(chunk);
  // Folded with CRLF + space: whitespace between encoded-words is ignored by decoders.
  return words.map((w) => `=?UTF-8?B?${Buffer.from(w, 'utf8').toString('base64')}?=`).join('\r\n ');
}

/** `Name <addr>` with the display name encoded when needed. */
export function encodeAddress(address: string): string {
  const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(address);
  if (!m) return address.trim();
  const name = m[1]!.replace(/^"|"$/g, '');
  if (!name) return `<${m[2]}>`;
  const encoded = /^[\x20-\x7e]*$/.test(name) ? `"${name.replace(/["\\]/g, '\\$&')}"` : encodeHeaderWord(name);
  return `${encoded} <${m[2]}>`;
}

function base64Lines(text: string): string {
  return (
    Buffer.from(text, 'utf8')
      .toString('base64')
      .match(/.{1,76}/g) ?? []
  ).join('\r\n');
}

export interface RawMessageInput {
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  date: Date;
  /** Extra headers, e.g. List-Unsubscribe; values must be ASCII. */
  headers?: Record<string, string>;
  /** Seed for the Message-ID and MIME boundary, so the same digest renders the same message. */
  idSeed: string;
}

/** Build a multipart/alternative message (text first, HTML last: clients prefer the last). */
export function buildRawMessage(m: RawMessageInput): string {
  const hash = createHash('sha256').update(m.idSeed).digest('hex');
  const boundary = `nw-${hash.slice(0, 24)}`;
  const domain = /@([^>\s]+)/.exec(m.from)?.[1] ?? 'newswatch.local';
  const headers: [string, string][] = [
    ['From', encodeAddress(m.from)],
    ['To', m.to.map(encodeAddress).join(', ')],
    ['Subject', encodeHeaderWord(m.subject)],
    ['Date', m.date.toUTCString().replace('GMT', '+0000')],
    ['Message-ID', `<${hash.slice(0, 32)}@${domain}>`],
    ['MIME-Version', '1.0'],
    ...Object.entries(m.headers ?? {}),
    ['Content-Type', `multipart/alternative; boundary="${boundary}"`],
  ];
  return [
    ...headers.map(([k, v]) => `${k}: ${v}`),
    '',
    `--${boundary}`,
    'Content-Type: text/plain; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(m.text),
    `--${boundary}`,
    'Content-Type: text/html; charset=UTF-8',
    'Content-Transfer-Encoding: base64',
    '',
    base64Lines(m.html),
    `--${boundary}--`,
    '',
  ].join('\r\n');
}

/** List-Unsubscribe headers; one-click POST only applies to https targets (RFC 8058). */
export function unsubscribeHeaders(target: string): Record<string, string> {
  const h: Record<string, string> = { 'List-Unsubscribe': `<${target}>` };
  if (target.startsWith('https://')) h['List-Unsubscribe-Post'] = 'List-Unsubscribe=One-Click';
  return h;
}
