import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Advisor } from '../../src/engine/advisor.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { loadContent } from '../../src/runtime.ts';
import { lineWebhook } from '../../webhooks/line-webhook.ts';
import { telegramWebhook } from '../../webhooks/telegram-webhook.ts';
import type { WebhookMetricName } from '../../webhooks/webhook-metrics.ts';
import { FakeLineApi } from '../support/fake-line-api.ts';
import { FakeTelegramApi } from '../support/fake-telegram-api.ts';
import { lineBody, lineTextEvent, signLine, tgTextUpdate } from '../support/update-factories.ts';
import { LINE_SECRET, LINE_TOKEN, TG_SECRET, TG_TOKEN } from './harness.ts';

/** The plugins registered on their own, with a recording metrics hook (as a metrics layer would wire them). */
const recorded: Array<{ name: WebhookMetricName; labels: Record<string, string> }> = [];
let app: ReturnType<typeof Fastify>;
let telegram: FakeTelegramApi;
let line: FakeLineApi;
let base: string;

beforeAll(async () => {
  telegram = await FakeTelegramApi.start();
  line = await FakeLineApi.start();
  const { flows, locales } = loadContent();
  const advisor = new Advisor({ store: new MemorySessionStore(), context: { flows, locales, assessSeller: () => ({ level: 'unknown', score: 0, reasons: [] }) }, checkLinks: async () => [] });
  const onMetric = (name: WebhookMetricName, labels: Readonly<Record<string, string>>) => void recorded.push({ name, labels: { ...labels } });
  app = Fastify();
  await app.register(telegramWebhook, {
    advisor,
    locales,
    onMetric,
    // Replies through the Bot API, so that its 429 answers reach the hook.
    replyInBody: false,
    config: { TELEGRAM_BOT_TOKEN: TG_TOKEN, TELEGRAM_WEBHOOK_SECRET: TG_SECRET, TELEGRAM_API_ROOT: telegram.apiRoot, TELEGRAM_BOT_USERNAME: 'MamoriTestBot', WEBHOOK_TIME_BUDGET_MS: 5000 },
  });
  await app.register(lineWebhook, {
    advisor,
    locales,
    onMetric,
    config: { LINE_CHANNEL_SECRET: LINE_SECRET, LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN, LINE_API_BASE_URL: line.baseUrl, LINE_PUSH_FALLBACK: false, WEBHOOK_TIME_BUDGET_MS: 5000 },
  });
  await app.listen({ port: 0, host: '127.0.0.1' });
  base = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
});
afterAll(async () => {
  await app.close();
  await telegram.close();
  await line.close();
});

describe('webhook metric hook', () => {
  it('reports updates, replies, rejections, duplicates and 429s', async () => {
    const update = tgTextUpdate('/start');
    const post = (secret: string) => fetch(`${base}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': secret }, body: JSON.stringify(update) });
    expect((await post(TG_SECRET)).status).toBe(200);
    expect((await post(TG_SECRET)).status).toBe(200);
    expect((await post('nope')).status).toBe(401);
    telegram.rateLimitNext('sendMessage', 1);
    expect((await fetch(`${base}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }, body: JSON.stringify(tgTextUpdate('/help')) })).status).toBe(200);
    const raw = JSON.stringify(lineBody([lineTextEvent('/help')]));
    expect((await fetch(`${base}/webhooks/line`, { method: 'POST', headers: { 'content-type': 'application/json', 'x-line-signature': signLine(raw, LINE_SECRET) }, body: raw })).status).toBe(200);

    const names = recorded.map((r) => `${r.name}:${r.labels.channel ?? ''}`);
    expect(names).toContain('webhook_update:telegram');
    expect(names).toContain('reply_sent:telegram');
    expect(names).toContain('webhook_duplicate:telegram');
    expect(names).toContain('webhook_rejected:telegram');
    expect(names).toContain('rate_limited:telegram');
    expect(names).toContain('webhook_update:line');
    expect(names).toContain('reply_sent:line');
    expect(names).toContain('webhook_seconds:line');
    // Labels are small fixed sets: never user data.
    for (const r of recorded) for (const v of Object.values(r.labels)) expect(v).toMatch(/^[a-zA-Z0-9_-]{1,40}$/);
  });
});
