/**
 * What the log says about requests and users, read from the log stream of the real app on loopback HTTP:
 * request lines without the client's address or port (personal data) and without query strings, and user
 * text only as its kind and length unless LOG_USER_TEXT=true (then masked).
 */
import { connect } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { tgTextUpdate, tgUser } from '../support/update-factories.ts';
import { TG_SECRET, startHarness, type Harness } from '../webhooks/harness.ts';

type Line = Record<string, unknown> & { msg?: string; req?: Record<string, unknown>; res?: Record<string, unknown> };

/** One HTTP/1.1 request on its own connection; answers the status and the client's own port. */
function rawRequest(base: string, method: string, path: string, headers: Record<string, string>, body = ''): Promise<{ status: number; clientPort: number }> {
  const { hostname, port } = new URL(base);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname);
    let response = '';
    socket.on('data', (d) => (response += d));
    socket.on('error', reject);
    socket.once('connect', () => {
      const clientPort = socket.localPort!;
      const head = Object.entries({ host: `${hostname}:${port}`, connection: 'close', 'content-length': String(Buffer.byteLength(body)), ...headers })
        .map(([k, v]) => `${k}: ${v}`)
        .join('\r\n');
      socket.write(`${method} ${path} HTTP/1.1\r\n${head}\r\n\r\n${body}`);
      socket.once('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(response)?.[1] ?? 0), clientPort }));
    });
  });
}

/** Every key and value anywhere in a parsed log line. */
function* entries(value: unknown, key = ''): Generator<[string, unknown]> {
  yield [key, value];
  if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) yield* entries(v, k);
}

let h: Harness | undefined;
afterEach(async () => {
  await h?.close();
  h = undefined;
});

const parsed = (harness: Harness): Line[] => harness.logs.map((l) => JSON.parse(l) as Line);
/**
 * Every text anywhere in the log, one per line: what could carry a user's words. Numbers are left out, as a
 * responseTime such as 0.41114… may hold a card's digits by chance (the test that looked for "4111" in the raw
 * log failed now and then that way).
 */
const loggedTexts = (harness: Harness): string =>
  parsed(harness)
    .flatMap((l) => [...entries(l)].map(([key, value]) => (typeof value === 'string' ? `${key}: ${value}` : '')))
    .join('\n');

describe('request log lines', () => {
  it('carry method, path without the query, route, status and time, but never the client address or port', async () => {
    h = await startHarness({ TRUST_PROXY: 'true' });
    const health = await rawRequest(h.base, 'GET', '/healthz?probe=query-value-1', { 'x-forwarded-for': '198.51.100.77' });
    expect(health.status).toBe(200);
    const update = JSON.stringify(tgTextUpdate('/help', { user: tgUser({ id: 9301 }) }));
    const webhook = await rawRequest(h.base, 'POST', '/webhooks/telegram?token=query-value-2', { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET }, update);
    expect(webhook.status).toBe(200);
    await new Promise((r) => setTimeout(r, 50));

    const lines = parsed(h);
    for (const line of lines) {
      for (const [key, value] of entries(line)) {
        expect(['remoteAddress', 'remotePort', 'ip', 'ips', 'host', 'hostname']).not.toContain(key);
        expect(value === health.clientPort || value === webhook.clientPort, `client port in ${JSON.stringify(line)}`).toBe(false);
        if (typeof value === 'string') {
          expect(value).not.toMatch(/query-value|198\.51\.100\.77/);
          expect(value).not.toBe('127.0.0.1');
        }
      }
    }
    const incoming = lines.filter((l) => l.msg === 'incoming request').map((l) => l.req);
    expect(incoming).toContainEqual({ method: 'GET', url: '/healthz', route: '/healthz' });
    expect(incoming).toContainEqual({ method: 'POST', url: '/webhooks/telegram', route: '/webhooks/telegram' });
    const completed = lines.filter((l) => l.msg === 'request completed');
    expect(completed.length).toBeGreaterThanOrEqual(2);
    for (const l of completed) {
      expect(l.res).toEqual({ statusCode: 200 });
      expect(typeof l.responseTime).toBe('number');
      expect(typeof l.reqId).toBe('string');
    }
  });
});

describe('LOG_USER_TEXT', () => {
  const typed = 'カードは 4111 1111 1111 1111 です、住所は千代田区';

  it('off (the default): an event is logged with its kind and length only', async () => {
    h = await startHarness();
    expect(h.config.LOG_USER_TEXT).toBe(false);
    const user = tgUser({ id: 9302 });
    expect((await h.postTelegram(tgTextUpdate(typed, { user }))).status).toBe(200);
    expect((await h.postTelegram(tgTextUpdate('/lang en', { user }))).status).toBe(200);
    const events = parsed(h).filter((l) => l.msg === 'inbound event');
    expect(events).toContainEqual(expect.objectContaining({ channel: 'telegram', kind: 'text', chatType: 'private', masked: ['card'], textLength: expect.any(Number) }));
    expect(events).toContainEqual(expect.objectContaining({ channel: 'telegram', kind: 'command', command: 'lang', textLength: 2 }));
    for (const e of events) expect(e).not.toHaveProperty('userText');
    // Each event line carries the id of the request it came in, as that request's own lines do.
    const requestIds = new Set(parsed(h).filter((l) => l.msg === 'request completed').map((l) => l.reqId));
    for (const e of events) expect(requestIds).toContain(e.reqId);
    const all = loggedTexts(h);
    expect(all).not.toContain('千代田区');
    expect(all).not.toContain('4111');
  });

  it('on: the event line also carries the text, with card numbers, passwords and codes masked', async () => {
    h = await startHarness({ LOG_USER_TEXT: 'true' });
    const user = tgUser({ id: 9303 });
    expect((await h.postTelegram(tgTextUpdate(typed, { user }))).status).toBe(200);
    expect((await h.postTelegram(tgTextUpdate('パスワードは Hunter2-secret でした', { user }))).status).toBe(200);
    const texts = parsed(h)
      .filter((l) => l.msg === 'inbound event' && l.kind === 'text')
      .map((l) => l.userText);
    expect(texts).toEqual(['カードは **** です、住所は千代田区', 'パスワードは **** でした']);
    const all = loggedTexts(h);
    expect(all).not.toContain('4111');
    expect(all).not.toContain('Hunter2');
  });
});
