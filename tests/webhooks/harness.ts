import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { loadConfig, type Config } from '../../src/config.ts';
import type { SessionStore } from '../../src/engine/session-store.ts';
import { createRuntime, type Runtime } from '../../src/runtime.ts';
import { buildApp } from '../../src/server/build-app.ts';
import { createLogger } from '../../src/server/create-logger.ts';
import { MamoriMetrics } from '../../src/server/metrics.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { FakeLineApi } from '../support/fake-line-api.ts';
import { FakeTelegramApi } from '../support/fake-telegram-api.ts';
import { signLine } from '../support/update-factories.ts';
import { telegramWebhook, type TelegramWebhookOptions } from '../../webhooks/telegram-webhook.ts';
import { webhookMetricsFor } from '../../webhooks/webhook-metrics.ts';

export const TG_TOKEN = '7000001:AAHtestTokenForMamoriWebhookTests_xyz';
export const TG_SECRET = 'tg-webhook-secret_0123456789abcdef';
export const LINE_SECRET = 'line-channel-secret-0123456789abcdef';
/** The fake LINE API accepts only this token. */
export const LINE_TOKEN = 'test-line-access-token';

export interface Harness {
  app: FastifyInstance;
  runtime: Runtime;
  config: Config;
  store: SessionStore;
  telegram: FakeTelegramApi;
  line: FakeLineApi;
  base: string;
  /** Every log line the app wrote (to check that no secret is ever logged). */
  logs: string[];
  /**
   * Posts one update, as Telegram would, and then plays Telegram's part with the answer: a method in a
   * 200's body is executed by the fake Bot API (recorded in `telegram.calls` with `via: 'webhook-answer'`),
   * so `telegram.callsOf('sendMessage')` lists every reply in order, whichever way it was sent.
   */
  postTelegram(update: unknown, options?: { secret?: string | null; raw?: string; contentType?: string }): Promise<Response>;
  postLine(body: unknown, options?: { signature?: string | null; raw?: string | Buffer; contentType?: string }): Promise<Response>;
  close(): Promise<void>;
}

/**
 * The real app (buildApp + createRuntime with the shipped guides) listening on a free loopback port,
 * with fake Telegram and LINE APIs on loopback. Link expansion is off (no network in tests) and the
 * per-user rate limits are high so that a whole guide can be walked quickly.
 */
export async function startHarness(
  env: Record<string, string> = {},
  options: {
    store?: SessionStore;
    /** Options for the Telegram plugin (e.g. `replyInBody: false` to have every message sent through the API). */
    telegram?: Pick<TelegramWebhookOptions, 'replyInBody' | 'rateLimit'>;
  } = {},
): Promise<Harness> {
  const telegram = await FakeTelegramApi.start();
  const line = await FakeLineApi.start();
  const config = loadConfig({
    TELEGRAM_BOT_TOKEN: TG_TOKEN,
    TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
    TELEGRAM_API_ROOT: telegram.apiRoot,
    LINE_CHANNEL_SECRET: LINE_SECRET,
    LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
    LINE_API_BASE_URL: line.baseUrl,
    PUBLIC_URL: 'https://mamori.example.jp',
    EXPAND_LINKS: 'false',
    WEB_CHAT: 'false',
    USER_RATE_LIMIT: '10000',
    USER_RATE_BURST: '10000',
    LOG_LEVEL: 'debug',
    ...env,
  });
  const store = options.store ?? new MemorySessionStore();
  const runtime = createRuntime(config, { store, metrics: new MamoriMetrics({ defaultMetrics: false }) });
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  // With Telegram options, the Telegram plugin is registered here rather than by buildApp (which passes none).
  const ownTelegram = options.telegram !== undefined && Boolean(config.TELEGRAM_BOT_TOKEN);
  const app = await buildApp({ config: ownTelegram ? { ...config, TELEGRAM_BOT_TOKEN: '' } : config, runtime, logger: createLogger(config.LOG_LEVEL, sink) });
  if (ownTelegram) {
    await app.register(telegramWebhook, { advisor: runtime.advisor, locales: runtime.context.locales, config, onMetric: webhookMetricsFor(runtime.metrics), ...options.telegram });
  }
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address() as { port: number };
  const base = `http://127.0.0.1:${address.port}`;
  return {
    app,
    runtime,
    config,
    store,
    telegram,
    line,
    base,
    logs,
    postTelegram(update, o = {}) {
      const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json' };
      if (o.secret !== null) headers['x-telegram-bot-api-secret-token'] = o.secret ?? TG_SECRET;
      return fetch(`${base}/webhooks/telegram`, { method: 'POST', headers, body: o.raw ?? JSON.stringify(update) }).then((res) => telegram.executeWebhookAnswer(res));
    },
    postLine(body, o = {}) {
      const raw = o.raw ?? JSON.stringify(body);
      const headers: Record<string, string> = { 'content-type': o.contentType ?? 'application/json; charset=utf-8' };
      if (o.signature !== null) headers['x-line-signature'] = o.signature ?? signLine(raw, LINE_SECRET);
      return fetch(`${base}/webhooks/line`, { method: 'POST', headers, body: raw as BodyInit });
    },
    async close() {
      await app.close();
      await telegram.close();
      await line.close();
    },
  };
}

/** The value of one Prometheus counter with these labels (0 when absent). */
export async function metricValue(runtime: Runtime, name: string, labels: Record<string, string>): Promise<number> {
  const metric = runtime.metrics.registry.getSingleMetric(name);
  if (!metric) return 0;
  const data = await metric.get();
  const hit = data.values.find((v) => Object.entries(labels).every(([k, val]) => String(v.labels[k]) === val));
  return hit?.value ?? 0;
}
