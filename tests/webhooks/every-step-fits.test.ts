// Every reply the shipped guides can give, in both languages, through both renderers: within Telegram's and
// LINE's limits, and with nothing silently cut (a button label shortened with "…", a button or a card line
// left out). The conversation graph is walked from every command by pressing every button and typing an
// answer at every question and link request, as a user would.
import { describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/engine/button-payload.ts';
import { buttonEvent, textEvent } from '../../src/engine/make-event.ts';
import { MAX_TEXT_ANSWER } from '../../src/engine/parse-answer.ts';
import { buttonsOf, type Reply } from '../../src/engine/reply.ts';
import type { Session } from '../../src/engine/session.ts';
import { step, type AdvisorContext, type LinkFinding, type StepResult } from '../../src/engine/step.ts';
import { assessSellerRisk } from '../../src/listing/assess-seller-risk.ts';
import { sellerSignalsInText } from '../../src/listing/describe-seller.ts';
import { checkText } from '../../src/listing/classify-url.ts';
import { loadContent } from '../../src/runtime.ts';
import { LINE_LIMITS, renderForLine } from '../../webhooks/render-for-line.ts';
import { renderForTelegram, TELEGRAM_LIMITS } from '../../webhooks/render-for-telegram.ts';
import { expectWithinLineLimits, expectWithinTelegramLimits } from './platform-limits.ts';

const { flows, locales } = loadContent();
const ctx: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk, describeSeller: sellerSignalsInText };
let clock = Date.UTC(2026, 10, 22, 3);
const origin = () => ({ channel: 'telegram' as const, userId: 'u1', receivedAt: clock++ });
const NAV = new Set(['b', 'm', 'r']);

/** The longest answer a text question accepts, full of links (each grows when the summary defangs it). */
const LONG_ANSWER = 'https://a.b.c.d/e.f '.repeat(40).slice(0, MAX_TEXT_ANSWER).trim();
/** Typed answers by input kind: the longest accepted text, and numbers that make the seller card long. */
const TYPED: Record<string, string[]> = {
  text: [LONG_ANSWER],
  date: [LONG_ANSWER],
  yen: ['3000'],
  count: ['3'],
  percent: ['60'],
  years: ['3'],
  url: ['https://www.amazon.co.jp/dp/B0C1234567'],
};
/** What people paste at a link request: each kind of link, more links than the cards shown, and a description with every fact. */
const PASTED = [
  '相場は3万円の商品が2,980円で出品されていて、中国から発送、評価が2件、最後の評価が2015年、3万点も出品している新規出品者で、LINEで連絡してほしいと言われました',
  'https://amazon-co-jp.secure-verify.top/signin',
  'https://www.amazon.co.jp/dp/B0C1234567',
  'https://www.amazon.co.jp/gp/help/customer/display.html',
  'https://amzn.to/3abcDEF',
  'https://bit.ly/3abcDEF',
  'https://jp.mercari.com/item/m12345678901',
  'https://example.com/shop',
  'Amazonです https://amaz0n-co-jp.example.top/a https://amazon.co.jp.account-verify.xyz/b https://bit.ly/x1 https://secure-amazon.example/c',
];

function send(session: Session | null, input: { text: string } | { payload: string }): StepResult {
  if ('payload' in input) return step(ctx, session, { event: buttonEvent(origin(), input.payload) });
  const links = checkText(input.text) as unknown as LinkFinding[];
  return step(ctx, session, { event: textEvent(origin(), input.text), links });
}

const problems: string[] = [];
let rendered = 0;
/** Steps the walk stood at (`flow/step`), to show it covers every guide. */
const visited = new Set<string>();

/** Renders one answer for both platforms and checks every limit (and that nothing had to be cut). */
function checkRendering(replies: readonly Reply[], where: string): void {
  if (!replies.length) return;
  rendered++;
  const buttons = buttonsOf(replies);
  for (const b of buttons) {
    if ([...b.label].length > LINE_LIMITS.labelLength) problems.push(`${where}: button label over ${LINE_LIMITS.labelLength} characters (LINE cuts it): 「${b.label}」`);
    if (Buffer.byteLength(b.payload) > TELEGRAM_LIMITS.callbackDataBytes) problems.push(`${where}: payload over 64 bytes: ${b.payload}`);
  }
  if (buttons.length > LINE_LIMITS.quickReplyItems) problems.push(`${where}: ${buttons.length} buttons, LINE shows ${LINE_LIMITS.quickReplyItems}`);
  for (const r of replies) {
    if (r.kind !== 'verdict') continue;
    // render-for-line keeps 30 lines of a card, each cut at 500 characters.
    if (r.lines.filter((l) => l.trim()).length > 30) problems.push(`${where}: a card of ${r.lines.length} lines (LINE shows 30)`);
    for (const l of r.lines) if (l.trim().length > 500) problems.push(`${where}: a card line over 500 characters`);
  }

  const telegram = renderForTelegram(replies);
  expect(telegram.length, where).toBeGreaterThan(0);
  for (const m of telegram) expectWithinTelegramLimits({ method: 'sendMessage', via: 'api', token: '', at: 0, payload: { chat_id: 1, ...m } });
  const keyboard = telegram[telegram.length - 1]!.reply_markup?.inline_keyboard.flat() ?? [];
  expect(keyboard.length, `${where}: every button on Telegram`).toBe(buttons.length);

  const line = renderForLine(replies);
  expectWithinLineLimits(line);
  const quick = line[line.length - 1]!.quickReply?.items ?? [];
  expect(quick.length, `${where}: every button on LINE`).toBe(Math.min(buttons.length, LINE_LIMITS.quickReplyItems));
  // Every card stays a Flex bubble (render-for-line turns cards into plain text only when five messages cannot hold them).
  const bubbles = line.flatMap((m) => (m.type === 'flex' ? (m.contents.type === 'carousel' ? m.contents.contents : [m.contents]) : []));
  if (bubbles.length !== replies.filter((r) => r.kind === 'verdict').length) problems.push(`${where}: a card shown as plain text on LINE`);
  // render-for-line only truncates a text (ending it with "…") when five messages cannot hold the answer.
  const endsCut = (t: string) => t.endsWith('…');
  if (line.some((m) => m.type === 'text' && endsCut(m.text)) && !replies.some((r) => r.kind !== 'verdict' && endsCut(r.text))) problems.push(`${where}: LINE text cut short`);
}

/** A position worth expanding once: where the user is, in which language, and (inside the seller questions) the answers so far. */
function keyOf(s: Session | null): string {
  if (!s) return 'none';
  const inSellerQuestions = s.at?.flow === 'check' && s.at.step.startsWith('q-');
  return JSON.stringify([s.lang, s.at ?? null, s.confirmForget ?? false, inSellerQuestions ? s.ans : null]);
}

function explore(lang: 'ja' | 'en'): void {
  const starts: StepResult[] = [];
  const base = lang === 'en' ? send(null, { text: '/lang en' }) : send(null, { text: '/start' });
  checkRendering(base.replies, `${lang} first message`);
  for (const command of ['/start', '/menu', '/check', '/secure', '/report', '/scams', '/help', '/lang', '/reset', '/forget']) {
    const r = send(base.session, { text: command });
    checkRendering(r.replies, `${lang} ${command}`);
    starts.push(r);
  }
  const queue: Array<{ result: StepResult; path: string }> = starts.map((result, i) => ({ result, path: `${lang} start ${i}` }));
  const seen = new Set<string>();
  while (queue.length) {
    const { result, path } = queue.shift()!;
    const s = result.session;
    const key = keyOf(s);
    if (seen.has(key)) continue;
    seen.add(key);
    if (s?.at) visited.add(`${s.at.flow}/${s.at.step}`);
    if (seen.size > 20_000) throw new Error('the walk does not end');
    const next: Array<{ input: { text: string } | { payload: string }; label: string }> = [];
    const at = s?.at && flows.byId.get(s.at.flow)?.steps[s.at.step];
    // Typed answers first, so the walk reaches the summaries with the longest answers.
    if (at?.type === 'question') for (const text of TYPED[at.input] ?? []) next.push({ input: { text }, label: `typed ${text.slice(0, 20)}` });
    if (at?.type === 'link-check') for (const text of PASTED) next.push({ input: { text }, label: `pasted ${text.slice(0, 40)}` });
    const inSellerQuestions = s?.at?.flow === 'check' && s.at.step.startsWith('q-');
    for (const b of buttonsOf(result.replies)) {
      if (inSellerQuestions && NAV.has(decodePayload(b.payload)?.action ?? '')) continue;
      next.push({ input: { payload: b.payload }, label: b.label });
    }
    for (const n of next) {
      const r = send(s, n.input);
      const where = `${path} → ${n.label}`;
      checkRendering(r.replies, where);
      if (r.session) queue.push({ result: r, path: where.length > 400 ? where.slice(-400) : where });
    }
  }
}

describe('every reply of the shipped guides on Telegram and LINE', () => {
  it.each(['ja', 'en'] as const)('fits the platforms\' limits, cutting nothing (%s)', (lang) => {
    problems.length = 0;
    rendered = 0;
    visited.clear();
    explore(lang);
    expect(rendered).toBeGreaterThan(500);
    // The walk stood at every step that waits for the user (summaries end a guide at once, so it never stands there).
    const waiting = flows.ordered.flatMap((f) => Object.entries(f.steps).filter(([, st]) => st.type !== 'summary').map(([id]) => `${f.id}/${id}`));
    expect(waiting.filter((id) => !visited.has(id))).toEqual([]);
    expect(problems).toEqual([]);
  });
});
