/**
 * Stopping Redis in the middle of a conversation: webhooks answer 503 fast (so the platform redelivers),
 * GET /readyz answers 503, nothing is written half-way; when Redis is back the same app (not restarted)
 * works again and the conversation continues at the same step, including the update that got the 503,
 * redelivered as Telegram would.
 *
 * Redis runs with `appendonly yes` and `appendfsync always` here, so that what was stored before the
 * SIGKILL is there again after the restart, as on a persistent production Redis.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';
import { tgUser } from '../support/update-factories.ts';
import { metricValue, startHarness, type Harness } from '../webhooks/harness.ts';
import { JA, expectAnswer } from './conversation-script.ts';
import { eventually, harnessEndpoint, NO_RATE_LIMIT, readStoredSession, TgConversation, type PostResult } from './support.ts';

const enabled = redisServerAvailable('whole-app Redis tests (Redis outage)');

describe.skipIf(!enabled)('Redis stopped mid-conversation', () => {
  let redis: RedisServerHandle;
  let h: Harness;
  /** The test's own store, to read what the app stored. */
  let inspect: RedisSessionStore;

  beforeAll(async () => {
    redis = await startRedisServer({ args: ['--appendonly', 'yes', '--appendfsync', 'always'] });
    h = await startHarness(NO_RATE_LIMIT, { store: new RedisSessionStore({ url: redis.url }) });
    inspect = new RedisSessionStore({ url: redis.url });
  });
  afterAll(async () => {
    await h?.close();
    await inspect?.close();
    await stopAllRedisServers();
  });

  /** The test's own store reconnects by itself too, on its own schedule: wait for it before reading. */
  const inspectorBack = () => eventually('the test store to reconnect', () => inspect.ping(), 10_000);

  const readyz = async () => {
    const started = performance.now();
    const res = await fetch(`${h.base}/readyz`, { signal: AbortSignal.timeout(5000) });
    return { status: res.status, body: (await res.json()) as { status: string }, ms: performance.now() - started };
  };

  it('answers 503 fast while Redis is down and continues at the same step once it is back', async () => {
    const user = tgUser({ id: 840_001 });
    const userKey = `tg:${user.id}`;
    const conv = new TgConversation(user, JA);
    const ep = harnessEndpoint('app', h);

    expect((await readyz()).status).toBe(200);
    expectAnswer(await conv.text(ep, '/report'), { step: 'incident/what' }, '/report');
    expectAnswer(await conv.press(ep, 'incident.what.summary'), { step: 'incident/ev-when' }, 'summary only');
    expectAnswer(await conv.text(ep, '先週の金曜日'), { step: 'incident/ev-what' }, 'when');
    const before = await readStoredSession(inspect, userKey);
    expect(before?.session).toMatchObject({ at: { flow: 'incident', step: 'ev-what' }, ans: { when: '先週の金曜日' } });
    const keyboardBefore = conv.lastKeyboard();

    // ---- Redis goes away (SIGKILL: connections reset, then refused)
    await redis.kill();
    const during: Array<{ what: string; status: number; ms: number }> = [];
    const attempts: Array<[string, () => Promise<PostResult>]> = [
      ['typed answer', () => conv.text(ep, '知らない注文があった')],
      ['button press', () => conv.press(ep, 'incident.skip', keyboardBefore)],
      ['command', () => conv.text(ep, '/menu')],
    ];
    for (const [what, attempt] of attempts) {
      const r = await attempt();
      during.push({ what, status: r.status, ms: r.ms });
      expect(r.messages, `${what}: nothing sent while Redis is down`).toEqual([]);
    }
    const ready = await readyz();
    console.info(`[redis-e2e] while Redis was down: ${during.map((d) => `${d.what} ${d.status} in ${d.ms.toFixed(0)} ms`).join(', ')}; /readyz ${ready.status} in ${ready.ms.toFixed(0)} ms`);
    for (const d of during) {
      expect(d.status, d.what).toBe(503);
      expect(d.ms, `${d.what} answered in ${d.ms.toFixed(0)} ms`).toBeLessThan(1000);
    }
    expect(ready.status).toBe(503);
    expect(ready.body.status).toBe('unavailable');
    expect(ready.ms).toBeLessThan(1000);
    // Still fast a little later (reconnect attempts in the background must not make requests wait).
    await new Promise((r) => setTimeout(r, 1500));
    const later = await conv.text(ep, '知らない注文があった');
    expect(later.status).toBe(503);
    expect(later.ms).toBeLessThan(1000);
    const failedUpdate = conv.lastUpdate;
    expect(await metricValue(h.runtime, 'mamori_store_errors_total', {})).toBeGreaterThan(0);

    // ---- Redis is back (same port, data from its append-only file); the app is not restarted
    await redis.restart();
    const recoveredIn = await eventually(
      '/readyz 200 after Redis came back',
      async () => {
        const r = await readyz();
        if (r.status !== 200) throw new Error(`/readyz ${r.status}`);
        return r;
      },
      10_000,
    );
    expect(recoveredIn.body.status).toBe('ready');
    // Nothing was written half-way: the stored conversation is exactly what it was before the outage.
    await inspectorBack();
    const after = await readStoredSession(inspect, userKey);
    expect(after).toEqual(before);

    // Telegram redelivers the update that got the 503: handled now, at the step where the user was.
    const redelivered = await conv.post(ep, failedUpdate);
    expectAnswer(redelivered, { step: 'incident/ev-ref' }, 'redelivered answer');
    expectAnswer(await conv.press(ep, 'incident.skip'), { step: 'incident/ev-amount' }, 'skip');
    expectAnswer(await conv.text(ep, '5000円'), { step: 'incident/ev-actions' }, 'amount');
    expectAnswer(await conv.text(ep, 'まだ何もしていない'), { says: 'evidence.title' }, 'actions');
    const summary = conv.transcript.at(-1)!.text;
    expect(conv.transcript.map((m) => m.text).join('\n')).toContain('先週の金曜日');
    expect(conv.transcript.map((m) => m.text).join('\n')).toContain('知らない注文があった');
    expect(summary).toContain(JA['menu.after-guide']);
    const final = await readStoredSession(inspect, userKey);
    expect(final!.session.sid).toBe(before!.session.sid);
    expect(final!.version).toBe(before!.version + 4);
  });

  it('answers 503 within a second while Redis hangs (SIGSTOP) and continues once it answers again', async () => {
    const user = tgUser({ id: 840_002 });
    const userKey = `tg:${user.id}`;
    const conv = new TgConversation(user, JA);
    const ep = harnessEndpoint('app', h);
    await eventually('/readyz 200', async () => {
      if ((await readyz()).status !== 200) throw new Error('not ready');
    });
    expectAnswer(await conv.text(ep, '/scams'), { step: 'scams/intro' }, '/scams');
    expectAnswer(await conv.press(ep, 'scams.intro.quiz'), { step: 'scams/q1' }, 'quiz');
    await inspectorBack();
    const before = await readStoredSession(inspect, userKey);

    redis.pause();
    let failedUpdate: unknown;
    try {
      const press = await conv.press(ep, 'scams.q1.pass');
      failedUpdate = conv.lastUpdate;
      const typed = await conv.text(ep, '3');
      const ready = await readyz();
      console.info(`[redis-e2e] while Redis hung: press ${press.status} in ${press.ms.toFixed(0)} ms, text ${typed.status} in ${typed.ms.toFixed(0)} ms, /readyz ${ready.status} in ${ready.ms.toFixed(0)} ms`);
      for (const [what, r] of [['press', press], ['text', typed], ['readyz', ready]] as const) {
        expect(r.status, what).toBe(503);
        expect(r.ms, `${what} answered in ${r.ms.toFixed(0)} ms`).toBeLessThan(1000);
      }
      expect(press.messages).toEqual([]);
      expect(typed.messages).toEqual([]);
    } finally {
      redis.resume();
    }

    await eventually(
      '/readyz 200 after Redis answered again',
      async () => {
        if ((await readyz()).status !== 200) throw new Error('not ready');
      },
      10_000,
    );
    await inspectorBack();
    // A stopped Redis still holds the commands already written to it and runs them when it resumes, after
    // the app gave up on them: either nothing changed, or exactly the press was applied (one version up,
    // its answer kept as pending). Never the typed "3", which was based on the same old state.
    const afterHang = await readStoredSession(inspect, userKey);
    if (afterHang!.version !== before!.version) {
      expect(afterHang!.version).toBe(before!.version + 1);
      expect(afterHang!.session.at).toMatchObject({ flow: 'scams', step: 'q1-right' });
    }
    // The press that got the 503, redelivered: the quiz goes on from the first question (answered from the
    // kept answer at once when the hung write did land: this instance knows it gave up on it).
    expectAnswer(await conv.post(ep, failedUpdate), { step: 'scams/q1-right' }, 'redelivered press');
    expectAnswer(await conv.press(ep, 'nav.next'), { step: 'scams/q2' }, 'next question');
  });
});
