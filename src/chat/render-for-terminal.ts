import type { Reply, ReplyButton } from '../engine/reply.ts';

/** A verdict's level as a mark, not a word: the title after it says the level in the user's language. */
const LEVEL_MARK: Record<string, string> = { danger: '!!!', high: '!!', medium: '!', low: '-', unknown: '?' };

/**
 * Renders replies as plain lines for a terminal; buttons become numbered `[1] label` lines. Where a typed number or
 * text is the answer (a price, a date), a typed 1 is that answer, not the first button: the buttons are then shown
 * as `[label]` without numbers, and typing the label presses one.
 */
export function renderForTerminal(replies: readonly Reply[]): { text: string; buttons: ReplyButton[] } {
  const out: string[] = [];
  let buttons: ReplyButton[] = [];
  for (const r of replies) {
    switch (r.kind) {
      case 'text':
        out.push(r.text);
        break;
      case 'verdict':
        out.push(`[${LEVEL_MARK[r.level]}] ${r.title}`, ...r.lines.map((l) => `  ${l}`));
        break;
      case 'summary':
        out.push(`┌── ${r.title}`, ...r.text.split('\n').map((l) => `│ ${l}`), '└──');
        break;
      default:
        r satisfies never;
    }
    if (r.buttons?.length) buttons = r.buttons;
  }
  const answerExpected = replies.some((r) => r.kind === 'text' && (r.expectsAnswer === 'number' || r.expectsAnswer === 'text'));
  buttons.forEach((b, i) => out.push(answerExpected ? `[${b.label}]` : `[${i + 1}] ${b.label}`));
  return { text: out.join('\n'), buttons };
}
