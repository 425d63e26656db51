import { z } from 'zod';
import type { Language } from '../engine/locales.ts';
import type { Reply } from '../engine/reply.ts';

/**
 * The web chat's JSON API, shared by the server (src/web/web-chat-plugin.ts) and the page (web/chat.ts,
 * which imports only the types). Request bodies are validated with these schemas; anything else is a 400.
 */

/** Longest message the page may send: 4,000 characters keep a Japanese text (3 bytes each) under the 16 KB body limit. */
export const MAX_WEB_TEXT_LENGTH = 4000;
/** Body limit of every API request, in bytes (larger → 413). */
export const WEB_BODY_LIMIT = 16 * 1024;

/** A client-made id for one message, so a double submit is recognised as the same event. */
const RequestId = z.string().regex(/^[A-Za-z0-9_-]{8,64}$/);
const Lang = z.enum(['ja', 'en']);

/** `POST /api/chat/start`: opens (or reopens) the conversation. */
export const StartBody = z.strictObject({ lang: Lang.optional() });

/** `POST /api/chat/message`: a typed text (a pasted URL is text too), a pressed chip, or a language switch. */
export const MessageBody = z.union([
  z.strictObject({ id: RequestId.optional(), text: z.string().min(1).max(MAX_WEB_TEXT_LENGTH) }),
  z.strictObject({ id: RequestId.optional(), button: z.string().min(1).max(64) }),
  z.strictObject({ id: RequestId.optional(), lang: Lang }),
]);
export type MessageBody = z.infer<typeof MessageBody>;

/** `GET /api/chat/strings?lang=…`: the page's own texts (the `web.*` locale keys). */
export const StringsQuery = z.strictObject({ lang: Lang.default('ja') });

/** A successful answer: the advisor's replies in the engine's neutral shape, and the conversation's language. */
export interface WebChatAnswer {
  replies: Reply[];
  lang: Language;
  /** The user's text as the advisor received it (card numbers, passwords and codes masked): show this, not the raw input. */
  echo?: string;
  /** The user confirmed /forget: everything stored was deleted and the cookie cleared; the page drops its transcript too. */
  forgotten?: boolean;
  /** The same message (same id) was already answered; nothing new to show. */
  duplicate?: boolean;
  /** Whether this answer opened a new conversation (a new cookie). */
  fresh?: boolean;
}

/** Every error the API answers with, by its stable code, with its HTTP status. */
export const WEB_ERRORS = {
  'bad-request': 400,
  'bad-json': 400,
  'no-session': 401,
  'invalid-session': 401,
  'cross-site': 403,
  'not-found': 404,
  'in-flight': 409,
  'too-large': 413,
  'unsupported-media-type': 415,
  'rate-limited': 429,
  fault: 500,
  unavailable: 503,
  timeout: 503,
} as const satisfies Record<string, number>;
export type WebErrorCode = keyof typeof WEB_ERRORS;

/** An error answer. `reason` is for developers (English); the page shows its own localised text for `error`. */
export interface WebChatError {
  error: WebErrorCode;
  reason: string;
  /** After a fault: the user's menu, so they can go on. */
  replies?: Reply[];
}

/** `GET /api/chat/strings` answer. */
export interface WebStrings {
  lang: Language;
  strings: Record<string, string>;
}
