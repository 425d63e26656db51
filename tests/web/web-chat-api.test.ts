import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Reply } from '../../src/engine/reply.ts';
import { CONTENT_SECURITY_POLICY } from '../../src/web/security-headers.ts';
import { WEB_BODY_LIMIT, type WebChatAnswer } from '../../src/web/web-chat-api.ts';
import { WEB_SESSION_COOKIE } from '../../src/web/web-chat-plugin.ts';
import { cookiePair, realWebApp } from './support/real-web-app.ts';

const json = { 'content-type': 'application/json' };
const lastButtons = (replies: readonly Reply[]) => [...replies].reverse().find((r) => r.buttons?.length)?.buttons ?? [];

function expectSecurityHeaders(headers: Record<string, unknown>): void {
  expect(headers['content-security-policy']).toBe(CONTENT_SECURITY_POLICY);
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
  expect(headers['referrer-policy']).toBe('no-referrer');
}

describe('web chat API on the real runtime', () => {
  let app: FastifyInstance;
  beforeAll(async () => {
    ({ app } = await realWebApp());
  });
  afterAll(() => app.close());

  const start = async (payload: object = {}, headers: Record<string, string> = {}) => {
    const res = await app.inject({ method: 'POST', url: '/api/chat/start', headers: { ...json, ...headers }, payload });
    return { res, cookie: res.headers['set-cookie'] ? cookiePair(res.headers['set-cookie']) : undefined, body: res.json() as WebChatAnswer };
  };
  const message = (cookie: string | undefined, payload: unknown, headers: Record<string, string> = {}) =>
    app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, ...(cookie ? { cookie } : {}), ...headers }, payload: payload as object });

  it('serves the page in Japanese at / and in English at /?lang=en, with the security headers', async () => {
    const ja = await app.inject({ url: '/' });
    expect(ja.statusCode).toBe(200);
    expect(ja.headers['content-type']).toMatch(/^text\/html; charset=utf-8/);
    expect(ja.body).toContain('<html lang="ja">');
    expectSecurityHeaders(ja.headers);
    const en = await app.inject({ url: '/?lang=en' });
    expect(en.body).toContain('<html lang="en">');
  });

  it('serves the script and style sheet with their own types, security headers and caching', async () => {
    const page = (await app.inject({ url: '/' })).body;
    const jsUrl = /src="(\/chat\.js\?v=[^"]+)"/.exec(page)![1]!;
    const cssUrl = /href="(\/chat\.css\?v=[^"]+)"/.exec(page)![1]!;
    const js = await app.inject({ url: jsUrl });
    expect(js.statusCode).toBe(200);
    expect(js.headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toContain('immutable');
    expectSecurityHeaders(js.headers);
    const css = await app.inject({ url: cssUrl });
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    const again = await app.inject({ url: '/chat.js', headers: { 'if-none-match': String(js.headers.etag) } });
    expect(again.statusCode).toBe(304);
    expect((await app.inject({ url: '/chat.js?v=old' })).headers['cache-control']).toBe('no-cache');
  });

  it('start sets a signed HttpOnly SameSite=Strict cookie and answers with the greeting and menu', async () => {
    const { res, body } = await start();
    expect(res.statusCode).toBe(200);
    expectSecurityHeaders(res.headers);
    expect(res.headers['cache-control']).toBe('no-store');
    const set = String(res.headers['set-cookie']);
    expect(set).toMatch(new RegExp(`^${WEB_SESSION_COOKIE}=[A-Za-z0-9_-]{24}\\.[A-Za-z0-9%+/_-]+;`));
    expect(set).toMatch(/; HttpOnly/);
    expect(set).toMatch(/; SameSite=Strict/);
    expect(set).toMatch(/; Path=\/api\/chat/);
    expect(set).not.toMatch(/; Secure/); // plain http here
    expect(body.fresh).toBe(true);
    expect(body.lang).toBe('ja');
    expect(lastButtons(body.replies).length).toBeGreaterThanOrEqual(4);
  });

  it('marks the cookie Secure when the request came over https (behind a trusted proxy)', async () => {
    const { app: proxied } = await realWebApp({ TRUST_PROXY: 'true' });
    try {
      const res = await proxied.inject({ method: 'POST', url: '/api/chat/start', headers: { ...json, 'x-forwarded-proto': 'https' }, payload: {} });
      expect(String(res.headers['set-cookie'])).toMatch(/; Secure/);
    } finally {
      await proxied.close();
    }
  });

  it('a known conversation reopens with its menu on start, keeping the same session id (the cookie is renewed)', async () => {
    const first = await start();
    const again = await start({}, { cookie: first.cookie! });
    expect(again.res.statusCode).toBe(200);
    expect(again.cookie).toBe(first.cookie);
    expect(String(again.res.headers['set-cookie'])).toMatch(/Max-Age=1209600/);
    expect(again.body.fresh).toBeUndefined();
    expect(lastButtons(again.body.replies).length).toBeGreaterThan(0);
  });

  it('pressing a chip moves the guide on; an old chip is answered as expired, not as an error', async () => {
    const { cookie, body } = await start();
    const menu = lastButtons(body.replies);
    const pressed = await message(cookie, { button: menu[1]!.payload });
    expect(pressed.statusCode).toBe(200);
    expect((pressed.json() as WebChatAnswer).replies.length).toBeGreaterThan(0);
    const stale = await message(cookie, { button: menu[1]!.payload });
    expect(stale.statusCode).toBe(200);
  });

  it('echoes typed text as the advisor saw it: card numbers are masked before they are shown or stored', async () => {
    const { cookie } = await start();
    const res = await message(cookie, { text: 'カード 4111 1111 1111 1111 を入力してしまいました' });
    expect(res.statusCode).toBe(200);
    const body = res.json() as WebChatAnswer;
    expect(body.echo).toBeDefined();
    expect(body.echo).not.toContain('4111 1111 1111 1111');
    expect(JSON.stringify(body)).not.toMatch(/4111\s?1111\s?1111\s?1111/);
  });

  it('a pasted fake-Amazon URL is answered with a danger verdict', async () => {
    const { cookie } = await start();
    const res = await message(cookie, { text: 'https://amazon.co.jp.account-verify.xyz/signin' });
    const body = res.json() as WebChatAnswer;
    expect(body.replies.some((r) => r.kind === 'verdict' && r.level === 'danger')).toBe(true);
  });

  it('switches the conversation to English and back', async () => {
    const { cookie } = await start();
    const en = (await message(cookie, { lang: 'en' })).json() as WebChatAnswer;
    expect(en.lang).toBe('en');
    const ja = (await message(cookie, { lang: 'ja' })).json() as WebChatAnswer;
    expect(ja.lang).toBe('ja');
    const fresh = await start({ lang: 'en' });
    expect(fresh.body.lang).toBe('en');
  });

  it('serves the page texts for either language', async () => {
    const res = await app.inject({ url: '/api/chat/strings?lang=en' });
    expect(res.statusCode).toBe(200);
    expect(res.json().lang).toBe('en');
    expect(res.json().strings['web.send']).toBeTruthy();
    expect((await app.inject({ url: '/api/chat/strings?lang=fr' })).statusCode).toBe(400);
  });

  it('the same message id twice is answered once', async () => {
    const { cookie } = await start();
    const first = await message(cookie, { text: 'こんにちは', id: 'abcdefgh12345678' });
    expect(first.statusCode).toBe(200);
    const second = await message(cookie, { text: 'こんにちは', id: 'abcdefgh12345678' });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ replies: [], duplicate: true });
  });

  it('/forget with its confirmation deletes the conversation and clears the cookie', async () => {
    const { cookie } = await start();
    const asked = (await message(cookie, { text: '/forget' })).json() as WebChatAnswer;
    const yes = lastButtons(asked.replies)[0]!;
    const done = await message(cookie, { button: yes.payload });
    expect(done.statusCode).toBe(200);
    expect(done.json()).toMatchObject({ forgotten: true });
    expect(String(done.headers['set-cookie'])).toMatch(new RegExp(`^${WEB_SESSION_COOKIE}=;.*Expires=Thu, 01 Jan 1970`));
    // Start again with the old cookie: the conversation is gone, so a new one (new cookie) begins.
    const again = await start({}, { cookie: cookie! });
    expect(again.body.fresh).toBe(true);
  });

  describe('bad input', () => {
    it('no cookie on a message: 401 no-session, with the security headers', async () => {
      const res = await message(undefined, { text: 'hello' });
      expect(res.statusCode).toBe(401);
      expect(res.json()).toMatchObject({ error: 'no-session' });
      expect(res.json().reason).toMatch(/start/);
      expectSecurityHeaders(res.headers);
    });

    it('forged cookies: 401 invalid-session (unsigned, tampered id, wrong key, garbage)', async () => {
      const { cookie } = await start();
      const value = decodeURIComponent(cookie!.split('=')[1]!);
      const [id, sig] = [value.slice(0, value.lastIndexOf('.')), value.slice(value.lastIndexOf('.') + 1)];
      const otherId = `${id.slice(0, -1)}${id.endsWith('A') ? 'B' : 'A'}`;
      const wrongKey = createHmac('sha256', 'not the server key').update(id).digest('base64').replace(/=/g, '');
      for (const forged of [id, `${otherId}.${sig}`, `${id}.${wrongKey}`, 'x', '.', `${'A'.repeat(24)}.`]) {
        const res = await message(`${WEB_SESSION_COOKIE}=${encodeURIComponent(forged)}`, { text: 'hello' });
        expect(res.statusCode, forged).toBe(401);
        expect(res.json()).toMatchObject({ error: 'invalid-session' });
      }
    });

    it('a forged cookie on start gets a fresh session instead', async () => {
      const { res, body } = await start({}, { cookie: `${WEB_SESSION_COOKIE}=forged.value` });
      expect(res.statusCode).toBe(200);
      expect(body.fresh).toBe(true);
      expect(res.headers['set-cookie']).toBeDefined();
    });

    it(`a body over ${WEB_BODY_LIMIT} bytes: 413 too-large`, async () => {
      const { cookie } = await start();
      const res = await app.inject({
        method: 'POST',
        url: '/api/chat/message',
        headers: { ...json, cookie: cookie! },
        payload: JSON.stringify({ text: 'あ'.repeat(6000) }),
      });
      expect(res.statusCode).toBe(413);
      expect(res.json()).toMatchObject({ error: 'too-large' });
      expectSecurityHeaders(res.headers);
    });

    it('a text longer than the page allows: 400', async () => {
      const { cookie } = await start();
      const res = await message(cookie, { text: 'a'.repeat(4001) });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toMatchObject({ error: 'bad-request' });
    });

    it('wrong or missing content type: 415', async () => {
      const { cookie } = await start();
      for (const type of ['text/plain', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x', 'application/jsonp', undefined]) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/chat/message',
          headers: { cookie: cookie!, ...(type ? { 'content-type': type } : {}) },
          payload: type?.startsWith('application/x-www') ? 'text=hello' : '{"text":"hello"}',
        });
        expect(res.statusCode, String(type)).toBe(415);
        expect(res.json()).toMatchObject({ error: 'unsupported-media-type' });
      }
      const charset = await app.inject({ method: 'POST', url: '/api/chat/message', headers: { cookie: cookie!, 'content-type': 'application/json; charset=utf-8' }, payload: '{"text":"hello"}' });
      expect(charset.statusCode).toBe(200);
    });

    it('malformed JSON and empty bodies: 400 bad-json', async () => {
      const { cookie } = await start();
      for (const payload of ['{"text":', '{text: "hello"}', '', 'null x', '{"__proto__":{"a":1},"text":"x"}']) {
        const res = await app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie: cookie! }, payload });
        expect(res.statusCode, payload).toBe(400);
        expect(['bad-json', 'bad-request']).toContain(res.json().error);
      }
    });

    it('bodies of the wrong shape: 400 bad-request', async () => {
      const { cookie } = await start();
      for (const payload of [{}, { text: '' }, { text: 1 }, { text: 'a', button: 'b' }, { button: 'x'.repeat(65) }, { lang: 'fr' }, { text: 'hi', extra: true }, [], 'text']) {
        const res = await message(cookie, payload);
        expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      }
      const badStart = await app.inject({ method: 'POST', url: '/api/chat/start', headers: json, payload: { lang: 'de' } });
      expect(badStart.statusCode).toBe(400);
    });

    it('requests marked cross-site by the browser: 403', async () => {
      const res = await app.inject({ method: 'POST', url: '/api/chat/start', headers: { ...json, 'sec-fetch-site': 'cross-site' }, payload: {} });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ error: 'cross-site' });
    });

    it('an unknown API route: a JSON error, not the page', async () => {
      const res = await app.inject({ url: '/api/chat/nope' });
      expect(res.statusCode).toBe(404);
      expect(res.json().error).toBe('not-found');
    });
  });
});

describe('web chat rate limit per client address', () => {
  it('a flood of requests gets 429 with Retry-After; another address is not affected', async () => {
    const { app } = await realWebApp({ WEB_RATE_LIMIT: '5', TRUST_PROXY: 'true' });
    try {
      const from = (ip: string) => app.inject({ method: 'POST', url: '/api/chat/start', headers: { ...json, 'x-forwarded-for': ip }, payload: {} });
      // Stay inside one fixed window: the store counts per minute since the epoch.
      const msIntoMinute = Date.now() % 60_000;
      if (msIntoMinute > 55_000) await new Promise((r) => setTimeout(r, 60_000 - msIntoMinute + 50));
      const codes: number[] = [];
      for (let i = 0; i < 12; i++) codes.push((await from('203.0.113.7')).statusCode);
      expect(codes.slice(0, 5)).toEqual([200, 200, 200, 200, 200]);
      expect(codes.slice(5).every((c) => c === 429)).toBe(true);
      const limited = await from('203.0.113.7');
      expect(limited.json()).toMatchObject({ error: 'rate-limited' });
      const retryAfter = Number(limited.headers['retry-after']);
      expect(retryAfter).toBeGreaterThanOrEqual(1);
      expect(retryAfter).toBeLessThanOrEqual(60);
      expectSecurityHeaders(limited.headers);
      expect((await from('198.51.100.9')).statusCode).toBe(200);
      // The page itself is not rate limited.
      expect((await app.inject({ url: '/', headers: { 'x-forwarded-for': '203.0.113.7' } })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});

describe('web chat rate limit per conversation', () => {
  it('a press over the limit is refused with 429 and how long to wait, never answered with a reply that has no buttons', async () => {
    const { app } = await realWebApp({ USER_RATE_BURST: '3', USER_RATE_LIMIT: '30' });
    try {
      // Stay inside one fixed 10-second window (counted since the epoch).
      const msIntoWindow = Date.now() % 10_000;
      if (msIntoWindow > 8_000) await new Promise((r) => setTimeout(r, 10_000 - msIntoWindow + 50));
      const opened = await app.inject({ method: 'POST', url: '/api/chat/start', headers: json, payload: {} });
      const cookie = cookiePair(opened.headers['set-cookie']);
      let buttons = lastButtons((opened.json() as WebChatAnswer).replies);
      const press = (payload: string) => app.inject({ method: 'POST', url: '/api/chat/message', headers: { ...json, cookie }, payload: { button: payload } });
      // The start and two presses: three events, the burst allowed.
      for (let i = 0; i < 2; i++) {
        const res = await press(buttons[0]!.payload);
        expect(res.statusCode).toBe(200);
        buttons = lastButtons((res.json() as WebChatAnswer).replies);
      }
      const secondsLeft = Math.ceil((10_000 - (Date.now() % 10_000)) / 1000);
      // The next press, and the ones after it: refused alike (the first used to get the chat platforms' notice, a
      // reply without buttons, which took the page's buttons away).
      for (let i = 0; i < 2; i++) {
        const limited = await press(buttons[0]!.payload);
        expect(limited.statusCode).toBe(429);
        expect(limited.json()).toMatchObject({ error: 'rate-limited' });
        expect(limited.json()).not.toHaveProperty('replies');
        // Until the 10-second window ends, not a fixed 10 seconds or a minute.
        const retryAfter = Number(limited.headers['retry-after']);
        expect(retryAfter).toBeGreaterThanOrEqual(1);
        expect(retryAfter).toBeLessThanOrEqual(secondsLeft);
      }
    } finally {
      await app.close();
    }
  });
});

describe('WEB_CHAT=false', () => {
  it('turns the page, its files and the API off (404)', async () => {
    const { app } = await realWebApp({ WEB_CHAT: 'false' });
    try {
      for (const url of ['/', '/chat.js', '/chat.css', '/api/chat/strings']) expect((await app.inject({ url })).statusCode, url).toBe(404);
      for (const url of ['/api/chat/start', '/api/chat/message']) {
        expect((await app.inject({ method: 'POST', url, headers: json, payload: {} })).statusCode, url).toBe(404);
      }
      expect((await app.inject({ url: '/healthz' })).statusCode).toBe(200);
    } finally {
      await app.close();
    }
  });
});
