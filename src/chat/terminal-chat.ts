import { createInterface } from 'node:readline';
import type { Advisor } from '../engine/advisor.ts';
import { buttonEvent, textEvent } from '../engine/make-event.ts';
import type { ReplyButton } from '../engine/reply.ts';
import { foldForMatching } from '../text/normalize-text.ts';
import { renderForTerminal } from './render-for-terminal.ts';

export interface TerminalChatOptions {
  advisor: Advisor;
  input: NodeJS.ReadableStream;
  write: (text: string) => void;
  /** Interactive terminal: show a prompt. Scripted (piped) input: echo each line as `> line`. */
  interactive: boolean;
  userId?: string;
  languageCode?: string;
  now?: () => number;
}

/**
 * A chat in the terminal on the same engine as the platforms. Typing a button's number or its label
 * presses it; anything else is a message. Piped input is one user message per line, so a whole
 * conversation can be scripted (the golden transcripts are made this way).
 */
export async function runTerminalChat(o: TerminalChatOptions): Promise<void> {
  const now = o.now ?? Date.now;
  let buttons: ReplyButton[] = [];
  // Where a number can be the answer (「3」 years, or free text), a typed number is that answer, not button [3];
  // where a link is asked for, it presses the button. Labels always press buttons.
  let numberIsAnswer = false;
  let seq = 0;
  const origin = () => ({ channel: 'cli' as const, userId: o.userId ?? 'local', languageCode: o.languageCode, receivedAt: now(), eventId: `cli-${++seq}` });
  const send = async (line: string) => {
    const trimmed = line.trim();
    const folded = foldForMatching(trimmed);
    // Full-width digits (a Japanese IME's default) press buttons too.
    const digits = trimmed.normalize('NFKC');
    const byNumber = !numberIsAnswer && /^\d{1,2}$/.test(digits) ? buttons[Number(digits) - 1] : undefined;
    const pressed = byNumber ?? (folded ? buttons.find((b) => foldForMatching(b.label) === folded) : undefined);
    const event = pressed ? buttonEvent(origin(), pressed.payload) : textEvent(origin(), line);
    const handled = await o.advisor.handle(event);
    if (handled.status !== 'reply') return;
    await handled.delivered();
    const rendered = renderForTerminal(handled.replies);
    buttons = rendered.buttons;
    numberIsAnswer = handled.replies.some((r) => r.kind === 'text' && (r.expectsAnswer === 'number' || r.expectsAnswer === 'text'));
    o.write(`${rendered.text}\n\n`);
  };
  const rl = createInterface({ input: o.input, terminal: false, crlfDelay: Infinity });
  if (o.interactive) {
    await send('/start');
    o.write('> ');
  }
  for await (const line of rl) {
    if (!o.interactive) o.write(`> ${line}\n`);
    await send(line);
    if (o.interactive) o.write('> ');
  }
}
