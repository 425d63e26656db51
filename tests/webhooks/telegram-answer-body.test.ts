import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Advisor } from '../../src/engine/advisor.ts';
import type { InboundEvent } from '../../src/engine/inbound-event.ts';
import type { Reply } from '../../src/engine/reply.ts';
import { loadContent } from '../../src/runtime.ts';
import { telegramWebhook } from '../../webhooks/telegram-webhook.ts';
import { FakeTelegramApi } from '../support/fake-telegram-api.ts';
import { tgCallbackUpdate, tgTextUpdate, tgUser } from '../support/update-factories.ts';
import { startHarness, TG_SECRET, TG_TOKEN, type Harness } from './harness.ts';
import { expectAllTelegramCallsWithinLimits } from './platform-limits.ts';
import { rateNoticePattern } from '../support/rate-notice.ts';

/*
 * Replies in the webhook answer body (the default): one message rides in the 200 as
 * `{"method":"sendMessage",…}`; of several, all but the last go through the Bot API first, in order.
 */

const until = async (what: string, check: () => boolean, timeoutMs = 5000) => {
  const end = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('Telegram answers in the webhook body, whole app', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ USER_RATE_LIMIT: '10000', USER_RATE_BURST: '3' });
  });
  afterAll(() => h.close());
  afterEach(() => {
    expectAllTelegramCallsWithinLimits(h.telegram.calls);
    h.telegram.reset();
  });

  it('a one-message reply is the answer body, as JSON, and the Bot API sees no sendMessage', async () => {
    const user = tgUser({ id: 818_101 });
    const update = tgTextUpdate('/help', { user });
    const res = await h.postTelegram(update);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = (await res.json()) as Record<string, any>;
    expect(body.method).toBe('sendMessage');
    expect(body.chat_id).toBe(user.id);
    expect(body.parse_mode).toBe('HTML');
    expect(body.link_preview_options).toEqual({ is_disabled: true });
    expect(String(body.text).length).toBeGreaterThan(0);
    expect(h.telegram.apiCallsOf('sendMessage')).toHaveLength(0);
    expect(h.telegram.calls.map((c) => `${c.via}:${c.method}`)).toEqual(['webhook-answer:sendMessage']);
    // Delivery is confirmed once the answer is written: a redelivery gets an empty 200.
    const again = await h.postTelegram(update);
    expect(again.status).toBe(200);
    expect(await again.text()).toBe('');
    expect(h.telegram.callsOf('sendMessage')).toHaveLength(1);
  });

  it('a press on the latest prompt: the answer replaces that prompt in place (editMessageText in the body); the press answered through the API', async () => {
    const user = tgUser({ id: 818_102 });
    await h.postTelegram(tgTextUpdate('/menu', { user }));
    const menu = h.telegram.callsOf('sendMessage').at(-1)!;
    const data = (menu.payload.reply_markup.inline_keyboard as Array<Array<{ callback_data: string }>>)[0]![0]!.callback_data;
    h.telegram.reset();
    const update = tgCallbackUpdate(data, { user, messageId: menu.messageId! });
    const res = await h.postTelegram(update);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body).toMatchObject({ method: 'editMessageText', chat_id: user.id, message_id: menu.messageId, parse_mode: 'HTML', link_preview_options: { is_disabled: true } });
    // The old buttons are gone with the old text: the new step brings its own keyboard.
    const newData = (body.reply_markup.inline_keyboard as Array<Array<{ callback_data: string }>>).flat().map((b) => b.callback_data);
    expect(newData).not.toContain(data);
    const [answered] = await h.telegram.waitForCalls('answerCallbackQuery', 1);
    expect(answered!.via).toBe('api');
    expect(answered!.payload.callback_query_id).toBe(update.callback_query.id);
    await new Promise((r) => setTimeout(r, 50));
    // One Bot API call for the press, nothing else: no new message, no separate keyboard removal.
    expect(h.telegram.calls.map((c) => `${c.via}:${c.method}`).sort()).toEqual(['api:answerCallbackQuery', 'webhook-answer:editMessageText']);
    // The replaced prompt's buttons work like any latest prompt's.
    h.telegram.reset();
    const next = await h.postTelegram(tgCallbackUpdate(newData[0]!, { user, messageId: menu.messageId! }));
    expect(((await next.json()) as Record<string, any>).method).toBe('editMessageText');
    await h.telegram.waitForCalls('answerCallbackQuery', 1);
  });

  it('a press on an expired button: a new message in the body; the press answered and its keyboard removed through the API, unawaited', async () => {
    const user = tgUser({ id: 818_106 });
    await h.postTelegram(tgTextUpdate('/menu', { user }));
    const old = h.telegram.callsOf('sendMessage').at(-1)!;
    const oldData = (old.payload.reply_markup.inline_keyboard as Array<Array<{ callback_data: string }>>)[0]![0]!.callback_data;
    await h.postTelegram(tgTextUpdate('/menu', { user })); // a newer prompt: the old one's buttons expire
    await new Promise((r) => setTimeout(r, 20));
    h.telegram.reset();
    const update = tgCallbackUpdate(oldData, { user, messageId: old.messageId! });
    const res = await h.postTelegram(update);
    const body = (await res.json()) as Record<string, any>;
    expect(body.method).toBe('sendMessage');
    expect(body.text).toContain(h.runtime.context.locales.ja['button.expired']);
    const [answered] = await h.telegram.waitForCalls('answerCallbackQuery', 1);
    const [removed] = await h.telegram.waitForCalls('editMessageReplyMarkup', 1);
    expect(answered!.via).toBe('api');
    expect(removed!.payload).toMatchObject({ chat_id: user.id, message_id: old.messageId });
    expect(removed!.payload.reply_markup).toBeUndefined();
    expect(h.telegram.apiCallsOf('sendMessage')).toHaveLength(0);
  });

  it.each([
    ['older than 47 hours', (m: Record<string, any>) => (m.date = Math.floor(Date.now() / 1000) - 47 * 3600 - 60)],
    ['not a text message', (m: Record<string, any>) => delete m.text],
    ['inaccessible (date 0)', (m: Record<string, any>) => (m.date = 0)],
  ])('a press on the latest prompt that is %s gets a new message instead of an edit', async (_what, alter) => {
    const user = tgUser({ id: 818_107 + Math.floor(Math.random() * 1000) });
    await h.postTelegram(tgTextUpdate('/menu', { user }));
    const menu = h.telegram.callsOf('sendMessage').at(-1)!;
    const data = (menu.payload.reply_markup.inline_keyboard as Array<Array<{ callback_data: string }>>)[0]![0]!.callback_data;
    h.telegram.reset();
    const update = tgCallbackUpdate(data, { user, messageId: menu.messageId! });
    alter(update.callback_query.message as unknown as Record<string, any>);
    const res = await h.postTelegram(update);
    expect(((await res.json()) as Record<string, any>).method).toBe('sendMessage');
    await h.telegram.waitForCalls('answerCallbackQuery', 1);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.telegram.callsOf('editMessageText')).toHaveLength(0);
  });

  it('a press with nothing to say (no data) is answered with answerCallbackQuery in the body', async () => {
    const update = tgCallbackUpdate('x', { user: tgUser({ id: 818_103 }) });
    delete (update.callback_query as { data?: string }).data;
    const res = await h.postTelegram(update);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: update.callback_query.id });
    await new Promise((r) => setTimeout(r, 50));
    expect(h.telegram.calls.map((c) => `${c.via}:${c.method}`)).toEqual(['webhook-answer:answerCallbackQuery']);
  });

  it('a press over the rate limit gets no message, and its answerCallbackQuery rides in the body', async () => {
    const user = tgUser({ id: 818_104 });
    const bodies: Array<Record<string, any> | null> = [];
    for (let i = 0; i < 6; i++) {
      const res = await h.postTelegram(tgCallbackUpdate('forged', { user }));
      expect(res.status).toBe(200);
      const text = await res.text();
      bodies.push(text ? (JSON.parse(text) as Record<string, any>) : null);
    }
    // 3 answered (burst 3), the 4th told about the limit once, the rest silent: every press answered.
    expect(bodies.slice(0, 4).map((b) => b?.method)).toEqual(['sendMessage', 'sendMessage', 'sendMessage', 'sendMessage']);
    expect(bodies[3]!.text).toMatch(rateNoticePattern(h.runtime.context.locales.ja['rate.limited']!));
    expect(bodies.slice(4)).toEqual([expect.objectContaining({ method: 'answerCallbackQuery' }), expect.objectContaining({ method: 'answerCallbackQuery' })]);
    // Presses that got a message had their keyboard removed; the silent ones only their answer.
    await h.telegram.waitForCalls('answerCallbackQuery', 6);
    await h.telegram.waitForCalls('editMessageReplyMarkup', 4);
    await new Promise((r) => setTimeout(r, 50));
    expect(h.telegram.callsOf('answerCallbackQuery')).toHaveLength(6);
  });

  it('the same update five times at once: exactly one answer body carries the reply, the others are empty 200s', async () => {
    const user = tgUser({ id: 818_105 });
    const update = tgTextUpdate('/secure', { user });
    const results = await Promise.all(
      Array.from({ length: 5 }, async () => {
        const res = await h.postTelegram(update);
        return { status: res.status, body: await res.text() };
      }),
    );
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200, 200]);
    const carrying = results.filter((r) => r.body !== '');
    expect(carrying).toHaveLength(1);
    expect(JSON.parse(carrying[0]!.body).method).toBe('sendMessage');
    expect(h.telegram.callsOf('sendMessage')).toHaveLength(1);
    expect(h.telegram.apiCallsOf('sendMessage')).toHaveLength(0);
    expect((await h.store.load(`tg:${user.id}`)).version).toBe(1);
  });
});

/**
 * The plugin alone with a scripted advisor, to control how many messages a reply renders to: each text
 * maps to replies, and `delivered` records the confirmation.
 */
describe('Telegram answers in the webhook body, scripted replies', () => {
  const long = (ch: string) => ch.repeat(3000);
  const script: Record<string, Reply[]> = {
    one: [{ kind: 'text', text: 'just one' }],
    three: [
      { kind: 'text', text: long('a') },
      { kind: 'text', text: long('b') },
      { kind: 'text', text: long('c'), buttons: [{ label: 'OK', payload: 'k1.1.o0' }] },
    ],
    two: [
      { kind: 'text', text: long('d') },
      { kind: 'text', text: long('e') },
    ],
    html: [{ kind: 'text', text: 'plain <b>words</b>' }],
    'k9.1.none': [],
  };
  const confirmed: string[] = [];
  const advisor = {
    async handle(event: InboundEvent) {
      const key = event.kind === 'text' ? event.text : event.kind === 'button' ? event.payload : '';
      return { status: 'reply', replies: script[key] ?? script.one!, outcome: { verdicts: [], linkVerdicts: [] }, resent: false, delivered: async () => void confirmed.push(event.eventId!) };
    },
    async menuAfterFault() {
      return [];
    },
  } as unknown as Advisor;
  let telegram: FakeTelegramApi;
  const apps: FastifyInstance[] = [];
  const start = async (replyInBody: boolean) => {
    const app = Fastify();
    await app.register(telegramWebhook, {
      advisor,
      locales: loadContent().locales,
      replyInBody,
      config: { TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_WEBHOOK_SECRET: TG_SECRET, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_BOT_USERNAME: 'MamoriTestBot', WEBHOOK_TIME_BUDGET_MS: 5000 },
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    apps.push(app);
    const base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
    return (update: unknown) =>
      fetch(`${base}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }, body: JSON.stringify(update) }).then((res) => telegram.executeWebhookAnswer(res));
  };
  let post: Awaited<ReturnType<typeof start>>;
  let postOff: Awaited<ReturnType<typeof start>>;

  beforeAll(async () => {
    telegram = await FakeTelegramApi.start();
    post = await start(true);
    postOff = await start(false);
  });
  afterAll(async () => {
    for (const app of apps) await app.close();
    await telegram.close();
  });
  afterEach(() => {
    expectAllTelegramCallsWithinLimits(telegram.calls);
    telegram.reset();
  });

  it('several messages: all but the last through the API, awaited and in order, the last in the body', async () => {
    const update = tgTextUpdate('three', { user: tgUser({ id: 828_201 }) });
    const res = await post(update);
    expect(res.status).toBe(200);
    const body = (await res.json()) as Record<string, any>;
    expect(body.method).toBe('sendMessage');
    expect(body.text).toBe(long('c'));
    expect(body.reply_markup.inline_keyboard.flat()[0].callback_data).toBe('k1.1.o0');
    expect(telegram.calls.map((c) => `${c.via}:${String(c.payload.text)[0]}`)).toEqual(['api:a', 'api:b', 'webhook-answer:c']);
    // Only the last message carries the keyboard.
    expect(telegram.apiCallsOf('sendMessage').every((c) => c.payload.reply_markup === undefined)).toBe(true);
    await until('delivery to be confirmed', () => confirmed.includes(String(update.update_id)));
  });

  it('a 429 on a leading message queues every message, the last included; while the queue exists, later replies join it instead of the body', async () => {
    const user = tgUser({ id: 828_202 });
    telegram.rateLimitNext('sendMessage', 2);
    const first = tgTextUpdate('two', { user });
    const res = await post(first);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    const next = tgTextUpdate('one', { user });
    const res2 = await post(next);
    expect(res2.status).toBe(200);
    expect(await res2.text()).toBe('');
    expect(telegram.webhookAnswers).toHaveLength(0);
    const sent = await telegram.waitForCalls('sendMessage', 4, 6000);
    expect(sent.map((c) => String(c.payload.text)[0])).toEqual(['d', 'd', 'e', 'j']);
    expect(sent.every((c) => c.via === 'api')).toBe(true);
    await until('both deliveries to be confirmed', () => confirmed.includes(String(first.update_id)) && confirmed.includes(String(next.update_id)));
    // The queue is gone: the next one-message reply is a body again.
    const after = await post(tgTextUpdate('one', { user }));
    expect(((await after.json()) as { method: string }).method).toBe('sendMessage');
  });

  it('a press with no reply at all is still answered (in the body), and nothing else is sent', async () => {
    const update = tgCallbackUpdate('k9.1.none', { user: tgUser({ id: 828_205 }) });
    const res = await post(update);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ method: 'answerCallbackQuery', callback_query_id: update.callback_query.id });
    const off = tgCallbackUpdate('k9.1.none', { user: tgUser({ id: 828_206 }) });
    expect((await postOff(off)).status).toBe(200);
    expect(telegram.apiCallsOf('answerCallbackQuery').map((c) => c.payload.callback_query_id)).toEqual([off.callback_query.id]);
    expect(telegram.callsOf('sendMessage')).toHaveLength(0);
  });

  it('off: every message goes through the API and the answer body is empty', async () => {
    const res = await postOff(tgTextUpdate('two', { user: tgUser({ id: 828_203 }) }));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('');
    expect(telegram.calls.map((c) => `${c.via}:${String(c.payload.text)[0]}`)).toEqual(['api:d', 'api:e']);
  });

  it('off: HTML that Telegram cannot parse is sent again as plain text', async () => {
    telegram.failNext('sendMessage', 400, { ok: false, error_code: 400, description: "Bad Request: can't parse entities: unexpected end tag" });
    const res = await postOff(tgTextUpdate('html', { user: tgUser({ id: 828_204 }) }));
    expect(res.status).toBe(200);
    const sent = telegram.apiCallsOf('sendMessage');
    expect(sent).toHaveLength(2);
    expect(sent[0]!.payload.parse_mode).toBe('HTML');
    expect(sent[1]!.payload.parse_mode).toBeUndefined();
    expect(sent[1]!.payload.text).toBe('plain <b>words</b>');
  });
});
