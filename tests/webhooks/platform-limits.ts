import { expect } from 'vitest';
import type { LineCall } from '../support/fake-line-api.ts';
import type { TelegramCall } from '../support/fake-telegram-api.ts';

/** Visible text of a parse_mode HTML message (what Telegram counts after entity parsing). */
const visible = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Checks one recorded Bot API call against Telegram's limits: text 1–4096 characters (sent or edited; we hold the raw
 * HTML to that, which is stricter), callback_data 1–64 bytes, at most 100 buttons and 8 per row,
 * answerCallbackQuery text at most 200 characters.
 */
export function expectWithinTelegramLimits(call: TelegramCall): void {
  const p = call.payload;
  if (call.method === 'sendMessage' || call.method === 'editMessageText') {
    expect(typeof p.text).toBe('string');
    expect(visible(p.text).trim().length).toBeGreaterThan(0);
    expect(p.text.length).toBeLessThanOrEqual(4096);
    expect(visible(p.text).length).toBeLessThanOrEqual(4096);
  }
  // An edit names the message it replaces (chat and message id), never an inline message id.
  if (call.method === 'editMessageText' || call.method === 'editMessageReplyMarkup') {
    expect(typeof p.chat_id).toBe('number');
    expect(Number.isInteger(p.message_id)).toBe(true);
  }
  if (call.method === 'answerCallbackQuery' && p.text !== undefined) expect(String(p.text).length).toBeLessThanOrEqual(200);
  const rows = p.reply_markup?.inline_keyboard as Array<Array<{ text: string; callback_data?: string }>> | undefined;
  if (rows) {
    expect(rows.flat().length).toBeLessThanOrEqual(100);
    for (const row of rows) {
      expect(row.length).toBeGreaterThan(0);
      expect(row.length).toBeLessThanOrEqual(8);
      for (const b of row) {
        expect(b.text.length).toBeGreaterThan(0);
        expect(Buffer.byteLength(b.callback_data ?? '', 'utf8')).toBeGreaterThan(0);
        expect(Buffer.byteLength(b.callback_data ?? '', 'utf8')).toBeLessThanOrEqual(64);
      }
    }
  }
}

function expectFlexWithin(contents: any): void {
  if (contents.type === 'carousel') {
    expect(contents.contents.length).toBeGreaterThan(0);
    expect(contents.contents.length).toBeLessThanOrEqual(12);
    for (const b of contents.contents) expectFlexWithin(b);
    return;
  }
  expect(contents.type).toBe('bubble');
  expect(Buffer.byteLength(JSON.stringify(contents))).toBeLessThanOrEqual(30_000);
  const texts = JSON.stringify(contents).match(/"type":"text","text":"/g) ?? [];
  expect(texts.length).toBeGreaterThan(0);
}

/**
 * Checks the messages of one LINE reply or push: 1–5 messages, text at most 5000 UTF-16 units, quick
 * reply at most 13 items with labels of at most 20 characters, postback data and displayText at most
 * 300, Flex altText at most 400 (and carousels at most 12 bubbles).
 */
export function expectWithinLineLimits(messages: any[]): void {
  expect(messages.length).toBeGreaterThan(0);
  expect(messages.length).toBeLessThanOrEqual(5);
  messages.forEach((m, i) => {
    if (m.type === 'text') {
      expect(m.text.length).toBeGreaterThan(0);
      expect(m.text.length).toBeLessThanOrEqual(5000);
    } else if (m.type === 'flex') {
      expect(m.altText.length).toBeGreaterThan(0);
      expect(m.altText.length).toBeLessThanOrEqual(400);
      expectFlexWithin(m.contents);
    } else {
      throw new Error(`unexpected message type ${m.type}`);
    }
    if (m.quickReply) {
      expect(i).toBe(messages.length - 1);
      const items = m.quickReply.items as any[];
      expect(items.length).toBeGreaterThan(0);
      expect(items.length).toBeLessThanOrEqual(13);
      for (const it of items) {
        expect(it.type).toBe('action');
        const a = it.action;
        expect([...a.label].length).toBeLessThanOrEqual(20);
        expect(a.label.length).toBeGreaterThan(0);
        if (a.type === 'postback') {
          expect(a.data.length).toBeGreaterThan(0);
          expect(a.data.length).toBeLessThanOrEqual(300);
          expect(a.displayText.length).toBeLessThanOrEqual(300);
        }
      }
    }
  });
}

/** Every message-carrying call a fake LINE API received. */
export function expectAllLineCallsWithinLimits(calls: readonly LineCall[]): void {
  for (const c of calls) if (c.path === '/v2/bot/message/reply' || c.path === '/v2/bot/message/push') expectWithinLineLimits(c.body.messages);
}

export function expectAllTelegramCallsWithinLimits(calls: readonly TelegramCall[]): void {
  for (const c of calls) expectWithinTelegramLimits(c);
}
