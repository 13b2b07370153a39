import { describe, expect, it } from 'vitest';
import { CLEAR_LINE, paintFor, terminalSafe } from '../../../cli/print.ts';

const tty = { isTTY: true } as NodeJS.WriteStream;

describe('terminalSafe', () => {
  it.each([
    ['a screen clear', '딥시크\u001b[2J\u001b[H 충격', '딥시크 충격'],
    ['a window-title OSC ended by BEL', 'AI\u001b]0;pwned\u0007 추격조', 'AI 추격조'],
    ['an OSC 8 hyperlink ended by ST', '\u001b]8;;https://evil.example\u001b\\클릭\u001b]8;;\u001b\\', '클릭'],
    ['a fake colour', '\u001b[31;1m빨강\u001b[0m', '빨강'],
    ['an 8-bit CSI', 'GPU\u009b2J 공급', 'GPU 공급'],
    ['a bare ESC and a carriage return', 'H20\u001b\r 규제', 'H20 규제'],
    ['bell, backspace and DEL', '소버린\u0007\u0008\u007f AI', '소버린 AI'],
    ['a DCS string', 'x\u001bPq#0;2;0;0;0\u001b\\y', 'xy'],
  ])('removes %s', (_what, input, expected) => expect(terminalSafe(input)).toBe(expected));

  it('keeps newlines, tabs and Korean text', () => expect(terminalSafe('한국어\t제목\n둘째 줄')).toBe('한국어\t제목\n둘째 줄'));

  it('keeps our own colours and the progress line clear, and only those', () => {
    const saved = process.env.NO_COLOR;
    delete process.env.NO_COLOR;
    const p = paintFor(tty);
    if (saved !== undefined) process.env.NO_COLOR = saved;
    const line = `${CLEAR_LINE}${p.red('✗')} ${p.bold('제목\u001b]0;x\u0007')}`;
    expect(terminalSafe(line)).toBe('\r\u001b[2K\u001b[31m✗\u001b[0m \u001b[1m제목\u001b[0m');
  });
});
