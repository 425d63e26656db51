import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/engine/button-payload.ts';
import { StoreUnavailableError } from '../../src/engine/session-store.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import type { TelegramCall } from '../support/fake-telegram-api.ts';
import { tgCallbackUpdate, tgGroupChat, tgMyChatMemberUpdate, tgPhotoUpdate, tgPrivateChat, tgStickerUpdate, tgTextUpdate, tgUser } from '../support/update-factories.ts';
import { metricValue, startHarness, TG_SECRET, TG_TOKEN, type Harness } from './harness.ts';
import { expectAllTelegramCallsWithinLimits } from './platform-limits.ts';

/*
 * `h` answers as shipped: replies in the webhook answer body where that is safe, which the harness hands
 * to the fake Bot API as Telegram would, so `h.telegram.calls` holds every method executed, through the
 * API or in a body, in order. `api` has replies in the body off, for what only the API path does (429
 * handling, 5xx → 503, the plain-text fallback).
 */
let h: Harness;
let api: Harness;
const ja = (key: string) => h.runtime.context.locales.ja[key]!;
const titles = () => h.runtime.context.flows.ordered.map((f) => ja(f.title));

beforeAll(async () => {
  h = await startHarness();
  api = await startHarness({}, { telegram: { replyInBody: false } });
});
afterAll(async () => {
  await h.close();
  await api.close();
});
afterEach(() => {
  // Every message any test rendered is held to Telegram's limits.
  expectAllTelegramCallsWithinLimits(h.telegram.calls);
  expectAllTelegramCallsWithinLimits(api.telegram.calls);
  h.telegram.reset();
  api.telegram.reset();
});

type Keyboard = Array<Array<{ text: string; callback_data: string }>>;
const keyboardOf = (call: TelegramCall | undefined): Keyboard => (call?.payload.reply_markup?.inline_keyboard as Keyboard | undefined) ?? [];
/** The newest message with a keyboard: sent, or a pressed prompt replaced in place (editMessageText). */
const lastKeyboardMessage = () => [...h.telegram.shownMessages].reverse().find((c) => keyboardOf(c).length > 0)!;
const isNav = (data: string) => ['b', 'm', 'r'].includes(decodePayload(data)?.action ?? '');

/**
 * Posts a button press to `h` and waits until the press is answered and the pressed message has lost its
 * old keyboard: replaced in place (editMessageText, in the answer body) or removed (editMessageReplyMarkup
 * through the API). The app sends answerCallbackQuery and the removal without awaiting them.
 */
async function postPress(update: ReturnType<typeof tgCallbackUpdate>): Promise<Response> {
  const answered = h.telegram.callsOf('answerCallbackQuery').length;
  const messageId = update.callback_query.message!.message_id;
  const handledPrompt = () => h.telegram.calls.filter((c) => (c.method === 'editMessageText' || c.method === 'editMessageReplyMarkup') && c.messageId === messageId).length;
  const before = handledPrompt();
  const res = await h.postTelegram(update);
  await h.telegram.waitForCalls('answerCallbackQuery', answered + 1);
  const end = Date.now() + 5000;
  while (handledPrompt() === before) {
    if (Date.now() > end) throw new Error(`message ${messageId}: neither replaced nor its keyboard removed`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return res;
}

/** Presses the button labelled `label` (or the first answer button) on the newest keyboard. */
async function press(user = tgUser(), label?: string): Promise<{ res: Response; messageId: number; data: string }> {
  const msg = lastKeyboardMessage();
  const buttons = keyboardOf(msg).flat();
  const button = label ? buttons.find((b) => b.text === label) : buttons.find((b) => !isNav(b.callback_data));
  expect(button, `button ${label ?? '(first answer)'} among ${buttons.map((b) => b.text).join(', ')}`).toBeDefined();
  const res = await postPress(tgCallbackUpdate(button!.callback_data, { user, messageId: msg.messageId! }));
  return { res, messageId: msg.messageId!, data: button!.callback_data };
}

describe('Telegram webhook: verify, then parse', () => {
  it('accepts the right secret and answers /start with the greeting and the menu', async () => {
    const res = await h.postTelegram(tgTextUpdate('/start'));
    expect(res.status).toBe(200);
    const sent = h.telegram.callsOf('sendMessage');
    expect(sent).toHaveLength(1);
    // One message: it rode in the answer body, not through the API.
    expect(sent[0]!.via).toBe('webhook-answer');
    expect(h.telegram.apiCallsOf('sendMessage')).toHaveLength(0);
    expect(sent[0]!.payload.chat_id).toBe(tgUser().id);
    expect(sent[0]!.payload.text).toContain(ja('menu.text'));
    expect(keyboardOf(sent[0]).flat().map((b) => b.text)).toEqual(titles());
    expect(sent[0]!.payload.link_preview_options).toEqual({ is_disabled: true });
  });

  it.each([
    ['missing', null],
    ['wrong', 'not-the-secret'],
    ['longer', `${TG_SECRET}x`],
    ['empty', ''],
  ])('refuses a %s secret with 401 and processes nothing', async (_name, secret) => {
    const res = await h.postTelegram(tgTextUpdate('/start'), { secret });
    expect(res.status).toBe(401);
    expect(h.telegram.calls).toHaveLength(0);
    expect(h.logs.join('\n')).not.toContain(TG_SECRET);
  });

  it('checks the secret before reading the body: a wrong secret with a malformed body is 401, not 400', async () => {
    const res = await h.postTelegram(null, { secret: 'wrong', raw: '{not json' });
    expect(res.status).toBe(401);
  });

  it('never logs the secret or the token', async () => {
    await h.postTelegram(tgTextUpdate('/help'));
    await h.postTelegram(tgTextUpdate('/help'), { secret: 'guess' });
    const all = h.logs.join('\n');
    expect(all).not.toContain(TG_SECRET);
    expect(all).not.toContain(TG_TOKEN.split(':')[1]!);
  });

  it('answers malformed JSON with 400', async () => {
    const res = await h.postTelegram(null, { raw: '{"update_id": 1, "message": ' });
    expect(res.status).toBe(400);
    expect(h.telegram.calls).toHaveLength(0);
  });

  it('answers a body that is not an update with 400', async () => {
    for (const raw of ['{}', '[]', '"text"', '{"update_id":"12"}', '{"update_id":-1}']) {
      expect((await h.postTelegram(null, { raw })).status).toBe(400);
    }
  });

  it('answers an oversized body with 413', async () => {
    const update = tgTextUpdate('x'.repeat(300 * 1024));
    const res = await h.postTelegram(update);
    expect(res.status).toBe(413);
    expect(h.telegram.calls).toHaveLength(0);
  });

  it('ignores update types it does not handle with 200', async () => {
    const edited = { update_id: 990_001, edited_message: { ...tgTextUpdate('edit').message, edit_date: 1 } };
    const poll = { update_id: 990_002, poll: { id: '1', question: 'q', options: [], total_voter_count: 0, is_closed: false, is_anonymous: true, type: 'regular', allows_multiple_answers: false } };
    const channelPost = { update_id: 990_003, channel_post: { message_id: 1, date: 1, chat: { id: -100, type: 'channel', title: 'c' }, text: 'hi' } };
    for (const u of [edited, poll, channelPost]) expect((await h.postTelegram(u)).status).toBe(200);
    expect(h.telegram.calls).toHaveLength(0);
  });
});

describe('Telegram webhook: a whole guide by buttons', () => {
  it('walks the secure guide from the menu to its summary, answering every press and replacing or removing old keyboards', async () => {
    const user = tgUser({ id: 515_151 });
    expect((await h.postTelegram(tgTextUpdate('/menu', { user }))).status).toBe(200);
    const secureTitle = ja(h.runtime.context.flows.byId.get('secure')!.title);
    let pressed = await press(user, secureTitle);
    expect(pressed.res.status).toBe(200);
    let presses = 1;
    // Press the first answer button until the menu comes back (the guide's summary ends with it).
    for (; presses < 40; presses++) {
      const kb = keyboardOf(lastKeyboardMessage()).flat();
      if (!kb.some((b) => isNav(b.callback_data)) && titles().every((t) => kb.some((b) => b.text === t))) break;
      pressed = await press(user);
      expect(pressed.res.status).toBe(200);
    }
    expect(presses).toBeLessThan(40);
    expect(presses).toBeGreaterThan(5);
    expect(h.telegram.sentTexts.join('\n')).toContain(ja('menu.after-guide'));
    // Every press was answered once, and the pressed prompt either became the next step in place (one
    // message: editMessageText in the answer body) or lost its keyboard below a new message.
    expect(h.telegram.callsOf('answerCallbackQuery')).toHaveLength(presses);
    const inPlace = h.telegram.callsOf('editMessageText');
    const removed = h.telegram.callsOf('editMessageReplyMarkup');
    expect(inPlace.length + removed.length).toBe(presses);
    expect(inPlace.length).toBeGreaterThan(presses / 2);
    for (const e of inPlace) expect(e.via).toBe('webhook-answer');
    for (const e of removed) expect(e.payload.reply_markup).toBeUndefined();
    expect(await metricValue(h.runtime, 'mamori_guide_completions_total', { guide: 'secure' })).toBeGreaterThanOrEqual(1);
    expect(await metricValue(h.runtime, 'mamori_replies_total', { channel: 'telegram', result: 'sent' })).toBeGreaterThan(presses);
  });

  it('walks the scams guide too (message steps with a next button)', async () => {
    const user = tgUser({ id: 525_252, language_code: 'en' });
    await h.postTelegram(tgTextUpdate('/scams', { user }));
    for (let i = 0; i < 40; i++) {
      const kb = keyboardOf(lastKeyboardMessage()).flat();
      if (!kb.some((b) => isNav(b.callback_data))) break;
      expect((await press(user)).res.status).toBe(200);
    }
    // language_code "en" made the conversation English.
    expect(h.telegram.sentTexts.join('\n')).toContain(h.runtime.context.locales.en['menu.after-guide']!);
  });

  it('a stale button gets "this button has expired" and the menu; its press is still answered', async () => {
    const user = tgUser({ id: 535_353 });
    await h.postTelegram(tgTextUpdate('/menu', { user }));
    const old = lastKeyboardMessage();
    const oldData = keyboardOf(old).flat()[0]!.callback_data;
    await press(user); // moves the conversation on
    h.telegram.reset();
    const res = await postPress(tgCallbackUpdate(oldData, { user, messageId: old.messageId! }));
    expect(res.status).toBe(200);
    expect(h.telegram.sentTexts.join('\n')).toContain(ja('button.expired'));
    expect(keyboardOf(lastKeyboardMessage()).flat().map((b) => b.text)).toEqual(expect.arrayContaining(titles()));
    expect(h.telegram.callsOf('answerCallbackQuery')).toHaveLength(1);
    expect(h.telegram.callsOf('editMessageReplyMarkup')[0]!.payload.message_id).toBe(old.messageId);
  });

  it('a forged payload is refused politely', async () => {
    const user = tgUser({ id: 545_454 });
    for (const data of ['hello', 'zzz.1.gsecure;drop', 'a'.repeat(64)]) {
      h.telegram.reset();
      const res = await postPress(tgCallbackUpdate(data, { user }));
      expect(res.status).toBe(200);
      expect(h.telegram.sentTexts.join('\n')).toContain(ja('button.invalid'));
      expect(h.telegram.callsOf('answerCallbackQuery')).toHaveLength(1);
    }
  });
});

describe('Telegram webhook: exactly once', () => {
  it('the same update delivered five times at once gives one reply and one state change', async () => {
    const user = tgUser({ id: 565_656 });
    const update = tgTextUpdate('/secure', { user });
    const results = await Promise.all(Array.from({ length: 5 }, () => h.postTelegram(update)));
    for (const r of results) expect([200, 503]).toContain(r.status);
    expect(results.filter((r) => r.status === 200).length).toBeGreaterThanOrEqual(1);
    expect(h.telegram.callsOf('sendMessage')).toHaveLength(1);
    expect((await h.store.load(`tg:${user.id}`)).version).toBe(1);
    // Redelivered later: still nothing more.
    expect((await h.postTelegram(update)).status).toBe(200);
    expect(h.telegram.callsOf('sendMessage')).toHaveLength(1);
  });

  it('a button press delivered twice is answered once', async () => {
    const user = tgUser({ id: 575_757 });
    await h.postTelegram(tgTextUpdate('/menu', { user }));
    const msg = lastKeyboardMessage();
    const update = tgCallbackUpdate(keyboardOf(msg).flat()[0]!.callback_data, { user, messageId: msg.messageId! });
    h.telegram.reset();
    await Promise.all([h.postTelegram(update), h.postTelegram(update)]);
    await h.telegram.waitForCalls('answerCallbackQuery', 1);
    await new Promise((r) => setTimeout(r, 100));
    expect(h.telegram.callsOf('answerCallbackQuery')).toHaveLength(1);
    // The menu was replaced in place by the guide's first step, once.
    expect(h.telegram.shownMessages).toHaveLength(1);
    expect(h.telegram.shownMessages[0]).toMatchObject({ method: 'editMessageText', messageId: msg.messageId });
  });
});

describe('Telegram webhook: content it cannot read', () => {
  it('answers a photo with a short polite reply', async () => {
    expect((await h.postTelegram(tgPhotoUpdate())).status).toBe(200);
    expect(h.telegram.sentTexts[0]).toContain(ja('unsupported.content'));
  });

  it('answers a sticker with its own reply', async () => {
    expect((await h.postTelegram(tgStickerUpdate())).status).toBe(200);
    expect(h.telegram.sentTexts[0]).toContain(ja('unsupported.sticker'));
  });

  it('checks the link in a photo caption', async () => {
    const user = tgUser({ id: 585_858 });
    expect((await h.postTelegram(tgPhotoUpdate({ user, caption: 'これ本物？ https://amazon-co-jp.account-verify.example.com/login' }))).status).toBe(200);
    expect(h.telegram.sentTexts.join('\n')).toContain('🔴');
  });
});

describe('Telegram webhook: groups', () => {
  const group = tgGroupChat();
  const member = tgUser({ id: 595_959 });

  it('ignores ordinary chatter', async () => {
    expect((await h.postTelegram(tgTextUpdate('今日の夕飯どうする？', { user: member, chat: group }))).status).toBe(200);
    expect(h.telegram.callsOf('sendMessage')).toHaveLength(0);
  });

  it('answers /start@ThisBot compactly, and ignores /start@OtherBot', async () => {
    expect((await h.postTelegram(tgTextUpdate('/start@OtherBot', { user: member, chat: group }))).status).toBe(200);
    expect(h.telegram.callsOf('sendMessage')).toHaveLength(0);
    expect((await h.postTelegram(tgTextUpdate('/start@MamoriTestBot', { user: member, chat: group }))).status).toBe(200);
    const sent = h.telegram.callsOf('sendMessage');
    expect(sent).toHaveLength(1);
    expect(sent[0]!.payload.chat_id).toBe(group.id);
    expect(sent[0]!.payload.text).toContain(ja('group.intro'));
    // No long guide in a group: no keyboard to start one.
    expect(keyboardOf(sent[0])).toHaveLength(0);
    // The username came from getMe (TELEGRAM_BOT_USERNAME unset), asked once.
    expect(h.telegram.callsOf('getMe').length).toBeLessThanOrEqual(1);
  });

  it('answers a mention of the bot and a reply to the bot', async () => {
    expect((await h.postTelegram(tgTextUpdate('@MamoriTestBot これ大丈夫？', { user: member, chat: group }))).status).toBe(200);
    expect((await h.postTelegram(tgTextUpdate('どう思う？', { user: member, chat: group, replyToBot: true }))).status).toBe(200);
    expect(h.telegram.callsOf('sendMessage')).toHaveLength(2);
  });

  it('checks a link posted in the group with a compact verdict and suggests a private chat', async () => {
    const res = await h.postTelegram(tgTextUpdate('このURL来たんだけど https://amazon-co-jp.account-verify.example.com/signin', { user: member, chat: group }));
    expect(res.status).toBe(200);
    const text = h.telegram.sentTexts.join('\n');
    expect(text).toContain('🔴');
    expect(text).toContain(ja('group.private'));
    expect((await h.store.load(`tg:${group.id}`)).state).toBeNull();
  });

  it('introduces itself when added to a group', async () => {
    expect((await h.postTelegram(tgMyChatMemberUpdate(tgGroupChat(-100_555), member, 'left', 'member'))).status).toBe(200);
    expect(h.telegram.sentTexts[0]).toContain(ja('group.intro'));
  });
});

describe('Telegram webhook: blocking the bot', () => {
  it('deletes the user\'s stored conversation', async () => {
    const user = tgUser({ id: 606_060 });
    await h.postTelegram(tgTextUpdate('/secure', { user }));
    expect((await h.store.load(`tg:${user.id}`)).state).not.toBeNull();
    expect((await h.postTelegram(tgMyChatMemberUpdate(tgPrivateChat(user), user, 'member', 'kicked'))).status).toBe(200);
    expect((await h.store.load(`tg:${user.id}`)).state).toBeNull();
  });
});

describe('Telegram webhook: 429 from the Bot API (replies through the API)', () => {
  it('waits out a short retry_after inside the request and retries once', async () => {
    api.telegram.rateLimitNext('sendMessage', 1);
    const started = Date.now();
    const res = await api.postTelegram(tgTextUpdate('/help', { user: tgUser({ id: 616_161 }) }));
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect(api.telegram.callsOf('sendMessage')).toHaveLength(2);
  });

  it('queues on a longer retry_after, answers 200 at once, sends later, and confirms delivery then', async () => {
    const user = tgUser({ id: 626_262 });
    api.telegram.rateLimitNext('sendMessage', 2);
    const update = tgTextUpdate('/help', { user });
    const started = Date.now();
    const res = await api.postTelegram(update);
    expect(res.status).toBe(200);
    expect(Date.now() - started).toBeLessThan(1500);
    expect(api.telegram.callsOf('sendMessage')).toHaveLength(1);
    // A later message for the same chat waits behind the queue, keeping the order.
    const next = await api.postTelegram(tgTextUpdate('/menu', { user }));
    expect(next.status).toBe(200);
    expect(api.telegram.callsOf('sendMessage')).toHaveLength(1);
    const sent = await api.telegram.waitForCalls('sendMessage', 3, 6000);
    expect(sent[1]!.at - sent[0]!.at).toBeGreaterThanOrEqual(1900);
    expect(sent[1]!.payload.text).toBe(sent[0]!.payload.text);
    expect(sent[2]!.payload.text).toContain(ja('menu.text'));
    // Delivered: a redelivery of the first update sends nothing.
    await new Promise((r) => setTimeout(r, 100));
    expect((await api.postTelegram(update)).status).toBe(200);
    expect(api.telegram.callsOf('sendMessage')).toHaveLength(3);
  });

  it('drops (and counts) a flood wait of hours instead of holding anything', async () => {
    api.telegram.rateLimitNext('sendMessage', 3 * 3600);
    const res = await api.postTelegram(tgTextUpdate('/help', { user: tgUser({ id: 636_363 }) }));
    expect(res.status).toBe(200);
    expect(await metricValue(api.runtime, 'mamori_replies_total', { channel: 'telegram', result: 'failed' })).toBeGreaterThanOrEqual(1);
  });
});

describe('Telegram webhook: Bot API failures (replies through the API)', () => {
  it('asks for a redelivery (503) when the Bot API has a server error', async () => {
    api.telegram.failNext('sendMessage', 502, { ok: false, error_code: 502, description: 'Bad Gateway' });
    const res = await api.postTelegram(tgTextUpdate('/help', { user: tgUser({ id: 646_464 }) }));
    expect(res.status).toBe(503);
  });

  it('treats a user who blocked the bot (403) as final: 200, counted', async () => {
    api.telegram.failNext('sendMessage', 403, { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' });
    const res = await api.postTelegram(tgTextUpdate('/help', { user: tgUser({ id: 656_565 }) }));
    expect(res.status).toBe(200);
  });
});

describe('Telegram webhook: store outages and faults', () => {
  it('answers 503 quickly when the store is unreachable, sending nothing', async () => {
    const store = new MemorySessionStore();
    // Every call that reaches the backend fails (peek is memory only: the first round trip is the commit).
    store.load = store.commitChecked = async () => {
      throw new StoreUnavailableError('redis down');
    };
    const down = await startHarness({}, { store });
    try {
      const started = Date.now();
      const res = await down.postTelegram(tgTextUpdate('/start'));
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(2000);
      expect(down.telegram.calls).toHaveLength(0);
    } finally {
      await down.close();
    }
  });

  it('answers 503 when the store is slower than the time budget', async () => {
    const store = new MemorySessionStore();
    const load = store.load.bind(store);
    const commitChecked = store.commitChecked.bind(store);
    store.load = async (...args) => {
      await new Promise((r) => setTimeout(r, 1500));
      return load(...args);
    };
    store.commitChecked = async (...args) => {
      await new Promise((r) => setTimeout(r, 1500));
      return commitChecked(...args);
    };
    const slow = await startHarness({ WEBHOOK_TIME_BUDGET_MS: '300' }, { store });
    try {
      const started = Date.now();
      const res = await slow.postTelegram(tgTextUpdate('/start'));
      expect(res.status).toBe(503);
      expect(Date.now() - started).toBeLessThan(1200);
    } finally {
      await slow.close();
    }
  });

  it('a bug while handling is logged with a stable code, apologised for, and answered 200', async () => {
    const store = new MemorySessionStore();
    store.commit = async () => {
      throw new Error('unexpected bug');
    };
    const broken = await startHarness({}, { store });
    try {
      const res = await broken.postTelegram(tgTextUpdate('/start'));
      expect(res.status).toBe(200);
      expect(broken.telegram.sentTexts.join('\n')).toContain(broken.runtime.context.locales.ja['error.apology']!);
      expect(broken.logs.filter((l) => l.includes('MAMORI_HANDLER_FAILED'))).toHaveLength(1);
      expectAllTelegramCallsWithinLimits(broken.telegram.calls);
    } finally {
      await broken.close();
    }
  });
});
