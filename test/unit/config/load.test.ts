import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseConfig } from '../../../shared/config/load.ts';

describe('config', () => {
  it('loads the shipped newswatch.config.yaml', () => {
    const config = loadConfig('newswatch.config.yaml');
    expect(Object.keys(config.topics)).toContain('deepseek');
    expect(Object.isFrozen(config.topics)).toBe(true);
  });

  it('rejects a config without topics, naming the key', () => {
    expect(() => parseConfig('version: 1\ntopics: {}\n', 'x.yaml')).toThrow(ConfigError);
    try {
      parseConfig('version: 1\ntopics: {}\n', 'x.yaml');
    } catch (e) {
      expect((e as ConfigError).problems[0]?.path).toBe('topics');
    }
  });
});
