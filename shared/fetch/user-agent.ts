import pkg from '../../package.json' with { type: 'json' };

/** `newswatch/<version> (+<contact URL>)`: tells an outlet's operator who is polling and how to reach us. */
export function userAgent(contactUrl: string): string {
  return `newswatch/${pkg.version} (+${contactUrl})`;
}
