/**
 * One behavioural suite for every SessionStore: the in-memory store and the Redis store (on a private
 * redis-server) must answer the same way. Time is simulated: `elapse(s)` moves the store's clock and, on
 * Redis, shortens every key's remaining TTL by the same amount (deleting keys whose time is up).
 */
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { SessionStore, StoreTtls } from '../../src/engine/session-store.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';

const TTLS: StoreTtls = { sessionSeconds: 3600, deliverySeconds: 600 };
/** A window boundary for 10 s and 60 s windows, so hit() tests start at the start of a window. */
const T0 = 1_800_000_000_000;

interface Harness {
  store: SessionStore;
  /** Lets `seconds` pass for the store's keys and clock. */
  elapse(seconds: number): Promise<void>;
  /** Number of live keys/entries in the whole store. */
  countKeys(): Promise<number>;
  /** Fails unless every live key has a TTL (Redis: PTTL > 0 for every key found by SCAN). */
  expectEveryKeyToExpire(): Promise<void>;
  /** Keys that name the user (Redis only; the memory store has no key names). */
  keysNaming(userKey: string): Promise<string[]>;
  close(): Promise<void>;
}

interface HarnessFactory {
  name: string;
  enabled: boolean;
  beforeAll(): Promise<void>;
  afterAll(): Promise<void>;
  create(): Promise<Harness>;
}

const memoryFactory: HarnessFactory = {
  name: 'MemorySessionStore',
  enabled: true,
  beforeAll: async () => {},
  afterAll: async () => {},
  create: async () => {
    const clock = { now: T0 };
    const store = new MemorySessionStore({ ttls: TTLS, now: () => clock.now });
    return {
      store,
      elapse: async (s) => void (clock.now += s * 1000),
      countKeys: async () => store.size(),
      // Every entry of the memory store carries an expiry by construction; check that they do run out.
      expectEveryKeyToExpire: async () => {
        const saved = clock.now;
        clock.now += Math.max(TTLS.sessionSeconds, TTLS.deliverySeconds) * 1000 + 1;
        expect(store.size()).toBe(0);
        clock.now = saved;
      },
      keysNaming: async () => [],
      close: () => store.close(),
    };
  },
};

function redisFactory(): HarnessFactory {
  const enabled = redisServerAvailable('RedisSessionStore contract tests');
  let server: RedisServerHandle;
  let admin: Redis;
  const allKeys = async (): Promise<string[]> => {
    const keys: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await admin.scan(cursor, 'COUNT', 1000);
      keys.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    return keys;
  };
  return {
    name: 'RedisSessionStore',
    enabled,
    beforeAll: async () => {
      server = await startRedisServer();
      admin = new Redis(server.url);
    },
    afterAll: async () => {
      await admin?.quit();
      await stopAllRedisServers();
    },
    create: async () => {
      await admin.flushall();
      const clock = { now: T0 };
      const store = new RedisSessionStore({ url: server.url, ttls: TTLS, now: () => clock.now });
      await store.ping();
      return {
        store,
        elapse: async (s) => {
          clock.now += s * 1000;
          for (const key of await allKeys()) {
            const pttl = await admin.pttl(key);
            if (pttl < 0) continue;
            const left = pttl - s * 1000;
            if (left <= 0) await admin.del(key);
            else await admin.pexpire(key, left);
          }
        },
        countKeys: () => admin.dbsize(),
        expectEveryKeyToExpire: async () => {
          const keys = await allKeys();
          expect(keys.length).toBeGreaterThan(0);
          for (const key of keys) {
            const pttl = await admin.pttl(key);
            expect(pttl, `PTTL of ${key}`).toBeGreaterThan(0);
          }
        },
        keysNaming: async (userKey) => (await allKeys()).filter((k) => k.includes(userKey)),
        close: () => store.close(),
      };
    },
  };
}

const factories = [memoryFactory, redisFactory()];

describe.each(factories)('SessionStore contract: $name', (factory) => {
  describe.skipIf(!factory.enabled)('', () => {
    let h: Harness;
    let store: SessionStore;
    beforeAll(() => factory.beforeAll());
    afterAll(() => factory.afterAll());
    beforeEach(async () => {
      h = await factory.create();
      store = h.store;
    });
    afterEach(() => h.close());

    it('loads nothing as version 0', async () => {
      expect(await store.load('tg:1')).toEqual({ state: null, version: 0, delivery: null });
      expect(await store.load('tg:1', 'ev-1')).toEqual({ state: null, version: 0, delivery: null });
      expect(await h.countKeys()).toBe(0);
    });

    it('commits with compare-and-set on the version', async () => {
      expect(await store.commit('tg:1', 0, '{"a":1}')).toBe('ok');
      expect(await store.load('tg:1')).toEqual({ state: '{"a":1}', version: 1, delivery: null });
      expect(await store.commit('tg:1', 1, '{"a":2}')).toBe('ok');
      expect(await store.commit('tg:1', 1, '{"a":3}')).toBe('conflict');
      expect(await store.commit('tg:1', 0, '{"a":4}')).toBe('conflict');
      expect(await store.commit('tg:1', 5, '{"a":5}')).toBe('conflict');
      expect(await store.load('tg:1')).toEqual({ state: '{"a":2}', version: 2, delivery: null });
    });

    it('deletes the state when committing null (back to version 0)', async () => {
      await store.commit('tg:1', 0, 'x');
      expect(await store.commit('tg:1', 1, null)).toBe('ok');
      expect(await store.load('tg:1')).toEqual({ state: null, version: 0, delivery: null });
      expect(await store.commit('tg:1', 0, 'y')).toBe('ok');
      expect((await store.load('tg:1')).version).toBe(1);
    });

    it('keeps states byte for byte (unicode, colons, digits that look like a version)', async () => {
      for (const [i, state] of ['12:34', '', '{"t":"詐欺かも？ 🙏"}', ':', '0:0:0', 'a'.repeat(5000)].entries()) {
        const user = `tg:${100 + i}`;
        expect(await store.commit(user, 0, state)).toBe('ok');
        expect(await store.load(user)).toEqual({ state, version: 1, delivery: null });
      }
    });

    it('records a delivery with the commit and reports a redelivered event as duplicate', async () => {
      const delivery = { eventId: 'ev-1', outbox: '[{"k":"menu"}]', at: T0 };
      expect(await store.commit('tg:1', 0, 's1', delivery)).toBe('ok');
      expect(await store.load('tg:1', 'ev-1')).toEqual({
        state: 's1',
        version: 1,
        delivery: { status: 'pending', outbox: '[{"k":"menu"}]', at: T0 },
      });
      // Same event again with the right version: duplicate, nothing written.
      expect(await store.commit('tg:1', 1, 's2', { ...delivery, outbox: 'other' })).toBe('duplicate');
      expect(await store.load('tg:1', 'ev-1')).toMatchObject({ state: 's1', version: 1, delivery: { outbox: '[{"k":"menu"}]' } });
      // A stale version is a conflict first (as the memory store checks it first).
      expect(await store.commit('tg:1', 0, 's3', delivery)).toBe('conflict');
      // Another event is fine, and the state key is shared.
      expect(await store.commit('tg:1', 1, 's2', { eventId: 'ev-2', outbox: 'o2', at: T0 + 1 })).toBe('ok');
      expect(await store.load('tg:1', 'ev-2')).toEqual({ state: 's2', version: 2, delivery: { status: 'pending', outbox: 'o2', at: T0 + 1 } });
      expect((await store.load('tg:1')).delivery).toBeNull();
    });

    it('keeps at least the newest 48 handled events of a user and forgets older ones, but never a pending one', async () => {
      // The first event is never confirmed: its record stays pending however many follow.
      await store.commit('tg:7', 0, 's0', { eventId: 'e0', outbox: 'o0', at: T0 });
      for (let i = 1; i <= 100; i++) {
        expect(await store.commit('tg:7', i, `s${i}`, { eventId: `e${i}`, outbox: `o${i}`, at: T0 + i })).toBe('ok');
        await store.markDelivered('tg:7', `e${i}`);
      }
      const known: number[] = [];
      for (let i = 1; i <= 100; i++) if ((await store.load('tg:7', `e${i}`)).delivery) known.push(i);
      expect(known.length).toBeGreaterThanOrEqual(48);
      expect(known.length).toBeLessThanOrEqual(56);
      // Always the newest, oldest out.
      expect(known).toEqual(Array.from({ length: known.length }, (_, k) => 101 - known.length + k));
      expect((await store.load('tg:7', 'e100')).delivery).toEqual({ status: 'done' });
      expect((await store.load('tg:7', 'e0')).delivery).toEqual({ status: 'pending', outbox: 'o0', at: T0 });
    });

    describe('commitChecked: load and commit in one round trip', () => {
      const rate = { windows: [{ bucket: 'm', windowSeconds: 60 }, { bucket: 'b', windowSeconds: 10 }], limits: [10, 2] };

      it('writes on the expected state and answers stale, with what is stored, on any other', async () => {
        expect(await store.commitChecked('tg:1', { state: null, version: 0 }, 's1', undefined)).toEqual({ result: 'ok' });
        expect(await store.load('tg:1')).toEqual({ state: 's1', version: 1, delivery: null });
        expect(await store.commitChecked('tg:1', { state: null, version: 0 }, 'x', undefined)).toEqual({ result: 'stale', current: { state: 's1', version: 1, delivery: null } });
        expect(await store.commitChecked('tg:1', { state: 's1', version: 2 }, 'x', undefined)).toMatchObject({ result: 'stale' });
        expect(await store.commitChecked('tg:1', { state: 'other', version: 1 }, 'x', undefined)).toMatchObject({ result: 'stale' });
        expect(await store.commitChecked('tg:1', { state: 's1', version: 1 }, 's2', undefined)).toEqual({ result: 'ok' });
        expect(await store.commitChecked('tg:1', { state: 's2', version: 2 }, null, undefined)).toEqual({ result: 'ok' });
        expect(await store.load('tg:1')).toEqual({ state: null, version: 0, delivery: null });
      });

      it('does not take a state deleted and rebuilt to the same version for the one it expected', async () => {
        await store.commit('tg:1', 0, 'before forget');
        const seen = { state: 'before forget', version: 1 };
        await store.forget('tg:1');
        await store.commit('tg:1', 0, 'after forget');
        expect((await store.load('tg:1')).version).toBe(1);
        expect(await store.commitChecked('tg:1', seen, 'resurrected', undefined)).toEqual({ result: 'stale', current: { state: 'after forget', version: 1, delivery: null } });
        expect((await store.load('tg:1')).state).toBe('after forget');
      });

      it('answers a recorded event as stale with its record, whatever the state, and writes nothing', async () => {
        const delivery = { eventId: 'ev-1', outbox: 'o1', at: T0 };
        expect(await store.commitChecked('tg:1', { state: null, version: 0 }, 's1', delivery)).toEqual({ result: 'ok' });
        expect(await store.commitChecked('tg:1', { state: 's1', version: 1 }, 's2', delivery)).toEqual({
          result: 'stale',
          current: { state: 's1', version: 1, delivery: { status: 'pending', outbox: 'o1', at: T0 } },
        });
        await store.markDelivered('tg:1', 'ev-1');
        expect(await store.commitChecked('tg:1', { state: 's1', version: 1 }, 's2', delivery)).toMatchObject({ result: 'stale', current: { delivery: { status: 'done' } } });
        expect((await store.load('tg:1')).state).toBe('s1');
      });

      it('counts the rate once per call, refuses over a limit without writing, and never limits a recorded event', async () => {
        let expected = { state: null as string | null, version: 0 };
        const answers = [];
        for (let i = 0; i < 4; i++) {
          const a = await store.commitChecked('tg:1', expected, `s${i}`, { eventId: `e${i}`, outbox: 'o', at: T0 }, rate);
          answers.push(a);
          if (a.result === 'ok') expected = { state: `s${i}`, version: expected.version + 1 };
        }
        expect(answers.map((a) => a.result)).toEqual(['ok', 'ok', 'limited', 'limited']);
        expect(answers.map((a) => a.hits)).toEqual([[1, 1], [2, 2], [3, 3], [4, 4]]);
        expect(await store.load('tg:1', 'e2')).toEqual({ state: 's1', version: 2, delivery: null });
        // A redelivery of a recorded event is stale (handled), not limited, and not counted again.
        expect(await store.commitChecked('tg:1', expected, 'x', { eventId: 'e1', outbox: 'o', at: T0 }, rate)).toMatchObject({ result: 'stale', hits: [4, 4] });
        await store.markDelivered('tg:1', 'e1');
        expect(await store.commitChecked('tg:1', expected, 'x', { eventId: 'e1', outbox: 'o', at: T0 }, rate)).toMatchObject({ result: 'stale', hits: [4, 4] });
        // A new window starts from one.
        await h.elapse(10);
        expect(await store.commitChecked('tg:1', expected, 's9', { eventId: 'e9', outbox: 'o', at: T0 }, rate)).toEqual({ result: 'ok', hits: [5, 1] });
      });

      it('load counts a new event once and a redelivered one not at all', async () => {
        const windows = rate.windows;
        expect((await store.load('tg:1', 'e1', windows)).hits).toEqual([1, 1]);
        await store.commit('tg:1', 0, 's1', { eventId: 'e1', outbox: 'o', at: T0 });
        // Pending (sent or not), then marked sent: either way a redelivery, so the counts stay.
        expect(await store.load('tg:1', 'e1', windows)).toMatchObject({ delivery: { status: 'pending' }, hits: [1, 1] });
        await store.markDelivered('tg:1', 'e1');
        expect(await store.load('tg:1', 'e1', windows)).toMatchObject({ delivery: { status: 'done' }, hits: [1, 1] });
        expect((await store.load('tg:1', 'e2', windows)).hits).toEqual([2, 2]);
        // Without an event id every load counts (the caller has nothing to tell redeliveries by).
        expect((await store.load('tg:1', undefined, windows)).hits).toEqual([3, 3]);
        await h.elapse(10);
        expect((await store.load('tg:1', 'e1', windows)).hits).toEqual([3, 0]);
      });

      it('peek gives a guess that a commit can rely on, and nothing after forget', async () => {
        await store.commit('tg:1', 0, 'a');
        await store.load('tg:1');
        const guess = store.peek('tg:1');
        expect(guess).toEqual({ state: 'a', version: 1 });
        expect(await store.commitChecked('tg:1', guess!, 'b', undefined)).toEqual({ result: 'ok' });
        expect(store.peek('tg:1')).toEqual({ state: 'b', version: 2 });
        await store.forget('tg:1');
        expect([null, { state: null, version: 0 }]).toContainEqual(store.peek('tg:1'));
      });
    });

    it('keeps an outbox that contains colons, newlines and digits', async () => {
      const outbox = '12:[{"text":"a:b\\n次へ"}]\n3:';
      await store.commit('tg:1', 0, 's', { eventId: 'x:y:z', outbox, at: 42.5 });
      expect((await store.load('tg:1', 'x:y:z')).delivery).toEqual({ status: 'pending', outbox, at: 42.5 });
    });

    it('marks a delivery done, dropping the outbox, and remembers it for about a day', async () => {
      await store.commit('tg:1', 0, 's', { eventId: 'ev-1', outbox: 'big outbox', at: T0 });
      await h.elapse(TTLS.deliverySeconds - 100);
      await store.markDelivered('tg:1', 'ev-1');
      expect((await store.load('tg:1', 'ev-1')).delivery).toEqual({ status: 'done' });
      // Still a duplicate while the record lives.
      expect(await store.commit('tg:1', 1, 's2', { eventId: 'ev-1', outbox: 'o', at: T0 })).toBe('duplicate');
      await h.elapse(99);
      expect((await store.load('tg:1', 'ev-1')).delivery).toEqual({ status: 'done' });
      // Forgotten at the latest a day after it was marked (the memory store keeps the original day; Redis
      // keeps handled ids in one hash per user whose day starts again with each handled event).
      await h.elapse(TTLS.deliverySeconds + 2);
      expect((await store.load('tg:1', 'ev-1')).delivery).toBeNull();
    });

    it('does not create a record when marking an unknown event delivered', async () => {
      await store.markDelivered('tg:1', 'never-seen');
      expect((await store.load('tg:1', 'never-seen')).delivery).toBeNull();
      expect(await h.countKeys()).toBe(0);
      expect(await store.claimEvent('tg:1', 'never-seen')).toBe(true);
    });

    it('claims an event once, until its record expires', async () => {
      expect(await store.claimEvent('tg:1', 'ev-9')).toBe(true);
      expect(await store.claimEvent('tg:1', 'ev-9')).toBe(false);
      expect(await store.claimEvent('tg:2', 'ev-9')).toBe(true);
      expect((await store.load('tg:1', 'ev-9')).delivery).toEqual({ status: 'done' });
      // A claimed event cannot be committed again either.
      expect(await store.commit('tg:1', 0, 's', { eventId: 'ev-9', outbox: 'o', at: T0 })).toBe('duplicate');
      await h.elapse(TTLS.deliverySeconds + 1);
      expect(await store.claimEvent('tg:1', 'ev-9')).toBe(true);
    });

    it('counts hits per fixed window, bucket and user', async () => {
      expect(await store.hit('tg:1', 'min', 60)).toBe(1);
      expect(await store.hit('tg:1', 'min', 60)).toBe(2);
      expect(await store.hit('tg:1', 'min', 60)).toBe(3);
      expect(await store.hit('tg:1', 'burst', 10)).toBe(1);
      expect(await store.hit('tg:2', 'min', 60)).toBe(1);
      await h.elapse(9);
      expect(await store.hit('tg:1', 'burst', 10)).toBe(2);
      await h.elapse(1);
      expect(await store.hit('tg:1', 'burst', 10)).toBe(1);
      await h.elapse(49);
      expect(await store.hit('tg:1', 'min', 60)).toBe(4);
      await h.elapse(1);
      expect(await store.hit('tg:1', 'min', 60)).toBe(1);
    });

    it('refreshes the session TTL on every write and lets an idle session expire', async () => {
      await store.commit('tg:1', 0, 'a');
      await h.elapse(TTLS.sessionSeconds - 10);
      expect(await store.commit('tg:1', 1, 'b')).toBe('ok');
      await h.elapse(TTLS.sessionSeconds - 10);
      expect(await store.load('tg:1')).toEqual({ state: 'b', version: 2, delivery: null });
      await h.elapse(11);
      expect(await store.load('tg:1')).toEqual({ state: null, version: 0, delivery: null });
    });

    it('forgets every key of one user and nothing of the others', async () => {
      for (const user of ['tg:1', 'tg:12', 'line:Uabc']) {
        await store.commit(user, 0, `state of ${user}`, { eventId: 'ev-1', outbox: 'o', at: T0 });
        await store.markDelivered(user, 'ev-1');
        await store.commit(user, 1, `state 2 of ${user}`, { eventId: 'ev-2', outbox: 'o', at: T0 });
        await store.claimEvent(user, 'group-ev');
        await store.hit(user, 'min', 60);
        await store.hit(user, 'burst', 10);
      }
      const before = await h.countKeys();
      await store.forget('tg:1');
      expect(await h.countKeys()).toBe((before / 3) * 2);
      expect(await store.load('tg:1', 'ev-1')).toEqual({ state: null, version: 0, delivery: null });
      expect((await store.load('tg:1', 'ev-2')).delivery).toBeNull();
      expect(await store.claimEvent('tg:1', 'group-ev')).toBe(true);
      expect(await store.hit('tg:1', 'min', 60)).toBe(1);
      await store.forget('tg:1');
      expect(await h.keysNaming('{tg:1}')).toEqual([]);
      // The user whose key starts the same way is untouched.
      expect(await store.load('tg:12', 'ev-2')).toMatchObject({ state: 'state 2 of tg:12', version: 2, delivery: { status: 'pending' } });
      expect(await store.hit('tg:12', 'min', 60)).toBe(2);
      // Forgetting someone unknown is fine.
      await store.forget('tg:999');
    });

    it('keeps users apart whatever their keys contain', async () => {
      const users = ['a{b}c', '{x}', 'x}', 'p%7Bq', '*', 'a?b', '[ab]', 'back\\slash', 'tg:1:s'];
      for (const [i, user] of users.entries()) {
        expect(await store.commit(user, 0, `s${i}`, { eventId: 'e', outbox: `o${i}`, at: i })).toBe('ok');
        await store.hit(user, 'b', 60);
      }
      for (const [i, user] of users.entries()) {
        expect(await store.load(user, 'e')).toEqual({ state: `s${i}`, version: 1, delivery: { status: 'pending', outbox: `o${i}`, at: i } });
      }
      for (const [i, user] of users.entries()) {
        await store.forget(user);
        expect((await store.load(user)).version).toBe(0);
        for (const other of users.slice(i + 1)) expect((await store.load(other)).version).toBe(1);
      }
      expect(await h.countKeys()).toBe(0);
    });

    it('puts a TTL on every key it writes', async () => {
      await store.commit('tg:1', 0, 'a', { eventId: 'e1', outbox: 'o', at: T0 });
      await store.markDelivered('tg:1', 'e1');
      await store.commit('tg:1', 1, 'b', { eventId: 'e2', outbox: 'o', at: T0 });
      await store.claimEvent('tg:1', 'e3');
      await store.hit('tg:1', 'min', 60);
      await store.hit('tg:1', 'min', 60);
      await store.hit('tg:1', 'burst', 10);
      await store.commit('tg:2', 0, 'a');
      // Memory keeps one entry per event; Redis keeps handled event ids in one hash per user.
      expect(await h.countKeys()).toBeGreaterThanOrEqual(6);
      await h.expectEveryKeyToExpire();
    });
  });
});
