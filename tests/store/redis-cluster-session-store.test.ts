/**
 * RedisSessionStore on a three-master Redis Cluster: everything one user owns sits in one slot, so the
 * commit script, MGET and DEL never meet CROSSSLOT, and forget finds the user's keys on the right master.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StoreUnavailableError } from '../../src/engine/session-store.ts';
import { createSessionStore } from '../../src/store/create-session-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisCluster, stopAllRedisServers, type RedisClusterHandle } from '../support/redis-server.ts';

const enabled = redisServerAvailable('RedisSessionStore cluster tests');
const USERS = ['tg:1', 'tg:2', 'tg:123456789', 'line:U4af4980629d5f1a2b3c4d5e6f7a8b9c0', 'web:abc', 'a{b}c', 'x}', 'tg:42'];

describe.skipIf(!enabled)('RedisSessionStore on a Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let store: RedisSessionStore;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    store = new RedisSessionStore({ clusterNodes: cluster.startupNodes, ttls: { sessionSeconds: 3600, deliverySeconds: 600 } });
    await store.ping();
  });
  afterAll(async () => {
    await store?.close();
    await cluster?.stop();
    await stopAllRedisServers();
  });

  it('is a cluster store', () => {
    expect(store.kind).toBe('redis-cluster');
  });

  it('commits, loads, marks, claims, counts and forgets with every key of a user in one slot', async () => {
    const slots = new Map<string, number>();
    for (const user of USERS) {
      expect(await store.load(user, 'e1')).toEqual({ state: null, version: 0, delivery: null });
      expect(await store.commit(user, 0, `s:${user}`, { eventId: 'e1', outbox: 'o1', at: 1 })).toBe('ok');
      expect(await store.commit(user, 0, 'stale')).toBe('conflict');
      expect(await store.commit(user, 1, 'again', { eventId: 'e1', outbox: 'o', at: 1 })).toBe('duplicate');
      expect(await store.load(user, 'e1')).toEqual({ state: `s:${user}`, version: 1, delivery: { status: 'pending', outbox: 'o1', at: 1 } });
      await store.markDelivered(user, 'e1');
      expect((await store.load(user, 'e1')).delivery).toEqual({ status: 'done' });
      expect(await store.claimEvent(user, 'e2')).toBe(true);
      expect(await store.claimEvent(user, 'e2')).toBe(false);
      expect(await store.hit(user, 'min', 60)).toBe(1);
      expect(await store.hit(user, 'min', 60)).toBe(2);
      expect(await store.commit(user, 1, `s2:${user}`, { eventId: 'e3', outbox: 'o3', at: 3 })).toBe('ok');

      const keys = await store.userKeys(user);
      // state, handled events and rate counts, e3's pending record, the hit() counter
      expect(keys).toHaveLength(4);
      const keySlots = new Set<number>();
      for (const key of keys) keySlots.add(Number(await cluster.cli('cluster', 'keyslot', key)));
      expect(keySlots.size, `slots of ${keys.join(', ')}`).toBe(1);
      slots.set(user, [...keySlots][0]!);
      // And each key has a TTL.
      // (The hit() counter lives to the end of its minute: at a minute's end it may already be gone, -2; never -1.)
      for (const key of keys) {
        const left = Number(await cluster.cli('pttl', key));
        if (left === -2 && key.includes(':r:min:')) continue;
        expect(left, key).toBeGreaterThan(0);
      }
    }
    // The users are spread over more than one master (so the test does cross nodes): only the master that
    // serves a slot counts keys in it.
    const owners = new Set<number>();
    for (const slot of slots.values()) {
      const counts = await Promise.all(cluster.nodes.map((n) => n.cli('cluster', 'countkeysinslot', String(slot))));
      expect(counts.filter((c) => Number(c) > 0)).toHaveLength(1);
      owners.add(counts.findIndex((c) => Number(c) > 0));
    }
    expect(owners.size).toBeGreaterThan(1);
    const usage = await store.memoryUsage(USERS[0]!);
    expect(usage.keys).toHaveLength(4);
    expect(usage.bytes).toBeGreaterThan(0);

    for (const user of USERS) {
      await store.forget(user);
      expect(await store.userKeys(user)).toEqual([]);
      expect(await store.load(user, 'e1')).toEqual({ state: null, version: 0, delivery: null });
    }
    const remaining = await Promise.all(cluster.nodes.map((n) => n.cli('dbsize')));
    expect(remaining.map(Number)).toEqual([0, 0, 0]);
  });

  it('fails fast while the whole cluster is down and recovers on the same instance', async () => {
    expect(await store.commit('tg:500', 0, 's')).toBe('ok');
    await Promise.all(cluster.nodes.map((n) => n.kill()));
    const calls: Record<string, () => Promise<unknown>> = {
      load: () => store.load('tg:500', 'e'),
      commit: () => store.commit('tg:500', 1, 's2', { eventId: 'e', outbox: 'o', at: 1 }),
      markDelivered: () => store.markDelivered('tg:500', 'e'),
      claimEvent: () => store.claimEvent('tg:500', 'e'),
      hit: () => store.hit('tg:500', 'min', 60),
      forget: () => store.forget('tg:500'),
      ping: () => store.ping(),
    };
    let slowest = 0;
    for (let round = 0; round < 2; round++) {
      for (const [name, call] of Object.entries(calls)) {
        const started = performance.now();
        const outcome = await call().then(() => 'resolved', (e: unknown) => e);
        const ms = performance.now() - started;
        slowest = Math.max(slowest, ms);
        expect(outcome, name).toBeInstanceOf(StoreUnavailableError);
        expect(ms, `${name} took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
      }
      await new Promise((r) => setTimeout(r, 500));
    }
    console.log(`[cluster outage] slowest rejection ${slowest.toFixed(0)} ms`);

    // Same ports and nodes.conf: the cluster comes back with the same slots (and no data).
    await Promise.all(cluster.nodes.map((n) => n.restart()));
    const started = performance.now();
    for (;;) {
      try {
        await store.ping();
        // Every master (the cluster reports cluster_state:fail for a moment after a restart).
        for (const user of USERS) await store.load(user);
        expect(await store.commit('tg:500', 0, 'back')).toBe('ok');
        break;
      } catch (err) {
        if (performance.now() - started > 20_000) throw err;
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    console.log(`[cluster outage] same store worked again ${(performance.now() - started).toFixed(0)} ms after the nodes restarted`);
    expect(await store.load('tg:500')).toEqual({ state: 'back', version: 1, delivery: null });
    await store.forget('tg:500');
  }, 60_000);

  it('answers or fails fast when one master dies, and recovers when it returns', async () => {
    const users = Array.from({ length: 12 }, (_, i) => `tg:${1000 + i}`);
    for (const user of users) expect(await store.commit(user, 0, 's')).toBe('ok');
    await cluster.nodes[0]!.kill();
    let failed = 0;
    let slowest = 0;
    // Through the node's death and the cluster noticing it (cluster-node-timeout 3 s).
    for (let round = 0; round < 5; round++) {
      await Promise.all(
        users.map(async (user) => {
          const started = performance.now();
          const outcome = await store.load(user).then(() => 'ok', (e: unknown) => e);
          const ms = performance.now() - started;
          slowest = Math.max(slowest, ms);
          if (outcome !== 'ok') {
            failed++;
            expect(outcome).toBeInstanceOf(StoreUnavailableError);
          }
          expect(ms, `load(${user}) took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
        }),
      );
      await new Promise((r) => setTimeout(r, 800));
    }
    expect(failed).toBeGreaterThan(0);
    console.log(`[cluster, one master down] ${failed} of ${users.length * 5} loads failed, slowest ${slowest.toFixed(0)} ms`);
    await cluster.nodes[0]!.restart();
    const started = performance.now();
    for (;;) {
      const outcomes = await Promise.all(users.map((u) => store.load(u).then(() => true, () => false)));
      if (outcomes.every(Boolean)) break;
      if (performance.now() - started > 20_000) throw new Error('the cluster store did not recover after the master returned');
      await new Promise((r) => setTimeout(r, 200));
    }
    console.log(`[cluster, one master down] all users answered again ${(performance.now() - started).toFixed(0)} ms after it returned`);
    for (const user of users) await store.forget(user);
  }, 60_000);

  it('is chosen by createSessionStore when cluster nodes are configured', async () => {
    const created = createSessionStore({ redisClusterNodes: cluster.startupNodes, sessionTtlSeconds: 600 });
    try {
      expect(created.kind).toBe('redis-cluster');
      await created.store.ping();
      expect(await created.store.commit('tg:77', 0, 's')).toBe('ok');
      expect(await created.store.load('tg:77')).toEqual({ state: 's', version: 1, delivery: null });
      await created.store.forget('tg:77');
    } finally {
      await created.store.close();
    }
  });
});
