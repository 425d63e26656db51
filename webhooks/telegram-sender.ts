import type { FastifyBaseLogger } from 'fastify';
import type { SendOutcome } from './process-event.ts';
import type { TelegramOutgoing } from './render-for-telegram.ts';
import { TelegramApiError, type TelegramApi } from './telegram-api.ts';
import type { TimeBudget } from './time-budget.ts';
import type { WebhookMetricHook } from './webhook-metrics.ts';

export interface TelegramSenderOptions {
  api: TelegramApi;
  log: FastifyBaseLogger;
  onMetric: WebhookMetricHook;
  /** A 429 whose retry_after is at most this many seconds is waited out inside the request, once. */
  inlineRetryMaxSeconds?: number;
  /** A longer wait than this (a flood ban can last hours, telegraf#1046) is not queued: dropped and counted. */
  maxQueueDelaySeconds?: number;
  /** Messages held in queues at most, over all chats. */
  maxQueuedMessages?: number;
}

interface QueueEntry {
  messages: TelegramOutgoing[];
  delivered: () => Promise<void>;
}
interface ChatQueue {
  entries: QueueEntry[];
  timer: NodeJS.Timeout | undefined;
  transientFailures: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const stripHtml = (html: string) => html.replace(/<[^>]+>/g, '').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/**
 * Sends rendered messages to one chat in order, honouring Telegram's 429 answers without sleeping long
 * inside a webhook request (platform-facts.md: retry_after can be hours; never sleep in the handler).
 * A short wait (≤ 1 s by default) is waited out and the call retried once; a longer one puts the rest of
 * the messages in a per-chat queue drained by a timer, and the webhook still answers 200. While a chat has
 * a queue, later messages for it join the queue, so the order of answers is kept. The queue lives in
 * this process: a crash before it drains loses those messages (the advisor's outbox still holds them,
 * unconfirmed, until it expires); that is the price of not holding the request open.
 */
export class TelegramSender {
  readonly #o: Required<TelegramSenderOptions>;
  readonly #queues = new Map<number, ChatQueue>();
  #closed = false;

  constructor(options: TelegramSenderOptions) {
    this.#o = { inlineRetryMaxSeconds: 1, maxQueueDelaySeconds: 600, maxQueuedMessages: 1000, ...options };
  }

  /** True while `chatId` has messages waiting for a 429 to pass (later messages must join them). */
  hasQueue(chatId: number): boolean {
    return this.#queues.has(chatId);
  }

  /** Messages waiting in queues. */
  get queuedMessages(): number {
    let n = 0;
    for (const q of this.#queues.values()) for (const e of q.entries) n += e.messages.length;
    return n;
  }

  async #sendOne(chatId: number, message: TelegramOutgoing, timeoutMs: number): Promise<void> {
    try {
      await this.#o.api.call('sendMessage', { chat_id: chatId, ...message }, { timeoutMs });
    } catch (err) {
      // Our HTML refused ("can't parse entities"): send the same words as plain text rather than nothing.
      if (err instanceof TelegramApiError && err.status === 400 && /parse entities/i.test(err.message)) {
        const { parse_mode: _html, ...plain } = message;
        await this.#o.api.call('sendMessage', { chat_id: chatId, ...plain, text: stripHtml(message.text) }, { timeoutMs });
      } else {
        throw err;
      }
    }
    this.#o.onMetric('reply_sent', { channel: 'telegram', method: 'sendMessage' });
  }

  /**
   * Sends `messages` to `chatId` within the budget. 'queued' means the queue took over and will call
   * `delivered` once everything is out. With `holdLast`, the last message is not sent: 'sent' then means
   * every message before it is out, in order, and the caller delivers the last one itself (in the
   * webhook answer); if the queue takes over, it takes the last message too.
   */
  async sendAll(chatId: number, messages: readonly TelegramOutgoing[], delivered: () => Promise<void>, budget: TimeBudget, holdLast = false): Promise<SendOutcome> {
    if (this.#queues.has(chatId)) return this.#enqueue(chatId, [...messages], delivered, undefined) ? 'queued' : 'failed-permanent';
    let retried = false;
    const end = holdLast ? messages.length - 1 : messages.length;
    for (let i = 0; i < end; i++) {
      try {
        await this.#sendOne(chatId, messages[i]!, budget.callTimeoutMs(5000));
      } catch (err) {
        if (!(err instanceof TelegramApiError)) throw err;
        if (err.status === 429) {
          const wait = Math.max(1, err.retryAfter ?? 1);
          if (!retried && wait <= this.#o.inlineRetryMaxSeconds && budget.remainingMs() > wait * 1000 + 500) {
            this.#o.onMetric('rate_limited', { channel: 'telegram', action: 'retried' });
            retried = true;
            await sleep(wait * 1000);
            i--;
            continue;
          }
          if (this.#enqueue(chatId, messages.slice(i), delivered, wait)) {
            this.#o.onMetric('rate_limited', { channel: 'telegram', action: 'queued' });
            this.#o.log.info({ chatKind: chatId < 0 ? 'group' : 'private', retryAfter: wait, queued: messages.length - i }, 'telegram asked us to wait; messages queued');
            return 'queued';
          }
          this.#o.onMetric('rate_limited', { channel: 'telegram', action: 'dropped' });
          this.#o.onMetric('reply_failed', { channel: 'telegram', method: 'sendMessage', reason: 'rate-limited' });
          this.#o.log.warn({ code: 'MAMORI_SEND_FAILED', retryAfter: wait }, 'telegram rate limit too long to wait for; messages dropped');
          return 'failed-permanent';
        }
        this.#o.onMetric('reply_failed', { channel: 'telegram', method: 'sendMessage', reason: err.transient ? 'unavailable' : String(err.status) });
        if (err.transient) {
          this.#o.log.warn({ code: 'MAMORI_SEND_UNAVAILABLE', status: err.status, sent: i, of: messages.length }, 'telegram did not take the message; asking for a redelivery');
          return 'failed-transient';
        }
        // 403 (the user blocked the bot), 400 (chat gone…): final.
        this.#o.log.warn({ code: 'MAMORI_SEND_FAILED', status: err.status, description: err.message.slice(0, 200) }, 'telegram refused the message');
        return 'failed-permanent';
      }
    }
    return 'sent';
  }

  #enqueue(chatId: number, messages: TelegramOutgoing[], delivered: () => Promise<void>, waitSeconds: number | undefined): boolean {
    if (this.#closed) return false;
    if (waitSeconds !== undefined && waitSeconds > this.#o.maxQueueDelaySeconds) return false;
    if (this.queuedMessages + messages.length > this.#o.maxQueuedMessages) return false;
    let q = this.#queues.get(chatId);
    if (!q) {
      q = { entries: [], timer: undefined, transientFailures: 0 };
      this.#queues.set(chatId, q);
    }
    q.entries.push({ messages, delivered });
    this.#o.onMetric('reply_queued', { channel: 'telegram' }, messages.length);
    if (waitSeconds !== undefined) this.#schedule(chatId, q, waitSeconds * 1000);
    return true;
  }

  #schedule(chatId: number, q: ChatQueue, ms: number): void {
    clearTimeout(q.timer);
    q.timer = setTimeout(() => void this.#drain(chatId), ms);
  }

  async #drain(chatId: number): Promise<void> {
    const q = this.#queues.get(chatId);
    if (!q || this.#closed) return;
    q.timer = undefined;
    while (q.entries.length) {
      const entry = q.entries[0]!;
      while (entry.messages.length) {
        try {
          await this.#sendOne(chatId, entry.messages[0]!, 5000);
          entry.messages.shift();
          q.transientFailures = 0;
        } catch (err) {
          if (this.#closed) return;
          const e = err instanceof TelegramApiError ? err : null;
          if (e?.status === 429 && (e.retryAfter ?? 1) <= this.#o.maxQueueDelaySeconds) {
            this.#o.onMetric('rate_limited', { channel: 'telegram', action: 'queued' });
            return this.#schedule(chatId, q, Math.max(1, e.retryAfter ?? 1) * 1000);
          }
          if ((e === null || e.transient) && ++q.transientFailures < 5) return this.#schedule(chatId, q, 2000 * q.transientFailures);
          // Final failure for this message: count it and move on to the next.
          this.#o.onMetric('reply_failed', { channel: 'telegram', method: 'sendMessage', reason: e ? String(e.status) : 'error' });
          this.#o.log.warn({ code: 'MAMORI_SEND_FAILED', status: e?.status }, 'a queued telegram message could not be sent');
          entry.messages.shift();
          q.transientFailures = 0;
        }
      }
      q.entries.shift();
      await entry.delivered().catch((err: unknown) => this.#o.log.warn({ err: { name: (err as Error).name } }, 'could not mark a queued event delivered'));
    }
    this.#queues.delete(chatId);
  }

  /** Stops the timers (on server close). Queued messages are dropped, and counted in the log. */
  close(): void {
    this.#closed = true;
    const dropped = this.queuedMessages;
    for (const q of this.#queues.values()) clearTimeout(q.timer);
    this.#queues.clear();
    if (dropped) this.#o.log.warn({ dropped }, 'closing with telegram messages still queued');
  }
}
