import type { FastifyBaseLogger } from 'fastify';
import type { Advisor } from '../src/engine/advisor.ts';
import type { InboundEvent } from '../src/engine/inbound-event.ts';
import { translate, type Locales } from '../src/engine/locales.ts';
import type { Reply } from '../src/engine/reply.ts';
import { StoreUnavailableError } from '../src/engine/session-store.ts';
import type { StepOutcome } from '../src/engine/step.ts';
import { BudgetExceededError, type TimeBudget } from './time-budget.ts';
import type { WebhookMetricHook } from './webhook-metrics.ts';

/** Stable codes the webhook plugins log faults with (one table, as fastify's FST_ERR_*). */
export const WEBHOOK_ERROR_CODES = {
  /** Handling one event threw: logged once, the user gets an apology and the menu, the platform a 200. */
  handlerFailed: 'MAMORI_HANDLER_FAILED',
  /** Sending the replies failed for good (4xx, expired reply token): logged, counted, not retried. */
  sendFailed: 'MAMORI_SEND_FAILED',
  /** Sending failed in a way worth retrying (no answer, 5xx): 503 so the platform redelivers. */
  sendUnavailable: 'MAMORI_SEND_UNAVAILABLE',
} as const;

/** How a channel's send went. */
export type SendOutcome =
  /** Every message was accepted by the platform. */
  | 'sent'
  /** Some messages wait in a queue (the platform asked us to slow down); it calls `delivered` when done. */
  | 'queued'
  /**
   * Every message but the last was accepted, and the last rides in the webhook answer (Telegram): the
   * channel calls `delivered` once that answer is written.
   */
  | 'answered'
  /** Refused for good (blocked by the user, expired reply token…): retrying cannot help. */
  | 'failed-permanent'
  /** No answer or a server error: a redelivery may succeed. */
  | 'failed-transient';

/**
 * Sends replies on one channel; when it returns 'queued' it must call `delivered` once they are out.
 * `outcome` is the step's outcome when the replies are a fresh answer (absent for a resent outbox and the
 * apology after a fault): a channel may use it to place the answer (Telegram edits the pressed prompt).
 */
export type SendReplies = (replies: Reply[], delivered: () => Promise<void>, outcome?: StepOutcome) => Promise<SendOutcome>;

export interface ProcessEventOptions {
  channel: 'telegram' | 'line';
  advisor: Advisor;
  locales: Locales;
  event: InboundEvent;
  budget: TimeBudget;
  log: FastifyBaseLogger;
  onMetric: WebhookMetricHook;
  send: SendReplies;
}

/** What happened, and the HTTP status to answer the platform with. */
export interface ProcessResult {
  httpStatus: 200 | 503;
  handled: 'reply' | 'duplicate' | 'in-flight' | 'limited' | 'unavailable' | 'fault';
}

const languageOf = (event: InboundEvent) => (event.languageCode && !/^ja\b/i.test(event.languageCode) ? 'en' : 'ja');

async function confirm(delivered: () => Promise<void>, o: ProcessEventOptions): Promise<void> {
  try {
    await delivered();
  } catch (err) {
    // The replies are out; only the "sent" mark is missing. We still answer 200 (the platform will not
    // redeliver), so the worst case is an outbox that expires unused.
    o.log.warn({ err: { name: (err as Error).name, code: (err as { code?: string }).code }, channel: o.channel }, 'could not mark the event delivered');
  }
}

/**
 * The processing model shared by both webhooks: handle the event inline within the time budget, send
 * the replies, then confirm delivery, and only then answer 2xx, so that a crash anywhere before the
 * answer means a redelivery (which the advisor recognises and answers from its outbox), never a silent
 * loss. When the channel carries the (last) reply in the answer itself ('answered', Telegram), the
 * channel confirms once that answer is written (see telegram-webhook.ts for what that trades).
 *
 * - duplicate → 200, nothing sent; limited → 200, nothing sent (the user was told once).
 * - in-flight (another instance is on it), store unreachable, budget exceeded, or a send that may
 *   succeed later → 503, so the platform redelivers.
 * - any other fault → logged once with MAMORI_HANDLER_FAILED, an apology and the menu sent, 200: a bug
 *   in one event must not cause endless redelivery (LINE may suspend a webhook that keeps failing).
 */
export async function processEvent(o: ProcessEventOptions): Promise<ProcessResult> {
  const { channel, event, onMetric } = o;
  let handled;
  try {
    handled = await o.budget.race(o.advisor.handle(event, { log: o.log }));
  } catch (err) {
    if (err instanceof StoreUnavailableError || err instanceof BudgetExceededError) {
      const reason = err instanceof StoreUnavailableError ? 'store' : 'budget';
      o.log.warn({ code: err.code, channel, kind: event.kind }, 'cannot handle the event now; asking for a redelivery');
      onMetric('webhook_unavailable', { channel, reason });
      return { httpStatus: 503, handled: 'unavailable' };
    }
    return fault(o, err);
  }

  switch (handled.status) {
    case 'duplicate':
      onMetric('webhook_duplicate', { channel });
      return { httpStatus: 200, handled: 'duplicate' };
    case 'in-flight':
      onMetric('webhook_unavailable', { channel, reason: 'in-flight' });
      return { httpStatus: 503, handled: 'in-flight' };
    case 'limited':
      return { httpStatus: 200, handled: 'limited' };
    case 'reply': {
      let outcome: SendOutcome;
      try {
        outcome = handled.replies.length ? await o.send(handled.replies, handled.delivered, handled.resent ? undefined : handled.outcome) : 'sent';
      } catch (err) {
        return fault(o, err);
      }
      switch (outcome) {
        case 'sent':
          // The replies are out, so the platform gets its 200 now; the "sent" mark follows without holding
          // the answer (one store round trip less per event). If the process dies in between, the record
          // stays pending and a later redelivery re-sends it once: at least once, never lost.
          void confirm(handled.delivered, o);
          return { httpStatus: 200, handled: 'reply' };
        case 'queued':
        case 'answered':
          return { httpStatus: 200, handled: 'reply' };
        case 'failed-permanent':
          // Retrying cannot help (and a redelivery would only fail again): mark it done.
          await confirm(handled.delivered, o);
          return { httpStatus: 200, handled: 'reply' };
        case 'failed-transient':
          // Not confirmed: the redelivery finds the outbox and sends it again (at least once).
          onMetric('webhook_unavailable', { channel, reason: 'send' });
          return { httpStatus: 503, handled: 'unavailable' };
        default:
          outcome satisfies never;
          return { httpStatus: 200, handled: 'reply' };
      }
    }
    default:
      handled satisfies never;
      return { httpStatus: 200, handled: 'fault' };
  }
}

async function fault(o: ProcessEventOptions, err: unknown): Promise<ProcessResult> {
  const { channel, event } = o;
  const code = WEBHOOK_ERROR_CODES.handlerFailed;
  // Logged once, with the cause's own code when it has one; never the user's text.
  o.log.error({ code, cause: (err as { code?: string }).code, err, channel, kind: event.kind }, 'handling the event failed; sending an apology');
  o.onMetric('webhook_fault', { channel, code });
  try {
    const apology: Reply = { kind: 'text', text: translate(o.locales, languageOf(event), 'error.apology') };
    const menu = await o.budget.race(o.advisor.menuAfterFault(event)).catch(() => [] as Reply[]);
    await o.send([apology, ...menu], async () => {});
  } catch (sendErr) {
    o.log.warn({ code: WEBHOOK_ERROR_CODES.sendFailed, err: { name: (sendErr as Error).name }, channel }, 'could not send the apology');
  }
  return { httpStatus: 200, handled: 'fault' };
}
