import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One method Telegram executed: a call the fake Bot API received, or a method answered in a webhook body. */
export interface TelegramCall {
  method: string;
  /** 'api': a call to the Bot API; 'webhook-answer': a method the app put in its 200 to a webhook delivery. */
  via: 'api' | 'webhook-answer';
  /** The bot token of the call's path ('' for a webhook answer, which carries none). */
  token: string;
  payload: Record<string, any>;
  at: number;
  /** The message it concerns: the id the fake gave a sent message, or the edited message's id. */
  messageId?: number;
}

interface CannedAnswer {
  status: number;
  body: unknown;
  delayMs?: number;
}

/**
 * A small fake Telegram Bot API on 127.0.0.1 that records every call (`/bot<token>/<method>`, JSON
 * bodies) and answers like the real one: `{ ok: true, result }`, or a canned error queued with
 * `failNext` (e.g. a 429 with `parameters.retry_after`). It also plays Telegram's part for methods an
 * app answers in the body of a webhook response (`executeWebhookAnswer`): those are recorded in the same
 * `calls`, in the order they happened, marked `via: 'webhook-answer'`, so a test reads what reached the
 * user from one list whichever way it went; `apiCallsOf` gives only the calls made through the API.
 */
export class FakeTelegramApi {
  readonly calls: TelegramCall[] = [];
  readonly bot = { id: 7000001, is_bot: true, first_name: 'Mamori', username: 'MamoriTestBot' };
  readonly #server: Server;
  readonly #canned = new Map<string, CannedAnswer[]>();
  #nextMessageId = 5000;
  #waiters: Array<() => void> = [];

  private constructor(server: Server) {
    this.#server = server;
  }

  static async start(): Promise<FakeTelegramApi> {
    let fake!: FakeTelegramApi;
    const server = createServer((req, res) => void fake.#handle(req, res));
    fake = new FakeTelegramApi(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  /** TELEGRAM_API_ROOT for the app under test. */
  get apiRoot(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  /** The next call of `method` gets this answer instead of success. */
  failNext(method: string, status: number, body: unknown, delayMs?: number): void {
    this.#canned.set(method, [...(this.#canned.get(method) ?? []), { status, body, ...(delayMs ? { delayMs } : {}) }]);
  }

  /** Answers the next call of `method` with a 429 asking to wait `retryAfter` seconds. */
  rateLimitNext(method: string, retryAfter: number): void {
    this.failNext(method, 429, { ok: false, error_code: 429, description: `Too Many Requests: retry after ${retryAfter}`, parameters: { retry_after: retryAfter } });
  }

  /** Every executed `method`, through the API or in a webhook answer, in order. */
  callsOf(method: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Only the calls of `method` made through the Bot API. */
  apiCallsOf(method: string): TelegramCall[] {
    return this.calls.filter((c) => c.method === method && c.via === 'api');
  }

  /** Only the methods answered in webhook response bodies. */
  get webhookAnswers(): TelegramCall[] {
    return this.calls.filter((c) => c.via === 'webhook-answer');
  }

  /**
   * Does what Telegram does with a webhook response: a 2xx JSON body with a `method` is executed (here:
   * recorded, with a message_id for sendMessage). Returns an unread copy of the response, so callers can
   * still read its status and body. Canned failures do not apply: a body method's result is unknown.
   */
  async executeWebhookAnswer(res: Response): Promise<Response> {
    const text = await res.text();
    if (res.ok && text && /application\/json/i.test(res.headers.get('content-type') ?? '')) {
      let payload: Record<string, any> | null = null;
      try {
        payload = JSON.parse(text) as Record<string, any>;
      } catch {
        payload = null;
      }
      if (payload && typeof payload.method === 'string') {
        const { method, ...params } = payload as { method: string } & Record<string, any>;
        this.#record(method, '', params, 'webhook-answer');
      }
    }
    return new Response(text === '' && (res.status === 204 || res.status === 304) ? null : text, { status: res.status, statusText: res.statusText, headers: res.headers });
  }

  /** Texts that appeared in the chat, in order: sent messages and the new texts of edited ones. */
  get sentTexts(): string[] {
    return this.calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText').map((c) => String(c.payload.text));
  }

  /** Calls that put text (and maybe a keyboard) in the chat: sendMessage, and editMessageText in place. */
  get shownMessages(): TelegramCall[] {
    return this.calls.filter((c) => c.method === 'sendMessage' || c.method === 'editMessageText');
  }

  reset(): void {
    this.calls.length = 0;
    this.#canned.clear();
  }

  /** Resolves once `count` calls of `method` have arrived (or rejects after `timeoutMs`). */
  async waitForCalls(method: string, count: number, timeoutMs = 10_000): Promise<TelegramCall[]> {
    const until = Date.now() + timeoutMs;
    while (this.callsOf(method).length < count) {
      if (Date.now() > until) throw new Error(`expected ${count} ${method} calls, got ${this.callsOf(method).length}`);
      await new Promise<void>((r) => {
        this.#waiters.push(r);
        setTimeout(r, 50);
      });
    }
    return this.callsOf(method);
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((r) => this.#server.close(() => r()));
  }

  #result(method: string, payload: Record<string, any>): unknown {
    switch (method) {
      case 'getMe':
        return this.bot;
      case 'sendMessage':
        return { message_id: this.#nextMessageId++, date: Math.floor(Date.now() / 1000), chat: { id: payload.chat_id, type: payload.chat_id < 0 ? 'supergroup' : 'private' }, text: payload.text };
      case 'getWebhookInfo':
        return { url: this.callsOf('setWebhook').at(-1)?.payload.url ?? '', has_custom_certificate: false, pending_update_count: 0 };
      case 'editMessageText':
        // The real API answers the edited Message.
        return { message_id: payload.message_id, date: Math.floor(Date.now() / 1000), edit_date: Math.floor(Date.now() / 1000), chat: { id: payload.chat_id, type: payload.chat_id < 0 ? 'supergroup' : 'private' }, text: payload.text };
      case 'answerCallbackQuery':
      case 'editMessageReplyMarkup':
      case 'setWebhook':
      case 'deleteWebhook':
      case 'setMyCommands':
        return true;
      default:
        return undefined;
    }
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? '');
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (!m) return send(404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = m as unknown as [string, string, string];
    let payload: Record<string, any> = {};
    try {
      payload = chunks.length ? (JSON.parse(Buffer.concat(chunks).toString('utf8')) as Record<string, any>) : {};
    } catch {
      return send(400, { ok: false, error_code: 400, description: 'Bad Request: invalid JSON' });
    }
    const canned = this.#canned.get(method)?.shift();
    if (canned) {
      this.#push({ method, via: 'api', token, payload, at: Date.now() });
      if (canned.delayMs) await new Promise((r) => setTimeout(r, canned.delayMs));
      return send(canned.status, canned.body);
    }
    const result = this.#record(method, token, payload, 'api');
    if (result === undefined) return send(404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    return send(200, { ok: true, result });
  }

  /** Records an executed method and returns its result (undefined for an unknown method). */
  #record(method: string, token: string, payload: Record<string, any>, via: TelegramCall['via']): unknown {
    const call: TelegramCall = { method, via, token, payload, at: Date.now() };
    const result = this.#result(method, payload);
    if (method === 'sendMessage') call.messageId = (result as { message_id: number }).message_id;
    else if (typeof payload.message_id === 'number') call.messageId = payload.message_id;
    this.#push(call);
    return result;
  }

  #push(call: TelegramCall): void {
    this.calls.push(call);
    for (const w of this.#waiters.splice(0)) w();
  }
}
