// Config values that become mail or HTTP headers: a CR/LF in them would let the config add
// headers of its own (a `Bcc:` on every digest). `validate` refuses them, on their line.
import { describe, expect, it } from 'vitest';
import { ConfigError, formatProblem, parseConfig } from '../../../shared/config/load.ts';

function problemsOf(text: string): string[] {
  try {
    parseConfig(text, 'x.yaml');
  } catch (e) {
    if (e instanceof ConfigError) return e.problems.map(formatProblem);
    throw e;
  }
  return [];
}

const config = (o: { from?: string; to?: string; unsubscribe?: string; label?: string; contactUrl?: string; alarmEmail?: string }) => `version: 1
settings:
  contactUrl: ${JSON.stringify(o.contactUrl ?? 'https://example.com/bot')}
topics:
  gpu: { label: ${JSON.stringify(o.label ?? 'GPU')}, strong: [GPU] }
delivery:
  email:
    - id: daily
      topics: [gpu]
      from: ${JSON.stringify(o.from ?? 'newswatch <news@example.com>')}
      to: [${JSON.stringify(o.to ?? 'team@example.com')}]
      unsubscribe: ${JSON.stringify(o.unsubscribe ?? 'mailto:unsubscribe@example.com')}
deploy:
  alarmEmail: ${JSON.stringify(o.alarmEmail ?? 'ops@example.com')}
`;

describe('header-bound config fields', () => {
  it('a contact URL is normalised by the URL parser: no control character reaches the User-Agent', () => {
    expect(problemsOf(config({ contactUrl: 'https://example.com/\r\nX-Evil: 1' }))).toEqual([]);
    expect(parseConfig(config({ contactUrl: 'https://example.com/\r\nX-Evil: 1' }), 'x.yaml').settings.contactUrl).not.toMatch(/[\r\n]/);
  });

  it('accepts the ordinary values', () => expect(problemsOf(config({}))).toEqual([]));

  it.each([
    [
      'from',
      { from: 'newswatch <news@example.com>\r\nBcc: spy@evil.example' },
      'x.yaml:10:13: delivery.email[0].from',
      'email From',
      'a carriage return (CR) at character 29',
    ],
    [
      'unsubscribe',
      { unsubscribe: 'mailto:u@example.com\nBcc: spy@evil.example' },
      'x.yaml:12:20: delivery.email[0].unsubscribe',
      'List-Unsubscribe',
      'a line feed (LF)',
    ],
    ['to', { to: 'team@example.com\r\nBcc: spy@evil.example' }, 'delivery.email[0].to[0]', 'email To', 'CR'],
    ['a topic label (the digest subject)', { label: 'GPU\r\nBcc: spy@evil.example' }, 'topics.gpu.label', 'digest email Subject', 'CR'],
    ['the alarm address', { alarmEmail: 'ops@example.com\nBcc: spy@evil.example' }, 'deploy.alarmEmail', 'alarm email To', 'LF'],
    ['a label with an escape', { label: 'GPU\u001b[31m' }, 'topics.gpu.label', 'Subject', 'an escape (ESC)'],
  ])('refuses CR, LF or control characters in %s, naming the field and the header', (_what, values, where, header, char) => {
    const p = problemsOf(config(values));
    const mine = p.filter((line) => line.includes(header));
    expect(mine).toHaveLength(1);
    expect(mine[0]).toContain(where);
    expect(mine[0]).toContain(char);
    expect(p.join('\n')).not.toContain('spy@evil'); // says what is wrong without echoing the payload
  });
});
