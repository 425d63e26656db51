import { afterAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/engine/session-store.ts';
import { createSessionStore } from '../../src/store/create-session-store.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers } from '../support/redis-server.ts';

describe('createSessionStore', () => {
  afterAll(() => stopAllRedisServers());

  it('uses the memory store when no Redis is configured, with the session TTL', async () => {
    const { store, kind } = createSessionStore({ sessionTtlSeconds: 120 });
    try {
      expect(kind).toBe('memory');
      expect(store).toBeInstanceOf(MemorySessionStore);
      expect(await store.commit('tg:1', 0, 's')).toBe('ok');
      await store.ping();
    } finally {
      await store.close();
    }
  });

  it.skipIf(!redisServerAvailable('createSessionStore Redis test'))('uses Redis when a URL is given, with the session TTL', async () => {
    const server = await startRedisServer();
    const { store, kind } = createSessionStore({ redisUrl: server.url, sessionTtlSeconds: 120 });
    try {
      expect(kind).toBe('redis');
      expect(store).toBeInstanceOf(RedisSessionStore);
      await store.ping();
      expect(await store.commit('tg:1', 0, 's')).toBe('ok');
      const ttl = Number(await server.cli('ttl', 'mamori:{tg:1}:s'));
      expect(ttl).toBeGreaterThan(100);
      expect(ttl).toBeLessThanOrEqual(120);
    } finally {
      await store.close();
    }
  });

  it('does not throw when Redis is unreachable; ping rejects quickly instead', async () => {
    // Port 1 on loopback: nothing listens there.
    const { store, kind } = createSessionStore({ redisUrl: 'redis://:secret@127.0.0.1:1', sessionTtlSeconds: 120 });
    try {
      expect(kind).toBe('redis');
      const started = performance.now();
      await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(1000);
    } finally {
      await store.close();
    }
  });
});
