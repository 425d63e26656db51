/**
 * Redis going away and coming back: every call fails fast with StoreUnavailableError (never hangs), and the
 * same store instance works again once Redis is back, without being re-created.
 */
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/engine/session-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers } from '../support/redis-server.ts';

const enabled = redisServerAvailable('RedisSessionStore outage tests');

/** Every method of the store, each called once. */
function everyCall(store: RedisSessionStore): Record<string, () => Promise<unknown>> {
  return {
    load: () => store.load('tg:1'),
    loadWithEvent: () => store.load('tg:1', 'ev-2'),
    commit: () => store.commit('tg:1', 1, 'state 2', { eventId: 'ev-2', outbox: 'o', at: 2 }),
    markDelivered: () => store.markDelivered('tg:1', 'ev-1'),
    claimEvent: () => store.claimEvent('tg:1', 'ev-3'),
    forget: () => store.forget('tg:2'),
    hit: () => store.hit('tg:1', 'min', 60),
    ping: () => store.ping(),
  };
}

async function expectFastUnavailable(name: string, call: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  const outcome = await call().then(
    () => 'resolved',
    (err: unknown) => err,
  );
  const ms = performance.now() - started;
  expect(outcome, `${name} should reject with StoreUnavailableError`).toBeInstanceOf(StoreUnavailableError);
  expect(ms, `${name} took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
  return ms;
}

async function eventually(what: string, check: () => Promise<unknown>, timeoutMs = 8000): Promise<number> {
  const started = performance.now();
  let last: unknown;
  while (performance.now() - started < timeoutMs) {
    try {
      await check();
      return performance.now() - started;
    } catch (err) {
      last = err;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`${what} did not succeed within ${timeoutMs} ms: ${String(last)}`);
}

describe.skipIf(!enabled)('RedisSessionStore when Redis goes down', () => {
  const stores: RedisSessionStore[] = [];
  afterEach(async () => {
    await Promise.all(stores.splice(0).map((s) => s.close()));
  });
  afterAll(() => stopAllRedisServers());

  it('rejects every call within a second while Redis is down, then recovers on the same instance', async () => {
    const server = await startRedisServer();
    const store = new RedisSessionStore({ url: server.url });
    stores.push(store);
    expect(await store.commit('tg:1', 0, 'state 1', { eventId: 'ev-1', outbox: 'o', at: 1 })).toBe('ok');

    // Calls in flight when the server dies settle quickly too.
    const inFlight = Array.from({ length: 20 }, (_, i) => store.hit('tg:1', `b${i}`, 60).then(() => 'ok', (e: unknown) => e));
    const killStarted = performance.now();
    await server.kill();
    const settled = await Promise.all(inFlight);
    expect(performance.now() - killStarted).toBeLessThan(2000);
    for (const s of settled) if (s !== 'ok') expect(s).toBeInstanceOf(StoreUnavailableError);

    // Several rounds: right after the kill, and while ioredis keeps trying to reconnect.
    const timings: Record<string, number> = {};
    for (let round = 0; round < 3; round++) {
      for (const [name, call] of Object.entries(everyCall(store))) timings[`${name}#${round}`] = await expectFastUnavailable(name, call);
      // And all at once.
      await Promise.all(Object.entries(everyCall(store)).map(([name, call]) => expectFastUnavailable(`${name} (parallel)`, call)));
      await new Promise((r) => setTimeout(r, 700));
    }
    const slowest = Math.max(...Object.values(timings));
    console.log(`[outage] slowest rejection while Redis was down: ${slowest.toFixed(0)} ms`);

    await server.restart();
    const recoveredIn = await eventually('ping after restart', () => store.ping());
    console.log(`[outage] same store answered again ${recoveredIn.toFixed(0)} ms after redis-server was back`);
    // The server kept nothing (no persistence): a fresh start, through the same store and its scripts.
    expect(await store.load('tg:1', 'ev-1')).toEqual({ state: null, version: 0, delivery: null });
    expect(await store.commit('tg:1', 0, 'again', { eventId: 'ev-1', outbox: 'o', at: 3 })).toBe('ok');
    expect(await store.load('tg:1', 'ev-1')).toEqual({ state: 'again', version: 1, delivery: { status: 'pending', outbox: 'o', at: 3 } });
    await store.markDelivered('tg:1', 'ev-1');
    expect(await store.claimEvent('tg:1', 'ev-1')).toBe(false);
    expect(await store.hit('tg:1', 'min', 60)).toBe(1);
    await store.forget('tg:1');
    expect((await store.load('tg:1')).version).toBe(0);
  });

  it('does not hang on a server that stops answering (connection open, no replies)', async () => {
    const server = await startRedisServer();
    const store = new RedisSessionStore({ url: server.url });
    stores.push(store);
    expect(await store.commit('tg:1', 0, 'state 1', { eventId: 'ev-1', outbox: 'o', at: 1 })).toBe('ok');
    server.pause();
    try {
      const timings: number[] = [];
      for (const [name, call] of Object.entries(everyCall(store))) timings.push(await expectFastUnavailable(`${name} (hung server)`, call));
      await Promise.all(Object.entries(everyCall(store)).map(([name, call]) => expectFastUnavailable(`${name} (hung server, parallel)`, call)));
      console.log(`[outage] hung server: rejections took ${Math.min(...timings).toFixed(0)}–${Math.max(...timings).toFixed(0)} ms`);
    } finally {
      server.resume();
    }
    await eventually('ping after the server answers again', () => store.ping());
    // The server kept its data; the timed-out commit may or may not have run, and either way the store is consistent.
    const { state, version } = await store.load('tg:1');
    expect([1, 2]).toContain(version);
    expect(await store.commit('tg:1', version, `${state}+`)).toBe('ok');
  });

  it('starts while Redis is down without throwing, and works once Redis comes up', async () => {
    const server = await startRedisServer();
    await server.kill();
    let store: RedisSessionStore | undefined;
    expect(() => {
      store = new RedisSessionStore({ url: server.url });
    }).not.toThrow();
    stores.push(store!);
    await expectFastUnavailable('ping before Redis is up', () => store!.ping());
    await expectFastUnavailable('load before Redis is up', () => store!.load('tg:1'));
    await expectFastUnavailable('commit before Redis is up', () => store!.commit('tg:1', 0, 's'));

    await server.restart();
    await eventually('ping once Redis is up', () => store!.ping());
    expect(await store!.commit('tg:1', 0, 's')).toBe('ok');
    // The commit that failed before Redis was up was not queued and run later.
    expect(await store!.load('tg:1')).toEqual({ state: 's', version: 1, delivery: null });
  });

  it('fails fast on an address where nothing listens, and does not crash the process', async () => {
    const server = await startRedisServer();
    const url = server.url;
    await server.stop();
    const store = new RedisSessionStore({ url, commandTimeoutMs: 200 });
    stores.push(store);
    for (let i = 0; i < 5; i++) await expectFastUnavailable('ping', () => store.ping());
    await new Promise((r) => setTimeout(r, 1500));
    await expectFastUnavailable('ping after reconnect attempts', () => store.ping());
  });
});
