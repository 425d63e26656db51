import { z } from 'zod';
import type { InboundEvent, UNSUPPORTED_CONTENT } from '../src/engine/inbound-event.ts';
import { buttonEvent, followEvent, parseCommand, textEvent, unsupportedEvent, type EventOrigin } from '../src/engine/make-event.ts';
import { extractUrls } from '../src/listing/extract-urls.ts';

/*
 * LINE webhook bodies, validated loosely (developers.line.biz/en/reference/messaging-api/#webhook-event-objects):
 * only what Mamori reads is checked; unknown fields and event types pass through to be ignored.
 */
const Source = z.looseObject({ type: z.string(), userId: z.string().optional(), groupId: z.string().optional(), roomId: z.string().optional() });
const Mentionee = z.looseObject({ index: z.number().int().nonnegative(), length: z.number().int().nonnegative(), isSelf: z.boolean().optional(), type: z.string().optional() });
const EventBase = z.looseObject({
  type: z.string(),
  mode: z.string().optional(),
  timestamp: z.number().optional(),
  source: Source.optional(),
  webhookEventId: z.string().min(1).max(128),
  deliveryContext: z.looseObject({ isRedelivery: z.boolean() }).optional(),
  replyToken: z.string().optional(),
});
const MessageContent = z.looseObject({
  type: z.string(),
  text: z.string().optional(),
  mention: z.looseObject({ mentionees: z.array(Mentionee) }).optional(),
});

/** The body LINE posts: `events` may be empty (the console's verification request). */
export const LineCallbackBody = z.looseObject({ destination: z.string().optional(), events: z.array(z.unknown()) });

/** What to do with one LINE event. */
export type LineInbound =
  | {
      kind: 'event';
      eventType: string;
      event: InboundEvent;
      replyToken: string | undefined;
      /** Where a push would go: the user, group or room. */
      to: string;
      isRedelivery: boolean;
    }
  /** Unfollow: delete everything stored about the user. */
  | { kind: 'forget'; eventType: string; userId: string }
  | { kind: 'ignore'; eventType: string; reason: string };

const CONTENT_OF: Readonly<Record<string, (typeof UNSUPPORTED_CONTENT)[number]>> = {
  image: 'photo',
  sticker: 'sticker',
  audio: 'audio',
  video: 'video',
  file: 'file',
  location: 'location',
};

/** Rich menu postbacks carry a slash command (e.g. `/check`): the same as typing it. */
const RICH_MENU_COMMAND = /^\/[a-z]{1,32}$/;

/** The text without the mentions of the bot itself (indexes are UTF-16 offsets). */
function withoutSelfMention(text: string, mentionees: readonly z.infer<typeof Mentionee>[]): string {
  let out = text;
  for (const m of [...mentionees].filter((x) => x.isSelf).sort((a, b) => b.index - a.index)) out = out.slice(0, m.index) + out.slice(m.index + m.length);
  return out.trim();
}

/**
 * Normalises one LINE webhook event into an inbound event built through make-event (which masks card
 * numbers, passwords and codes), or says why it is ignored. `webhookEventId` is the id the advisor
 * deduplicates on (it stays the same when LINE redelivers).
 */
export function lineInboundOf(raw: unknown, receivedAt: number): LineInbound {
  const parsed = EventBase.safeParse(raw);
  const rawType = (raw as { type?: unknown } | null)?.type;
  if (!parsed.success) return { kind: 'ignore', eventType: typeof rawType === 'string' && /^[a-zA-Z]{1,30}$/.test(rawType) ? rawType : 'unknown', reason: 'unexpected-shape' };
  const e = parsed.data;
  const eventType = /^[a-zA-Z]{1,30}$/.test(e.type) ? e.type : 'unknown';
  // Standby: another module of the channel is in charge of this chat (LINE's module channels).
  if (e.mode === 'standby') return { kind: 'ignore', eventType, reason: 'standby' };
  const src = e.source;
  const group = src?.type === 'group' || src?.type === 'room';
  const to = group ? (src?.groupId ?? src?.roomId) : src?.userId;
  if (!src || !to) return { kind: 'ignore', eventType, reason: 'no-source' };
  if (e.type === 'unfollow') return src.userId && !group ? { kind: 'forget', eventType, userId: src.userId } : { kind: 'ignore', eventType, reason: 'no-source' };
  const origin: EventOrigin = { channel: 'line', userId: to, chatType: group ? 'group' : 'private', eventId: e.webhookEventId, receivedAt };
  const base = { kind: 'event' as const, eventType, replyToken: e.replyToken, to, isRedelivery: e.deliveryContext?.isRedelivery ?? false };

  switch (e.type) {
    case 'message': {
      const content = MessageContent.safeParse(e.message);
      if (!content.success) return { kind: 'ignore', eventType, reason: 'unexpected-shape' };
      const m = content.data;
      if (m.type === 'text' && typeof m.text === 'string') {
        if (!group) return { ...base, event: textEvent(origin, m.text) };
        // Groups: commands, mentions of the bot and links; other chatter is not for us.
        const mentioned = m.mention?.mentionees.some((x) => x.isSelf) ?? false;
        if (parseCommand(m.text) || mentioned || extractUrls(m.text).length > 0) {
          return { ...base, event: textEvent(origin, mentioned ? withoutSelfMention(m.text, m.mention!.mentionees) : m.text) };
        }
        return { kind: 'ignore', eventType, reason: 'group-chatter' };
      }
      if (group) return { kind: 'ignore', eventType, reason: 'group-chatter' };
      return { ...base, event: unsupportedEvent(origin, CONTENT_OF[m.type] ?? 'other') };
    }
    case 'postback': {
      const data = (e.postback as { data?: unknown } | undefined)?.data;
      if (typeof data !== 'string' || !data) return { kind: 'ignore', eventType, reason: 'no-data' };
      if (RICH_MENU_COMMAND.test(data)) return { ...base, event: textEvent(origin, data) };
      return { ...base, event: buttonEvent(origin, data) };
    }
    case 'follow':
      return group ? { kind: 'ignore', eventType, reason: 'no-source' } : { ...base, event: followEvent(origin) };
    case 'join':
      // Added to a group or room: the engine answers a group "follow" with a short introduction.
      return { ...base, event: followEvent(origin) };
    default:
      return { kind: 'ignore', eventType, reason: 'not-handled' };
  }
}
