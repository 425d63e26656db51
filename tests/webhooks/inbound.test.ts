import { describe, expect, it } from 'vitest';
import { lineInboundOf } from '../../webhooks/line-inbound.ts';
import { isTelegramUpdate, telegramInboundOf, type TelegramBotIdentity } from '../../webhooks/telegram-inbound.ts';
import {
  LINE_GROUP_ID,
  lineFollowEvent,
  linePostbackEvent,
  lineTextEvent,
  lineUnfollowEvent,
  tgCallbackUpdate,
  tgGroupChat,
  tgMyChatMemberUpdate,
  tgPrivateChat,
  tgTextUpdate,
  tgUser,
} from '../support/update-factories.ts';

const bot: TelegramBotIdentity = { id: 7_000_001, username: 'MamoriTestBot' };
const now = 1_795_000_000_000;

describe('telegramInboundOf', () => {
  it('builds events through make-event: card numbers are masked before anything else sees them', () => {
    const r = telegramInboundOf(tgTextUpdate('カード番号 4111 1111 1111 1111 を入れてしまいました'), bot, now);
    expect(r.kind).toBe('event');
    if (r.kind !== 'event' || r.event.kind !== 'text') throw new Error('expected a text event');
    expect(r.event.text).not.toContain('4111 1111 1111 1111');
    expect(r.event.sensitive).toContain('card');
    expect(r.event.eventId).toMatch(/^\d+$/);
    expect(r.event.languageCode).toBe('ja');
  });

  it('appends the target of a hidden link (text_link) so the link checker sees it', () => {
    const u = tgTextUpdate('Amazonからのお知らせ', { entities: [{ type: 'text_link', offset: 0, length: 14, url: 'https://amaz0n-security.example.net/verify' }] });
    const r = telegramInboundOf(u, bot, now);
    if (r.kind !== 'event' || r.event.kind !== 'text') throw new Error('expected a text event');
    expect(r.event.text).toContain('https://amaz0n-security.example.net/verify');
  });

  it('recognises commands addressed to this bot and ignores those for another', () => {
    const mine = telegramInboundOf(tgTextUpdate('/check@mamoritestbot https://example.com'), bot, now);
    expect(mine.kind === 'event' && mine.event.kind === 'command' && mine.event.command).toBe('check');
    expect(telegramInboundOf(tgTextUpdate('/start@OtherBot'), bot, now)).toMatchObject({ kind: 'ignore', reason: 'other-bot' });
  });

  it('in groups: the group is the user, mentions are stripped, chatter and service messages ignored', () => {
    const group = tgGroupChat();
    const m = telegramInboundOf(tgTextUpdate('@MamoriTestBot これ大丈夫？', { chat: group }), bot, now);
    if (m.kind !== 'event' || m.event.kind !== 'text') throw new Error('expected a text event');
    expect(m.event).toMatchObject({ chatType: 'group', userId: String(group.id), text: 'これ大丈夫？' });
    expect(telegramInboundOf(tgTextUpdate('おはよう', { chat: group }), bot, now)).toMatchObject({ kind: 'ignore', reason: 'group-chatter' });
    const joined = { update_id: 1, message: { message_id: 1, date: 1, chat: group, from: tgUser(), new_chat_members: [tgUser({ id: 2 })] } };
    expect(telegramInboundOf(joined, bot, now)).toMatchObject({ kind: 'ignore' });
  });

  it('ignores messages from bots and channel posts', () => {
    expect(telegramInboundOf(tgTextUpdate('hi', { user: tgUser({ is_bot: true }) }), bot, now)).toMatchObject({ kind: 'ignore', reason: 'from-bot' });
    const post = { update_id: 2, message: { message_id: 1, date: 1, chat: { id: -100, type: 'channel', title: 'c' }, text: 'x' } };
    expect(telegramInboundOf(post, bot, now)).toMatchObject({ kind: 'ignore' });
  });

  it('turns a button press into a button event with the query to answer and the message to edit', () => {
    const r = telegramInboundOf(tgCallbackUpdate('k3x9a.1f.o2', { messageId: 77 }), bot, now);
    expect(r).toMatchObject({ kind: 'event', event: { kind: 'button', payload: 'k3x9a.1f.o2' }, callback: { messageId: 77 } });
    // A press on an inaccessible message (date 0) is still answered, but there is nothing to edit.
    const old = tgCallbackUpdate('k3x9a.1f.o2', { messageId: 78 });
    const inaccessible = { ...old, callback_query: { ...old.callback_query, message: { chat: old.callback_query.message!.chat, message_id: 78, date: 0 } } };
    const r2 = telegramInboundOf(inaccessible, bot, now);
    expect(r2).toMatchObject({ kind: 'event', chatId: old.callback_query.from.id, callback: { id: old.callback_query.id } });
    expect(r2.kind === 'event' && r2.callback?.messageId).toBe(undefined);
  });

  it('answers but ignores a press without data', () => {
    const u = tgCallbackUpdate('x');
    delete (u.callback_query as { data?: string }).data;
    expect(telegramInboundOf(u, bot, now)).toMatchObject({ kind: 'ignore', reason: 'no-data', callbackId: u.callback_query.id });
  });

  it('blocking the bot means forget; being added to a group means an introduction', () => {
    const user = tgUser();
    expect(telegramInboundOf(tgMyChatMemberUpdate(tgPrivateChat(user), user, 'member', 'kicked'), bot, now)).toMatchObject({ kind: 'forget', userId: String(user.id) });
    expect(telegramInboundOf(tgMyChatMemberUpdate(tgGroupChat(), user, 'left', 'member'), bot, now)).toMatchObject({ kind: 'event', event: { kind: 'follow', chatType: 'group' } });
    expect(telegramInboundOf(tgMyChatMemberUpdate(tgGroupChat(), user, 'member', 'left'), bot, now)).toMatchObject({ kind: 'ignore' });
  });

  it('ignores a known update type with an unexpected shape instead of failing', () => {
    const odd = { update_id: 3, message: { text: 'no chat' } };
    expect(telegramInboundOf(odd, bot, now)).toMatchObject({ kind: 'ignore', reason: 'unexpected-shape' });
    // Every field Mamori reads is checked, however deep: wrong types, negative offsets, unsafe integers.
    const base = tgTextUpdate('hello https://example.com');
    const shapes: unknown[] = [
      { ...base.message, chat: { id: '1', type: 'private' } },
      { ...base.message, from: { ...base.message.from, language_code: 'x'.repeat(36) } },
      { ...base.message, from: { ...base.message.from, is_bot: 'no' } },
      { ...base.message, entities: [{ type: 'url', offset: -1, length: 3 }] },
      { ...base.message, entities: { type: 'url', offset: 0, length: 3 } },
      { ...base.message, message_id: 2 ** 53 },
      { ...base.message, text: null },
      { ...base.message, reply_to_message: { from: { id: 1.5 } } },
      [base.message],
    ];
    const inbound = (update: object) => telegramInboundOf(update as { update_id: number }, bot, now);
    for (const message of shapes) expect(inbound({ update_id: 4, message })).toMatchObject({ kind: 'ignore', reason: 'unexpected-shape' });
    // Unknown fields pass through untouched.
    expect(inbound({ update_id: 5, message: { ...base.message, brand_new_field: { x: 1 } } })).toMatchObject({ kind: 'event' });
    const press = tgCallbackUpdate('k1.1.o0');
    expect(inbound({ update_id: 6, callback_query: { ...press.callback_query, id: '' } })).toMatchObject({ kind: 'ignore', reason: 'unexpected-shape' });
    expect(inbound({ update_id: 7, callback_query: { ...press.callback_query, from: undefined } })).toMatchObject({ kind: 'ignore', reason: 'unexpected-shape', callbackId: press.callback_query.id });
  });

  it('recognises an update by a safe, non-negative integer update_id', () => {
    expect(isTelegramUpdate({ update_id: 0 })).toBe(true);
    expect(isTelegramUpdate({ update_id: 12, message: {} })).toBe(true);
    for (const body of [null, [], 'x', 12, {}, { update_id: '12' }, { update_id: -1 }, { update_id: 1.5 }, { update_id: 2 ** 53 }, [{ update_id: 1 }]]) {
      expect(isTelegramUpdate(body), JSON.stringify(body)).toBe(false);
    }
  });
});

describe('lineInboundOf', () => {
  it('uses webhookEventId as the event id and masks sensitive text', () => {
    const e = lineTextEvent('パスワード: hunter2abc');
    const r = lineInboundOf(e, now);
    if (r.kind !== 'event' || r.event.kind !== 'text') throw new Error('expected a text event');
    expect(r.event.eventId).toBe(e.webhookEventId);
    expect(r.event.text).not.toContain('hunter2abc');
    expect(r.replyToken).toBe(e.replyToken);
  });

  it('treats a rich menu postback carrying a slash command as the command', () => {
    const r = lineInboundOf(linePostbackEvent('/scams'), now);
    expect(r).toMatchObject({ kind: 'event', event: { kind: 'command', command: 'scams' } });
    expect(lineInboundOf(linePostbackEvent('k3x9a.1f.o2'), now)).toMatchObject({ kind: 'event', event: { kind: 'button' } });
  });

  it('in groups: strips the bot mention, ignores chatter', () => {
    const r = lineInboundOf(lineTextEvent('@守り これ本物？', { groupId: LINE_GROUP_ID, mentionSelfAt: { index: 0, length: 3 } }), now);
    expect(r).toMatchObject({ kind: 'event', to: LINE_GROUP_ID, event: { chatType: 'group', text: 'これ本物？', userId: LINE_GROUP_ID } });
    expect(lineInboundOf(lineTextEvent('@たろう 明日ね', { groupId: LINE_GROUP_ID }), now)).toMatchObject({ kind: 'ignore', reason: 'group-chatter' });
  });

  it('follow, unfollow, standby and malformed events', () => {
    expect(lineInboundOf(lineFollowEvent(), now)).toMatchObject({ kind: 'event', event: { kind: 'follow' } });
    expect(lineInboundOf(lineUnfollowEvent({ userId: 'Ubye' }), now)).toMatchObject({ kind: 'forget', userId: 'Ubye' });
    expect(lineInboundOf({ ...lineTextEvent('hi'), mode: 'standby' }, now)).toMatchObject({ kind: 'ignore', reason: 'standby' });
    expect(lineInboundOf({ type: 'message' }, now)).toMatchObject({ kind: 'ignore', reason: 'unexpected-shape' });
    expect(lineInboundOf(null, now)).toMatchObject({ kind: 'ignore' });
  });
});
