import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../src/config.ts';
import type { Advisor } from '../src/engine/advisor.ts';
import type { Locales } from '../src/engine/locales.ts';
import { StoreUnavailableError } from '../src/engine/session-store.ts';
import type { StepOutcome } from '../src/engine/step.ts';
import { webhookErrorHandler } from './webhook-error-handler.ts';
import { processEvent } from './process-event.ts';
import { renderForTelegram } from './render-for-telegram.ts';
import { TelegramApi } from './telegram-api.ts';
import { isTelegramUpdate, needsBotUsername, telegramInboundOf, type TelegramBotIdentity, type TelegramInbound } from './telegram-inbound.ts';
import { TelegramSender } from './telegram-sender.ts';
import { BudgetExceededError, TimeBudget } from './time-budget.ts';
import { telegramSecretVerifier } from './verify-telegram-secret.ts';
import { noWebhookMetrics, type WebhookMetricHook } from './webhook-metrics.ts';

/** Where Telegram posts updates (setWebhook url = PUBLIC_URL + this path). */
export const TELEGRAM_WEBHOOK_PATH = '/webhooks/telegram';
/** Header carrying setWebhook's secret_token. */
export const TELEGRAM_SECRET_HEADER = 'x-telegram-bot-api-secret-token';
/** Updates are small (a message is at most 4096 characters): 256 KiB leaves a wide margin. */
export const TELEGRAM_BODY_LIMIT = 256 * 1024;

export interface TelegramWebhookOptions {
  advisor: Advisor;
  locales: Locales;
  config: Pick<Config, 'TELEGRAM_BOT_TOKEN' | 'TELEGRAM_WEBHOOK_SECRET' | 'TELEGRAM_API_ROOT' | 'TELEGRAM_BOT_USERNAME' | 'WEBHOOK_TIME_BUDGET_MS'>;
  onMetric?: WebhookMetricHook;
  /** Overrides for the 429 handling (tests). */
  rateLimit?: { inlineRetryMaxSeconds?: number; maxQueueDelaySeconds?: number };
  /**
   * Answer with the reply in the webhook response body (`{"method":"sendMessage",…}`) when it is one
   * message, or with the last of several, instead of calling the Bot API for it (default true). Off,
   * every message goes through the API and its result is checked (see `finish` below).
   */
  replyInBody?: boolean;
}

/** What the 200 answer will carry, filled in while the update is handled. */
interface WebhookAnswer {
  /** One Bot API method for Telegram to execute (its result is never known to us). */
  body?: { method: string } & Record<string, unknown>;
  /** Confirms the outbox once the body is written. */
  delivered?: () => Promise<void>;
  /** A button press still to answer: in the body if it is free, otherwise through the API. */
  callbackId?: string;
  /** Set once the replies' delivery took charge of answering the press. */
  callbackTaken?: boolean;
}

/**
 * `POST /webhooks/telegram`, as one encapsulated Fastify plugin. Verify, then parse: the secret header
 * is checked in constant time in onRequest, before the body is even read (401, nothing processed, the
 * secret never logged). We do not use telegraf's webhookCallback (fragile with Fastify's parsed body,
 * telegraf#1476) nor its session (lost updates across instances, telegraf#1372): the advisor owns state,
 * deduplication on update_id and the outbox.
 *
 * Answers: 200 once the state is saved and the replies are sent, queued after a 429, or (by default)
 * carried in the answer itself, also for duplicates, ignored update types and handled faults; 503 when
 * the store is unreachable, another instance is on the same update, the time budget ran out or Telegram
 * did not take a message (it redelivers); 400 for a body that is not an update; 413 over the body limit.
 *
 * Replies in the answer body (`replyInBody`, default on): when the reply renders to one sendMessage it
 * is returned as `{"method":"sendMessage",…}` in the 200 instead of being sent through the Bot API; of
 * several messages, all but the last go through the API first (awaited, in order) and the last rides in
 * the body. Not while a 429 queue exists for the chat (the order of answers would break). A press on the
 * latest prompt answered by one message replaces that prompt in place (`editMessageText` in the body: its
 * old buttons go with it); any other press puts the new message in the body and removes the pressed
 * keyboard with editMessageReplyMarkup. answerCallbackQuery (and that removal) go out without being
 * awaited: both were best effort already, and the message is the part the outbox guards; when no message
 * goes in the body (rate-limited, ignored, queued), answerCallbackQuery takes the body instead.
 * A method in the body has an unknown result (platform-facts.md): see `finish` for the exactly-once
 * trade-off this makes.
 */
export async function telegramWebhook(app: FastifyInstance, opts: TelegramWebhookOptions): Promise<void> {
  const { advisor, locales, config } = opts;
  const onMetric = opts.onMetric ?? noWebhookMetrics;
  const replyInBody = opts.replyInBody ?? true;
  const token = config.TELEGRAM_BOT_TOKEN;
  const secret = config.TELEGRAM_WEBHOOK_SECRET;
  if (!token) throw new Error('TELEGRAM_BOT_TOKEN: is required for the Telegram webhook');
  if (!secret) throw new Error('TELEGRAM_WEBHOOK_SECRET: is required when TELEGRAM_BOT_TOKEN is set');
  const channel = 'telegram';
  const api = new TelegramApi({ token, apiRoot: config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org' });
  const sender = new TelegramSender({ api, log: app.log, onMetric, ...opts.rateLimit });
  // The bot's own id is the number before the colon in its token; its username comes from the
  // configuration or, the first time a group message needs it, from getMe.
  const bot: TelegramBotIdentity = { id: Number(token.split(':')[0]), ...(config.TELEGRAM_BOT_USERNAME ? { username: config.TELEGRAM_BOT_USERNAME } : {}) };
  let gettingMe: Promise<void> | null = null;
  const ensureUsername = async (budget: TimeBudget) => {
    if (bot.username) return;
    gettingMe ??= api.call('getMe', {}, { timeoutMs: 3000 }).then(
      (me) => {
        if (me.username) bot.username = me.username;
      },
      (err: unknown) => {
        gettingMe = null;
        app.log.warn({ err: { name: (err as Error).name, message: (err as Error).message } }, 'getMe failed; group mentions are not recognised until it works');
      },
    );
    await budget.race(gettingMe).catch(() => {});
  };

  app.addHook('onClose', async () => {
    await sender.close();
    await Promise.allSettled([...background]);
    api.close();
  });

  const secretMatches = telegramSecretVerifier(secret);

  // Verify before the body is read or parsed.
  app.addHook('onRequest', (req, reply, done) => {
    if (!secretMatches(req.headers[TELEGRAM_SECRET_HEADER])) {
      onMetric('webhook_rejected', { channel, reason: 'secret' });
      req.log.warn({ hasHeader: req.headers[TELEGRAM_SECRET_HEADER] !== undefined }, 'telegram webhook: missing or wrong secret token');
      reply.code(401).send({ error: 'unauthorized' });
      return;
    }
    done();
  });

  app.setErrorHandler(webhookErrorHandler(channel, onMetric));

  const answerCallback = (id: string, budget: TimeBudget) =>
    api.call('answerCallbackQuery', { callback_query_id: id }, { timeoutMs: budget.callTimeoutMs(2000) }).then(
      () => onMetric('reply_sent', { channel, method: 'answerCallbackQuery' }),
      // "query is too old" after a redelivery, or a network hiccup: the spinner stops by itself.
      (err: unknown) => {
        onMetric('reply_failed', { channel, method: 'answerCallbackQuery', reason: String((err as { status?: number }).status ?? 'error') });
        app.log.debug({ status: (err as { status?: number }).status }, 'answerCallbackQuery failed');
      },
    );
  // Take the keyboard off the pressed message so that it cannot be pressed twice; best effort (a
  // 48-hour-old message cannot be edited any more).
  const removeKeyboard = (cb: NonNullable<Extract<TelegramInbound, { kind: 'event' }>['callback']>, budget: TimeBudget) =>
    cb.chatId !== undefined && cb.messageId !== undefined
      ? api.call('editMessageReplyMarkup', { chat_id: cb.chatId, message_id: cb.messageId }, { timeoutMs: budget.callTimeoutMs(2000) }).then(
          () => onMetric('reply_sent', { channel, method: 'editMessageReplyMarkup' }),
          (err: unknown) => {
            onMetric('reply_failed', { channel, method: 'editMessageReplyMarkup', reason: String((err as { status?: number }).status ?? 'error') });
            app.log.debug({ status: (err as { status?: number }).status }, 'editMessageReplyMarkup failed');
          },
        )
      : Promise.resolve();
  /** Best-effort calls nobody waits for (answering a press, removing a keyboard): awaited on close. */
  const background = new Set<Promise<void>>();
  const inBackground = (p: Promise<void>) => {
    background.add(p);
    void p.finally(() => background.delete(p));
  };

  const deliver = async (
    inbound: Extract<TelegramInbound, { kind: 'event' }>,
    replies: Parameters<typeof renderForTelegram>[0],
    delivered: () => Promise<void>,
    budget: TimeBudget,
    answer: WebhookAnswer,
    stepOutcome: StepOutcome | undefined,
  ) => {
    // The press is answered and its keyboard removed once, even when a fault makes this run again (for the apology).
    const cb = answer.callbackTaken ? undefined : inbound.callback;
    answer.callbackTaken = true;
    const messages = renderForTelegram(replies);
    if (replyInBody) {
      // Stop the spinner and remove the old keyboard without holding the answer for them (best effort,
      // as before). The press is answered in the webhook body instead when no message goes there.
      if (cb) {
        answer.callbackId = cb.id;
        // A button of the latest prompt, answered with one message: that message takes the prompt's place
        // (editMessageText in the body), so its old buttons are replaced rather than removed by another
        // call, and the chat reads as one card per guide. An expired button, an old or inaccessible prompt,
        // or a longer answer gets a new message below instead, and the pressed keyboard is removed.
        if (stepOutcome?.pressedLatestPrompt && cb.editable && messages.length === 1 && !sender.hasQueue(inbound.chatId)) {
          answer.body = { method: 'editMessageText', chat_id: cb.chatId, message_id: cb.messageId, ...messages[0]! };
          answer.delivered = delivered;
          return 'answered';
        }
        inBackground(removeKeyboard(cb, budget));
      }
      if (!messages.length || sender.hasQueue(inbound.chatId)) return sender.sendAll(inbound.chatId, messages, delivered, budget);
      // All but the last through the API, in order (awaited: their result is known); the last in the body.
      const outcome = await sender.sendAll(inbound.chatId, messages, delivered, budget, true);
      if (outcome !== 'sent') return outcome;
      answer.body = { method: 'sendMessage', chat_id: inbound.chatId, ...messages[messages.length - 1]! };
      answer.delivered = delivered;
      return 'answered';
    }
    if (cb) {
      // Alongside the new message rather than before it: one round trip less on every button press.
      const [, , outcome] = await Promise.all([answerCallback(cb.id, budget), removeKeyboard(cb, budget), sender.sendAll(inbound.chatId, messages, delivered, budget)]);
      return outcome;
    }
    return sender.sendAll(inbound.chatId, messages, delivered, budget);
  };

  /**
   * Answers Telegram. A 200 may carry one Bot API method in its body (`answer.body`), which Telegram
   * then executes; we never learn its result (platform-facts.md).
   *
   * The exactly-once trade-off of answering in the body: the outbox entry is confirmed (`delivered`)
   * once the answer has been handed to the socket (the response's 'finish'), not once Telegram has
   * executed the method. Any failure before that point (a crash, a store or budget error, the connection
   * dropping) leaves the outbox pending: Telegram redelivers and the outbox is re-sent, at least once,
   * never lost. After that point two failures go unseen and lose the message: the written answer lost in
   * transit (Telegram redelivers, finds the event done, gets an empty 200), and a method Telegram does
   * not execute (a 429 for that chat we were not told about yet, or a message it refuses; our HTML is
   * escaped and within the length limits, and no body is used while a 429 queue exists for the chat).
   * In exchange a reply costs no Bot API round trip inside the request. `replyInBody: false` sends every
   * message through the API, where each result is checked, 429s are queued and 5xx answered with 503.
   */
  const finish = (reply: FastifyReply, status: number, started: number, answer?: WebhookAnswer) => {
    onMetric('webhook_seconds', { channel, status: String(status) }, (Date.now() - started) / 1000);
    if (answer?.callbackId !== undefined) {
      // Every press is answered once: in the body when the body is free, otherwise alongside.
      if (status === 200 && !answer.body) answer.body = { method: 'answerCallbackQuery', callback_query_id: answer.callbackId };
      else inBackground(answerCallback(answer.callbackId, new TimeBudget(config.WEBHOOK_TIME_BUDGET_MS)));
    }
    if (status !== 200 || !answer?.body) return reply.code(status).send();
    const method = String(answer.body.method);
    const delivered = answer.delivered;
    reply.raw.once('finish', () => {
      onMetric('reply_sent', { channel, method });
      if (delivered) void delivered().catch((err: unknown) => app.log.warn({ err: { name: (err as Error).name, code: (err as { code?: string }).code }, channel }, 'could not mark the event delivered'));
    });
    return reply.code(200).header('content-type', 'application/json; charset=utf-8').send(JSON.stringify(answer.body));
  };

  app.post(TELEGRAM_WEBHOOK_PATH, { bodyLimit: TELEGRAM_BODY_LIMIT }, async (req, reply) => {
    const started = Date.now();
    const budget = new TimeBudget(config.WEBHOOK_TIME_BUDGET_MS, started);
    const update = req.body;
    if (!isTelegramUpdate(update)) {
      onMetric('webhook_rejected', { channel, reason: 'malformed' });
      return reply.code(400).send({ error: 'not a telegram update' });
    }
    if (needsBotUsername(update)) await ensureUsername(budget);
    const inbound = telegramInboundOf(update, bot, started);
    onMetric('webhook_update', { channel, kind: inbound.updateKind });

    switch (inbound.kind) {
      case 'ignore': {
        req.log.debug({ updateKind: inbound.updateKind, reason: inbound.reason }, 'telegram update ignored');
        if (!inbound.callbackId) return finish(reply, 200, started);
        if (replyInBody) return finish(reply, 200, started, { callbackId: inbound.callbackId });
        await answerCallback(inbound.callbackId, budget);
        return finish(reply, 200, started);
      }
      case 'forget':
        try {
          await budget.race(advisor.forget({ channel, userId: inbound.userId }));
          req.log.info('telegram user blocked the bot; their data was deleted');
          return finish(reply, 200, started);
        } catch (err) {
          if (err instanceof StoreUnavailableError || err instanceof BudgetExceededError) return finish(reply, 503, started);
          throw err;
        }
      case 'event': {
        const answer: WebhookAnswer = {};
        const result = await processEvent({
          channel,
          advisor,
          locales,
          event: inbound.event,
          budget,
          log: req.log,
          onMetric,
          send: (replies, delivered, outcome) => deliver(inbound, replies, delivered, budget, answer, outcome),
        });
        // Over the rate limit (or with nothing to say) nothing is sent, but the button's spinner must still stop.
        if (inbound.callback && !answer.callbackTaken && (result.handled === 'limited' || result.handled === 'reply')) {
          if (replyInBody) answer.callbackId = inbound.callback.id;
          else await answerCallback(inbound.callback.id, budget);
        }
        return finish(reply, result.httpStatus, started, answer);
      }
      default:
        inbound satisfies never;
        return finish(reply, 200, started);
    }
  });
}
