import { describe, expect, it } from 'vitest';
import { groupDigest, renderDigest } from '../../../shared/deliver/index.ts';
import { koreaDay, digestDayFor } from '../../../shared/time.ts';
import { buildRawMessage, encodeHeaderWord, unsubscribeHeaders } from '../../../shared/deliver/mime.ts';
import { configWith, story } from './fixtures.ts';
import { DAY, dayStories } from './digest-fixtures.ts';

const config = configWith('  email: []\n');

/** RFC 2047 decoding written from the RFC, independent of the encoder under test. */
function decodeWords(header: string): string {
  const unfolded = header.replace(/\r\n[ \t]/g, ' ');
  const bytes: number[] = [];
  let plain = '';
  for (const part of unfolded.split(/(=\?[^?]+\?[BbQq]\?[^?]*\?=)/)) {
    const m = /^=\?([^?]+)\?([BbQq])\?([^?]*)\?=$/.exec(part);
    if (m) {
      expect(m[1]!.toUpperCase()).toBe('UTF-8');
      bytes.push(...Buffer.from(m[3]!, 'base64'));
    } else if (part.trim()) {
      plain += Buffer.from(bytes.splice(0)).toString('utf8') + part;
    }
  }
  return plain + Buffer.from(bytes).toString('utf8');
}

describe('digest content', () => {
  it('shows each cluster once with its outlets, grouped by topic, biggest then latest first', () => {
    const content = groupDigest(config, DAY, dayStories(), { topics: ['sovereign_ai', 'gpu', 'deepseek'] });
    expect(content.sections.map((s) => s.label)).toEqual(['소버린 AI', 'GPU', 'DeepSeek']);
    expect(content.total).toBe(8);
    const gpu = content.sections[1]!;
    expect(gpu.clusters.map((c) => c.outlets.length)).toEqual([5, 2, 1]);
    expect(gpu.clusters[0]!.outlets).toEqual(['연합뉴스', '조선비즈', '머니투데이', '서울경제', '한국경제']);
    // Same size: the more recent first.
    const ds = content.sections[2]!;
    expect(ds.clusters.map((c) => c.outlets.length)).toEqual([4, 2, 1]);
  });

  it('puts a story of two topics once, under its primary topic (listed first), not the first topic of the list', () => {
    const s = story({ topics: ['gpu', 'deepseek'] });
    const content = groupDigest(config, s.day, [s], { topics: ['deepseek', 'gpu'] });
    expect(content.sections.map((x) => x.topicId)).toEqual(['gpu']);
    expect(content.total).toBe(1);
    // A list without the primary topic files it under the next topic it has.
    expect(groupDigest(config, s.day, [s], { topics: ['deepseek'] }).sections.map((x) => x.topicId)).toEqual(['deepseek']);
  });

  it('leaves out stories below the list minScore and topics it did not ask for', () => {
    const content = groupDigest(config, DAY, [story({ score: 2 }), story({ score: 8 }), story({ topic: 'deepseek', term: '딥시크' })], {
      topics: ['gpu'],
      minScore: 5,
    });
    expect(content.total).toBe(1);
  });

  it('renders HTML and text with Korean subject, "N개 매체", and everything from feeds escaped', () => {
    const evil = story({
      title: '<script>alert(1)</script> GPU & 메모리',
      outlet: '<b>가짜</b>',
      summary: '"인용" & <img src=x onerror=alert(1)>',
      url: 'javascript:alert(1)',
    });
    const content = groupDigest(config, evil.day, [...dayStories(), evil], { topics: ['gpu'] });
    const r = renderDigest({ ...content, unsubscribe: 'https://example.com/u?l=1&t=2' });
    expect(r.subject).toBe('[newswatch] 11월 22일 GPU 뉴스 4건');
    expect(r.html).toContain('5개 매체');
    expect(r.html).not.toMatch(/<script>|<img|<b>가짜/);
    expect(r.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt; GPU &amp; 메모리');
    expect(r.html).not.toContain('href="javascript:');
    expect(r.html).toContain('href="https://example.com/u?l=1&amp;t=2"');
    expect(r.text).toContain('5개 매체: 연합뉴스, 조선비즈, 머니투데이, 서울경제, 한국경제');
    expect(r.text).toContain('https://news.example.kr/5');
    expect(r.text).toContain('수신 거부: https://example.com/u?l=1&t=2');
  });

  it("keeps a very big day under Gmail's 102 kB clipping limit, with every story still in the text part", () => {
    const many = Array.from({ length: 400 }, (_, i) =>
      story({ id: `big${i}`, title: `엔비디아 GPU 공급 확대 기사 ${i} ${'가'.repeat(60)}`, summary: '나'.repeat(300) }),
    );
    const content = groupDigest(config, DAY, many, { topics: ['gpu'] });
    const r = renderDigest(content);
    expect(Buffer.byteLength(r.html, 'utf8')).toBeLessThan(102_000);
    expect(r.html).toMatch(/외 \d+건은 텍스트 버전에 있습니다/);
    expect(r.text).toContain('엔비디아 GPU 공급 확대 기사 399');
    expect(r.text).toContain('400. ');
  });

  it('says so when a day has no news', () => {
    const r = renderDigest({ ...groupDigest(config, DAY, [], { topics: ['gpu'] }) });
    expect(r.subject).toBe('[newswatch] 11월 22일 뉴스 0건');
    expect(r.text).toContain('11월 22일에는 조건에 맞는 새 기사가 없었습니다.');
  });
});

describe('Korea days', () => {
  it('cuts days at midnight Korea time', () => {
    expect(koreaDay(new Date('2026-11-22T14:59:59Z'))).toBe('2026-11-22');
    expect(koreaDay(new Date('2026-11-22T15:00:00Z'))).toBe('2026-11-23');
    // 08:00 KST on the 23rd: the digest is about the 22nd.
    expect(digestDayFor(new Date('2026-11-22T23:00:00Z'))).toBe('2026-11-22');
  });
});

describe('MIME', () => {
  it('encodes a Korean subject in RFC 2047 words of at most 75 characters that decode back', () => {
    const subject = '[newswatch] 11월 22일 소버린 AI·GPU·딥시크 뉴스 12건 — 정부, 파운데이션 모델 5개 정예팀 선정';
    const encoded = encodeHeaderWord(subject);
    for (const line of encoded.split('\r\n')) expect(line.trim().length).toBeLessThanOrEqual(75);
    expect(decodeWords(encoded)).toBe(subject);
    expect(encodeHeaderWord('plain ascii')).toBe('plain ascii');
  });

  it('builds a multipart/alternative message with List-Unsubscribe and both parts', () => {
    const raw = buildRawMessage({
      from: '뉴스와치 <news@example.com>',
      to: ['a@example.com'],
      subject: '[newswatch] 11월 22일 뉴스 8건',
      text: '본문',
      html: '<p>본문</p>',
      date: new Date('2026-11-22T23:00:00Z'),
      headers: unsubscribeHeaders('https://example.com/u'),
      idSeed: 'list/2026-11-22',
    });
    const [head, body] = raw.split('\r\n\r\n');
    expect(head).toMatch(/^List-Unsubscribe: <https:\/\/example.com\/u>$/m);
    expect(head).toMatch(/^List-Unsubscribe-Post: List-Unsubscribe=One-Click$/m);
    expect(head).toMatch(/^From: =\?UTF-8\?B\?.+\?= <news@example.com>$/m);
    expect(raw).toContain('Content-Type: text/plain; charset=UTF-8');
    expect(raw).toContain('Content-Type: text/html; charset=UTF-8');
    expect(body).toBeDefined();
    expect(raw.split('\r\n').every((l) => l.length <= 998)).toBe(true);
    expect(unsubscribeHeaders('mailto:u@example.com')).toEqual({ 'List-Unsubscribe': '<mailto:u@example.com>' });
  });
});
