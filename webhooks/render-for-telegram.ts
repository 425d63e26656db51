import type { InlineKeyboardButton, InlineKeyboardMarkup } from 'telegraf/types';
import { decodePayload } from '../src/engine/button-payload.ts';
import { buttonsOf, type Reply, type ReplyButton, type VerdictLevel } from '../src/engine/reply.ts';
import { splitText } from './split-text.ts';

/** Bot API limits (core.telegram.org/bots/api; platform-facts.md). */
export const TELEGRAM_LIMITS = {
  /** sendMessage text, 1–4096 characters after entity parsing. */
  textLength: 4096,
  /** callback_data, 1–64 bytes. */
  callbackDataBytes: 64,
  /** Inline keyboard buttons per message (about 100) and per row (8). */
  buttons: 100,
  buttonsPerRow: 8,
} as const;

/** One sendMessage payload (without chat_id). */
export interface TelegramOutgoing {
  text: string;
  parse_mode: 'HTML';
  /** Previews off: a preview of a suspicious link would make it look trustworthy (and fetch it). */
  link_preview_options: { is_disabled: true };
  reply_markup?: InlineKeyboardMarkup;
}

const LEVEL_MARK: Record<VerdictLevel, string> = { danger: '🔴', high: '🟠', medium: '🟡', low: '🟢', unknown: '⚪' };

/** Escapes text for parse_mode HTML (only these three are special there). */
export function escapeHtml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * We measure the HTML source, which is never shorter than the text Telegram counts after parsing, and
 * keep a margin, so a message can never be refused for length.
 */
const MAX_HTML = TELEGRAM_LIMITS.textLength - 96;
const escapedLength = (s: string) => escapeHtml(s).length;

/** Navigation actions of the engine's payloads (step.ts navButtons): kept together on the last row. */
const NAV_ACTIONS = new Set(['b', 'm', 'r']);
/** Rough display width of a row: East Asian characters count double. */
const ROW_WIDTH = 30;
const MAX_PER_ROW = 3;
/** Code point ranges shown double width: Hangul Jamo, CJK, Hangul, compatibility and full-width forms, emoji. */
const WIDE: ReadonlyArray<readonly [number, number]> = [
  [0x1100, 0x115f],
  [0x2e80, 0xa4cf],
  [0xac00, 0xd7a3],
  [0xf900, 0xfaff],
  [0xfe30, 0xfe4f],
  [0xff00, 0xff60],
  [0xffe0, 0xffe6],
  [0x1f000, 0x1faff],
];
/**
 * Per code point, by index: no regular expression, no string per character and no callback per character (it
 * runs for every button of every reply, and iterating a Japanese label with for…of made a string per character).
 */
export function displayWidth(s: string): number {
  let w = 0;
  for (let i = 0; i < s.length; i++) {
    const c = s.codePointAt(i)!;
    if (c > 0xffff) i++;
    let wide = false;
    if (c >= 0x1100) {
      for (let k = 0; k < WIDE.length && !wide; k++) wide = c >= WIDE[k]![0] && c <= WIDE[k]![1];
    }
    w += wide ? 2 : 1;
  }
  return w;
}

/**
 * How many answers go in a row: the most (at most 3) for which every row fits ROW_WIDTH. All rows of answers
 * get that many (the last may have fewer), so options of one question look alike: packing greedily would pair
 * the last two short options of a question and leave the first ones alone, as if they belonged together.
 */
function answersPerRow(widths: readonly number[]): number {
  for (let perRow = Math.min(MAX_PER_ROW, widths.length); perRow > 1; perRow--) {
    let fits = true;
    for (let i = 0; i < widths.length && fits; i += perRow) fits = widths.slice(i, i + perRow).reduce((a, w) => a + w, 0) <= ROW_WIDTH;
    if (fits) return perRow;
  }
  return 1;
}

/**
 * Lays buttons out in rows: answers in rows of equal count (at most 3 a row, one a row when labels are long),
 * then back / menu / start over together on the last row, so a sentence-long option is never squeezed.
 * Buttons whose payload would exceed 64 bytes are left out (the engine never makes such payloads).
 */
export function inlineKeyboardFor(buttons: readonly ReplyButton[]): InlineKeyboardMarkup | undefined {
  const usable = buttons.filter((b) => Buffer.byteLength(b.payload, 'utf8') <= TELEGRAM_LIMITS.callbackDataBytes && b.payload.length > 0).slice(0, TELEGRAM_LIMITS.buttons);
  if (!usable.length) return undefined;
  const navs = new Set(usable.filter((b) => NAV_ACTIONS.has(decodePayload(b.payload)?.action ?? '')));
  const isNav = (b: ReplyButton) => navs.has(b);
  const toButton = (b: ReplyButton): InlineKeyboardButton.CallbackButton => ({ text: b.label, callback_data: b.payload });
  const rows: InlineKeyboardButton[][] = [];
  const answers = usable.filter((x) => !isNav(x));
  const perRow = answersPerRow(answers.map((b) => displayWidth(b.label) + 4));
  for (let i = 0; i < answers.length; i += perRow) rows.push(answers.slice(i, i + perRow).map(toButton));
  const nav = usable.filter(isNav).map(toButton);
  for (let i = 0; i < nav.length; i += MAX_PER_ROW) rows.push(nav.slice(i, i + MAX_PER_ROW));
  return { inline_keyboard: rows };
}

/** HTML pieces for one reply, each within the length limit. */
function piecesOf(reply: Reply): string[] {
  switch (reply.kind) {
    case 'text':
      return splitText(reply.text, MAX_HTML, escapedLength).map(escapeHtml);
    case 'verdict': {
      const head = `${LEVEL_MARK[reply.level]} <b>${escapeHtml(reply.title)}</b>`;
      const body = reply.lines.join('\n');
      if (!body) return [head];
      const chunks = splitText(body, MAX_HTML - head.length - 1, escapedLength);
      return chunks.map((c, i) => (i === 0 ? `${head}\n${escapeHtml(c)}` : escapeHtml(c)));
    }
    case 'summary': {
      // A <pre> block: Telegram shows it in monospace with a copy button, so the evidence summary can be
      // pasted into a police or 188 consultation form as it is.
      const head = `<b>${escapeHtml(reply.title)}</b>`;
      const chunks = splitText(reply.text, MAX_HTML - head.length - 12, escapedLength);
      return chunks.map((c, i) => `${i === 0 ? `${head}\n` : ''}<pre>${escapeHtml(c)}</pre>`);
    }
    default:
      reply satisfies never;
      return [];
  }
}

/**
 * Turns the engine's replies into Telegram sendMessage payloads: consecutive replies merged into as few
 * messages as fit (Telegram allows about one message a second per chat), verdicts marked by a coloured
 * circle, the evidence summary as a copyable block, and the buttons as an inline keyboard under the last
 * message.
 */
export function renderForTelegram(replies: readonly Reply[]): TelegramOutgoing[] {
  const texts: string[] = [];
  for (const piece of replies.flatMap(piecesOf)) {
    if (!piece.trim()) continue;
    const last = texts.length - 1;
    if (last >= 0 && texts[last]!.length + 2 + piece.length <= MAX_HTML) texts[last] = `${texts[last]}\n\n${piece}`;
    else texts.push(piece);
  }
  if (!texts.length) return [];
  const keyboard = inlineKeyboardFor(buttonsOf(replies));
  return texts.map((text, i) => ({
    text,
    parse_mode: 'HTML' as const,
    link_preview_options: { is_disabled: true as const },
    ...(keyboard && i === texts.length - 1 ? { reply_markup: keyboard } : {}),
  }));
}
