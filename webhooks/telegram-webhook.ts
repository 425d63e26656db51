import type { FastifyInstance, FastifyReply } from 'fastify';
import type { Config } from '../src/config.ts';
import type { Advisor } from '../src/engine/advisor.ts';
import type { Locales } from '../src/engine/locales.ts';
import { StoreUnavailableError } from '../src/engine/session-store.ts';
import { processEvent } from './process-event.ts';
import { renderForTelegram } from './render-for-telegram.ts';
import { TelegramApi } from './telegram-api.ts';
import { needsBotUsername, telegramInboundOf, TelegramUpdateEnvelope, type TelegramBotIdentity, type TelegramInbound } from './telegram-inbound.ts';
import { TelegramSender } from './telegram-sender.ts';
import { BudgetExceededError, TimeBudget } from './time-budget.ts';
import { verifyTelegramSecretHeader } from './verify-telegram-secret.ts';
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
}

/**
 * `POST /webhooks/telegram`, as one encapsulated Fastify plugin. Verify, then parse: the secret header
 * is checked in constant time in onRequest, before the body is even read (401, nothing processed, the
 * secret never logged). We do not use telegraf's webhookCallback (fragile with Fastify's parsed body,
 * telegraf#1476) nor its session (lost updates across instances, telegraf#1372): the advisor owns state,
 * deduplication on update_id and the outbox.
 *
 * Answers: 200 once the replies are sent (or queued after a 429), for duplicates, ignored update types
 * and handled faults; 503 when the store is unreachable, another instance is on the same update, the
 * time budget ran out or Telegram did not take a message (it redelivers); 400 for a body that is not an
 * update; 413 over the body limit. We never answer with a method in the response body: its result is
 * unknown (platform-facts.md), so delivery could not be confirmed, and one saved round trip is not worth
 * blurring exactly-once.
 */
export async function telegramWebhook(app: FastifyInstance, opts: TelegramWebhookOptions): Promise<void> {
  const { advisor, locales, config } = opts;
  const onMetric = opts.onMetric ?? noWebhookMetrics;
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
    api.close();
  });

  // Verify before the body is read or parsed.
  app.addHook('onRequest', async (req, reply) => {
    if (!verifyTelegramSecretHeader(req.headers[TELEGRAM_SECRET_HEADER], secret)) {
      onMetric('webhook_rejected', { channel, reason: 'secret' });
      req.log.warn({ hasHeader: req.headers[TELEGRAM_SECRET_HEADER] !== undefined }, 'telegram webhook: missing or wrong secret token');
      return reply.code(401).send({ error: 'unauthorized' });
    }
  });

  app.setErrorHandler((err: Error & { statusCode?: number; code?: string }, req, reply) => {
    const status = err.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      onMetric('webhook_rejected', { channel, reason: status === 413 ? 'too-large' : 'malformed' });
      req.log.info({ code: err.code, status }, 'telegram webhook: bad request body');
      return reply.code(status).send({ error: status === 413 ? 'payload too large' : 'bad request' });
    }
    req.log.error({ code: 'MAMORI_HANDLER_FAILED', err }, 'telegram webhook failed');
    return reply.code(500).send({ error: 'internal error' });
  });

  const answerCallback = (id: string, budget: TimeBudget) =>
    api.call('answerCallbackQuery', { callback_query_id: id }, { timeoutMs: budget.callTimeoutMs(2000) }).then(
      () => onMetric('reply_sent', { channel, method: 'answerCallbackQuery' }),
      // "query is too old" after a redelivery, or a network hiccup: the spinner stops by itself.
      (err: unknown) => app.log.debug({ status: (err as { status?: number }).status }, 'answerCallbackQuery failed'),
    );

  const deliver = async (inbound: Extract<TelegramInbound, { kind: 'event' }>, replies: Parameters<typeof renderForTelegram>[0], delivered: () => Promise<void>, budget: TimeBudget) => {
    const cb = inbound.callback;
    if (cb) {
      // Stop the button's spinner, and take the keyboard off the pressed message so that it cannot be
      // pressed twice; both are best effort (a 48-hour-old message cannot be edited any more).
      const removeKeyboard =
        cb.chatId !== undefined && cb.messageId !== undefined
          ? api.call('editMessageReplyMarkup', { chat_id: cb.chatId, message_id: cb.messageId }, { timeoutMs: budget.callTimeoutMs(2000) }).then(
              () => onMetric('reply_sent', { channel, method: 'editMessageReplyMarkup' }),
              (err: unknown) => app.log.debug({ status: (err as { status?: number }).status }, 'editMessageReplyMarkup failed'),
            )
          : Promise.resolve();
      // Alongside the new message rather than before it: one round trip less on every button press.
      const [, , outcome] = await Promise.all([answerCallback(cb.id, budget), removeKeyboard, sender.sendAll(inbound.chatId, renderForTelegram(replies), delivered, budget)]);
      return outcome;
    }
    return sender.sendAll(inbound.chatId, renderForTelegram(replies), delivered, budget);
  };

  const finish = (reply: FastifyReply, status: number, started: number) => {
    onMetric('webhook_seconds', { channel, status: String(status) }, (Date.now() - started) / 1000);
    return reply.code(status).send();
  };

  app.post(TELEGRAM_WEBHOOK_PATH, { bodyLimit: TELEGRAM_BODY_LIMIT }, async (req, reply) => {
    const started = Date.now();
    const budget = new TimeBudget(config.WEBHOOK_TIME_BUDGET_MS, started);
    const envelope = TelegramUpdateEnvelope.safeParse(req.body);
    if (!envelope.success) {
      onMetric('webhook_rejected', { channel, reason: 'malformed' });
      return reply.code(400).send({ error: 'not a telegram update' });
    }
    const update = envelope.data;
    if (needsBotUsername(update)) await ensureUsername(budget);
    const inbound = telegramInboundOf(update, bot, started);
    onMetric('webhook_update', { channel, kind: inbound.updateKind });

    switch (inbound.kind) {
      case 'ignore':
        if (inbound.callbackId) await answerCallback(inbound.callbackId, budget);
        req.log.debug({ updateKind: inbound.updateKind, reason: inbound.reason }, 'telegram update ignored');
        return finish(reply, 200, started);
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
        const result = await processEvent({
          channel,
          advisor,
          locales,
          event: inbound.event,
          budget,
          log: req.log,
          onMetric,
          send: (replies, delivered) => deliver(inbound, replies, delivered, budget),
        });
        // Over the rate limit nothing is sent, but the button's spinner must still stop.
        if (result.handled === 'limited' && inbound.callback) await answerCallback(inbound.callback.id, budget);
        return finish(reply, result.httpStatus, started);
      }
      default:
        inbound satisfies never;
        return finish(reply, 200, started);
    }
  });
}
