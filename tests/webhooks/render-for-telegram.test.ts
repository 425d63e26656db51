import { describe, expect, it } from 'vitest';
import { encodePayload } from '../../src/engine/button-payload.ts';
import type { Reply } from '../../src/engine/reply.ts';
import { displayWidth, escapeHtml, inlineKeyboardFor, renderForTelegram } from '../../webhooks/render-for-telegram.ts';
import type { TelegramCall } from '../support/fake-telegram-api.ts';
import { expectWithinTelegramLimits } from './platform-limits.ts';

const asCall = (payload: Record<string, unknown>): TelegramCall => ({ method: 'sendMessage', via: 'api', token: 't', payload, at: 0 });
const b = (label: string, action: string) => ({ label, payload: encodePayload('k3x9a', 41, action) });

describe('renderForTelegram', () => {
  it('merges consecutive replies into one message and puts the keyboard under the last', () => {
    const out = renderForTelegram([
      { kind: 'text', text: '注意 <script>&' },
      { kind: 'text', text: '次へ進みますか？', buttons: [b('はい', 'o0'), b('いいえ', 'o1'), b('戻る', 'b'), b('メニュー', 'm'), b('最初から', 'r')] },
    ]);
    expect(out).toHaveLength(1);
    expect(out[0]!.text).toBe('注意 &lt;script&gt;&amp;\n\n次へ進みますか？');
    expect(out[0]!.parse_mode).toBe('HTML');
    const rows = out[0]!.reply_markup!.inline_keyboard;
    // Answers first, then back / menu / start over together on the last row.
    expect(rows.at(-1)!.map((x) => x.text)).toEqual(['戻る', 'メニュー', '最初から']);
    expect(rows.flat().map((x) => x.text)).toEqual(['はい', 'いいえ', '戻る', 'メニュー', '最初から']);
    expectWithinTelegramLimits(asCall({ ...out[0] }));
  });

  it('marks verdicts by level and shows the summary as a copyable <pre> block', () => {
    const out = renderForTelegram([
      { kind: 'verdict', level: 'danger', title: 'Amazonを装ったリンク', lines: ['• ドメインが違います'] },
      { kind: 'summary', title: '相談用のまとめ', text: 'いつ: 2026-11-01\n金額: 12,800円 <税込>' },
    ]);
    const text = out.map((m) => m.text).join('\n');
    expect(text).toContain('🔴 <b>Amazonを装ったリンク</b>');
    expect(text).toContain('<pre>いつ: 2026-11-01\n金額: 12,800円 &lt;税込&gt;</pre>');
  });

  it('splits a text over 4096 characters (even full of characters that need escaping) and stays within limits', () => {
    const long = Array.from({ length: 400 }, (_, i) => `行${i}: <&>"' ${'詐'.repeat(20)}`).join('\n');
    const replies: Reply[] = [
      { kind: 'text', text: long },
      { kind: 'summary', title: 'まとめ', text: long },
      { kind: 'verdict', level: 'high', title: 't', lines: long.split('\n') },
      { kind: 'text', text: '&'.repeat(5000), buttons: [b('OK', 'n')] },
    ];
    const out = renderForTelegram(replies);
    expect(out.length).toBeGreaterThan(4);
    for (const m of out) expectWithinTelegramLimits(asCall({ ...m }));
    // Every <pre> opened is closed in the same message.
    for (const m of out) expect(m.text.split('<pre>').length).toBe(m.text.split('</pre>').length);
    expect(out.filter((m) => m.reply_markup)).toHaveLength(1);
    expect(out.at(-1)!.reply_markup).toBeDefined();
  });

  it('drops buttons whose payload would exceed 64 bytes and caps rows at 3', () => {
    const kb = inlineKeyboardFor([...Array.from({ length: 13 }, (_, i) => b(`${i}`, `o${i % 10}`)), { label: 'long', payload: 'x'.repeat(65) }])!;
    expect(kb.inline_keyboard.flat()).toHaveLength(13);
    for (const row of kb.inline_keyboard) expect(row.length).toBeLessThanOrEqual(3);
    expect(inlineKeyboardFor([])).toBeUndefined();
  });

  it('gives every row of answers the same number of buttons, so no two options look paired', () => {
    const rows = (labels: string[]) =>
      inlineKeyboardFor([...labels.map((l, i) => b(l, `o${i}`)), b('Back', 'b'), b('Menu', 'm'), b('Start over', 'r')])!.inline_keyboard.map((r) => r.map((x) => x.text));
    // Three options where only the last two would fit side by side: one a row, not [Yes…] / [Missing… | Not sure].
    expect(rows(['Yes, looks normal', 'Missing or odd', 'Not sure'])).toEqual([['Yes, looks normal'], ['Missing or odd'], ['Not sure'], ['Back', 'Menu', 'Start over']]);
    expect(rows(['Amazonが発送', '出品者が発送', '海外から発送', 'わからない']).slice(0, 4)).toEqual([['Amazonが発送'], ['出品者が発送'], ['海外から発送'], ['わからない']]);
    expect(rows(['Nothing', 'My password', 'My card details', 'Both / not sure']).slice(0, 4)).toEqual([['Nothing'], ['My password'], ['My card details'], ['Both / not sure']]);
    // Short options still share rows, filled from the top.
    expect(rows(['Yes', 'No', 'Not sure'])[0]).toEqual(['Yes', 'No', 'Not sure']);
    expect(rows(['はい', 'いいえ', 'わからない']).slice(0, 2)).toEqual([['はい', 'いいえ'], ['わからない']]);
    expect(rows(['できた', 'あとで'])[0]).toEqual(['できた', 'あとで']);
  });

  it('escapes only what HTML parse mode needs', () => {
    expect(escapeHtml('a<b>&"c\'')).toBe('a&lt;b&gt;&amp;"c\'');
  });

  it('renders nothing for no replies', () => {
    expect(renderForTelegram([])).toEqual([]);
  });
});

describe('displayWidth', () => {
  it('counts East Asian characters and emoji double, everything else single, one per code point', () => {
    expect(displayWidth('')).toBe(0);
    expect(displayWidth('Menu')).toBe(4);
    expect(displayWidth('はい')).toBe(4);
    expect(displayWidth('２段階認証')).toBe(10);
    expect(displayWidth('ｶﾀｶﾅ')).toBe(4); // half-width katakana (U+FF61–FF9F) is narrow
    expect(displayWidth('한글')).toBe(4);
    // An emoji outside the BMP is one code point (a surrogate pair), shown double.
    expect(displayWidth('🔴')).toBe(2);
    expect(displayWidth('a🔴b')).toBe(4);
    // A lone surrogate counts as one narrow character and does not swallow the next one.
    expect(displayWidth('\uD83Dx')).toBe(2);
    expect(displayWidth('é')).toBe(1);
  });
});
