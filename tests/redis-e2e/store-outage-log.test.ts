/**
 * The session store's "Redis unreachable" / "Redis reachable again" lines reach the server's log, once per
 * outage each, with the app wired as `mamori serve` wires it (createRuntime from the configuration, then
 * buildApp with the server's logger).
 */
import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createRuntime } from '../../src/runtime.ts';
import { buildApp } from '../../src/server/build-app.ts';
import { createLogger } from '../../src/server/create-logger.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';
import { eventually } from './support.ts';

const enabled = redisServerAvailable('store outage log test');

describe.skipIf(!enabled)('session store outage in the server log', () => {
  let redis: RedisServerHandle;
  let app: FastifyInstance;
  const logs: string[] = [];

  beforeAll(async () => {
    redis = await startRedisServer();
    const config = loadConfig({ REDIS_URL: redis.url, WEB_CHAT: 'false', LOG_LEVEL: 'info' });
    const sink = new Writable({
      write(chunk, _enc, cb) {
        logs.push(String(chunk));
        cb();
      },
    });
    app = await buildApp({ config, runtime: createRuntime(config), logger: createLogger(config.LOG_LEVEL, sink) });
    await app.listen({ port: 0, host: '127.0.0.1' });
  });
  afterAll(async () => {
    await app?.close();
    await stopAllRedisServers();
  });

  const ready = async () => (await app.inject({ url: '/readyz' })).statusCode;
  const lines = (msg: string) => logs.map((l) => JSON.parse(l) as { msg: string; level: number; store?: string }).filter((l) => l.msg === msg);

  it('logs an outage once and the recovery once', async () => {
    await eventually('ready at first', async () => expect(await ready()).toBe(200));
    await redis.kill();
    // Several reconnect attempts fail meanwhile (each an ioredis 'error' event); the log says it once.
    await eventually('not ready while Redis is down', async () => expect(await ready()).toBe(503));
    await new Promise((r) => setTimeout(r, 1500));
    expect(await ready()).toBe(503);
    await redis.restart();
    await eventually('ready again', async () => expect(await ready()).toBe(200), 10_000);
    await new Promise((r) => setTimeout(r, 300));

    const down = lines('session store: Redis unreachable');
    const up = lines('session store: Redis reachable again');
    expect(down).toHaveLength(1);
    expect(down[0]).toMatchObject({ level: 40, store: 'redis' });
    expect(up).toHaveLength(1);
    expect(up[0]).toMatchObject({ level: 30, store: 'redis' });
    // Never the URL (it may carry a password).
    expect(logs.join('')).not.toContain(redis.url);
  }, 30_000);
});
