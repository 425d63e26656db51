import { afterEach, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { StoreUnavailableError, type SessionStore } from '../../src/engine/session-store.ts';
import { decodeSession } from '../../src/engine/session.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { WEB_SESSION_COOKIE } from '../../src/web/web-chat-plugin.ts';
import { cookiePair } from './support/real-web-app.ts';
import { fixtureWebApp } from './support/fixture-web-app.ts';

/** A memory store that can be switched to failing like an unreachable Redis. */
class FlakyStore extends MemorySessionStore {
  down = false;
  #fail(): void {
    if (this.down) throw new StoreUnavailableError('redis unreachable (test)');
  }
  override async load(...a: Parameters<SessionStore['load']>) {
    this.#fail();
    return super.load(...a);
  }
  override async hit(...a: Parameters<SessionStore['hit']>) {
    this.#fail();
    return super.hit(...a);
  }
}

const json = { 'content-type': 'application/json' };
let app: FastifyInstance | undefined;
afterEach(async () => {
  await app?.close();
  app = undefined;
});

async function started(a: FastifyInstance): Promise<string> {
  const res = await a.inject({ method: 'POST', url: '/api/chat/start', headers: json, payload: {} });
  expect(res.statusCode).toBe(200);
  return cookiePair(res.headers['set-cookie']);
}

describe('web chat faults (fixture advisor)', () => {
  it('a session store that cannot be reached gives 503 with Retry-After, never a stack trace', async () => {
    const store = new FlakyStore();
    ({ app } = await fixtureWebApp({ store }));
    const cookie = await started(app);
    store.down = true;
    for (const [url, payload] of [
      ['/api/chat/message', { text: 'hello' }],
      ['/api/chat/start', {}],
    ] as const) {
      const res = await app.inject({ method: 'POST', url, headers: { ...json, cookie }, payload });
      expect(res.statusCode).toBe(503);
      expect(res.json()).toMatchObject({ error: 'unavailable' });
      expect(res.headers['retry-after']).toBe('5');
      expect(res.body).not.toMatch(/at .*\.ts:\d+/);
    }
    store.down = false;
    const again = await app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie }, payload: { text: 'hello' } });
    expect(again.statusCode).toBe(200);
  });

  it('an advisor fault gives 500 with the stable code and the user\'s menu, so the page can go on', async () => {
    ({ app } = await fixtureWebApp({
      advisor: {
        checkLinks: async (text) => {
          if (text.includes('boom')) throw new Error('link checker exploded');
          return [];
        },
      },
    }));
    const cookie = await started(app);
    const res = await app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie }, payload: { text: 'boom https://example.com' } });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error).toBe('fault');
    expect(body.reason).not.toMatch(/exploded/); // internals stay in the log
    expect(body.replies.at(-1).buttons.length).toBeGreaterThan(0);
    // The menu's buttons work.
    const pressed = await app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie }, payload: { button: body.replies.at(-1).buttons[0].payload } });
    expect(pressed.statusCode).toBe(200);
    expect(JSON.stringify(pressed.json().replies)).not.toMatch(/button\.expired/);
  });

  it('an answer slower than the time budget gives 503 timeout; the late result is still saved', async () => {
    const store = new MemorySessionStore();
    ({ app } = await fixtureWebApp({
      store,
      plugin: { timeBudgetMs: 100 },
      advisor: { checkLinks: (text) => new Promise((resolve) => setTimeout(() => resolve([]), text.includes('slow') ? 400 : 0)) },
    }));
    const cookie = await started(app);
    const id = decodeURIComponent(cookie.split('=')[1]!).replace(/\.[^.]*$/, '');
    const turnOf = async () => decodeSession((await store.load(`web:${id}`)).state).session!.turn;
    const before = await turnOf();
    const res = await app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie }, payload: { text: 'slow' } });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'timeout' });
    expect(res.headers['retry-after']).toBe('2');
    expect(await turnOf()).toBe(before);
    await new Promise((r) => setTimeout(r, 600));
    expect(await turnOf()).toBe(before + 1);
  });

  it('a returning /start answers within the time budget, its first read included', async () => {
    /** Every read of the session takes 80 ms once switched on: slow, never down. */
    class SlowStore extends MemorySessionStore {
      slow = false;
      override async load(...a: Parameters<SessionStore['load']>) {
        if (this.slow) await new Promise((r) => setTimeout(r, 80));
        return super.load(...a);
      }
    }
    const store = new SlowStore();
    ({ app } = await fixtureWebApp({ store, plugin: { timeBudgetMs: 150 } }));
    const cookie = await started(app);
    store.slow = true;
    // The /start read (80 ms) and the advisor's own read (80 ms) together pass the 150 ms budget: before, the
    // budget started only after the first read, and this answered 200 after about 160 ms.
    const t0 = Date.now();
    const res = await app.inject({ method: 'POST', url: '/api/chat/start', headers: { ...json, cookie }, payload: {} });
    const elapsed = Date.now() - t0;
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'timeout' });
    expect(elapsed, `answered after ${elapsed} ms`).toBeLessThan(150 + 60);
    store.slow = false;
    await new Promise((r) => setTimeout(r, 100));
  });

  it('the session cookie is signed with the configured secret, so another instance with the same secret accepts it', async () => {
    const store = new MemorySessionStore();
    const one = await fixtureWebApp({ store, plugin: { cookieSecret: 'a shared secret of at least twenty bytes' } });
    const two = await fixtureWebApp({ store, plugin: { cookieSecret: 'a shared secret of at least twenty bytes' } });
    const other = await fixtureWebApp({ store, plugin: { cookieSecret: 'some different secret, also long enough' } });
    try {
      const cookie = await started(one.app);
      expect(cookie.startsWith(`${WEB_SESSION_COOKIE}=`)).toBe(true);
      const ok = await two.app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie }, payload: { text: 'menu' } });
      expect(ok.statusCode).toBe(200);
      const refused = await other.app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie }, payload: { text: 'menu' } });
      expect(refused.statusCode).toBe(401);
      expect(refused.json()).toMatchObject({ error: 'invalid-session' });
    } finally {
      await Promise.all([one.app.close(), two.app.close(), other.app.close()]);
    }
  });
});
