import { describe, expect, it } from 'vitest';
import { ConfigError, enabledChannels, loadConfig } from '../src/config.ts';

describe('loadConfig', () => {
  it('runs with no variables at all (in-memory store, web chat only)', () => {
    const c = loadConfig({});
    expect(c.PORT).toBe(3000);
    expect(c.REDIS_URL).toBeUndefined();
    expect(c.SESSION_TTL).toBe(14 * 24 * 3600);
    expect(enabledChannels(c)).toEqual({ telegram: false, line: false, web: true });
  });

  it('names every bad variable, one line each', () => {
    try {
      loadConfig({ PORT: 'eighty', REDIS_URL: 'http://x', TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAA', EXPAND_LINKS: 'maybe', LINE_CHANNEL_SECRET: 's' });
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      const problems = (err as ConfigError).problems;
      expect(problems.map((p) => p.split(':')[0]).sort()).toEqual(['EXPAND_LINKS', 'LINE_CHANNEL_ACCESS_TOKEN', 'PORT', 'REDIS_URL', 'TELEGRAM_WEBHOOK_SECRET']);
      expect((err as Error).message).not.toContain('AAAAAAAA');
    }
  });

  it('turns channels on by their credentials', () => {
    const c = loadConfig({
      TELEGRAM_BOT_TOKEN: '123456:AAAAAAAAAAAAAAAAAAAAAAAAA',
      TELEGRAM_WEBHOOK_SECRET: 'sec_ret-1',
      LINE_CHANNEL_SECRET: 'abc',
      LINE_CHANNEL_ACCESS_TOKEN: 'def',
      WEB_CHAT: 'false',
      REDIS_CLUSTER_NODES: '127.0.0.1:7000, 127.0.0.1:7001',
    });
    expect(enabledChannels(c)).toEqual({ telegram: true, line: true, web: false });
    expect(c.REDIS_CLUSTER_NODES).toEqual(['127.0.0.1:7000', '127.0.0.1:7001']);
  });
});
