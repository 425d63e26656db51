import { maskSensitive } from '../privacy/mask-sensitive.ts';
import { cleanText, MAX_TEXT_LENGTH } from '../text/normalize-text.ts';
import { InboundEventSchema, type InboundEvent, type UNSUPPORTED_CONTENT } from './inbound-event.ts';

/** Who sent an event and where: the part every channel fills in the same way. */
export interface EventOrigin {
  channel: InboundEvent['channel'];
  userId: string;
  chatType?: 'private' | 'group';
  languageCode?: string;
  eventId?: string;
  receivedAt: number;
}

const COMMAND = /^\/([A-Za-z][A-Za-z0-9_]{0,31})(?:@([A-Za-z0-9_]{1,64}))?(?:\s+([\s\S]*))?$/;

/** A slash command in a text: `/start`, `/start@MamoriBot`, `/check https://…`. */
export function parseCommand(text: string): { command: string; bot?: string; args: string } | null {
  const m = COMMAND.exec(text.normalize('NFKC').trim());
  if (!m) return null;
  return { command: m[1]!.toLowerCase(), ...(m[2] ? { bot: m[2] } : {}), args: (m[3] ?? '').trim() };
}

/**
 * Builds the inbound event for a typed message: a command when it starts with `/`, else text. Sensitive
 * data (card numbers, labelled passwords and one-time codes) is masked here, before the event reaches
 * the step, the store or a log.
 */
export function textEvent(origin: EventOrigin, raw: string): InboundEvent {
  const cleaned = cleanText(raw);
  const command = parseCommand(cleaned);
  if (command) {
    const masked = maskSensitive(command.args);
    return InboundEventSchema.parse({ ...origin, kind: 'command', command: command.command.slice(0, 64), args: masked.text.slice(0, 1000) });
  }
  const masked = maskSensitive(cleaned);
  return InboundEventSchema.parse({ ...origin, kind: 'text', text: masked.text.slice(0, MAX_TEXT_LENGTH), sensitive: masked.found });
}

/** Builds the event for a button press (Telegram callback_data, LINE postback data, web chip). */
export function buttonEvent(origin: EventOrigin, payload: string): InboundEvent {
  return InboundEventSchema.parse({ ...origin, kind: 'button', payload: payload.slice(0, 300) });
}

/** Builds the event for content we cannot read (photo, sticker, …). */
export function unsupportedEvent(origin: EventOrigin, content: (typeof UNSUPPORTED_CONTENT)[number]): InboundEvent {
  return InboundEventSchema.parse({ ...origin, kind: 'unsupported', content });
}

/** Builds the event for a new contact (LINE follow). */
export function followEvent(origin: EventOrigin): InboundEvent {
  return InboundEventSchema.parse({ ...origin, kind: 'follow' });
}
