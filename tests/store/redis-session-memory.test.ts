/**
 * Memory budget: a user in the middle of a guide must cost at most 512 bytes of Redis memory (median of the
 * sum of `MEMORY USAGE` over all of the user's keys). The users are LINE, Telegram and web users who had real
 * conversations with the shipped guides through the Advisor (rate counts, handled ids, compare-and-set saves,
 * delivery records), with the ids each platform really uses.
 */
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Advisor } from '../../src/engine/advisor.ts';
import { textEvent } from '../../src/engine/make-event.ts';
import { decodeSession, encodeSession, newSession, type Session } from '../../src/engine/session.ts';
import type { AdvisorContext } from '../../src/engine/step.ts';
import { assessSellerRisk } from '../../src/listing/assess-seller-risk.ts';
import { checkTextExpanded } from '../../src/listing/expand-link.ts';
import { loadContent } from '../../src/runtime.ts';
import { measureSessionMemory, RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';

const enabled = redisServerAvailable('RedisSessionStore memory test');
const BUDGET_BYTES = 512;
const T0 = 1_763_000_000_000;

/** A session part-way through a guide: a position, a trail of visited steps, a few answers. */
function midGuide(i: number, lang: string, at: Session['at'], trail: string[], ans: Session['ans']): Session {
  return { ...newSession(T0 + i * 7919, lang), turn: trail.length + 1, at, trail, ans };
}

/** Users as the platforms name them: LINE user ids (U + 32 hex), Telegram ids, web chat ids. */
const USERS: { userKey: string; session: Session; eventId: string }[] = [
  {
    userKey: 'line:U4af4980629d5f1a2b3c4d5e6f7a8b9c0',
    eventId: '01JCZ8K3W5Q6R7S8T9V0X1Y2Z3',
    session: midGuide(1, 'ja', { flow: 'marketplace_scam', step: 'ask_payment_method' }, ['start', 'ask_platform', 'ask_item', 'ask_price'], {
      platform: 'mercari',
      item: 'Nintendo Switch 有機EL',
      price: 28000,
      paidOutsideApp: true,
    }),
  },
  {
    userKey: 'line:U0f3c1d2e3a4b5c6d7e8f9a0b1c2d3e4f',
    eventId: '01JCZ8M1A2B3C4D5E6F7G8H9J0',
    session: midGuide(2, 'ja', { flow: 'account_security', step: 'ask_two_factor' }, ['start', 'ask_service'], { service: 'line', sawLoginAlert: true }),
  },
  {
    userKey: 'tg:5123456789',
    eventId: '734512901',
    session: midGuide(3, 'en', { flow: 'listing_check', step: 'ask_seller_rating', item: 2 }, ['start', 'ask_listing_url', 'ask_price'], {
      listingUrl: 'https://jp.mercari.com/item/m12345678901',
      price: 4500,
    }),
  },
  {
    userKey: 'tg:987654321',
    eventId: '734512977',
    session: midGuide(4, 'ja', { flow: 'incident_help', step: 'ask_police_report' }, ['start', 'ask_what_happened', 'ask_amount', 'ask_paid_how'], {
      whatHappened: 'お金を払ったのに商品が届かない',
      amount: 12000,
      paidHow: 'bank_transfer',
      contactedSeller: null,
    }),
  },
  {
    userKey: 'web:7f3e9a2c-4b1d-4e8f-9a6c-2d5b8e1f0a3c',
    eventId: 'w-1763000123456-3',
    session: midGuide(5, 'ja', { flow: 'marketplace_scam', step: 'ask_seller_contact' }, ['start', 'ask_platform'], { platform: 'rakuma' }),
  },
];

describe.skipIf(!enabled)('Redis memory per user in the middle of a guide', () => {
  let server: RedisServerHandle;
  let store: RedisSessionStore;
  let admin: Redis;

  beforeAll(async () => {
    server = await startRedisServer();
    store = new RedisSessionStore({ url: server.url });
    admin = new Redis(server.url);
  });
  afterAll(async () => {
    await store?.close();
    await admin?.quit();
    await stopAllRedisServers();
  });

  it(`stays within ${BUDGET_BYTES} bytes (median) for users part-way through real conversations with the guides`, async () => {
    const { flows, locales } = loadContent();
    const context: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk };
    let clock = T0;
    const advisor = new Advisor({
      store,
      context,
      checkLinks: (text) => checkTextExpanded(text, { enabled: false }),
      now: () => clock,
      rateLimit: { perMinute: 30, burst: 10 },
    });
    // What people type, guide by guide (numbers press the buttons of the last answer, as in the terminal chat
    // they are typed: here they are sent as text, which the step reads as the button's number).
    const conversations = [
      ['出品者が怪しい https://www.amazon.co.jp/dp/B01N5QTFAK', '次へ', '次へ', '次へ', '2,980円', '3万円くらい', '2', '3件', '2年'],
      ['注文した商品が届きません', '次へ', '次へ', '次へ', '次へ', '1', '11月1日', '商品が届かない、出品者と連絡がとれない', '250-1234567-1234567'],
      ['/secure', '1', 'できた', 'できた', 'あとで', 'できた'],
      ['アマゾンを名乗る電話がかかってきた', '次へ', '2', '次へ'],
      ['/scams', '1', '次へ', '次へ', '次へ', '次へ', '次へ', '次へ'],
      ['パスワードを忘れてログインできません', 'できた', 'できた', 'あとで', 'できた'],
    ];
    // Ids as the platforms write them: LINE user ids (U + 32 hex) and 26-character event ids, Telegram's numeric
    // chat ids and nine-digit update ids, the web chat's random ids.
    const users = Array.from({ length: 12 }, (_, i) => {
      const channel = (['line', 'telegram', 'web'] as const)[i % 3]!;
      const userId = channel === 'line' ? `U${(0x4af4980629d5f1a2n + BigInt(i)).toString(16).padStart(32, '0')}` : channel === 'telegram' ? String(5_123_456_700 + i) : `7f3e9a2c-4b1d-4e8f-9a6c-${(i + 1).toString(16).padStart(12, '0')}`;
      return { channel, userId, userKey: `${channel === 'telegram' ? 'tg' : channel}:${userId}`, conversation: conversations[i % conversations.length]! };
    });
    let update = 734_512_900;
    for (const u of users) {
      for (const [n, typed] of u.conversation.entries()) {
        clock += 7_000;
        const eventId = u.channel === 'line' ? `01JCZ8K3W5Q6R7S8T9V${String(update).slice(-7)}` : u.channel === 'telegram' ? String(update) : `w-${clock}-${n}`;
        update++;
        const handled = await advisor.handle(textEvent({ channel: u.channel, userId: u.userId, receivedAt: clock, eventId }, typed));
        expect(handled.status, `${u.userKey} "${typed}"`).toBe('reply');
        if (handled.status === 'reply') await handled.delivered();
      }
    }
    const { median, users: measured } = await measureSessionMemory(store, users.map((u) => u.userKey));
    const lines = measured.map((u, i) => `  ${u.userKey.padEnd(44)} ${String(users[i]!.conversation.length).padStart(2)} events -> ${u.bytes} B (${u.keys.map((k) => `${k.key.slice(k.key.lastIndexOf('}') + 2)}=${k.bytes}`).join(' ')})`);
    console.log(`[memory] per user after a real conversation (s = state, d = handled ids and rate counts):\n${lines.join('\n')}\n  median ${median} bytes (budget ${BUDGET_BYTES})`);
    // Every delivery was confirmed, so no pending record is left: the state and the handled-ids hash.
    for (const u of measured) expect(u.keys.map((k) => k.key.slice(k.key.lastIndexOf('}') + 2)).sort()).toEqual(['d', 's']);
    expect(median).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it(`stays within ${BUDGET_BYTES} bytes (median) after a step has been committed and delivered`, async () => {
    const sizes: number[] = [];
    for (const { userKey, session, eventId } of USERS) {
      const state = encodeSession(session);
      sizes.push(Buffer.byteLength(state));
      // What the engine does for one message: commit the step with its outbox, then mark it sent.
      const outbox = JSON.stringify([{ kind: 'text', key: 'guide.ask', buttons: ['yes', 'no', 'unknown'] }]);
      expect(await store.commit(userKey, 0, state, { eventId, outbox, at: T0 })).toBe('ok');
      await store.markDelivered(userKey, eventId);
    }
    const { median, users } = await measureSessionMemory(store, USERS.map((u) => u.userKey));
    const lines = users.map((u, i) => {
      const parts = u.keys.map((k) => `${k.key.slice(k.key.lastIndexOf('}') + 2, k.key.lastIndexOf('}') + 3)}=${k.bytes}`).join(' ');
      return `  ${u.userKey.padEnd(44)} state JSON ${String(sizes[i]).padStart(3)} bytes -> ${String(u.bytes).padStart(3)} B in Redis (${parts})`;
    });
    console.log(`[memory] per user mid-guide (state key s + the delivery record e of the last event):\n${lines.join('\n')}\n  median ${median} bytes (budget ${BUDGET_BYTES})`);
    for (const u of users) expect(u.keys).toHaveLength(2);
    expect(median).toBeLessThanOrEqual(BUDGET_BYTES);
  });

  it('a listing check kept half-way for another guide takes no more state than the same check finished', async () => {
    const { flows, locales } = loadContent();
    const context: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk };
    let clock = T0 + 3_600_000;
    const advisor = new Advisor({
      store,
      context,
      checkLinks: (text) => checkTextExpanded(text, { enabled: false }),
      now: () => clock,
      // The store counts rates in real time windows and these events come within a second: not counted here.
      rateLimit: null,
    });
    // The listing check to its third question, then a message about an order that never came (another guide,
    // which opens with the check kept half-way, its trail and answers with it), and one step of that guide.
    const paused = ['出品者が怪しい https://www.amazon.co.jp/dp/B01N5QTFAK', '次へ', '次へ', '次へ', '2,980円', '3万円くらい', '注文した商品が届きません', 'Amazonで払った（カード等）'];
    // The same check walked to its end, the longest state an ordinary conversation leaves.
    const finished = ['出品者が怪しい https://www.amazon.co.jp/dp/B01N5QTFAK', '次へ', '次へ', '次へ', '2,980円', '3万円くらい', '2', '3件', '2年', '40件', '3', '3', '3'];
    const users = [
      { userKey: 'line:U0000000000000000000000000000beef', userId: 'U0000000000000000000000000000beef', conversation: paused },
      { userKey: 'line:U0000000000000000000000000000cafe', userId: 'U0000000000000000000000000000cafe', conversation: finished },
    ];
    for (const u of users) {
      for (const [n, typed] of u.conversation.entries()) {
        clock += 7_000;
        const handled = await advisor.handle(textEvent({ channel: 'line', userId: u.userId, receivedAt: clock, eventId: `01JCZ8P${u.userId.slice(-4)}${String(n).padStart(15, '0')}` }, typed));
        expect(handled.status, `${u.userKey} "${typed}"`).toBe('reply');
        if (handled.status === 'reply') await handled.delivered();
      }
    }
    const state = decodeSession((await store.load(users[0]!.userKey)).state).session!;
    expect(state.at).toEqual({ flow: 'incident', step: 'order-atoz' });
    expect(state.paused).toMatchObject([{ at: { flow: 'check', step: 'q-fulfilment' }, ans: { price: 2980, typicalPrice: 30000 } }]);
    // The state keys compared (the handled-ids hash grows with the number of events, not with the state).
    const [withPaused, done] = (await measureSessionMemory(store, users.map((u) => u.userKey))).users.map((u) => u.keys.find((k) => k.key.endsWith(':s'))!.bytes);
    console.log(`[memory] state key of a listing check kept half-way for another guide: ${withPaused} B; of the same check finished: ${done} B`);
    expect(withPaused).toBeLessThanOrEqual(done!);
    expect(withPaused).toBeLessThan(BUDGET_BYTES);
  });

  it('reports what a handled event and the rate-limit counts add', async () => {
    const { userKey } = USERS[0]!;
    const before = (await store.memoryUsage(userKey)).bytes;
    await store.claimEvent(userKey, '01JCZ8K3W5Q6R7S8T9V0X1Y2Z4');
    const withRecord = (await store.memoryUsage(userKey)).bytes;
    // The per-user rate limit counts as two short fields of the same hash (as the advisor's load asks for them).
    await store.load(userKey, undefined, [
      { bucket: 'm', windowSeconds: 60 },
      { bucket: 'b', windowSeconds: 10 },
    ]);
    const withCounts = (await store.memoryUsage(userKey)).bytes;
    const stateOnly = (await store.memoryUsage(userKey)).keys.find((k) => k.key.endsWith(':s'))!.bytes;
    console.log(
      `[memory] ${userKey}: state key alone ${stateOnly} B; a handled event (a LINE id, 26 characters) +${withRecord - before} B ` +
        `(the newest 48 are kept); the rate-limit counts +${withCounts - withRecord} B`,
    );
    expect(withCounts - withRecord).toBeLessThan(64);
    expect(stateOnly).toBeLessThan(BUDGET_BYTES);
    // Every key measured has a TTL (nothing here is kept for ever).
    for (const key of await store.userKeys(userKey)) expect(await admin.pttl(key)).toBeGreaterThan(0);
  });
});
