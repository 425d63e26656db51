import { createHash } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Config } from '../src/config.ts';
import type { Advisor } from '../src/engine/advisor.ts';
import type { Locales } from '../src/engine/locales.ts';
import type { Reply } from '../src/engine/reply.ts';
import { StoreUnavailableError } from '../src/engine/session-store.ts';
import { LineApi, LineApiError } from './line-api.ts';
import { LineCallbackBody, lineInboundOf, type LineInbound } from './line-inbound.ts';
import { webhookErrorHandler } from './webhook-error-handler.ts';
import { processEvent, WEBHOOK_ERROR_CODES, type SendOutcome } from './process-event.ts';
import { renderForLine } from './render-for-line.ts';
import { BudgetExceededError, TimeBudget } from './time-budget.ts';
import { lineSignatureMatches } from './verify-line-signature.ts';
import { noWebhookMetrics, type WebhookMetricHook } from './webhook-metrics.ts';

/** Where LINE posts events (set in the LINE Developers console: PUBLIC_URL + this path). */
export const LINE_WEBHOOK_PATH = '/webhooks/line';
export const LINE_SIGNATURE_HEADER = 'x-line-signature';
/** LINE batches events in one body; 1 MiB is far above what a batch of chat events takes. */
export const LINE_BODY_LIMIT = 1024 * 1024;

export interface LineWebhookOptions {
  advisor: Advisor;
  locales: Locales;
  config: Pick<Config, 'LINE_CHANNEL_SECRET' | 'LINE_CHANNEL_ACCESS_TOKEN' | 'LINE_API_BASE_URL' | 'LINE_PUSH_FALLBACK' | 'WEBHOOK_TIME_BUDGET_MS'>;
  onMetric?: WebhookMetricHook;
}

/**
 * A stable UUID for an event's fallback push, so that pushing again for the same event (after a
 * redelivery) is recognised by LINE (X-Line-Retry-Key: it answers 409 for a key it accepted) and the
 * user does not get the answer twice.
 */
export function pushRetryKeyFor(eventId: string): string {
  const h = createHash('sha256').update(`mamori-line-push:${eventId}`).digest('hex').split('');
  h[12] = '4'; // version 4 layout
  h[16] = ((Number.parseInt(h[16]!, 16) & 0x3) | 0x8).toString(16); // RFC 4122 variant
  const s = h.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

/**
 * `POST /webhooks/line`, as one encapsulated Fastify plugin. Verify, then parse: this plugin alone
 * replaces the JSON parser with a raw-buffer one, so the HMAC is computed over the exact bytes LINE
 * signed (parsing and re-serialising breaks emoji escapes, line-bot-sdk-nodejs#922), and only then is
 * the body parsed. The SDK's Express middleware is not used (it needs its own raw-body handling).
 *
 * Answers: 401 for a missing or wrong signature; 400 for a body that is not JSON or has no `events`;
 * 413 over the limit; 200 for the console's verification request (no events), unknown event types,
 * duplicates, handled faults and failed replies (a reply token is single use, so a redelivery could not
 * reply anyway: the failure is logged and counted, and pushed instead when LINE_PUSH_FALLBACK=true);
 * 503 when the store is unreachable, another instance holds the event, or the budget ran out.
 */
export async function lineWebhook(app: FastifyInstance, opts: LineWebhookOptions): Promise<void> {
  const { advisor, locales, config } = opts;
  const onMetric = opts.onMetric ?? noWebhookMetrics;
  const secret = config.LINE_CHANNEL_SECRET;
  const accessToken = config.LINE_CHANNEL_ACCESS_TOKEN;
  if (!secret) throw new Error('LINE_CHANNEL_SECRET: is required for the LINE webhook');
  if (!accessToken) throw new Error('LINE_CHANNEL_ACCESS_TOKEN: is required when LINE_CHANNEL_SECRET is set');
  const channel = 'line';
  const api = new LineApi({ channelAccessToken: accessToken, baseUrl: config.LINE_API_BASE_URL ?? 'https://api.line.me' });
  app.addHook('onClose', async () => api.close());

  // Raw bytes for every content type, in this plugin only (Fastify content-type parsers are encapsulated).
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_req, body, done) => done(null, body));

  app.setErrorHandler(webhookErrorHandler(channel, onMetric));

  const sendFor =
    (inbound: Extract<LineInbound, { kind: 'event' }>, budget: TimeBudget) =>
    async (replies: Reply[]): Promise<SendOutcome> => {
      const messages = renderForLine(replies);
      if (!messages.length) return 'sent';
      if (inbound.replyToken) {
        try {
          await api.reply(inbound.replyToken, messages, { timeoutMs: budget.callTimeoutMs(5000) });
          onMetric('reply_sent', { channel, method: 'reply' });
          return 'sent';
        } catch (err) {
          if (!(err instanceof LineApiError)) throw err;
          onMetric('reply_failed', { channel, method: 'reply', reason: err.status ? String(err.status) : 'unavailable' });
          // LINE's message says why ("Invalid reply token" when it expired); it holds no user data.
          app.log.warn({ code: WEBHOOK_ERROR_CODES.sendFailed, status: err.status, detail: err.message.slice(0, 200), redelivery: inbound.isRedelivery }, 'line reply failed');
        }
      }
      if (!config.LINE_PUSH_FALLBACK) return 'failed-permanent';
      try {
        await api.push(inbound.to, messages, pushRetryKeyFor(inbound.event.eventId ?? ''), { timeoutMs: budget.callTimeoutMs(5000) });
        onMetric('line_push_fallback', { result: 'sent' });
        onMetric('reply_sent', { channel, method: 'push' });
        return 'sent';
      } catch (err) {
        if (!(err instanceof LineApiError)) throw err;
        onMetric('line_push_fallback', { result: 'failed' });
        onMetric('reply_failed', { channel, method: 'push', reason: err.status ? String(err.status) : 'unavailable' });
        app.log.warn({ code: WEBHOOK_ERROR_CODES.sendFailed, status: err.status, detail: err.message.slice(0, 200) }, 'line push fallback failed');
        return 'failed-permanent';
      }
    };

  /** Handles one event; returns the HTTP status it asks for. */
  const handleOne = async (inbound: LineInbound, budget: TimeBudget, log: FastifyInstance['log']): Promise<200 | 503> => {
    onMetric('webhook_update', { channel, kind: inbound.eventType });
    switch (inbound.kind) {
      case 'ignore':
        log.debug({ eventType: inbound.eventType, reason: inbound.reason }, 'line event ignored');
        return 200;
      case 'forget':
        try {
          await budget.race(advisor.forget({ channel, userId: inbound.userId }));
          log.info('line user unfollowed; their data was deleted');
          return 200;
        } catch (err) {
          if (err instanceof StoreUnavailableError || err instanceof BudgetExceededError) return 503;
          throw err;
        }
      case 'event': {
        const result = await processEvent({ channel, advisor, locales, event: inbound.event, budget, log, onMetric, send: sendFor(inbound, budget) });
        return result.httpStatus;
      }
      default:
        inbound satisfies never;
        return 200;
    }
  };

  app.post(LINE_WEBHOOK_PATH, { bodyLimit: LINE_BODY_LIMIT }, async (req, reply) => {
    const started = Date.now();
    const finish = (status: number, body?: unknown) => {
      onMetric('webhook_seconds', { channel, status: String(status) }, (Date.now() - started) / 1000);
      return reply.code(status).send(body);
    };
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    if (!lineSignatureMatches(raw, req.headers[LINE_SIGNATURE_HEADER], secret)) {
      onMetric('webhook_rejected', { channel, reason: 'signature' });
      req.log.warn({ hasHeader: req.headers[LINE_SIGNATURE_HEADER] !== undefined }, 'line webhook: missing or wrong signature');
      return finish(401, { error: 'unauthorized' });
    }
    let json: unknown;
    try {
      json = JSON.parse(raw.toString('utf8'));
    } catch {
      onMetric('webhook_rejected', { channel, reason: 'malformed' });
      return finish(400, { error: 'malformed json' });
    }
    const body = LineCallbackBody.safeParse(json);
    if (!body.success) {
      onMetric('webhook_rejected', { channel, reason: 'malformed' });
      return finish(400, { error: 'not a line webhook body' });
    }
    // The console's "Verify" button sends no events: the signature check above is the whole answer.
    if (!body.data.events.length) return finish(200, {});

    const budget = new TimeBudget(config.WEBHOOK_TIME_BUDGET_MS, started);
    // One chat's events in order (LINE batches them), different chats side by side.
    const byChat = new Map<string, LineInbound[]>();
    body.data.events.forEach((raw, i) => {
      const inbound = lineInboundOf(raw, started);
      const key = inbound.kind === 'event' ? inbound.to : inbound.kind === 'forget' ? inbound.userId : `ignored:${i}`;
      byChat.set(key, [...(byChat.get(key) ?? []), inbound]);
    });
    const statuses = await Promise.all(
      [...byChat.values()].map(async (events) => {
        let worst: 200 | 503 = 200;
        for (const inbound of events) if ((await handleOne(inbound, budget, req.log)) === 503) worst = 503;
        return worst;
      }),
    );
    // Any event that could not be handled now makes LINE redeliver the batch; the handled ones are
    // recognised as duplicates then.
    return finish(statuses.includes(503) ? 503 : 200, {});
  });
}
