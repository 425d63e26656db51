import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One call the fake LINE API received. */
export interface LineCall {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  /** Parsed JSON for JSON bodies, else undefined (see `bytes`). */
  body: any;
  bytes: number;
  at: number;
}

/**
 * A small fake LINE Messaging API (and data API) on 127.0.0.1 that records every call. Reply tokens are
 * single use, as on LINE (a second reply with the same token gets 400 "Invalid reply token"), and
 * tokens marked with `expireReplyToken` are refused the same way. Pushes honour X-Line-Retry-Key (409
 * for a key already accepted).
 */
export class FakeLineApi {
  readonly calls: LineCall[] = [];
  readonly #server: Server;
  readonly #usedTokens = new Set<string>();
  readonly #expired = new Set<string>();
  readonly #retryKeys = new Set<string>();
  readonly #failNext = new Map<string, Array<{ status: number; body: unknown }>>();
  #menus = 0;

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<FakeLineApi> {
    let fake!: FakeLineApi;
    const server = createServer((req, res) => void fake.#handle(req, res));
    fake = new FakeLineApi(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** LINE_API_BASE_URL for the app under test (serves the data API paths too). */
  get baseUrl(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  expireReplyToken(token: string): void {
    this.#expired.add(token);
  }

  /** The next call to `path` (e.g. /v2/bot/message/reply) gets this answer. */
  failNext(path: string, status: number, body: unknown = { message: 'error' }): void {
    this.#failNext.set(path, [...(this.#failNext.get(path) ?? []), { status, body }]);
  }

  callsTo(path: string): LineCall[] {
    return this.calls.filter((c) => c.path === path);
  }

  get replies(): LineCall[] {
    return this.callsTo('/v2/bot/message/reply');
  }

  get pushes(): LineCall[] {
    return this.callsTo('/v2/bot/message/push');
  }

  reset(): void {
    this.calls.length = 0;
    this.#failNext.clear();
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const raw = Buffer.concat(chunks);
    const path = (req.url ?? '').split('?')[0]!;
    let body: any;
    if (String(req.headers['content-type'] ?? '').startsWith('application/json') && raw.length) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = undefined;
      }
    }
    this.calls.push({ method: req.method ?? 'GET', path, headers: req.headers, body, bytes: raw.length, at: Date.now() });
    const send = (status: number, payload: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(payload));
    };
    if (req.headers.authorization !== 'Bearer test-line-access-token') return send(401, { message: 'Authentication failed' });
    const canned = this.#failNext.get(path)?.shift();
    if (canned) return send(canned.status, canned.body);
    if (req.method === 'POST' && path === '/v2/bot/message/reply') {
      const token = String(body?.replyToken ?? '');
      if (!token || this.#expired.has(token) || this.#usedTokens.has(token)) return send(400, { message: 'Invalid reply token' });
      this.#usedTokens.add(token);
      return send(200, { sentMessages: (body.messages as unknown[]).map((_, i) => ({ id: String(i), quoteToken: 'q' })) });
    }
    if (req.method === 'POST' && path === '/v2/bot/message/push') {
      const key = req.headers['x-line-retry-key'];
      if (typeof key === 'string') {
        if (this.#retryKeys.has(key)) return send(409, { message: 'The retry key is already accepted' });
        this.#retryKeys.add(key);
      }
      return send(200, { sentMessages: [] });
    }
    if (req.method === 'POST' && path === '/v2/bot/richmenu') return send(200, { richMenuId: `richmenu-${++this.#menus}` });
    if (req.method === 'POST' && /^\/v2\/bot\/richmenu\/[^/]+\/content$/.test(path)) return send(200, {});
    if (req.method === 'POST' && /^\/v2\/bot\/user\/all\/richmenu\/[^/]+$/.test(path)) return send(200, {});
    return send(404, { message: 'Not found' });
  }
}
