import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeBody, FetchError, normaliseCharset } from '../../../shared/fetch/index.ts';

const korean = '똠방각하 햏자 뷁 … 딥시크와 소버린 AI';
const url = 'https://www.example.kr/rss.xml';

describe('decodeBody', () => {
  it('follows BOM, then Content-Type, then the XML declaration, then the HTML meta tag', () => {
    expect(decodeBody(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(korean)]), 'text/xml; charset=euc-kr', url)).toMatchObject({
      text: korean,
      from: 'bom',
    });
    expect(decodeBody(iconv.encode(korean, 'cp949'), 'text/xml; charset=EUC-KR', url)).toMatchObject({ text: korean, from: 'header', charset: 'cp949' });
    expect(decodeBody(iconv.encode(`<?xml version="1.0" encoding="euc-kr"?><t>${korean}</t>`, 'cp949'), undefined, url).text).toContain(korean);
    expect(
      decodeBody(
        iconv.encode(`<html><head><meta http-equiv="Content-Type" content="text/html; charset=ks_c_5601-1987"></head><body>${korean}</body></html>`, 'cp949'),
        'text/html',
        url,
      ),
    ).toMatchObject({ from: 'meta' });
    expect(decodeBody(Buffer.from(korean), undefined, url)).toMatchObject({ text: korean, from: 'default' });
  });

  it('reads the extended syllables that strict EUC-KR (TextDecoder) cannot', () => {
    const bytes = iconv.encode(korean, 'cp949');
    expect(() => new TextDecoder('euc-kr', { fatal: true }).decode(bytes)).toThrow();
    expect(decodeBody(bytes, 'text/xml; charset=euc-kr', url).text).toBe(korean);
  });

  it('trusts the bytes over a wrong label, with a warning', () => {
    const utf8Labelled = decodeBody(Buffer.from(korean), 'text/xml; charset=euc-kr', url);
    expect(utf8Labelled.text).toBe(korean);
    expect(utf8Labelled.warnings[0]).toMatch(/declared charset "euc-kr".*decoded as utf-8/);
    const eucKrLabelledUtf8 = decodeBody(iconv.encode(korean.repeat(5), 'cp949'), 'text/xml; charset=utf-8', url);
    expect(eucKrLabelledUtf8.text).toBe(korean.repeat(5));
  });

  it('rejects a body that no charset decodes instead of returning mojibake', () => {
    const junk = Buffer.from(Array.from({ length: 300 }, (_, i) => (i % 3 === 0 ? 0x80 : 0xff)));
    const e = (() => {
      try {
        decodeBody(junk, 'text/xml; charset=utf-8', url);
      } catch (err) {
        return err;
      }
    })();
    expect(e).toBeInstanceOf(FetchError);
    expect((e as FetchError).kind).toBe('decode');
  });

  it.each([
    ['EUC-KR', 'cp949'],
    ['ks_c_5601-1987', 'cp949'],
    ['x-windows-949', 'cp949'],
    ['UTF8', 'utf-8'],
    ['"utf-8"', 'utf-8'],
    ['no-such-charset', undefined],
  ])('%s -> %s', (label, expected) => {
    expect(normaliseCharset(label)).toBe(expected);
  });
});
