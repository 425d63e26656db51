import { z } from 'zod';

/** Channels the advisor talks on. `cli` is the terminal chat. */
export const CHANNELS = ['telegram', 'line', 'web', 'cli'] as const;
export type Channel = (typeof CHANNELS)[number];

/** Kinds of content we cannot read (photos, stickers, …); they get a polite reply, never an error. */
export const UNSUPPORTED_CONTENT = ['photo', 'sticker', 'audio', 'video', 'file', 'location', 'contact', 'other'] as const;

/** The commands every channel understands (`/start`, `/menu`, …). */
export const COMMANDS = ['start', 'menu', 'check', 'secure', 'report', 'scams', 'help', 'lang', 'reset', 'forget'] as const;
export type Command = (typeof COMMANDS)[number];

const base = {
  channel: z.enum(CHANNELS),
  /** Stable per-user id within the channel (Telegram user id, LINE userId, web cookie id). */
  userId: z.string().min(1).max(128),
  /** `group` when the event comes from a group or room chat: no long guides there. */
  chatType: z.enum(['private', 'group']).default('private'),
  /** The platform's language code (Telegram `language_code`), when it sends one. */
  languageCode: z.string().max(35).optional(),
  /** The platform's delivery id (Telegram update_id, LINE webhookEventId) used to drop redeliveries. */
  eventId: z.string().min(1).max(128).optional(),
  /** Milliseconds since the epoch when the event was received. */
  receivedAt: z.number().int().nonnegative(),
};

/**
 * Sensitive things found (and already masked) in a user's text. The text in the event never holds
 * the original: masking happens while the event is built, before state or logs can see it.
 */
export const SensitiveKind = z.enum(['card', 'password', 'otp', 'my-number']);
export type SensitiveKind = z.infer<typeof SensitiveKind>;

/** One platform event, normalised. Everything the pure step decides on comes through here. */
export const InboundEventSchema = z.discriminatedUnion('kind', [
  z.object({ ...base, kind: z.literal('text'), text: z.string().max(10_000), sensitive: z.array(SensitiveKind).default([]) }),
  z.object({ ...base, kind: z.literal('button'), payload: z.string().max(300) }),
  z.object({ ...base, kind: z.literal('command'), command: z.string().max(64), args: z.string().max(1000).default('') }),
  z.object({ ...base, kind: z.literal('unsupported'), content: z.enum(UNSUPPORTED_CONTENT) }),
  /** The user added the bot (LINE follow, first contact). */
  z.object({ ...base, kind: z.literal('follow') }),
]);
export type InboundEvent = z.infer<typeof InboundEventSchema>;
export type InboundEventInput = z.input<typeof InboundEventSchema>;

/** Key that identifies one user across the store: `tg:123`, `line:U…`, `web:…`, `cli:local`. */
export function userKeyOf(event: Pick<InboundEvent, 'channel' | 'userId'>): string {
  const prefix = event.channel === 'telegram' ? 'tg' : event.channel;
  return `${prefix}:${event.userId}`;
}
