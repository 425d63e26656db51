import { z } from 'zod';
import type { InboundEvent, UNSUPPORTED_CONTENT } from '../src/engine/inbound-event.ts';
import { extractUrls } from '../src/listing/extract-urls.ts';
import { followEvent, parseCommand, textEvent, unsupportedEvent, buttonEvent, type EventOrigin } from '../src/engine/make-event.ts';

/*
 * Telegram updates, validated loosely: only the fields Mamori reads are checked, everything else passes
 * through untouched, so a new Bot API field never makes us refuse (and Telegram redeliver) an update.
 */
const User = z.looseObject({
  id: z.number().int(),
  is_bot: z.boolean().optional(),
  username: z.string().optional(),
  language_code: z.string().max(35).optional(),
});
const Chat = z.looseObject({ id: z.number().int(), type: z.string() });
const Entity = z.looseObject({
  type: z.string(),
  offset: z.number().int().nonnegative(),
  length: z.number().int().nonnegative(),
  url: z.string().optional(),
  user: User.optional(),
});
const Message = z.looseObject({
  message_id: z.number().int(),
  date: z.number().int().optional(),
  from: User.optional(),
  chat: Chat,
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(Entity).optional(),
  caption_entities: z.array(Entity).optional(),
  reply_to_message: z.looseObject({ from: User.optional() }).optional(),
  via_bot: User.optional(),
});
const CallbackQuery = z.looseObject({
  id: z.string().min(1),
  from: User,
  message: z.looseObject({ message_id: z.number().int(), date: z.number().int().optional(), chat: Chat }).optional(),
  data: z.string().optional(),
});
const ChatMemberUpdated = z.looseObject({
  chat: Chat,
  from: User,
  old_chat_member: z.looseObject({ status: z.string() }),
  new_chat_member: z.looseObject({ status: z.string() }),
});

/** What every update has; a body without it is not a Telegram update at all (400). */
export const TelegramUpdateEnvelope = z.looseObject({ update_id: z.number().int().nonnegative() });

/** Who the bot is: its id (the digits before the colon in the token) and, when known, its username. */
export interface TelegramBotIdentity {
  id: number;
  username?: string;
}

/** What to do with one update. */
export type TelegramInbound =
  | {
      kind: 'event';
      updateKind: string;
      event: InboundEvent;
      chatId: number;
      /** For button presses: the query to answer and the message whose keyboard to remove. */
      callback?: { id: string; chatId?: number; messageId?: number };
    }
  /** The user blocked the bot: delete what we keep about them. */
  | { kind: 'forget'; updateKind: string; userId: string }
  | { kind: 'ignore'; updateKind: string; reason: string; callbackId?: string };

type MessageT = z.infer<typeof Message>;
type EntityT = z.infer<typeof Entity>;

const CONTENT_OF: ReadonlyArray<[string, (typeof UNSUPPORTED_CONTENT)[number]]> = [
  ['photo', 'photo'],
  ['sticker', 'sticker'],
  ['voice', 'audio'],
  ['audio', 'audio'],
  ['video', 'video'],
  ['video_note', 'video'],
  ['animation', 'video'],
  ['document', 'file'],
  ['location', 'location'],
  ['venue', 'location'],
  ['contact', 'contact'],
];

/** Messages a group produces by itself (joins, pins, title changes): never answered. */
const SERVICE_FIELDS = ['new_chat_members', 'left_chat_member', 'new_chat_title', 'new_chat_photo', 'pinned_message', 'group_chat_created', 'supergroup_chat_created', 'migrate_to_chat_id', 'migrate_from_chat_id'];


/** The part of a text an entity covers (offsets count UTF-16 code units, as JS strings do). */
const slice = (text: string, e: EntityT) => text.slice(e.offset, e.offset + e.length);

/**
 * The text to hand the engine: with the bot's @mention removed, and the targets of hidden links
 * (`text_link` entities, where the visible words differ from the URL) appended, so the link checker
 * sees where a "Amazonからのお知らせ" link really goes.
 */
function textFor(text: string, entities: readonly EntityT[], bot: TelegramBotIdentity): string {
  let out = text;
  const mention = bot.username ? `@${bot.username}`.toLowerCase() : null;
  if (mention) {
    for (const e of [...entities].sort((a, b) => b.offset - a.offset)) {
      if (e.type === 'mention' && slice(text, e).toLowerCase() === mention) out = out.slice(0, e.offset) + out.slice(e.offset + e.length);
    }
  }
  const hidden = entities.filter((e) => e.type === 'text_link' && e.url && !text.includes(e.url)).map((e) => e.url!);
  out = out.trim();
  return hidden.length ? `${out}\n${hidden.join('\n')}` : out;
}

function mentionsBot(m: MessageT, text: string, entities: readonly EntityT[], bot: TelegramBotIdentity): boolean {
  if (m.reply_to_message?.from?.id === bot.id) return true;
  const mention = bot.username ? `@${bot.username}`.toLowerCase() : null;
  return entities.some((e) => (e.type === 'mention' && mention !== null && slice(text, e).toLowerCase() === mention) || (e.type === 'text_mention' && e.user?.id === bot.id));
}

/** Links as Telegram marked them, or as the link checker finds them (URLs without a scheme, full-width…). */
const hasLink = (text: string, entities: readonly EntityT[]) => entities.some((e) => e.type === 'url' || e.type === 'text_link') || extractUrls(text).length > 0;

function fromMessage(raw: unknown, updateKind: string, bot: TelegramBotIdentity, receivedAt: number, eventId: string): TelegramInbound {
  const parsed = Message.safeParse(raw);
  if (!parsed.success) return { kind: 'ignore', updateKind, reason: 'unexpected-shape' };
  const m = parsed.data;
  const type = m.chat.type;
  if (type !== 'private' && type !== 'group' && type !== 'supergroup') return { kind: 'ignore', updateKind, reason: 'channel-post' };
  if (!m.from || m.from.is_bot || m.via_bot) return { kind: 'ignore', updateKind, reason: 'from-bot' };
  const group = type !== 'private';
  const origin: EventOrigin = {
    channel: 'telegram',
    // In groups the group is the "user": the engine keeps no state there and rate-limits per group.
    userId: String(group ? m.chat.id : m.from.id),
    chatType: group ? 'group' : 'private',
    ...(m.from.language_code ? { languageCode: m.from.language_code } : {}),
    eventId,
    receivedAt,
  };
  const isText = typeof m.text === 'string';
  const text = m.text ?? m.caption ?? '';
  const entities = (isText ? m.entities : m.caption_entities) ?? [];
  const command = isText ? parseCommand(text) : null;
  // `/start@OtherBot`: addressed to another bot in the same group. Compared case-insensitively, as
  // Telegram usernames are. With no username known, a command naming any bot is not taken as ours.
  if (command?.bot && command.bot.toLowerCase() !== bot.username?.toLowerCase()) return { kind: 'ignore', updateKind, reason: 'other-bot' };
  if (command) return { kind: 'event', updateKind, chatId: m.chat.id, event: textEvent(origin, text) };
  if (group) {
    if (SERVICE_FIELDS.some((f) => f in m)) return { kind: 'ignore', updateKind, reason: 'service-message' };
    // Groups: answer mentions of the bot and messages with links; other chatter is not for us.
    if (text && (mentionsBot(m, text, entities, bot) || hasLink(text, entities))) {
      return { kind: 'event', updateKind, chatId: m.chat.id, event: textEvent(origin, textFor(text, entities, bot)) };
    }
    return { kind: 'ignore', updateKind, reason: 'group-chatter' };
  }
  if (isText) return { kind: 'event', updateKind, chatId: m.chat.id, event: textEvent(origin, textFor(text, entities, bot)) };
  // A screenshot with a link in its caption: the link is what we can check.
  if (text && hasLink(text, entities)) return { kind: 'event', updateKind, chatId: m.chat.id, event: textEvent(origin, textFor(text, entities, bot)) };
  const content = CONTENT_OF.find(([field]) => field in m)?.[1] ?? 'other';
  return { kind: 'event', updateKind, chatId: m.chat.id, event: unsupportedEvent(origin, content) };
}

function fromCallbackQuery(raw: unknown, receivedAt: number, eventId: string): TelegramInbound {
  const updateKind = 'callback_query';
  const parsed = CallbackQuery.safeParse(raw);
  if (!parsed.success) {
    const id = (raw as { id?: unknown } | null)?.id;
    return { kind: 'ignore', updateKind, reason: 'unexpected-shape', ...(typeof id === 'string' ? { callbackId: id } : {}) };
  }
  const q = parsed.data;
  if (typeof q.data !== 'string' || q.data.length === 0) return { kind: 'ignore', updateKind, reason: 'no-data', callbackId: q.id };
  const chat = q.message?.chat ?? { id: q.from.id, type: 'private' };
  const group = chat.type !== 'private';
  const origin: EventOrigin = {
    channel: 'telegram',
    userId: String(group ? chat.id : q.from.id),
    chatType: group ? 'group' : 'private',
    ...(q.from.language_code ? { languageCode: q.from.language_code } : {}),
    eventId,
    receivedAt,
  };
  return {
    kind: 'event',
    updateKind,
    chatId: chat.id,
    event: buttonEvent(origin, q.data),
    callback: { id: q.id, ...(q.message ? { chatId: q.message.chat.id, messageId: q.message.message_id } : {}) },
  };
}

function fromMyChatMember(raw: unknown, receivedAt: number, eventId: string): TelegramInbound {
  const updateKind = 'my_chat_member';
  const parsed = ChatMemberUpdated.safeParse(raw);
  if (!parsed.success) return { kind: 'ignore', updateKind, reason: 'unexpected-shape' };
  const u = parsed.data;
  const was = u.old_chat_member.status;
  const now = u.new_chat_member.status;
  const gone = (s: string) => s === 'left' || s === 'kicked';
  // Blocking the bot in a private chat is Telegram's "unfollow": we delete what we keep (as for LINE).
  if (u.chat.type === 'private' && now === 'kicked') return { kind: 'forget', updateKind, userId: String(u.chat.id) };
  if ((u.chat.type === 'group' || u.chat.type === 'supergroup') && gone(was) && !gone(now)) {
    const origin: EventOrigin = { channel: 'telegram', userId: String(u.chat.id), chatType: 'group', eventId, receivedAt, ...(u.from.language_code ? { languageCode: u.from.language_code } : {}) };
    return { kind: 'event', updateKind, chatId: u.chat.id, event: followEvent(origin) };
  }
  return { kind: 'ignore', updateKind, reason: 'member-change' };
}

/** True when handling this update needs the bot's username (group messages: mentions and /cmd@bot). */
export function needsBotUsername(update: object): boolean {
  const m = (update as { message?: unknown }).message as { chat?: { type?: unknown }; text?: unknown } | undefined;
  return Boolean(m && m.chat?.type !== 'private') || (typeof m?.text === 'string' && /^\/\S*@/.test(m.text));
}

/**
 * Normalises one Telegram update (already checked to have an `update_id`) into an inbound event built
 * through make-event (which masks card numbers, passwords and codes), or says why it is ignored.
 * `update_id` becomes the event id the advisor deduplicates on.
 */
export function telegramInboundOf(envelope: { readonly update_id: number }, bot: TelegramBotIdentity, receivedAt: number): TelegramInbound {
  const update = envelope as { update_id: number } & Readonly<Record<string, unknown>>;
  const eventId = String(update.update_id);
  if (update.message !== undefined) return fromMessage(update.message, 'message', bot, receivedAt, eventId);
  if (update.callback_query !== undefined) return fromCallbackQuery(update.callback_query, receivedAt, eventId);
  if (update.my_chat_member !== undefined) return fromMyChatMember(update.my_chat_member, receivedAt, eventId);
  const kind = Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
  return { kind: 'ignore', updateKind: /^[a-z_]{1,40}$/.test(kind) ? kind : 'unknown', reason: 'not-subscribed' };
}
