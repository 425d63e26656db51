/**
 * Killing the app between two messages and starting it again: the user continues at the same step. The
 * server is the real `node bin/mamori.js serve` with REDIS_URL, killed with SIGKILL (no shutdown hook runs),
 * and a new process on the same Redis takes the next button press from a message the old one sent.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { FakeTelegramApi } from '../support/fake-telegram-api.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';
import { tgUser } from '../support/update-factories.ts';
import { JA, expectAnswer, stepText } from './conversation-script.ts';
import { deliveredMark, eventually, readStoredSession, startServe, TgConversation, urlEndpoint, type ServeProcess } from './support.ts';

const enabled = redisServerAvailable('whole-app Redis tests (process restart)');

describe.skipIf(!enabled)('killing the app between two messages', () => {
  let redis: RedisServerHandle;
  let telegram: FakeTelegramApi;
  /** The test's own store on the same Redis, to read what the processes stored. */
  let inspect: RedisSessionStore;
  const processes: ServeProcess[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    telegram = await FakeTelegramApi.start();
    inspect = new RedisSessionStore({ url: redis.url });
  });
  afterAll(async () => {
    await Promise.all(processes.map((p) => p.kill()));
    await telegram?.close();
    await inspect?.close();
    await stopAllRedisServers();
  });

  it('continues at the same step in a new process on the same Redis', async () => {
    const user = tgUser({ id: 830_001 });
    const userKey = `tg:${user.id}`;
    const conv = new TgConversation(user, JA);
    const env = { REDIS_URL: redis.url };

    const first = await startServe(env, telegram);
    processes.push(first);
    const one = urlEndpoint('first process', first.base, telegram);
    expectAnswer(await conv.text(one, '/scams'), { step: 'scams/intro' }, '/scams');
    expectAnswer(await conv.press(one, 'scams.intro.flags'), { step: 'scams/flag-1' }, 'points');
    expectAnswer(await conv.press(one, 'scams.flag.next'), { step: 'scams/flag-2' }, 'next point');
    expectAnswer(await conv.press(one, 'scams.flag.next'), { step: 'scams/flag-3' }, 'next point');
    const lastBeforeKill = conv.lastUpdate;
    const keyboardBeforeKill = conv.lastKeyboard();
    const stored = await readStoredSession(inspect, userKey);
    expect(stored?.session.at).toEqual({ flow: 'scams', step: 'flag-3' });
    // The "sent" mark of the last update is written just after the 200; let it land before the kill, so the
    // redelivery below is a plain duplicate (a kill before it would make it pending: resent later, never lost).
    const lastId = (lastBeforeKill as { update_id: number }).update_id;
    await eventually('the last update marked sent', async () => {
      if ((await deliveredMark(inspect, userKey, lastId)) !== 'done') throw new Error('not yet');
    });

    const killedAt = performance.now();
    await first.kill();
    expect(first.child.signalCode).toBe('SIGKILL');
    await expect(fetch(`${first.base}/healthz`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();

    const second = await startServe(env, telegram);
    processes.push(second);
    console.info(`[redis-e2e] new process ready ${(performance.now() - killedAt).toFixed(0)} ms after the kill`);
    const two = urlEndpoint('second process', second.base, telegram);

    // Telegram redelivering the last update the old process answered: recognised, nothing sent twice.
    const redelivered = await conv.post(two, lastBeforeKill);
    expect(redelivered.status).toBe(200);
    expect(redelivered.messages).toEqual([]);

    // The button under the message the killed process sent: the next step, not "expired".
    const next = await conv.press(two, 'scams.flag.next', keyboardBeforeKill);
    expectAnswer(next, { step: 'scams/flag-4' }, 'next point after the restart');
    expect(next.messages.map((m) => m.text).join('\n')).not.toContain(JA['button.expired']);
    expect(next.messages.at(-1)!.text).toContain(stepText('scams/flag-4').slice(0, 30));
    expectAnswer(await conv.press(two, 'nav.back'), { step: 'scams/flag-3' }, 'back after the restart');
    expect((await readStoredSession(inspect, userKey))?.session).toMatchObject({ sid: stored!.session.sid, at: { flow: 'scams', step: 'flag-3' } });

    // The new process logged that it uses Redis.
    expect(second.output()).toMatch(/"store":"redis"/);
  });
});
