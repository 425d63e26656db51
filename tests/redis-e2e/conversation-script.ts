/**
 * A scripted Telegram conversation through the shipped guides, pressing real buttons (callback_data read
 * from the previous message's keyboard) and typing answers, with the step each action must land on. Used by
 * the alternating-instances test (same transcript as one instance) and the Redis Cluster test.
 */
import { expect } from 'vitest';
import { escapeHtml } from '../../webhooks/render-for-telegram.ts';
import { loadContent } from '../../src/runtime.ts';
import type { PostResult, SentMessage, TgConversation, TgEndpoint } from './support.ts';

const content = loadContent();
export const JA: Readonly<Record<string, string>> = content.locales.ja;

export type ScriptAction =
  | { text: string; expect?: Expect }
  | { press: string; on?: string; expect?: Expect }
  /** Remembers the newest keyboard under a name, to press an old button later. */
  | { mark: string };

/** What the answer must show: a step of a guide (its text), or a locale text (the part before any `{var}`). */
export type Expect = { step: `${string}/${string}`; item?: number } | { says: string };

/** The ja text an answer at this step starts its last message with (checklists: the item's text). */
export function stepText(step: `${string}/${string}`, item = 0): string {
  const [flowId, stepId] = step.split('/') as [string, string];
  const s = content.flows.byId.get(flowId)?.steps[stepId];
  if (!s) throw new Error(`no step ${step}`);
  const key = s.type === 'checklist' ? s.items[item]!.text : s.text;
  return JA[key]!;
}

function expectedFragment(e: Expect): string {
  const raw = 'step' in e ? stepText(e.step, e.item) : (JA[e.says] ?? e.says);
  // The part before the first variable, as it looks in Telegram HTML.
  return escapeHtml(raw.split('{')[0]!.trim().slice(0, 60));
}

/** Checks an answer against what the script expects. */
export function expectAnswer(r: PostResult, e: Expect | undefined, what: string): void {
  expect(r.status, what).toBe(200);
  expect(r.messages.length, `${what}: some message sent`).toBeGreaterThan(0);
  const all = r.messages.map((m) => m.text).join('\n\n');
  expect(all, `${what}: no apology`).not.toContain(escapeHtml(JA['error.apology']!));
  if (e) expect(all, `${what}: shows ${JSON.stringify(e)}`).toContain(expectedFragment(e));
  if (!(e && 'says' in e && e.says === 'button.expired')) expect(all, `${what}: nothing expired`).not.toContain(escapeHtml(JA['button.expired']!));
}

/** Runs `script` on `conv`, the i-th update on `endpointFor(i)`, checking each answer; returns the results. */
export async function runScript(conv: TgConversation, script: readonly ScriptAction[], endpointFor: (i: number) => TgEndpoint): Promise<PostResult[]> {
  const marks = new Map<string, SentMessage>();
  const results: PostResult[] = [];
  let n = 0;
  for (const action of script) {
    if ('mark' in action) {
      marks.set(action.mark, conv.lastKeyboard());
      continue;
    }
    const ep = endpointFor(n++);
    const what = `action ${n} (${'text' in action ? `text ${action.text}` : `press ${action.press}`}) on ${ep.name}`;
    let r: PostResult;
    if ('text' in action) r = await conv.text(ep, action.text);
    else {
      const on = action.on === undefined ? undefined : marks.get(action.on);
      if (action.on !== undefined && !on) throw new Error(`no mark ${action.on}`);
      r = await conv.press(ep, action.press, on);
    }
    expectAnswer(r, action.expect, what);
    results.push(r);
  }
  return results;
}

/**
 * Through two guides to their summaries: the scam guide (points with back, menu and resume, a typed
 * "次へ", then the quiz) and the incident guide's evidence summary (typed answers and a skip), then an
 * old button (expired), a language switch, and the menu.
 */
export const FULL_CONVERSATION: readonly ScriptAction[] = [
  { text: '/start', expect: { says: 'start.greeting' } },
  { press: 'scams.title', expect: { step: 'scams/intro' } },
  { press: 'scams.intro.flags', expect: { step: 'scams/flag-1' } },
  { mark: 'flag-1' },
  { press: 'scams.flag.next', expect: { step: 'scams/flag-2' } },
  { press: 'nav.back', expect: { step: 'scams/flag-1' } },
  { press: 'scams.flag.next', expect: { step: 'scams/flag-2' } },
  { press: 'nav.menu', expect: { says: 'menu.text' } },
  { press: 'menu.resume', expect: { step: 'scams/flag-2' } },
  { text: '次へ', expect: { step: 'scams/flag-3' } },
  { press: 'scams.flag.next', expect: { step: 'scams/flag-4' } },
  { press: 'scams.flag.next', expect: { step: 'scams/flag-5' } },
  { press: 'scams.flag.next', expect: { step: 'scams/flag-6' } },
  { text: 'zzz', expect: { says: 'text.use-buttons' } },
  { press: 'scams.flag.next', expect: { step: 'scams/flag-7' } },
  { press: 'nav.next', expect: { step: 'scams/flags-done' } },
  { press: 'scams.flags-done.quiz', expect: { step: 'scams/q1' } },
  { press: 'scams.q1.pass', expect: { step: 'scams/q1-right' } },
  { press: 'nav.next', expect: { step: 'scams/q2' } },
  { press: 'scams.q2.pay', expect: { step: 'scams/q2-wrong' } },
  { press: 'nav.back', expect: { step: 'scams/q2' } },
  { press: 'scams.q2.stop', expect: { step: 'scams/q2-right' } },
  { press: 'nav.next', expect: { step: 'scams/q3' } },
  { text: '3', expect: { step: 'scams/q3-right' } },
  { press: 'nav.next', expect: { step: 'scams/q4' } },
  { press: 'scams.q4.hijacked', expect: { step: 'scams/q4-right' } },
  { press: 'nav.next', expect: { says: 'menu.after-guide' } },
  { press: 'incident.title', expect: { step: 'incident/what' } },
  { press: 'incident.what.summary', expect: { step: 'incident/ev-when' } },
  { text: '2024年5月1日ごろ', expect: { step: 'incident/ev-what' } },
  { text: '知らない注文があった', expect: { step: 'incident/ev-ref' } },
  { press: 'incident.skip', expect: { step: 'incident/ev-amount' } },
  { text: 'たぶん', expect: { says: 'answer.invalid.yen' } },
  { text: '1万2800円', expect: { step: 'incident/ev-actions' } },
  { text: 'カード会社に連絡した', expect: { says: 'evidence.title' } },
  { press: 'nav.back', on: 'flag-1', expect: { says: 'button.expired' } },
  { text: '/lang en', expect: { says: "I'll reply in English from now on." } },
  { text: '/menu', expect: { says: 'What would you like to do?' } },
  { press: 'Secure my account', expect: { says: "I'll walk you through the settings" } },
  { text: '/reset' },
  { text: '/help' },
];
