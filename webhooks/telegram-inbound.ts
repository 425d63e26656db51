import type { InboundEvent, UNSUPPORTED_CONTENT } from '../src/engine/inbound-event.ts';
import { extractUrls } from '../src/listing/extract-urls.ts';
import { followEvent, parseCommand, textEvent, unsupportedEvent, buttonEvent, type EventOrigin } from '../src/engine/make-event.ts';

/*
 * Telegram updates, validated loosely: only the fields Mamori reads are checked, everything else passes
 * through untouched, so a new Bot API field never makes us refuse (and Telegram redeliver) an update.
 * Plain type guards rather than zod: this runs on every update, and the guards check exactly what the
 * former zod `looseObject` schemas checked (integers are safe integers, optional means absent or
 * undefined) at a fraction of the cost (the webhook benchmark's profile, README: Benchmark).
 */
type Obj = Readonly<Record<string, unknown>>;
const isObject = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const isInt = (v: unknown): v is number => Number.isSafeInteger(v);
const optional = (v: unknown, check: (v: unknown) => boolean) => v === undefined || check(v);
const isString = (v: unknown): v is string => typeof v === 'string';

interface UserT extends Obj {
  id: number;
  is_bot?: boolean;
  username?: string;
  language_code?: string;
}
interface ChatT extends Obj {
  id: number;
  type: string;
}
interface EntityT extends Obj {
  type: string;
  offset: number;
  length: number;
  url?: string;
  user?: UserT;
}
interface MessageT extends Obj {
  message_id: number;
  date?: number;
  from?: UserT;
  chat: ChatT;
  text?: string;
  caption?: string;
  entities?: EntityT[];
  caption_entities?: EntityT[];
  reply_to_message?: Obj & { from?: UserT };
  via_bot?: UserT;
}
interface CallbackQueryT extends Obj {
  id: string;
  from: UserT;
  message?: Obj & { message_id: number; date?: number; chat: ChatT; text?: unknown };
  data?: string;
}
interface ChatMemberUpdatedT extends Obj {
  chat: ChatT;
  from: UserT;
  old_chat_member: Obj & { status: string };
  new_chat_member: Obj & { status: string };
}

const isUser = (v: unknown): v is UserT =>
  isObject(v) &&
  isInt(v.id) &&
  optional(v.is_bot, (b) => typeof b === 'boolean') &&
  optional(v.username, isString) &&
  optional(v.language_code, (l) => isString(l) && l.length <= 35);
const isChat = (v: unknown): v is ChatT => isObject(v) && isInt(v.id) && isString(v.type);
const isEntity = (v: unknown): v is EntityT =>
  isObject(v) && isString(v.type) && isInt(v.offset) && v.offset >= 0 && isInt(v.length) && v.length >= 0 && optional(v.url, isString) && optional(v.user, isUser);
const isEntities = (v: unknown) => Array.isArray(v) && v.every(isEntity);
const isMessage = (v: unknown): v is MessageT =>
  isObject(v) &&
  isInt(v.message_id) &&
  optional(v.date, isInt) &&
  optional(v.from, isUser) &&
  isChat(v.chat) &&
  optional(v.text, isString) &&
  optional(v.caption, isString) &&
  optional(v.entities, isEntities) &&
  optional(v.caption_entities, isEntities) &&
  optional(v.reply_to_message, (r) => isObject(r) && optional(r.from, isUser)) &&
  optional(v.via_bot, isUser);
const isCallbackQuery = (v: unknown): v is CallbackQueryT =>
  isObject(v) &&
  isString(v.id) &&
  v.id.length > 0 &&
  isUser(v.from) &&
  optional(v.message, (m) => isObject(m) && isInt(m.message_id) && optional(m.date, isInt) && isChat(m.chat)) &&
  optional(v.data, isString);
const hasStatus = (v: unknown) => isObject(v) && isString(v.status);
const isChatMemberUpdated = (v: unknown): v is ChatMemberUpdatedT =>
  isObject(v) && isChat(v.chat) && isUser(v.from) && hasStatus(v.old_chat_member) && hasStatus(v.new_chat_member);

/** What every update has; a body without it is not a Telegram update at all (400). */
export function isTelegramUpdate(body: unknown): body is { readonly update_id: number } {
  return isObject(body) && isInt(body.update_id) && body.update_id >= 0;
}

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
      /**
       * For button presses: the query to answer and the pressed message (absent when Telegram sent it as
       * inaccessible). `editable`: a text message of ours recent enough to have its text replaced.
       */
      callback?: { id: string; chatId?: number; messageId?: number; editable?: boolean };
    }
  /** The user blocked the bot: delete what we keep about them. */
  | { kind: 'forget'; updateKind: string; userId: string }
  | { kind: 'ignore'; updateKind: string; reason: string; callbackId?: string };


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
 * sees where a link worded as a notice from Amazon really goes.
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
  if (!isMessage(raw)) return { kind: 'ignore', updateKind, reason: 'unexpected-shape' };
  const m = raw;
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

/**
 * How old a pressed message may be for its text to be replaced in place. The Bot API's 48-hour limit is
 * documented for business messages only, but a failed edit in the webhook answer is never reported to us
 * (the user would see nothing), so older prompts get a new message instead, with an hour to spare.
 */
const EDITABLE_FOR_SECONDS = 47 * 3600;

function fromCallbackQuery(raw: unknown, receivedAt: number, eventId: string): TelegramInbound {
  const updateKind = 'callback_query';
  if (!isCallbackQuery(raw)) {
    const id = (raw as { id?: unknown } | null)?.id;
    return { kind: 'ignore', updateKind, reason: 'unexpected-shape', ...(typeof id === 'string' ? { callbackId: id } : {}) };
  }
  const q = raw;
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
    // An InaccessibleMessage (date 0: too old or deleted) cannot be edited: no keyboard removal is tried.
    callback: {
      id: q.id,
      ...(q.message && q.message.date !== 0
        ? {
            chatId: q.message.chat.id,
            messageId: q.message.message_id,
            editable: typeof q.message.text === 'string' && typeof q.message.date === 'number' && receivedAt / 1000 - q.message.date < EDITABLE_FOR_SECONDS,
          }
        : {}),
    },
  };
}

function fromMyChatMember(raw: unknown, receivedAt: number, eventId: string): TelegramInbound {
  const updateKind = 'my_chat_member';
  if (!isChatMemberUpdated(raw)) return { kind: 'ignore', updateKind, reason: 'unexpected-shape' };
  const u = raw;
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
