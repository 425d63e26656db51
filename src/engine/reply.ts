/** A button shown under a reply. `payload` is at most 64 bytes (Telegram callback_data). */
export interface ReplyButton {
  label: string;
  payload: string;
}

/** Risk levels a verdict card can carry; `danger` is reserved for fake-Amazon links. */
export type VerdictLevel = 'danger' | 'high' | 'medium' | 'low' | 'unknown';

/**
 * One channel-neutral reply. Renderers turn these into Telegram messages, LINE messages (Flex for
 * verdicts), web chat bubbles or terminal lines.
 */
export type Reply =
  | {
      kind: 'text';
      text: string;
      buttons?: ReplyButton[];
      /**
       * The user is asked to type an answer, not only to press a button: free text, a number (an amount, a
       * count, years, a date) or a link. The terminal chat reads a typed "2" as the answer only when a number
       * can be one; otherwise it presses button [2].
       */
      expectsAnswer?: 'text' | 'number' | 'link';
    }
  | {
      kind: 'verdict';
      level: VerdictLevel;
      title: string;
      /** Short explanation lines (reasons, each with what to do). */
      lines: string[];
      buttons?: ReplyButton[];
    }
  | {
      /** A block the user is meant to copy (the evidence summary for the police or 188). */
      kind: 'summary';
      title: string;
      text: string;
      buttons?: ReplyButton[];
    };

/** Buttons of the last reply in a list (where channels put their keyboard / quick replies). */
export function buttonsOf(replies: readonly Reply[]): ReplyButton[] {
  for (let i = replies.length - 1; i >= 0; i--) {
    const b = replies[i]!.buttons;
    if (b && b.length) return b;
  }
  return [];
}
