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

  const problemsOf = (env: Record<string, string>): string[] => {
    try {
      loadConfig(env);
    } catch (err) {
      if (err instanceof ConfigError) return err.problems;
      throw err;
    }
    return [];
  };

  it('REDIS_CLUSTER_NODES: ports 1-65535 and bracketed IPv6, refused by the schema (naming the variable) otherwise', () => {
    expect(loadConfig({ REDIS_CLUSTER_NODES: '[::1]:7000, 10.0.0.2:7001,redis-a.internal:65535' }).REDIS_CLUSTER_NODES).toEqual([
      '[::1]:7000',
      '10.0.0.2:7001',
      'redis-a.internal:65535',
    ]);
    for (const bad of ['127.0.0.1:99999', '127.0.0.1:0', ':7000', '127.0.0.1', '127.0.0.1:7000,', '::1:7000', '[nothex]:7000', '[::1]:70000', 'a b:7000']) {
      const problems = problemsOf({ REDIS_CLUSTER_NODES: bad });
      expect(problems, bad).toHaveLength(1);
      expect(problems[0], bad).toMatch(/^REDIS_CLUSTER_NODES: must be comma-separated host:port pairs/);
    }
  });

  it('TRUST_PROXY: false, true, a hop count, or a list of proxy addresses', () => {
    expect(loadConfig({}).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'false' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: '0' }).TRUST_PROXY).toBe(false);
    expect(loadConfig({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '2' }).TRUST_PROXY).toBe(2);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 172.16.0.0/12,::1, fd00::/8,loopback' }).TRUST_PROXY).toEqual(['10.0.0.5', '172.16.0.0/12', '::1', 'fd00::/8', 'loopback']);
    for (const bad of ['maybe', '11', '10.0.0.0/33', '::/129', '10.0.0.1,nginx', '10.0.0.1/8/8']) {
      const problems = problemsOf({ TRUST_PROXY: bad });
      expect(problems, bad).toHaveLength(1);
      expect(problems[0], bad).toMatch(/^TRUST_PROXY: /);
    }
  });

  it('HOST defaults to loopback, so a plain `npm start` is reachable from this machine only', () => {
    expect(loadConfig({}).HOST).toBe('127.0.0.1');
  });
});
