import { createHmac } from 'node:crypto';
import type { webhook } from '@line/bot-sdk';
import type { Chat, Message, MessageEntity, Update, User } from 'telegraf/types';

/*
 * Typed fixture factories for real-shaped platform payloads, with incrementing ids (as telegraf's
 * test/_helpers.js does): every call gives a new update_id / message_id / webhookEventId / replyToken,
 * so tests never collide and redeliveries are made by sending the same object again.
 */

let updateId = 700_000;
let messageId = 1;
let callbackId = 1;
let lineSeq = 1;

// ---------------------------------------------------------------- Telegram

export const TG_BOT_USERNAME = 'MamoriTestBot';

export function tgUser(overrides: Partial<User> = {}): User {
  return { id: 424_242, is_bot: false, first_name: 'Hanako', language_code: 'ja', ...overrides };
}

export function tgPrivateChat(user: User = tgUser()): Chat.PrivateChat {
  return { id: user.id, type: 'private', first_name: user.first_name };
}

export function tgGroupChat(id = -1_001_234_567_890): Chat.SupergroupChat {
  return { id, type: 'supergroup', title: 'Family' };
}

/** Entities Telegram would attach: a bot_command at the start, @mentions and URLs. */
export function tgEntitiesFor(text: string): MessageEntity[] {
  const out: MessageEntity[] = [];
  const cmd = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(text);
  if (cmd) out.push({ type: 'bot_command', offset: 0, length: cmd[0].length });
  for (const m of text.matchAll(/(^|\s)(@[A-Za-z0-9_]{3,})/g)) out.push({ type: 'mention', offset: m.index + m[1]!.length, length: m[2]!.length });
  for (const m of text.matchAll(/https?:\/\/[^\s]+/g)) out.push({ type: 'url', offset: m.index, length: m[0].length });
  return out.sort((a, b) => a.offset - b.offset);
}

interface TgMessageOptions {
  user?: User;
  chat?: Chat.PrivateChat | Chat.GroupChat | Chat.SupergroupChat;
  entities?: MessageEntity[];
  replyToBot?: boolean;
}

/** A new message in a private chat or group, as updates carry it. */
type Incoming<M> = Update.New & Update.NonChannel & M;

function tgMessageBase(o: TgMessageOptions): Update.New & Update.NonChannel & Message.ServiceMessage {
  const user = o.user ?? tgUser();
  return { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: o.chat ?? tgPrivateChat(user), from: user };
}

export function tgTextUpdate(text: string, o: TgMessageOptions = {}): Update.MessageUpdate<Message.TextMessage> {
  const entities = o.entities ?? tgEntitiesFor(text);
  const message: Incoming<Message.TextMessage> = { ...tgMessageBase(o), text, ...(entities.length ? { entities } : {}) };
  if (o.replyToBot) {
    message.reply_to_message = {
      message_id: messageId++,
      date: message.date,
      chat: message.chat,
      from: { id: 7_000_001, is_bot: true, first_name: 'Mamori', username: TG_BOT_USERNAME },
      text: '…',
    } as Message.TextMessage['reply_to_message'];
  }
  return { update_id: updateId++, message };
}

export function tgPhotoUpdate(o: TgMessageOptions & { caption?: string } = {}): Update.MessageUpdate<Message.PhotoMessage> {
  const message: Incoming<Message.PhotoMessage> = {
    ...tgMessageBase(o),
    photo: [
      { file_id: 'AgACAgUAAxkBAAIB', file_unique_id: 'AQAD1', width: 90, height: 90, file_size: 1200 },
      { file_id: 'AgACAgUAAxkBAAIC', file_unique_id: 'AQAD2', width: 800, height: 800, file_size: 64000 },
    ],
    ...(o.caption ? { caption: o.caption, caption_entities: tgEntitiesFor(o.caption) } : {}),
  };
  return { update_id: updateId++, message };
}

export function tgStickerUpdate(o: TgMessageOptions = {}): Update.MessageUpdate<Message.StickerMessage> {
  const message: Incoming<Message.StickerMessage> = {
    ...tgMessageBase(o),
    sticker: { file_id: 'CAACAgIAAxkBAAEB', file_unique_id: 'AgADxx', type: 'regular', width: 512, height: 512, is_animated: false, is_video: false, emoji: '👍' },
  };
  return { update_id: updateId++, message };
}

/** A press on an inline button `data` under the bot's message `messageId`. */
export function tgCallbackUpdate(data: string, o: { user?: User; messageId?: number; chat?: Chat.PrivateChat | Chat.SupergroupChat } = {}): Update.CallbackQueryUpdate {
  const user = o.user ?? tgUser();
  const chat = o.chat ?? tgPrivateChat(user);
  return {
    update_id: updateId++,
    callback_query: {
      id: String(9_000_000_000 + callbackId++),
      from: user,
      chat_instance: '-8123456789012345678',
      data,
      message: { message_id: o.messageId ?? messageId++, date: Math.floor(Date.now() / 1000), chat, from: { id: 7_000_001, is_bot: true, first_name: 'Mamori', username: TG_BOT_USERNAME }, text: '…' },
    },
  };
}

export function tgMyChatMemberUpdate(chat: Chat.PrivateChat | Chat.SupergroupChat, from: User, oldStatus: 'member' | 'left' | 'kicked', newStatus: 'member' | 'left' | 'kicked'): Update.MyChatMemberUpdate {
  const botUser: User = { id: 7_000_001, is_bot: true, first_name: 'Mamori', username: TG_BOT_USERNAME };
  const member = (status: typeof oldStatus) =>
    status === 'kicked' ? ({ status, user: botUser, until_date: 0 } as const) : status === 'left' ? ({ status, user: botUser } as const) : ({ status, user: botUser } as const);
  return {
    update_id: updateId++,
    my_chat_member: { chat, from, date: Math.floor(Date.now() / 1000), old_chat_member: member(oldStatus), new_chat_member: member(newStatus) },
  };
}

// ---------------------------------------------------------------- LINE

export const LINE_USER_ID = 'U4af4980629f2a3b4c5d6e7f8091a2b3c';
export const LINE_GROUP_ID = 'Ca56f94637cc4347f90a25382909b24b9';

/** A ULID-shaped webhookEventId (26 Crockford base-32 characters), unique per call. */
function nextEventId(): string {
  const n = lineSeq++;
  return `01HZX${String(n).padStart(21, '0')}`.slice(0, 26);
}

function lineBase(o: { userId?: string; groupId?: string; redelivery?: boolean } = {}) {
  const source: webhook.Source = o.groupId ? { type: 'group', groupId: o.groupId, userId: o.userId ?? LINE_USER_ID } : { type: 'user', userId: o.userId ?? LINE_USER_ID };
  return {
    mode: 'active' as const,
    timestamp: Date.now(),
    source,
    webhookEventId: nextEventId(),
    deliveryContext: { isRedelivery: o.redelivery ?? false },
  };
}

const replyToken = () => `rt${String(lineSeq++).padStart(30, '0')}`;

export function lineTextEvent(text: string, o: { userId?: string; groupId?: string; mentionSelfAt?: { index: number; length: number } } = {}): webhook.MessageEvent {
  const message: webhook.TextMessageContent = {
    type: 'text',
    id: String(500_000_000_000 + lineSeq++),
    text,
    quoteToken: 'q3Plxr4AgKd',
    ...(o.mentionSelfAt ? { mention: { mentionees: [{ type: 'user', index: o.mentionSelfAt.index, length: o.mentionSelfAt.length, isSelf: true }] } } : {}),
  };
  return { type: 'message', ...lineBase(o), replyToken: replyToken(), message };
}

export function linePostbackEvent(data: string, o: { userId?: string; groupId?: string } = {}): webhook.PostbackEvent {
  return { type: 'postback', ...lineBase(o), replyToken: replyToken(), postback: { data } };
}

export function lineStickerEvent(o: { userId?: string } = {}): webhook.MessageEvent {
  const message: webhook.StickerMessageContent = { type: 'sticker', id: String(500_000_000_000 + lineSeq++), packageId: '446', stickerId: '1988', stickerResourceType: 'STATIC', quoteToken: 'q' };
  return { type: 'message', ...lineBase(o), replyToken: replyToken(), message };
}

export function lineImageEvent(o: { userId?: string } = {}): webhook.MessageEvent {
  const message: webhook.ImageMessageContent = { type: 'image', id: String(500_000_000_000 + lineSeq++), contentProvider: { type: 'line' }, quoteToken: 'q' };
  return { type: 'message', ...lineBase(o), replyToken: replyToken(), message };
}

export function lineFollowEvent(o: { userId?: string } = {}): webhook.FollowEvent {
  return { type: 'follow', ...lineBase(o), replyToken: replyToken(), follow: { isUnblocked: false } };
}

export function lineUnfollowEvent(o: { userId?: string } = {}): webhook.UnfollowEvent {
  return { type: 'unfollow', ...lineBase(o) };
}

export function lineJoinEvent(groupId = LINE_GROUP_ID): webhook.JoinEvent {
  return { type: 'join', ...lineBase({ groupId }), source: { type: 'group', groupId }, replyToken: replyToken() };
}

export function lineBody(events: webhook.Event[], destination = 'Uf0000000000000000000000000000000'): webhook.CallbackRequest {
  return { destination, events };
}

/** base64(HMAC-SHA256(secret, body)) over the exact bytes: what LINE puts in x-line-signature. */
export function signLine(body: string | Buffer, secret: string): string {
  return createHmac('sha256', secret).update(body).digest('base64');
}
