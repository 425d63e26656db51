/**
 * No key a user owns outlives SESSION_TTL: with a SESSION_TTL shorter than the day delivery records are
 * normally kept, the pending records and the handled event ids (with the rate-limit counts) expire
 * within SESSION_TTL too. Checked with the TTL of every key in a private Redis, and on the memory store's clock.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SessionStore } from '../../src/engine/session-store.ts';
import { createSessionStore } from '../../src/store/create-session-store.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';

const enabled = redisServerAvailable('session TTL bound tests');
const RATE = { windows: [{ bucket: 'm', windowSeconds: 60 }, { bucket: 'b', windowSeconds: 10 }], limits: [30, 10] };

/** Every kind of write a user causes: rate counts, a commit with a pending record, a sent mark, a claim, a hit. */
async function everyKindOfWrite(store: SessionStore, userKey: string, at: number): Promise<void> {
  const loaded = await store.load(userKey, 'ev-1', RATE.windows);
  expect(await store.commitChecked(userKey, loaded, 'state-1', { eventId: 'ev-1', outbox: 'o', at }, RATE)).toMatchObject({ result: 'ok' });
  expect(await store.commitChecked(userKey, { state: 'state-1', version: 1 }, 'state-2', { eventId: 'ev-2', outbox: 'o', at }, RATE)).toMatchObject({ result: 'ok' });
  await store.markDelivered(userKey, 'ev-1'); // ev-2 stays pending
  expect(await store.claimEvent(userKey, 'ev-3')).toBe(true);
  await store.hit(userKey, 'api', 60);
}

describe.skipIf(!enabled)('SESSION_TTL bounds every key of a user (Redis)', () => {
  let redis: RedisServerHandle;
  let raw: Redis;
  beforeAll(async () => {
    redis = await startRedisServer();
    raw = new Redis(redis.url);
  });
  afterAll(async () => {
    raw?.disconnect();
    await stopAllRedisServers();
  });

  for (const ttl of [60, 3600]) {
    it(`SESSION_TTL=${ttl}: every key expires within ${ttl} s`, async () => {
      const { store } = createSessionStore({ redisUrl: redis.url, sessionTtlSeconds: ttl });
      try {
        const userKey = `tg:ttl${ttl}`;
        await everyKindOfWrite(store, userKey, Date.now());
        const keys = await raw.keys(`*{${userKey}}*`);
        // State, pending record of ev-2, handled ids with the rate counts, the hit counter.
        expect(keys.map((k) => k.split('}:')[1]!.split(':')[0]).sort()).toEqual(['d', 'e', 'r', 's']);
        for (const key of keys) {
          const left = await raw.ttl(key);
          // The hit counter lives to the end of its minute, which may be under a second away (TTL 0) or already
          // past (-2, gone) when the test runs at a minute's end; no key may be without an expiry (-1).
          const minuteCounter = key.split('}:')[1]!.startsWith('r:');
          if (minuteCounter && left <= 0) expect([0, -2], `${key}: ${left}`).toContain(left);
          else expect(left, key).toBeGreaterThan(0);
          expect(left, key).toBeLessThanOrEqual(ttl);
        }
      } finally {
        await store.close();
      }
    });
  }

  it('with the default SESSION_TTL (14 days), delivery records still keep their day', async () => {
    const { store } = createSessionStore({ redisUrl: redis.url, sessionTtlSeconds: 14 * 24 * 3600 });
    try {
      await everyKindOfWrite(store, 'tg:ttl-default', Date.now());
      const handled = await raw.ttl('mamori:{tg:ttl-default}:d');
      expect(handled).toBeGreaterThan(24 * 3600 - 10);
      expect(handled).toBeLessThanOrEqual(24 * 3600);
    } finally {
      await store.close();
    }
  });
});

describe('SESSION_TTL bounds every key of a user (memory)', () => {
  it('nothing is left once SESSION_TTL has passed', async () => {
    const clock = { now: 1_800_000_000_000 };
    const store = new MemorySessionStore({ ttls: { sessionSeconds: 60 }, now: () => clock.now });
    try {
      await everyKindOfWrite(store, 'tg:mem', clock.now);
      expect(store.size()).toBeGreaterThan(0);
      clock.now += 60_000 + 1;
      expect(store.size()).toBe(0);
    } finally {
      await store.close();
    }
  });
});
