import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { loadConfig } from '../../../src/config.ts';
import { createRuntime, type Runtime } from '../../../src/runtime.ts';
import { buildApp } from '../../../src/server/build-app.ts';

/** Settings every web test starts from: no link expansion (no network), quiet logs, generous per-user limits. */
export const TEST_ENV: Record<string, string> = {
  LOG_LEVEL: 'silent',
  EXPAND_LINKS: 'false',
  USER_RATE_LIMIT: '1000',
  USER_RATE_BURST: '1000',
  WEB_RATE_LIMIT: '1000',
};

/** The real server as `npm start` builds it (real guides, real locales, in-memory store), with `env` on top of TEST_ENV. */
export async function realWebApp(env: Record<string, string> = {}): Promise<{ app: FastifyInstance; runtime: Runtime }> {
  const config = loadConfig({ ...TEST_ENV, ...env });
  const runtime = createRuntime(config);
  const app = await buildApp({ config, runtime, logger: pino({ level: 'silent' }) });
  await app.ready();
  return { app, runtime };
}

/** The `name=value` pair of a Set-Cookie header, to send back in a Cookie header. */
export function cookiePair(setCookie: string | string[] | undefined): string {
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  if (!first) throw new Error('no Set-Cookie header');
  return first.split(';')[0]!;
}
