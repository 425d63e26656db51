/**
 * RedisSessionStore beyond the shared contract: key layout, odd stored data, concurrent writers on two
 * connections, passwords and logs. Runs on private redis-servers (tests/support/redis-server.ts).
 */
import { Redis } from 'ioredis';
import { createHash } from 'node:crypto';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/engine/session-store.ts';
import { decodeHandled, handledField, RedisSessionStore, type SessionStoreLogger } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';

const enabled = redisServerAvailable('RedisSessionStore tests');

/** Script calls that ran, from INFO commandstats (EVALSHA, or EVAL the first time a script is used). */
const scriptCalls = (stats: string) =>
  [...stats.matchAll(/^cmdstat_(evalsha|eval):calls=(\d+),.*failed_calls=(\d+)/gm)].reduce((sum, m) => sum + Number(m[2]) - Number(m[3]), 0);

describe.skipIf(!enabled)('RedisSessionStore on a private redis-server', () => {
  let server: RedisServerHandle;
  let admin: Redis;
  const stores: RedisSessionStore[] = [];
  /**
   * Waits until a new store has its first connection: a loaded CI machine can take longer than the store's
   * own start-up allowance (its command deadline), and these tests are about what comes after.
   */
  const connected = async (store: RedisSessionStore): Promise<RedisSessionStore> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await store.ping();
        return store;
      } catch (err) {
        if (attempt >= 50) throw err;
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  };
  /** The handled event ids stored for a user, oldest first (decoded from the packed string). */
  const handledIds = async (key: string) => decodeHandled(await admin.getBuffer(key)).ids;
  const open = (options: ConstructorParameters<typeof RedisSessionStore>[0] = {}) => {
    const store = new RedisSessionStore({ url: server.url, ...options });
    stores.push(store);
    return store;
  };

  beforeAll(async () => {
    server = await startRedisServer();
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    await admin?.quit();
    await stopAllRedisServers();
  });
  beforeEach(() => admin.flushall());
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });

  describe('key layout', () => {
    it('hash-tags every key with the user and stores the version as a prefix', async () => {
      const store = await connected(open());
      await store.commit('tg:123', 0, '{"v":1}', { eventId: '9001', outbox: '[1]', at: 1700000000000 });
      await store.claimEvent('tg:123', '9002');
      await store.hit('tg:123', 'min', 60);
      const keys = (await admin.keys('*')).sort();
      expect(keys).toEqual([
        'mamori:{tg:123}:d',
        'mamori:{tg:123}:e:9001',
        expect.stringMatching(/^mamori:\{tg:123\}:r:min:\d+$/),
        'mamori:{tg:123}:s',
      ]);
      expect(await admin.get('mamori:{tg:123}:s')).toBe('1:{"v":1}');
      expect(await admin.get('mamori:{tg:123}:e:9001')).toBe('p1700000000000:[1]');
      expect(await handledIds('mamori:{tg:123}:d')).toEqual(['9002']);
      await store.markDelivered('tg:123', '9001');
      // Sent: the pending record (and its outbox) is gone; the id joins the user's handled events.
      expect(await admin.exists('mamori:{tg:123}:e:9001')).toBe(0);
      expect(await handledIds('mamori:{tg:123}:d')).toEqual(['9002', '9001']);
      expect(await store.userKeys('tg:123')).toHaveLength(3);
    });

    it('uses the given prefix, and keeps braces in user keys from ending the hash tag', async () => {
      const store = await connected(open({ keyPrefix: 'test' }));
      await store.commit('a{b}', 0, 's');
      expect(await admin.keys('*')).toEqual(['test:{a%7Bb%7D}:s']);
      expect(() => open({ keyPrefix: 'x{y}' })).toThrow(TypeError);
      await expect(store.load('')).rejects.toThrow(TypeError);
    });

    it('uses the session and delivery TTLs it is given', async () => {
      const store = await connected(open({ ttls: { sessionSeconds: 1000, deliverySeconds: 100 } }));
      await store.commit('tg:1', 0, 's', { eventId: 'e', outbox: 'o', at: 1 });
      const sessionTtl = await admin.ttl('mamori:{tg:1}:s');
      const deliveryTtl = await admin.ttl('mamori:{tg:1}:e:e');
      expect(sessionTtl).toBeGreaterThan(990);
      expect(sessionTtl).toBeLessThanOrEqual(1000);
      expect(deliveryTtl).toBeGreaterThan(90);
      expect(deliveryTtl).toBeLessThanOrEqual(100);
    });
  });

  describe('sent marks', () => {
    it('sends the marks of one loop turn in one script call, each to its own user', async () => {
      const store = await connected(open());
      const users = Array.from({ length: 40 }, (_, i) => `tg:${i}`);
      for (const u of users) await store.commit(u, 0, 's', { eventId: '501', outbox: '[1]', at: 1 });
      await admin.config('RESETSTAT');
      await Promise.all(users.map((u) => store.markDelivered(u, '501')));
      const stats = await admin.info('commandstats');
      expect(scriptCalls(stats)).toBe(1);
      for (const u of users) {
        expect(await admin.exists(`mamori:{${u}}:e:501`)).toBe(0);
        expect(await handledIds(`mamori:{${u}}:d`)).toEqual(['501']);
        expect((await store.load(u, '501')).delivery).toEqual({ status: 'done' });
      }
    });

    it('splits a large turn into calls of at most 128 marks, and leaves unknown events alone', async () => {
      const store = await connected(open());
      for (let i = 0; i < 300; i++) await store.commit(`tg:${i}`, 0, 's', { eventId: '77', outbox: '[1]', at: 1 });
      await admin.config('RESETSTAT');
      await Promise.all([...Array.from({ length: 300 }, (_, i) => store.markDelivered(`tg:${i}`, '77')), store.markDelivered('tg:0', '78')]);
      const stats = await admin.info('commandstats');
      expect(scriptCalls(stats)).toBe(3);
      expect(await admin.keys('*:e:*')).toEqual([]);
      expect(await handledIds('mamori:{tg:0}:d')).toEqual(['77']);
    });

    it('keeps the newest 48 handled ids, 5 bytes each, and the rate counts, dropping older ids in batches', async () => {
      const store = await connected(open());
      await store.load('tg:7', undefined, [{ bucket: 'm', windowSeconds: 60 }]);
      for (let i = 1; i <= 60; i++) {
        await store.commit('tg:7', i - 1, `s${i}`, { eventId: String(1000 + i), outbox: '[1]', at: i });
        await store.markDelivered('tg:7', String(1000 + i));
      }
      const raw = await admin.getBuffer('mamori:{tg:7}:d');
      const { ids, rates } = decodeHandled(raw);
      // Pruned back to 48 once there were 56; a few more since. Always the newest, oldest out.
      expect(ids.length).toBeGreaterThanOrEqual(48);
      expect(ids.length).toBeLessThanOrEqual(56);
      expect(ids).toEqual(Array.from({ length: ids.length }, (_, i) => String(1061 - ids.length + i)));
      expect(rates).toEqual({ m: { window: expect.stringMatching(/^\d+$/), count: 1 } });
      // One byte of length, the counts, 5 bytes per id: nothing else.
      expect(raw!.length).toBe(1 + raw![0]! + 5 * ids.length);
      expect((await store.load('tg:7', '1060')).delivery).toEqual({ status: 'done' });
      expect((await store.load('tg:7', '1001')).delivery).toBeNull();
      expect(await admin.ttl('mamori:{tg:7}:d')).toBeGreaterThan(0);
    });

    it('still sends marks asked for just before close()', async () => {
      const store = await connected(open());
      await store.commit('tg:1', 0, 's', { eventId: '5', outbox: '[1]', at: 1 });
      const marked = store.markDelivered('tg:1', '5');
      await store.close();
      await marked;
      expect(await handledIds('mamori:{tg:1}:d')).toEqual(['5']);
    });

    it('keeps an id other than a Telegram update_id as a 40-bit hash (5 bytes, not 30)', async () => {
      const store = await connected(open());
      const lineIds = ['01JCZ8K3W5Q6R7S8T9V0X1Y2Z3', '01JCZ8K3W5Q6R7S8T9V0X1Y2Z4'];
      for (const [i, id] of lineIds.entries()) {
        await store.commit('line:Uabc', i, `s${i}`, { eventId: id, outbox: '[1]', at: 1 });
        await store.markDelivered('line:Uabc', id);
      }
      const ids = await handledIds('mamori:{line:Uabc}:d');
      expect(ids).toEqual(lineIds.map(handledField));
      for (const f of ids) expect(Number(f)).toBeLessThan(2 ** 40);
      expect(new Set(ids).size).toBe(2);
      expect((await admin.getBuffer('mamori:{line:Uabc}:d'))!.length).toBe(1 + 10);
      // Recognised as handled under its own id, by every call that checks, and no other id is.
      for (const id of lineIds) {
        expect((await store.load('line:Uabc', id)).delivery).toEqual({ status: 'done' });
        expect(await store.claimEvent('line:Uabc', id)).toBe(false);
        expect(await store.commit('line:Uabc', 2, 'x', { eventId: id, outbox: '[1]', at: 2 })).toBe('duplicate');
      }
      expect((await store.load('line:Uabc', '01JCZ8K3W5Q6R7S8T9V0X1Y2Z5')).delivery).toBeNull();
      expect(await store.claimEvent('line:Uabc', '01JCZ8K3W5Q6R7S8T9V0X1Y2Z5')).toBe(true);
    });

    it('rejects every waiting mark with StoreUnavailableError when Redis cannot take the batch', async () => {
      const store = await connected(open({ commandTimeoutMs: 200 }));
      await store.commit('tg:1', 0, 's', { eventId: 'e', outbox: '[1]', at: 1 });
      await admin.call('CLIENT', 'PAUSE', '1000', 'ALL');
      const results = await Promise.allSettled([store.markDelivered('tg:1', 'e'), store.markDelivered('tg:2', 'e')]);
      expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
      for (const r of results) expect((r as PromiseRejectedResult).reason).toBeInstanceOf(StoreUnavailableError);
      await new Promise((r) => setTimeout(r, 1100));
    });
  });

  describe('odd stored data', () => {
    it('never throws on load and returns what it cannot read as-is', async () => {
      const store = await connected(open());
      const cases: [string, () => Promise<unknown>, { state: string | null; version: number }][] = [
        ['not json', () => admin.set('mamori:{u:1}:s', '7:not json {'), { state: 'not json {', version: 7 }],
        ['no version prefix', () => admin.set('mamori:{u:2}:s', '{"v":1}'), { state: '{"v":1}', version: 0 }],
        ['empty', () => admin.set('mamori:{u:3}:s', ''), { state: '', version: 0 }],
        ['huge version', () => admin.set('mamori:{u:4}:s', '12345678901234567890:x'), { state: '12345678901234567890:x', version: 0 }],
        ['binary', () => admin.set('mamori:{u:5}:s', Buffer.from([0xff, 0xfe, 0x3a, 0x00])), { state: '\ufffd\ufffd:\u0000', version: 0 }],
        ['wrong type', () => admin.rpush('mamori:{u:6}:s', 'a'), { state: null, version: 0 }],
      ];
      for (const [name, write, expected] of cases) {
        await write();
        const user = `u:${cases.findIndex((c) => c[0] === name) + 1}`;
        expect(await store.load(user), name).toEqual({ ...expected, delivery: null });
        // Whatever load said, committing on top of it works.
        expect(await store.commit(user, expected.version, '{"v":1}'), name).toBe('ok');
        expect(await store.load(user), name).toEqual({ state: '{"v":1}', version: expected.version + 1, delivery: null });
      }
    });

    it('reads an unreadable or odd delivery record as done, and a wrong-typed one as absent', async () => {
      const store = await connected(open());
      await admin.set('mamori:{u:1}:e:a', 'garbage');
      await admin.set('mamori:{u:1}:e:b', 'p-no-colon');
      await admin.set('mamori:{u:1}:e:c', 'pNaN:out');
      await admin.hset('mamori:{u:1}:e:d', 'f', 'v');
      expect((await store.load('u:1', 'a')).delivery).toEqual({ status: 'done' });
      expect((await store.load('u:1', 'b')).delivery).toEqual({ status: 'done' });
      expect((await store.load('u:1', 'c')).delivery).toEqual({ status: 'pending', at: Number.NaN, outbox: 'out' });
      expect((await store.load('u:1', 'd')).delivery).toBeNull();
    });

    it('still reads the handled events of the layout before (a hash), and replaces it with the packed string on the next write', async () => {
      const store = await connected(open({ now: () => 60_000 * 1000 }));
      const lineId = '01JCZ8K3W5Q6R7S8T9V0X1Y2Z3';
      // As the hash layout stored them: Telegram ids as they are, other ids as a 48-bit hash in decimal, counts as ~bucket.
      const old48 = String(Number.parseInt(createHash('sha256').update(lineId).digest('hex').slice(0, 12), 16));
      await admin.hset('mamori:{tg:5}:d', '701', '', '702', '', '~m', `${1000 % 10_000}:7`);
      await admin.hset('mamori:{line:Uold}:d', old48, '');
      expect((await store.load('tg:5', '701')).delivery).toEqual({ status: 'done' });
      expect((await store.load('line:Uold', lineId)).delivery).toEqual({ status: 'done' });
      expect(await store.claimEvent('line:Uold', lineId)).toBe(false);
      // A counting load of a new event carries the old count on and rewrites the key in the new layout.
      expect((await store.load('tg:5', '703', [{ bucket: 'm', windowSeconds: 60 }])).hits).toEqual([8]);
      expect(await admin.type('mamori:{tg:5}:d')).toBe('string');
      expect(decodeHandled(await admin.getBuffer('mamori:{tg:5}:d'))).toEqual({ ids: ['701', '702'], rates: { m: { window: '1000', count: 8 } } });
      expect(await admin.ttl('mamori:{tg:5}:d')).toBeGreaterThan(0);
      expect((await store.load('tg:5', '702')).delivery).toEqual({ status: 'done' });
    });

    it('replaces handled events of another type or that cannot be read, and never takes part of two ids for a third', async () => {
      const store = await connected(open());
      await admin.rpush('mamori:{tg:6}:d', 'x');
      await admin.set('mamori:{tg:8}:d', Buffer.from([200, 1, 2]));
      for (const user of ['tg:6', 'tg:8']) {
        expect((await store.load(user, '42', [{ bucket: 'm', windowSeconds: 60 }])).hits).toEqual([1]);
        expect(await store.claimEvent(user, '42')).toBe(true);
        expect(await handledIds(`mamori:{${user}}:d`)).toEqual(['42']);
      }
      // Ids 0x0000000001 and 0x0200000000 side by side hold the bytes 00 00 00 01 02 00 …; the id whose five
      // bytes straddle them (0x0000010200 = 66048) must not count as handled.
      await store.claimEvent('tg:9', String(0x0000000001));
      await store.claimEvent('tg:9', String(0x0200000000));
      expect((await admin.getBuffer('mamori:{tg:9}:d'))!.includes(Buffer.from([0, 0, 1, 2, 0]))).toBe(true);
      expect((await store.load('tg:9', String(0x0000010200))).delivery).toBeNull();
      expect(await store.claimEvent('tg:9', String(0x0000010200))).toBe(true);
    });

    it('counts past 999 in a window (the counts grow longer and are written whole), keeping the handled ids', async () => {
      const store = await connected(open({ now: () => 60_000 * 1000 }));
      await store.claimEvent('tg:3', '11');
      const windows = [{ bucket: 'm', windowSeconds: 60 }, { bucket: 'b', windowSeconds: 10 }];
      let hits: number[] | undefined;
      for (let i = 0; i < 1002; i++) hits = (await store.load('tg:3', undefined, windows)).hits;
      expect(hits).toEqual([1002, 1002]);
      expect(decodeHandled(await admin.getBuffer('mamori:{tg:3}:d'))).toEqual({
        ids: ['11'],
        rates: { m: { window: '1000', count: 1002 }, b: { window: '6000', count: 1002 } },
      });
      expect((await store.load('tg:3', '11')).delivery).toEqual({ status: 'done' });
    });

    it('refuses a rate bucket that would not survive the stored layout', async () => {
      const store = await connected(open());
      await expect(store.load('tg:1', 'e', [{ bucket: 'a,b', windowSeconds: 60 }])).rejects.toThrow(TypeError);
      await expect(store.commitChecked('tg:1', { state: null, version: 0 }, 's', undefined, { windows: [{ bucket: 'x=1', windowSeconds: 60 }], limits: [1] })).rejects.toThrow(TypeError);
    });

    it('replaces a counter that is not a number', async () => {
      const store = await connected(open({ now: () => 60_000 * 1000 }));
      await admin.set('mamori:{u:1}:r:min:1000', 'junk');
      expect(await store.hit('u:1', 'min', 60)).toBe(1);
      expect(await store.hit('u:1', 'min', 60)).toBe(2);
      expect(await admin.pttl('mamori:{u:1}:r:min:1000')).toBeGreaterThan(0);
    });
  });

  it('sends the commands of one loop turn to Redis in one write, and each call still gets its own answer', async () => {
    const store = await connected(open());
    const reads = async () => Number(/^total_reads_processed:(\d+)/m.exec(await admin.info('stats'))![1]);
    const before = await reads();
    // 40 users' commits started in the same turn, as when a busy server handles many webhooks at once.
    const results = await Promise.all(
      Array.from({ length: 40 }, (_, i) => store.commitChecked(`tg:${7000 + i}`, { state: null, version: 0 }, `{"n":${i}}`, { eventId: `e${i}`, at: 1, outbox: 'r1:1:' })),
    );
    const after = await reads();
    expect(results.every((r) => r.result === 'ok')).toBe(true);
    // Written one by one they would take about 40 reads; grouped, one (two if Redis reads them in two pieces),
    // plus the INFO call that measures it.
    expect(after - before).toBeLessThanOrEqual(4);
    for (let i = 0; i < 40; i += 13) expect((await store.load(`tg:${7000 + i}`)).state).toBe(`{"n":${i}}`);
  });

  it('loses no transition when 50 writers on two connections append to one state', async () => {
    const a = await connected(open());
    const b = await connected(open());
    const user = 'line:Uconcurrent';
    let conflicts = 0;
    const appendOne = async (n: number) => {
      const store = n % 2 ? a : b;
      for (let attempt = 0; attempt < 1000; attempt++) {
        const { state, version } = await store.load(user, `ev-${n}`);
        const list: number[] = state ? (JSON.parse(state) as { list: number[] }).list : [];
        // Let the other writers interleave between read and write.
        await new Promise((r) => setTimeout(r, Math.random() * 3));
        const result = await store.commit(user, version, JSON.stringify({ list: [...list, n] }), { eventId: `ev-${n}`, outbox: `o${n}`, at: n });
        if (result === 'ok') return;
        expect(result).toBe('conflict');
        conflicts++;
      }
      throw new Error(`writer ${n} never got through`);
    };
    await Promise.all(Array.from({ length: 50 }, (_, n) => appendOne(n)));
    const final = await a.load(user);
    const list = (JSON.parse(final.state!) as { list: number[] }).list;
    expect(final.version).toBe(50);
    expect([...list].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, n) => n));
    for (let n = 0; n < 50; n++) expect((await b.load(user, `ev-${n}`)).delivery).toEqual({ status: 'pending', outbox: `o${n}`, at: n });
    console.log(`[concurrency] 50 writers on 2 connections: ${conflicts} conflicts retried, final version ${final.version}`);
    expect(conflicts).toBeGreaterThan(0);
  });

  it('works with a password (HELLO 3 AUTH) and never logs it', async () => {
    const secure = await startRedisServer({ password: 'sup3r-s3cret' });
    try {
      const good = await connected(open({ url: `redis://:sup3r-s3cret@127.0.0.1:${secure.port}` }));
      await good.ping();
      expect(await good.commit('tg:1', 0, 's')).toBe('ok');

      const lines: string[] = [];
      const log: SessionStoreLogger = {
        info: (obj, msg) => lines.push(JSON.stringify({ obj, msg })),
        warn: (obj, msg) => lines.push(JSON.stringify({ obj, msg })),
      };
      const wrong = open({ url: `redis://default:wr0ng-s3cret@127.0.0.1:${secure.port}`, log });
      const err = await wrong.ping().then(() => null, (e: unknown) => e);
      expect(err).toBeInstanceOf(StoreUnavailableError);
      expect(String((err as Error).message)).not.toContain('wr0ng-s3cret');
      await new Promise((r) => setTimeout(r, 300));
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.join('\n')).not.toContain('wr0ng-s3cret');
      expect(lines.join('\n')).not.toContain('redis://');
    } finally {
      await Promise.all(stores.splice(0).map((s) => s.close()));
      await secure.stop();
    }
  });

  it('turns on TLS for rediss:// URLs', () => {
    expect(RedisSessionStore.redisOptions(500, 'rediss://:pw@cache.example:6380').tls).toEqual({});
    expect(RedisSessionStore.redisOptions(500, 'REDISS://cache.example').tls).toEqual({});
    expect(RedisSessionStore.redisOptions(500, 'redis://cache.example').tls).toBeUndefined();
    const cluster = RedisSessionStore.clusterOptions(500, 'rediss://user:pw@x:1');
    expect(cluster.enableOfflineQueue).toBe(false);
    expect(cluster.redisOptions).toMatchObject({ tls: {}, username: 'user', password: 'pw', commandTimeout: 500 });
  });

  it('rejects every call after close()', async () => {
    const store = await connected(open());
    await store.ping();
    await store.close();
    await expect(store.load('tg:1')).rejects.toBeInstanceOf(StoreUnavailableError);
    await expect(store.ping()).rejects.toBeInstanceOf(StoreUnavailableError);
    await store.close();
  });

  it('does not close a client it was given', async () => {
    const client = new Redis(server.url);
    try {
      const store = new RedisSessionStore({ client });
      expect(await store.commit('tg:1', 0, 's')).toBe('ok');
      await store.close();
      expect(await client.get('mamori:{tg:1}:s')).toBe('1:s');
    } finally {
      await client.quit();
    }
  });
});
