/**
 * One conversation whose updates alternate between two app instances sharing one Redis gives the same
 * transcript (every text and button the fake Bot API received, in order) as the same conversation on a
 * single instance. Each instance keeps nothing of its own between updates: the next one may land anywhere.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';
import { tgUser } from '../support/update-factories.ts';
import { startHarness, type Harness } from '../webhooks/harness.ts';
import { FULL_CONVERSATION, JA, runScript } from './conversation-script.ts';
import { comparable, harnessEndpoint, NO_RATE_LIMIT, readStoredSession, TgConversation } from './support.ts';

const enabled = redisServerAvailable('whole-app Redis tests (alternating instances)');

describe.skipIf(!enabled)('a conversation alternating between two instances', () => {
  let redis: RedisServerHandle;
  let a: Harness;
  let b: Harness;
  let single: Harness;

  beforeAll(async () => {
    redis = await startRedisServer();
    a = await startHarness(NO_RATE_LIMIT, { store: new RedisSessionStore({ url: redis.url }) });
    b = await startHarness(NO_RATE_LIMIT, { store: new RedisSessionStore({ url: redis.url }) });
    single = await startHarness(NO_RATE_LIMIT, { store: new RedisSessionStore({ url: redis.url }) });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), single?.close()]);
    await stopAllRedisServers();
  });

  it('gives the same transcript as one instance', async () => {
    const A = harnessEndpoint('a', a);
    const B = harnessEndpoint('b', b);
    const S = harnessEndpoint('single', single);

    const alternating = new TgConversation(tgUser({ id: 820_001 }), JA);
    await runScript(alternating, FULL_CONVERSATION, (i) => (i % 2 === 0 ? A : B));
    const one = new TgConversation(tgUser({ id: 820_002 }), JA);
    await runScript(one, FULL_CONVERSATION, () => S);

    // Both instances really took part, alternately.
    const via = alternating.transcript.map((m) => m.via);
    expect(via.filter((v) => v === 'a').length).toBeGreaterThan(10);
    expect(via.filter((v) => v === 'b').length).toBeGreaterThan(10);
    expect(one.transcript.every((m) => m.via === 'single')).toBe(true);

    expect(alternating.transcript.length).toBeGreaterThanOrEqual(FULL_CONVERSATION.length - 1);
    expect(comparable(alternating.transcript)).toEqual(comparable(one.transcript));

    // And the same state stored at the end (apart from the conversation id, which comes from the clock).
    const x = await readStoredSession(single.store, 'tg:820001');
    const y = await readStoredSession(single.store, 'tg:820002');
    const { sid: _x, ...xs } = x!.session;
    const { sid: _y, ...ys } = y!.session;
    expect(xs).toEqual(ys);
    expect(x!.version).toBe(y!.version);
  });
});
