import type { messagingApi } from '@line/bot-sdk';
import { buttonsOf, type Reply, type ReplyButton, type VerdictLevel } from '../src/engine/reply.ts';
import { splitText, truncate } from './split-text.ts';

/** Messaging API limits (developers.line.biz reference; platform-facts.md). */
export const LINE_LIMITS = {
  /** Messages in one reply or push. */
  messages: 5,
  /** Text message length in UTF-16 code units. */
  textLength: 5000,
  quickReplyItems: 13,
  labelLength: 20,
  postbackData: 300,
  displayText: 300,
  altText: 400,
  carouselBubbles: 12,
} as const;

/** Header colours of verdict bubbles, by risk level, with a text colour that stays readable on each. */
export const LEVEL_COLOURS: Record<VerdictLevel, { background: string; text: string }> = {
  danger: { background: '#C62828', text: '#FFFFFF' },
  high: { background: '#E65100', text: '#FFFFFF' },
  medium: { background: '#FFB300', text: '#212121' },
  low: { background: '#5E7D6A', text: '#FFFFFF' },
  unknown: { background: '#757575', text: '#FFFFFF' },
};

type Part =
  | { kind: 'text'; text: string; mergeable: boolean }
  | { kind: 'bubbles'; bubbles: messagingApi.FlexBubble[]; alt: string[] };

function bubbleFor(reply: Extract<Reply, { kind: 'verdict' }>): messagingApi.FlexBubble {
  const colour = LEVEL_COLOURS[reply.level];
  const lines = reply.lines.filter((l) => l.trim().length > 0);
  const bubble: messagingApi.FlexBubble = {
    type: 'bubble',
    size: 'mega',
    header: {
      type: 'box',
      layout: 'vertical',
      backgroundColor: colour.background,
      paddingAll: '14px',
      contents: [{ type: 'text', text: truncate(reply.title, 200), color: colour.text, weight: 'bold', size: 'md', wrap: true }],
    },
  };
  if (lines.length) {
    bubble.body = {
      type: 'box',
      layout: 'vertical',
      spacing: 'sm',
      // Reasons ("• …") in dark text, the advice under each ("  → …") in grey; Flex trims the leading
      // spaces, and the arrow alone shows which reason the advice belongs to.
      contents: lines.slice(0, 30).map((line): messagingApi.FlexText => {
        const advice = /^\s+→/.test(line);
        return { type: 'text', text: truncate(line.trim(), 500), size: 'sm', color: advice ? '#616161' : '#212121', wrap: true };
      }),
    };
  }
  return bubble;
}

function partsOf(reply: Reply): Part[] {
  switch (reply.kind) {
    case 'text':
      return splitText(reply.text, LINE_LIMITS.textLength).map((text) => ({ kind: 'text', text, mergeable: true }));
    case 'verdict':
      // altText (talk list, notification): the title and the first line, without its bullet or arrow.
      return [{ kind: 'bubbles', bubbles: [bubbleFor(reply)], alt: [[reply.title, (reply.lines[0] ?? '').replace(/^\s*[•・→]\s*/, '')].filter(Boolean).join(' — ')] }];
    case 'summary':
      // Plain text on its own, title on the first line: long-press → copy takes exactly the summary.
      return splitText(`${reply.title}\n${reply.text}`, LINE_LIMITS.textLength).map((text) => ({ kind: 'text', text, mergeable: false }));
    default:
      reply satisfies never;
      return [];
  }
}

/** Joins neighbouring parts where LINE allows it: texts (not summaries) within 5000 units, bubbles into carousels of 12. */
function merge(parts: Part[], force: boolean): Part[] {
  const out: Part[] = [];
  for (const p of parts) {
    const last = out[out.length - 1];
    if (last?.kind === 'text' && p.kind === 'text' && (force || (last.mergeable && p.mergeable)) && last.text.length + 2 + p.text.length <= LINE_LIMITS.textLength) {
      out[out.length - 1] = { kind: 'text', text: `${last.text}\n\n${p.text}`, mergeable: last.mergeable && p.mergeable };
    } else if (last?.kind === 'bubbles' && p.kind === 'bubbles' && last.bubbles.length + p.bubbles.length <= LINE_LIMITS.carouselBubbles) {
      out[out.length - 1] = { kind: 'bubbles', bubbles: [...last.bubbles, ...p.bubbles], alt: [...last.alt, ...p.alt] };
    } else {
      out.push(p);
    }
  }
  return out;
}

/** A verdict as plain text, for the rare reply that would not fit in five messages otherwise. */
function bubblesAsText(p: Extract<Part, { kind: 'bubbles' }>): Part {
  const text = p.bubbles
    .map((b) => {
      const title = (b.header?.contents[0] as messagingApi.FlexText | undefined)?.text ?? '';
      const lines = (b.body?.contents ?? []).map((c) => (c as messagingApi.FlexText).text ?? '');
      return [`【${title}】`, ...lines].join('\n');
    })
    .join('\n\n');
  return { kind: 'text', text: truncate(text, LINE_LIMITS.textLength), mergeable: true };
}

/** Quick reply buttons: postback with the payload as data and the label echoed as the user's message. */
export function quickReplyFor(buttons: readonly ReplyButton[]): messagingApi.QuickReply | undefined {
  const items: messagingApi.QuickReplyItem[] = buttons
    .filter((b) => b.payload.length > 0 && b.payload.length <= LINE_LIMITS.postbackData)
    .slice(0, LINE_LIMITS.quickReplyItems)
    .map((b) => ({
      type: 'action',
      action: { type: 'postback', label: truncate(b.label, LINE_LIMITS.labelLength), data: b.payload, displayText: truncate(b.label, LINE_LIMITS.displayText) },
    }));
  return items.length ? { items } : undefined;
}

/**
 * Turns the engine's replies into at most five LINE messages: texts merged, verdict cards (seller risk,
 * fake-link warnings) as Flex bubbles coloured by risk level (several in one carousel), the evidence
 * summary as its own plain text, and the buttons as quick replies on the last message (LINE shows quick
 * replies only there, and hides them once the user answers, so old buttons cannot be pressed twice).
 */
export function renderForLine(replies: readonly Reply[]): messagingApi.Message[] {
  let parts = merge(replies.flatMap(partsOf), false);
  if (parts.length > LINE_LIMITS.messages) parts = merge(parts.map((p) => (p.kind === 'bubbles' && parts.length > LINE_LIMITS.messages ? bubblesAsText(p) : p)), true);
  if (parts.length > LINE_LIMITS.messages) {
    // Still too many (only with extremely long texts): keep the last four, fold the rest into the first.
    const head = parts.slice(0, parts.length - 4).map((p) => (p.kind === 'text' ? p.text : (bubblesAsText(p) as { text: string }).text));
    parts = [{ kind: 'text', text: truncate(head.join('\n\n'), LINE_LIMITS.textLength), mergeable: false }, ...parts.slice(-4)];
  }
  const messages: messagingApi.Message[] = parts.map((p) => {
    if (p.kind === 'text') return { type: 'text', text: p.text } satisfies messagingApi.TextMessage;
    const altText = truncate(p.alt.join(' / ') || 'Mamori', LINE_LIMITS.altText);
    const contents: messagingApi.FlexContainer = p.bubbles.length === 1 ? p.bubbles[0]! : { type: 'carousel', contents: p.bubbles };
    return { type: 'flex', altText, contents } satisfies messagingApi.FlexMessage;
  });
  const quickReply = quickReplyFor(buttonsOf(replies));
  if (quickReply && messages.length) messages[messages.length - 1]!.quickReply = quickReply;
  return messages;
}
