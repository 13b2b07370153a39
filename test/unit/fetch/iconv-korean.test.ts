// The Lambda bundles' iconv-lite (functions/shared/iconv-korean.ts) must decode exactly
// as the full package does for what newswatch reads: CP949 (with the extended
// syllables strict EUC-KR lacks) and UTF-8/UTF-16.
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import shim from '../../../functions/shared/iconv-korean.ts';

const korean = '똠방각하 햏자 뷁 … 딥시크와 소버린 AI, 오늘의 주요 뉴스: 서울·부산 ① 【속보】 「인용」';

describe('iconv-korean (the Lambda bundles’ iconv-lite)', () => {
  it('decodes CP949 under every Korean label exactly as iconv-lite does, extended syllables included', () => {
    const bytes = iconv.encode(korean, 'cp949');
    expect(() => new TextDecoder('euc-kr', { fatal: true }).decode(bytes)).toThrow(); // 똠 햏 뷁 are not EUC-KR
    for (const label of ['cp949', 'CP949', 'euc-kr', 'EUC-KR', 'euc_kr', 'ks_c_5601-1987', 'windows-949', 'ms949', 'korean', 'csEUCKR']) {
      expect(shim.encodingExists(label), label).toBe(true);
      expect(shim.decode(bytes, label), label).toBe(korean);
      expect(shim.decode(bytes, label), label).toBe(iconv.decode(bytes, label));
    }
  });

  it('replaces invalid CP949 and UTF-8 byte sequences exactly as iconv-lite does', () => {
    let seed = 949;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) >> 8) & 0xff;
    const samples = [
      Buffer.concat([iconv.encode(korean, 'cp949'), Buffer.from([0xb0])]), // truncated lead byte
      Buffer.from([0x81, 0x20, 0xff, 0xfe, 0xc8, 0x41, 0x80, 0xa1]),
      ...Array.from({ length: 300 }, () => Buffer.from(Array.from({ length: 64 }, random))),
    ];
    for (const bytes of samples) {
      expect(shim.decode(bytes, 'cp949')).toBe(iconv.decode(bytes, 'cp949'));
      expect(shim.decode(bytes, 'utf-8')).toBe(iconv.decode(bytes, 'utf-8'));
    }
  });

  it('decodes UTF-8 and UTF-16, dropping a BOM as iconv-lite does', () => {
    expect(shim.decode(Buffer.from(korean), 'utf-8')).toBe(korean);
    expect(shim.decode(Buffer.from(korean), 'utf8')).toBe(korean);
    expect(shim.decode(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(korean)]), 'utf-8')).toBe(korean);
    const le = iconv.encode(korean, 'utf-16le', { addBOM: true });
    const be = iconv.encode(korean, 'utf-16be', { addBOM: true });
    expect(shim.decode(le, 'utf-16le')).toBe(iconv.decode(le, 'utf-16le'));
    expect(shim.decode(be, 'utf-16be')).toBe(iconv.decode(be, 'utf-16be'));
    expect(shim.decode(be, 'utf-16be')).toBe(korean);
  });

  it('reports unknown labels as not existing, and refuses to decode them', () => {
    for (const label of ['no-such-charset', 'x-unknown', '', 'iso-2022-kr']) expect(shim.encodingExists(label), label).toBe(false);
    expect(() => shim.decode(Buffer.from('x'), 'no-such-charset')).toThrow(/not recognized/);
  });
});
