import { spawn } from 'node:child_process';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { freePort, waitForHttp } from '../support/free-port.ts';
import { redisServerAvailable, startRedisServer, type RedisServerHandle } from '../support/redis-server.ts';
import { tgCallbackUpdate, tgTextUpdate, tgUser } from '../support/update-factories.ts';
import { LINE_SECRET, LINE_TOKEN, TG_SECRET, TG_TOKEN, metricValue, startHarness, type Harness } from '../webhooks/harness.ts';
import { rateNoticePattern } from '../support/rate-notice.ts';

const bin = fileURLToPath(new URL('../../bin/mamori.js', import.meta.url));

describe('metrics and logs', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ METRICS_TOKEN: 'metrics-token-for-tests' });
  });
  afterAll(() => h.close());

  it('counts updates, link checks, verdicts and guide starts after traffic', async () => {
    const user = tgUser({ id: 9101 });
    expect((await h.postTelegram(tgTextUpdate('これ大丈夫？ https://amazon.co.jp.sign-in-xyz.top/login', { user }))).status).toBe(200);
    expect((await h.postTelegram(tgTextUpdate('/secure', { user }))).status).toBe(200);
    const res = await fetch(`${h.base}/metrics`, { headers: { authorization: 'Bearer metrics-token-for-tests' } });
    expect(res.status).toBe(200);
    const text = await res.text();
    for (const name of [
      'mamori_updates_total',
      'mamori_webhook_duration_seconds_bucket',
      'mamori_replies_total',
      'mamori_guide_starts_total',
      'mamori_verdicts_total',
      'mamori_link_checks_total',
      'mamori_duplicates_dropped_total',
      'mamori_store_errors_total',
      'mamori_rate_limited_total',
    ]) {
      expect(text, name).toContain(name);
    }
    expect(await metricValue(h.runtime, 'mamori_updates_total', { channel: 'telegram', kind: 'text' })).toBe(1);
    expect(await metricValue(h.runtime, 'mamori_link_checks_total', { verdict: 'impersonation' })).toBe(1);
    expect(await metricValue(h.runtime, 'mamori_verdicts_total', { level: 'danger' })).toBe(1);
    expect(await metricValue(h.runtime, 'mamori_guide_starts_total', { guide: 'secure' })).toBe(1);
    const dup = tgTextUpdate('/menu', { user });
    await h.postTelegram(dup);
    await h.postTelegram(dup);
    expect(await metricValue(h.runtime, 'mamori_duplicates_dropped_total', { channel: 'telegram' })).toBe(1);
  });

  it('protects /metrics with METRICS_TOKEN', async () => {
    expect((await fetch(`${h.base}/metrics`)).status).toBe(401);
    expect((await fetch(`${h.base}/metrics`, { headers: { authorization: 'Bearer wrong' } })).status).toBe(401);
  });

  it('never logs secrets, tokens, signatures, user text or card numbers (even at debug level)', async () => {
    const user = tgUser({ id: 9102 });
    const secretText = 'カード 4111 1111 1111 1111 パスワードは Hunter2-secret です 住所は東京都千代田区1-1';
    await h.postTelegram(tgTextUpdate('/report', { user }));
    await h.postTelegram(tgTextUpdate(secretText, { user }));
    await h.postTelegram(tgTextUpdate('hello', { user }), { secret: 'wrong-secret-value' });
    await h.postTelegram(tgCallbackUpdate('forged.payload.x', { user }));
    const body = JSON.stringify({ destination: 'U0', events: [] });
    await h.postLine(JSON.parse(body), { signature: 'bm90LXRoZS1yaWdodC1zaWduYXR1cmU=' });
    await h.postLine(JSON.parse(body));
    // Card digits are looked for as the card (four digits alone also turn up in times and durations).
    const logs = h.logs.join('\n');
    expect(h.logs.length).toBeGreaterThan(5);
    for (const leak of [TG_SECRET, TG_TOKEN, TG_TOKEN.split(':')[1]!, LINE_SECRET, LINE_TOKEN, 'wrong-secret-value', 'bm90LXRoZS1yaWdodC1zaWduYXR1cmU=', '4111 1111', '4111111111111111', 'Hunter2', '千代田区', 'metrics-token-for-tests']) {
      expect(logs, `logs contain ${leak}`).not.toContain(leak);
    }
    // Every line is JSON with a request id for webhook requests.
    const lines = h.logs.map((l) => JSON.parse(l) as { reqId?: string });
    expect(lines.some((l) => typeof l.reqId === 'string')).toBe(true);
  });
});

describe.skipIf(!redisServerAvailable('the cross-instance rate-limit test'))('rate limit across two instances sharing Redis', () => {
  let redis: RedisServerHandle;
  let a: Harness;
  let b: Harness;
  beforeAll(async () => {
    redis = await startRedisServer();
    const env = { USER_RATE_LIMIT: '30', USER_RATE_BURST: '4' };
    a = await startHarness(env, { store: new RedisSessionStore({ url: redis.url }) });
    b = await startHarness(env, { store: new RedisSessionStore({ url: redis.url }) });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await redis?.stop();
  });

  it('counts one user across both instances: one notice over the limit, then silence', async () => {
    const user = tgUser({ id: 9201 });
    for (let i = 0; i < 7; i++) {
      const target = i % 2 === 0 ? a : b;
      expect((await target.postTelegram(tgTextUpdate('/help', { user }))).status).toBe(200);
    }
    const texts = [...a.telegram.sentTexts, ...b.telegram.sentTexts];
    const notice = rateNoticePattern(a.runtime.context.locales.ja['rate.limited']!);
    expect(texts.filter((t) => notice.test(t))).toHaveLength(1);
    // 4 answered, the 5th got the notice, the 6th and 7th nothing.
    const answered = a.telegram.callsOf('sendMessage').length + b.telegram.callsOf('sendMessage').length;
    expect(answered).toBeLessThan(4 * 3 + 2);
    expect((await metricValue(a.runtime, 'mamori_rate_limited_total', { channel: 'telegram' })) + (await metricValue(b.runtime, 'mamori_rate_limited_total', { channel: 'telegram' }))).toBe(3);
  });
});

describe('process lifecycle', () => {
  it('a bad variable stops start-up with one line naming each variable, exit 2', async () => {
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: 'eighty', TELEGRAM_BOT_TOKEN: TG_TOKEN, REDIS_URL: 'http://nope' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const code = await new Promise<number | null>((r) => child.once('exit', r));
    expect(code).toBe(2);
    expect(stderr).toMatch(/^\s+PORT: /m);
    expect(stderr).toMatch(/^\s+REDIS_URL: /m);
    expect(stderr).toMatch(/^\s+TELEGRAM_WEBHOOK_SECRET: is required/m);
    expect(stderr).not.toContain(TG_TOKEN);
    expect(stderr).not.toMatch(/\n\s+at /);
  });

  it('a Redis Cluster node with a bad port stops start-up like any bad variable: named, exit 2', async () => {
    for (const nodes of ['127.0.0.1:99999', '127.0.0.1:0,127.0.0.1:7001']) {
      const child = spawn(process.execPath, [bin, 'serve'], { env: { PATH: process.env.PATH ?? '', REDIS_CLUSTER_NODES: nodes }, stdio: ['ignore', 'pipe', 'pipe'] });
      let stderr = '';
      child.stderr.on('data', (d) => (stderr += d));
      const code = await new Promise<number | null>((r) => child.once('exit', r));
      expect(code, stderr).toBe(2);
      expect(stderr).toMatch(/^\s+REDIS_CLUSTER_NODES: must be comma-separated host:port pairs: .*port must be 1-65535/m);
      expect(stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('SIGTERM mid-request: stops accepting, finishes the request, exits 0 within 10 s', async () => {
    const port = await freePort();
    const child = spawn(process.execPath, [bin, 'serve'], {
      env: { PATH: process.env.PATH ?? '', PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'warn', EXPAND_LINKS: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const exited = new Promise<number | null>((r) => child.once('exit', r));
    await waitForHttp(`http://127.0.0.1:${port}/healthz`);
    // Start a request and send only half of its body, so it is in flight when SIGTERM arrives.
    const body = JSON.stringify({ lang: 'ja' });
    const socket = connect(port, '127.0.0.1');
    await new Promise<void>((r) => socket.once('connect', () => r()));
    let response = '';
    socket.on('data', (d) => (response += d));
    socket.write(`POST /api/chat/start HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\nConnection: close\r\n\r\n${body.slice(0, 5)}`);
    await new Promise((r) => setTimeout(r, 200));
    const signalledAt = Date.now();
    child.kill('SIGTERM');
    await new Promise((r) => setTimeout(r, 300));
    // New connections are no longer accepted.
    await expect(fetch(`http://127.0.0.1:${port}/healthz`, { signal: AbortSignal.timeout(1000) })).rejects.toThrow();
    socket.write(body.slice(5));
    await new Promise<void>((r) => socket.once('close', () => r()));
    expect(response).toMatch(/^HTTP\/1\.1 200 /);
    expect(response).toContain('"replies"');
    expect(await exited).toBe(0);
    expect(Date.now() - signalledAt).toBeLessThan(10_000);
  });
});
