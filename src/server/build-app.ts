import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { randomUUID } from 'node:crypto';
import { enabledChannels, type Config } from '../config.ts';
import type { Runtime } from '../runtime.ts';
import { REQUEST_LOG_SERIALIZERS } from './create-logger.ts';
import { metricsPlugin } from './metrics-plugin.ts';
import { lineWebhook } from '../../webhooks/line-webhook.ts';
import { telegramWebhook } from '../../webhooks/telegram-webhook.ts';
import { webhookMetricsFor } from '../../webhooks/webhook-metrics.ts';
import { webChatPlugin } from '../web/web-chat-plugin.ts';

export interface BuildAppOptions {
  config: Config;
  runtime: Runtime;
  logger: Logger;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The advisor, store and content shared by every channel plugin. */
    mamori: Runtime;
    mamoriConfig: Config;
  }
}

/**
 * Builds the Fastify server: health and readiness, and one encapsulated plugin per channel
 * (Telegram and LINE webhooks when their credentials are set, the web chat unless WEB_CHAT=false).
 * The entry file only listens and handles signals; tests call this and use inject() or port 0.
 */
export async function buildApp({ config, runtime, logger }: BuildAppOptions): Promise<FastifyInstance> {
  // Store reachability and inbound events are logged by the runtime: into the same log as the requests.
  runtime.useLogger(logger);
  const app = Fastify({
    // Request and reply log lines without the client's address and port, whichever logger was given.
    loggerInstance: logger.child({}, { serializers: REQUEST_LOG_SERIALIZERS }) as FastifyBaseLogger,
    bodyLimit: 256 * 1024,
    trustProxy: trustProxyOption(config.TRUST_PROXY),
    genReqId: (req) => {
      const given = req.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,64}$/.test(given) ? given : randomUUID();
    },
  });
  app.decorate('mamori', runtime);
  app.decorate('mamoriConfig', config);

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_req, reply) => {
    try {
      await Promise.race([runtime.store.ping(), new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 800).unref())]);
      return { status: 'ready', store: runtime.storeKind, guides: runtime.context.flows.ordered.length };
    } catch {
      return reply.code(503).send({ status: 'unavailable', reason: 'session store unreachable' });
    }
  });

  await app.register(metricsPlugin, { metrics: runtime.metrics, token: config.METRICS_TOKEN });

  const channels = enabledChannels(config);
  // Channel plugins register here, each encapsulated (see webhooks/ and src/web/).
  // --- channel plugins: start ---
  void channels;
  if (channels.web) {
    await app.register(webChatPlugin, {
      advisor: runtime.advisor,
      locales: runtime.context.locales,
      rateLimitPerMinute: config.WEB_RATE_LIMIT,
      timeBudgetMs: config.WEBHOOK_TIME_BUDGET_MS,
      sessionTtlSeconds: config.SESSION_TTL,
      cookieSecret: config.WEB_COOKIE_SECRET,
      onAddressLimited: () => runtime.metrics.rateLimited.inc({ channel: 'web', limit: 'address' }),
    });
  }
  if (channels.telegram) {
    await app.register(telegramWebhook, { advisor: runtime.advisor, locales: runtime.context.locales, config, onMetric: webhookMetricsFor(runtime.metrics) });
  }
  if (channels.line) {
    await app.register(lineWebhook, { advisor: runtime.advisor, locales: runtime.context.locales, config, onMetric: webhookMetricsFor(runtime.metrics) });
  }
  // --- channel plugins: end ---

  app.addHook('onClose', async () => {
    await runtime.close();
  });
  return app as unknown as FastifyInstance;
}

/**
 * TRUST_PROXY as Fastify's `trustProxy`. A hop count becomes a function trusting that many nearest hops:
 * Fastify 5 ignores a plain number (it trusts no one then, so every client behind the proxy would share the
 * proxy's address). With n hops the client address is the n-th entry of X-Forwarded-For from the right, so
 * entries a client wrote itself (further left) are never used.
 */
export function trustProxyOption(value: Config['TRUST_PROXY']): boolean | string[] | ((address: string, hop: number) => boolean) {
  if (typeof value === 'number') {
    const hops = value;
    return (_address, hop) => hop < hops;
  }
  return value;
}
