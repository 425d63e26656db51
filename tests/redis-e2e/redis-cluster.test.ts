/**
 * The app on a three-master Redis Cluster started by the test (`cluster-enabled yes` on three ports, then
 * `redis-cli --cluster create`): a full conversation works, its updates alternating between an in-process
 * app whose store comes from REDIS_CLUSTER_NODES and a spawned `bin/mamori.js serve` given the same
 * variable, and every key of the user, found by scanning every master, maps to one slot.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createSessionStore } from '../../src/store/create-session-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { FakeTelegramApi } from '../support/fake-telegram-api.ts';
import { redisServerAvailable, startRedisCluster, stopAllRedisServers, type RedisClusterHandle } from '../support/redis-server.ts';
import { tgUser } from '../support/update-factories.ts';
import { startHarness, type Harness } from '../webhooks/harness.ts';
import { FULL_CONVERSATION, JA, expectAnswer, runScript } from './conversation-script.ts';
import { dumpAll, eventually, harnessEndpoint, NO_RATE_LIMIT, readStoredSession, startServe, TgConversation, urlEndpoint, type DumpedKey, type ServeProcess } from './support.ts';

const enabled = redisServerAvailable('whole-app Redis tests (Redis Cluster)');

describe.skipIf(!enabled)('the app on a three-master Redis Cluster', () => {
  let cluster: RedisClusterHandle;
  let h: Harness;
  let serve: ServeProcess | undefined;
  let serveTelegram: FakeTelegramApi;
  let inspect: RedisSessionStore;

  beforeAll(async () => {
    cluster = await startRedisCluster();
    const nodesVar = cluster.startupNodes.join(',');
    // The store as the app makes it from its configuration.
    const config = loadConfig({ REDIS_CLUSTER_NODES: nodesVar });
    const created = createSessionStore({ redisClusterNodes: config.REDIS_CLUSTER_NODES, sessionTtlSeconds: config.SESSION_TTL });
    expect(created.kind).toBe('redis-cluster');
    h = await startHarness(NO_RATE_LIMIT, { store: created.store });
    serveTelegram = await FakeTelegramApi.start();
    serve = await startServe({ REDIS_CLUSTER_NODES: nodesVar }, serveTelegram);
    inspect = new RedisSessionStore({ clusterNodes: cluster.startupNodes });
  });
  afterAll(async () => {
    await serve?.kill();
    await h?.close();
    await serveTelegram?.close();
    await inspect?.close();
    await cluster?.stop();
    await stopAllRedisServers();
  });

  /** Every key on every master that names the user, with the node it was found on. */
  async function keysNaming(userId: number): Promise<Array<DumpedKey & { node: number }>> {
    const found: Array<DumpedKey & { node: number }> = [];
    for (const [i, node] of cluster.nodes.entries()) {
      for (const k of await dumpAll(node.url)) if (k.key.includes(String(userId))) found.push({ ...k, node: i });
    }
    return found;
  }

  it('runs a full conversation, with every key of the user in one slot', async () => {
    expect(serve!.output()).toMatch(/"store":"redis-cluster"/);
    const user = tgUser({ id: 850_001 });
    const conv = new TgConversation(user, JA);
    const app = harnessEndpoint('in-process', h);
    const spawned = urlEndpoint('spawned', serve!.base, serveTelegram);
    await runScript(conv, FULL_CONVERSATION, (i) => (i % 2 === 0 ? app : spawned));
    expect(new Set(conv.transcript.map((m) => m.via))).toEqual(new Set(['in-process', 'spawned']));
    const stored = await readStoredSession(inspect, `tg:${user.id}`);
    expect(stored!.version).toBe(FULL_CONVERSATION.filter((a) => !('mark' in a)).length);

    // Wait for the last "sent" mark (written just after the answer), then look at every key.
    const keys = await eventually('the keys to settle', async () => {
      const k = await keysNaming(user.id);
      const again = await keysNaming(user.id);
      if (JSON.stringify(k.map((x) => [x.key, x.value])) !== JSON.stringify(again.map((x) => [x.key, x.value]))) throw new Error('still changing');
      return again;
    });
    const kinds = [...new Set(keys.map((k) => `${k.key.replace(/:e:.*$/, ':e:…')} (${k.type})`))];
    console.info(`[redis-e2e] ${keys.length} keys of the user on the cluster, all on node ${keys[0]!.node}: ${kinds.join(', ')}`);
    expect(keys.length).toBeGreaterThanOrEqual(2);
    expect(keys.filter((k) => k.value.includes(`"sid":"${stored!.session.sid}"`)), 'the session key').toHaveLength(1);
    const slots = new Set<number>();
    for (const k of keys) slots.add(Number(await cluster.cli('cluster', 'keyslot', k.key)));
    expect(slots.size, `slots of ${keys.map((k) => k.key).join(', ')}`).toBe(1);
    // All on one master (the one serving that slot), and all with a TTL.
    expect(new Set(keys.map((k) => k.node)).size).toBe(1);
    for (const k of keys) expect(k.pttl, `TTL of ${k.key}`).toBeGreaterThan(0);

    // A second user lands in another slot (the users are spread), each user's keys still in one.
    const other = new TgConversation(tgUser({ id: 850_002 }), JA);
    expectAnswer(await other.text(spawned, '/secure'), { step: 'secure/which' }, 'second user');
    const otherSlots = new Set<number>();
    for (const k of await keysNaming(850_002)) otherSlots.add(Number(await cluster.cli('cluster', 'keyslot', k.key)));
    expect(otherSlots.size).toBe(1);
    expect([...otherSlots][0]).not.toBe([...slots][0]);

    // And /forget on the cluster leaves no key naming the user on any master.
    expectAnswer(await conv.text(spawned, '/lang ja'), { says: 'lang.changed' }, '/lang ja');
    expectAnswer(await conv.text(app, '/forget'), { says: 'forget.confirm' }, '/forget');
    expectAnswer(await conv.press(spawned, 'forget.yes'), { says: 'forget.done' }, 'confirm');
    await eventually('no key of the user left', async () => {
      const left = await keysNaming(user.id);
      if (left.length) throw new Error(`left: ${left.map((k) => k.key).join(', ')}`);
    });
  });
});
