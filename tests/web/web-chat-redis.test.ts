/**
 * The web chat on the real runtime with its session store on a private Redis, over real HTTP on loopback:
 * the per-address limit behind a reverse proxy (a client cannot pick its own address by writing
 * X-Forwarded-For), its 429s in /metrics, and the time budget holding while Redis is slow.
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import type { Reply } from '../../src/engine/reply.ts';
import { createRuntime } from '../../src/runtime.ts';
import { buildApp } from '../../src/server/build-app.ts';
import { createLogger } from '../../src/server/create-logger.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';
import { TEST_ENV, cookiePair } from './support/real-web-app.ts';

const enabled = redisServerAvailable('web chat on Redis tests');
const json = { 'content-type': 'application/json' };

/** The real app (as `npm start` builds it) on Redis, listening on a free loopback port. */
async function startApp(redisUrl: string, env: Record<string, string>): Promise<{ app: FastifyInstance; base: string; logs: string[] }> {
  const config = loadConfig({ ...TEST_ENV, REDIS_URL: redisUrl, ...env });
  const runtime = createRuntime(config);
  const logs: string[] = [];
  const sink = new Writable({
    write(chunk, _enc, cb) {
      logs.push(String(chunk));
      cb();
    },
  });
  const app = await buildApp({ config, runtime, logger: createLogger('info', sink) });
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { app, base: `http://127.0.0.1:${(app.server.address() as { port: number }).port}`, logs };
}

/** Stays inside one fixed minute window: the per-address limit counts per minute since the epoch. */
async function awayFromMinuteEnd(): Promise<void> {
  const msIntoMinute = Date.now() % 60_000;
  if (msIntoMinute > 50_000) await new Promise((r) => setTimeout(r, 60_000 - msIntoMinute + 50));
}

describe.skipIf(!enabled)('web chat on Redis, over loopback HTTP', () => {
  let redis: RedisServerHandle;
  let app: FastifyInstance | undefined;
  beforeAll(async () => {
    // DEBUG SLEEP plays a slow Redis below.
    redis = await startRedisServer({ args: ['--enable-debug-command', 'yes'] });
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await redis.cli('flushall');
  });
  afterAll(() => stopAllRedisServers());

  // The proxy (here: this test, on 127.0.0.1) appends the address it saw to whatever the client sent, as
  // nginx's $proxy_add_x_forwarded_for does; deploy/nginx.conf overwrites the header, which leaves only that.
  for (const trust of ['1', '127.0.0.1']) {
    it(`TRUST_PROXY=${trust}: a spoofed X-Forwarded-For does not change whose limit a request counts against`, async () => {
      let base: string;
      ({ app, base } = await startApp(redis.url, { WEB_RATE_LIMIT: '3', TRUST_PROXY: trust }));
      await awayFromMinuteEnd();
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) {
        const res = await fetch(`${base}/api/chat/strings?lang=ja`, { headers: { 'x-forwarded-for': `198.51.100.${10 + i}, 203.0.113.50` } });
        codes.push(res.status);
      }
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      // Another client behind the same proxy has its own limit.
      expect((await fetch(`${base}/api/chat/strings?lang=ja`, { headers: { 'x-forwarded-for': '203.0.113.51' } })).status).toBe(200);
      // The store counted the proxy-given addresses only, never a spoofed one.
      const keys = await redis.cli('--scan', '--pattern', 'mamori:*webip*');
      expect(keys).toContain('{webip:203.0.113.50}');
      expect(keys).not.toContain('198.51.100.');
    });
  }

  it('counts the per-address 429s in mamori_rate_limited_total{channel="web",limit="address"}', async () => {
    let base: string;
    ({ app, base } = await startApp(redis.url, { WEB_RATE_LIMIT: '2' }));
    await awayFromMinuteEnd();
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await fetch(`${base}/api/chat/strings?lang=ja`)).status);
    expect(codes).toEqual([200, 200, 429, 429, 429]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/^mamori_rate_limited_total\{channel="web",limit="address"\} 3$/m);
  });

  it('a slow Redis cannot hold a /forget past the time budget; the late /forget still deletes everything', async () => {
    let base: string;
    let logs: string[];
    ({ app, base, logs } = await startApp(redis.url, { WEBHOOK_TIME_BUDGET_MS: '1000' }));
    const start = await fetch(`${base}/api/chat/start`, { method: 'POST', headers: json, body: '{}' });
    expect(start.status).toBe(200);
    const cookie = cookiePair(start.headers.getSetCookie());
    const sessionId = cookie.split('=')[1]!.slice(0, 24);
    const post = (body: object) => fetch(`${base}/api/chat/message`, { method: 'POST', headers: { ...json, cookie }, body: JSON.stringify(body) });
    const asked = await post({ text: '/forget' });
    expect(asked.status).toBe(200);
    const replies = ((await asked.json()) as { replies: Reply[] }).replies;
    const yes = replies.flatMap((r) => r.buttons ?? []).find((b) => b.label === '削除する')!;
    expect(yes).toBeDefined();
    // 30,000 other keys: /forget scans them all, 1,000 per SCAN (about 30 round trips).
    await redis.cli('eval', "for i = 1, tonumber(ARGV[1]) do redis.call('SET', 'other:' .. i, 'x') end return 1", '0', '30000');
    const userKeys = async () => (await redis.cli('--scan', '--pattern', `*{web:${sessionId}}*`)).split('\n').filter(Boolean);
    expect((await userKeys()).length).toBeGreaterThan(0);

    // Redis answers, but each command waits up to 100 ms behind a DEBUG SLEEP: slow, never down.
    const sleeper = new Redis(redis.url, { lazyConnect: true });
    await sleeper.connect();
    let slow = true;
    const slowing = (async () => {
      while (slow) await sleeper.call('DEBUG', 'SLEEP', '0.1');
    })();
    let status: number;
    let body: { error?: string };
    const t0 = Date.now();
    try {
      const res = await post({ button: yes.payload });
      status = res.status;
      body = (await res.json()) as { error?: string };
    } finally {
      slow = false;
      await slowing;
      sleeper.disconnect();
    }
    const elapsed = Date.now() - t0;
    expect(elapsed, `answered after ${elapsed} ms`).toBeLessThan(1000 + 900);
    expect(status).toBe(503);
    expect(body).toMatchObject({ error: 'timeout' });
    // The /forget goes on after the answer, and deletes every key of the user.
    const until = Date.now() + 15_000;
    while ((await userKeys()).length && Date.now() < until) await new Promise((r) => setTimeout(r, 100));
    expect(await userKeys()).toEqual([]);
    expect(logs.join('')).not.toMatch(/ran past the time budget failed/);
  }, 30_000);
});
