/**
 * Privacy in Redis, through the whole app: a card number typed into a guide (the incident guide's evidence
 * questions) is found in no key's value and in no log line; `/forget`, confirmed by its button, leaves no
 * key naming the user (every key in Redis is scanned), and so do a LINE unfollow and a Telegram block.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';
import { lineBody, lineTextEvent, lineUnfollowEvent, tgMyChatMemberUpdate, tgPrivateChat, tgUser } from '../support/update-factories.ts';
import { startHarness, type Harness } from '../webhooks/harness.ts';
import { JA, expectAnswer } from './conversation-script.ts';
import { dumpAll, eventually, harnessEndpoint, NO_RATE_LIMIT, TgConversation, type DumpedKey } from './support.ts';

const enabled = redisServerAvailable('whole-app Redis tests (forget and privacy)');

/** The test card number, as typed in different ways. */
const CARD_DIGITS = '4111111111111111';

/** Whether a text holds the card number in any spelling (spaces, hyphens, full-width digits, JSON escapes). */
function holdsCard(text: string): boolean {
  const unescaped = text.replace(/\\u([0-9a-fA-F]{4})/g, (_m, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  const digitsOnly = unescaped.normalize('NFKC').replace(/[^0-9]/g, '');
  return digitsOnly.includes(CARD_DIGITS);
}

describe.skipIf(!enabled)('forget and privacy, in Redis', () => {
  let redis: RedisServerHandle;
  let h: Harness;

  beforeAll(async () => {
    redis = await startRedisServer();
    h = await startHarness(NO_RATE_LIMIT, { store: new RedisSessionStore({ url: redis.url }) });
  });
  afterAll(async () => {
    await h?.close();
    await stopAllRedisServers();
  });

  const keysNaming = async (id: string): Promise<DumpedKey[]> => (await dumpAll(redis.url)).filter((k) => k.key.includes(id) || k.value.includes(id));

  it('keeps a card number typed into a guide out of every key and every log line', async () => {
    const user = tgUser({ id: 860_001 });
    const conv = new TgConversation(user, JA);
    const ep = harnessEndpoint('app', h);
    const warning = JA['sensitive.warning']!.slice(0, 30);

    expectAnswer(await conv.text(ep, '/report'), { step: 'incident/what' }, '/report');
    expectAnswer(await conv.press(ep, 'incident.what.summary'), { step: 'incident/ev-when' }, 'summary only');
    expectAnswer(await conv.text(ep, 'きのうの夜'), { step: 'incident/ev-what' }, 'when');
    const what = await conv.text(ep, 'カード 4111 1111 1111 1111 で知らない注文があった');
    expectAnswer(what, { step: 'incident/ev-ref' }, 'what, with a card number');
    expect(what.messages.map((m) => m.text).join('\n')).toContain(warning);
    // Typed again in other spellings, in the next answers.
    const ref = await conv.text(ep, '注文番号はわからない、カードは4111-1111-1111-1111');
    expectAnswer(ref, { step: 'incident/ev-amount' }, 'ref, with a card number');
    expectAnswer(await conv.text(ep, '12000円'), { step: 'incident/ev-actions' }, 'amount');
    const actions = await conv.text(ep, '４１１１１１１１１１１１１１１１ のカードを止めた');
    expectAnswer(actions, { says: 'evidence.title' }, 'actions, with a full-width card number');
    // The evidence summary shows the answers, masked.
    const summary = actions.messages.map((m) => m.text).join('\n');
    expect(summary).toContain('****');
    expect(summary).toContain('知らない注文があった');
    expect(holdsCard(summary)).toBe(false);
    // Mid-guide too: the card typed while a question is open, and the state is written then.
    expectAnswer(await conv.text(ep, '/report'), { step: 'incident/what' }, '/report again');
    expectAnswer(await conv.press(ep, 'incident.what.summary'), { step: 'incident/ev-when' }, 'summary only');
    expectAnswer(await conv.text(ep, '4111 1111 1111 1111'), { step: 'incident/ev-what' }, 'a bare card number as the date');

    // No key, and no value, anywhere in Redis holds the number (the "sent" marks come just after the answers).
    await new Promise((r) => setTimeout(r, 200));
    const all = await dumpAll(redis.url);
    const mine = all.filter((k) => k.key.includes(String(user.id)));
    expect(mine.length).toBeGreaterThan(0);
    expect(mine.some((k) => k.value.includes('****'))).toBe(true);
    for (const k of all) expect(holdsCard(`${k.key} ${k.value}`), `${k.key} = ${k.value.slice(0, 200)}`).toBe(false);
    // And every key the app wrote expires by itself.
    for (const k of all) expect(k.pttl, `TTL of ${k.key}`).toBeGreaterThan(0);
    // Nor any log line (the app logs at debug level here).
    expect(h.logs.length).toBeGreaterThan(10);
    for (const line of h.logs) expect(holdsCard(line), line.slice(0, 300)).toBe(false);
  });

  it('/forget, confirmed by its button, leaves no key naming the user', async () => {
    const user = tgUser({ id: 860_002 });
    const other = tgUser({ id: 860_003 });
    const conv = new TgConversation(user, JA);
    const bystander = new TgConversation(other, JA);
    const ep = harnessEndpoint('app', h);

    expectAnswer(await bystander.text(ep, '/secure'), { step: 'secure/which' }, 'another user');
    expectAnswer(await conv.text(ep, '/scams'), { step: 'scams/intro' }, '/scams');
    expectAnswer(await conv.press(ep, 'scams.intro.quiz'), { step: 'scams/q1' }, 'quiz');
    expectAnswer(await conv.press(ep, 'scams.q1.pass'), { step: 'scams/q1-right' }, 'answer');
    expect((await keysNaming(String(user.id))).length).toBeGreaterThan(0);

    expectAnswer(await conv.text(ep, '/forget'), { says: 'forget.confirm' }, '/forget');
    // Asking is not forgetting: the keys are still there until the button is pressed.
    expect((await keysNaming(String(user.id))).length).toBeGreaterThan(0);
    expectAnswer(await conv.press(ep, 'forget.yes'), { says: 'forget.done' }, 'confirm');
    await eventually('no key naming the user', async () => {
      const left = await keysNaming(String(user.id));
      if (left.length) throw new Error(`left: ${left.map((k) => k.key).join(', ')}`);
    });
    // A moment later still nothing (no late write brings a key back).
    await new Promise((r) => setTimeout(r, 300));
    expect(await keysNaming(String(user.id))).toEqual([]);
    // The other user is untouched.
    expect((await keysNaming(String(other.id))).length).toBeGreaterThan(0);
    // Talking again starts afresh.
    expectAnswer(await conv.text(ep, '/start'), { says: 'start.greeting' }, 'after forgetting');
  });

  it('a LINE unfollow and a Telegram block leave no key naming the user', async () => {
    const lineUser = 'U0e2e0000000000000000000000000001';
    expect((await h.postLine(lineBody([lineTextEvent('二段階認証を設定したい', { userId: lineUser })]))).status).toBe(200);
    expect((await h.postLine(lineBody([lineTextEvent('できた', { userId: lineUser })]))).status).toBe(200);
    expect((await keysNaming(lineUser)).length).toBeGreaterThan(0);
    expect((await h.postLine(lineBody([lineUnfollowEvent({ userId: lineUser })]))).status).toBe(200);
    await eventually('no key naming the LINE user', async () => {
      const left = await keysNaming(lineUser);
      if (left.length) throw new Error(`left: ${left.map((k) => k.key).join(', ')}`);
    });

    const user = tgUser({ id: 860_004 });
    const conv = new TgConversation(user, JA);
    const ep = harnessEndpoint('app', h);
    expectAnswer(await conv.text(ep, '/secure'), { step: 'secure/which' }, '/secure');
    expect((await keysNaming(String(user.id))).length).toBeGreaterThan(0);
    expect((await h.postTelegram(tgMyChatMemberUpdate(tgPrivateChat(user), user, 'member', 'kicked'))).status).toBe(200);
    await eventually('no key naming the Telegram user', async () => {
      const left = await keysNaming(String(user.id));
      if (left.length) throw new Error(`left: ${left.map((k) => k.key).join(', ')}`);
    });
  });
});
