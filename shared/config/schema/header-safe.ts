import { z } from 'zod';

// Fields that end up in a header (email From/To/Subject/List-Unsubscribe, the User-Agent):
// a CR or LF there ends the header and starts one the config's author (or whoever edited
// the file) chose, e.g. `Bcc:`. Tabs and other control characters have no place either.
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u2028\u2029]/;

const NAMES: Record<number, string> = { 10: 'a line feed (LF)', 13: 'a carriage return (CR)', 9: 'a tab', 27: 'an escape (ESC)' };

/** Refuses CR, LF and every other control character in a value bound for the `header` header. */
export function headerSafe<T extends z.ZodType<string>>(schema: T, header: string) {
  return schema.superRefine((value, ctx) => {
    const at = value.search(CONTROL);
    if (at < 0) return;
    const code = value.charCodeAt(at);
    const what = NAMES[code] ?? `the control character U+${code.toString(16).toUpperCase().padStart(4, '0')}`;
    ctx.addIssue({
      code: 'custom',
      message: `contains ${what} at character ${at + 1}: this value goes into the ${header} header, where line breaks and control characters are refused (they could add headers of their own); write it on one line`,
    });
  });
}
