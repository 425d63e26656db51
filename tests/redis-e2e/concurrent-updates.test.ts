/**
 * 50 updates from one user, all in flight at once, spread over two app instances that share one Redis:
 * no transition is lost or applied twice, and the final state is the one applying them one after another
 * gives.
 *
 * The user stands in the "both" checklist of the secure guide (8 + 7 items, then a summary). The 50 texts
 * are 15 × "ok" (each ticks one item) and 35 × "zzz" (not understood: the step is shown again), shuffled.
 * Any order of them ends in the same state, on the summary step after exactly 15 ticks, with the turn
 * counter 50 higher, so the concurrent run can be compared with a sequential run of the same texts. Every
 * event's answer carries exactly one keyboard whose payloads name the turn the event produced: 50 events
 * applied once each on 50 different versions give the 50 turns T+1 … T+50, each once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/engine/button-payload.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';
import { tgTextUpdate, tgUser } from '../support/update-factories.ts';
import { metricValue, startHarness, type Harness } from '../webhooks/harness.ts';
import { buttonsOf, deliveredMark, eventually, harnessEndpoint, messageInAnswer, NO_RATE_LIMIT, ok, readStoredSession, sentTo, TgConversation, type TgEndpoint } from './support.ts';

const enabled = redisServerAvailable('whole-app Redis tests (concurrent updates)');

const OKS = 15;
const STRAYS = 35;

/** A fixed shuffle (so a failure can be replayed): xorshift over the seed. */
function shuffled<T>(items: readonly T[], seed: number): T[] {
  const out = [...items];
  let x = seed;
  for (let i = out.length - 1; i > 0; i--) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    const j = Math.abs(x) % (i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

/**
 * The real Redis store, counting the commits compare-and-set refused because another writer got there first
 * (to show that the updates raced): answers 'stale' that are not about an event recorded already.
 */
class CountingStore extends RedisSessionStore {
  conflicts = 0;
  override async commitChecked(...args: Parameters<RedisSessionStore['commitChecked']>): ReturnType<RedisSessionStore['commitChecked']> {
    const answer = await super.commitChecked(...args);
    if (answer.result === 'stale' && !answer.current.delivery) this.conflicts++;
    return answer;
  }
}

describe.skipIf(!enabled)('50 concurrent updates from one user across two instances on one Redis', () => {
  let shared: RedisServerHandle;
  let fresh: RedisServerHandle;
  let a: Harness;
  let b: Harness;
  let single: Harness;
  let storeA: CountingStore;
  let storeB: CountingStore;
  /** The test's own store on each Redis, to read what the apps stored. */
  let inspect: RedisSessionStore;
  let inspectFresh: RedisSessionStore;

  beforeAll(async () => {
    [shared, fresh] = await Promise.all([startRedisServer(), startRedisServer()]);
    storeA = new CountingStore({ url: shared.url });
    storeB = new CountingStore({ url: shared.url });
    a = await startHarness(NO_RATE_LIMIT, { store: storeA });
    b = await startHarness(NO_RATE_LIMIT, { store: storeB });
    single = await startHarness(NO_RATE_LIMIT, { store: new RedisSessionStore({ url: fresh.url }) });
    inspect = new RedisSessionStore({ url: shared.url });
    inspectFresh = new RedisSessionStore({ url: fresh.url });
  });
  afterAll(async () => {
    await Promise.all([a?.close(), b?.close(), single?.close(), inspect?.close(), inspectFresh?.close()]);
    await stopAllRedisServers();
  });

  /** /secure, then "both": the first checklist item, after two turns. */
  async function intoChecklist(conv: TgConversation, ep: TgEndpoint): Promise<void> {
    ok(await conv.text(ep, '/secure'));
    const texts = ok(await conv.press(ep, 'secure.which.both'));
    expect(texts.at(-1)).toContain(conv.ja['secure.buyer.open.text']);
  }

  it('loses no transition and ends where applying them one after another ends', async () => {
    const ja = a.runtime.context.locales.ja;
    const seed = Number(process.env.MAMORI_SHUFFLE_SEED ?? 0x5eed1234);
    const texts = shuffled([...Array<string>(OKS).fill('ok'), ...Array<string>(STRAYS).fill('zzz')], seed);
    const user = tgUser({ id: 810_001 });

    // ---- concurrent: 50 updates in flight at once, alternately to instance a and b
    const conv = new TgConversation(user, ja);
    await intoChecklist(conv, harnessEndpoint('a', a));
    const start = await readStoredSession(inspect, `tg:${user.id}`);
    expect(start).toMatchObject({ version: 2, session: { turn: 2, at: { flow: 'secure', step: 'buyer-then-seller' } } });
    const sentBefore = sentTo(a.telegram, user.id).length;
    const updates = texts.map((t) => tgTextUpdate(t, { user }));
    const started = performance.now();
    const answers = await Promise.all(
      updates.map(async (u, i) => {
        const h = i % 2 === 0 ? a : b;
        const res = await h.postTelegram(u);
        return { status: res.status, inBody: messageInAnswer(res.status, await res.text(), user.id), via: h };
      }),
    );
    const statuses = answers.map((x) => x.status);
    const elapsed = performance.now() - started;
    console.info(`[redis-e2e] 50 concurrent updates over two instances answered in ${elapsed.toFixed(0)} ms`);
    expect(statuses).toEqual(updates.map(() => 200));
    // The updates really raced: commits were refused by compare-and-set (and retried on fresh state), on
    // both instances.
    const conflicts = [storeA.conflicts, storeB.conflicts];
    console.info(`[redis-e2e] compare-and-set conflicts during the burst (a, b): ${conflicts.join(', ')}`);
    expect(conflicts[0]! + conflicts[1]!).toBeGreaterThan(0);

    // Every event answered once, each on its own turn: one keyboard per event, turns 3 … 52 once each.
    // (Sent through the Bot API, or carried in the webhook answer for Telegram to send.)
    const sent = [
      ...[...sentTo(a.telegram, user.id).slice(sentBefore), ...sentTo(b.telegram, user.id)].map((c) => ({ text: String(c.payload.text), buttons: buttonsOf(c) })),
      ...answers.flatMap((x) => (x.inBody ? [x.inBody] : [])),
    ];
    const keyboards = sent.filter((m) => m.buttons.length > 0);
    const turns = keyboards.map((m) => {
      const payloadTurns = new Set(m.buttons.flat().map((btn) => decodePayload(btn.data)!.turn));
      expect(payloadTurns.size).toBe(1);
      return [...payloadTurns][0]!;
    });
    expect(turns.sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => 3 + i));
    // No fault, no apology, no "expired" anywhere.
    const allTexts = sent.map((m) => m.text);
    for (const key of ['error.apology', 'button.expired', 'notice.restarted']) expect(allTexts.filter((t) => t.includes(ja[key]!))).toEqual([]);
    // (Telegram gets one message per event: the engine's replies are merged.) 35 strays were not understood,
    // 15 ticks were taken.
    expect(sent).toHaveLength(50);
    expect(allTexts.filter((t) => t.startsWith(ja['text.use-buttons']!) || t.startsWith(ja['text.not-understood']!))).toHaveLength(STRAYS);
    // Both instances did part of the work, and neither dropped anything as a duplicate.
    for (const h of [a, b]) {
      expect(await metricValue(h.runtime, 'mamori_duplicates_dropped_total', { channel: 'telegram' })).toBe(0);
      expect(sentTo(h.telegram, user.id).length + answers.filter((x) => x.via === h && x.inBody).length).toBeGreaterThan(0);
    }

    // The stored state: one commit per event (version = turn = 52), 15 ticks taken.
    const concurrent = await readStoredSession(inspect, `tg:${user.id}`);
    expect(concurrent).toMatchObject({ version: 52, session: { turn: 52, at: { flow: 'secure', step: 'both-done' } } });
    // Each of the 50 deliveries is recorded as handled and sent (so a redelivery would be dropped).
    await eventually('every delivery marked sent', async () => {
      const marks = await Promise.all(updates.map((u) => deliveredMark(inspect, `tg:${user.id}`, u.update_id)));
      const notDone = marks.filter((m) => m !== 'done').length;
      if (notDone) throw new Error(`${notDone} of 50 not marked sent`);
    });
    const apiBefore = sentTo(a.telegram, user.id).length;
    const redelivered = await a.postTelegram(updates[7]!);
    expect(redelivered.status).toBe(200);
    expect(messageInAnswer(200, await redelivered.text(), user.id)).toBeNull();
    expect(sentTo(a.telegram, user.id).length).toBe(apiBefore);

    // ---- sequential: the same texts, one after another, on one instance with its own fresh Redis
    const seq = new TgConversation(user, ja);
    await intoChecklist(seq, harnessEndpoint('single', single));
    for (const t of texts) ok(await seq.text(harnessEndpoint('single', single), t));
    const sequential = await readStoredSession(inspectFresh, `tg:${user.id}`);
    expect(sequential).not.toBeNull();
    const { sid: _s1, ...concurrentSession } = concurrent!.session;
    const { sid: _s2, ...sequentialSession } = sequential!.session;
    expect(concurrentSession).toEqual(sequentialSession);
    expect(concurrent!.version).toBe(sequential!.version);
    console.info(`[redis-e2e] final state (both runs): ${JSON.stringify(concurrentSession)}`);
  });
});
