import type { messagingApi } from '@line/bot-sdk';
import { KeepAliveHttpClient, NoAnswerError } from './http-client.ts';

/** A LINE API call that failed: an HTTP error answer, a timeout or a network error. */
export class LineApiError extends Error {
  readonly operation: string;
  /** HTTP status; 0 for a timeout or network failure. */
  readonly status: number;

  constructor(operation: string, status: number, detail: string) {
    super(`line ${operation}: ${status || 'no answer'} ${detail}`);
    this.name = 'LineApiError';
    this.operation = operation;
    this.status = status;
  }
}

/** LINE's host for uploading and downloading binary content (rich menu images). */
export const LINE_DATA_API_BASE_URL = 'https://api-data.line.me';
const LINE_DEFAULT_API_BASE_URL = 'https://api.line.me';

export interface LineApiOptions {
  channelAccessToken: string;
  /** LINE_API_BASE_URL: https://api.line.me, or a local fake in tests. */
  baseUrl: string;
  /**
   * Host for binary uploads. Defaults to https://api-data.line.me when baseUrl is the public API,
   * and to baseUrl itself otherwise (so one fake server serves both in tests).
   */
  dataBaseUrl?: string;
  timeoutMs?: number;
}

/**
 * The few Messaging API calls Mamori makes, over the keep-alive client of http-client.ts with a deadline on every call.
 * @line/bot-sdk's MessagingApiClient calls fetch without any timeout or abort signal
 * (dist/http-fetch.js), so a slow LINE would hold our webhook past its budget; we use the SDK's types
 * only.
 */
export class LineApi {
  readonly #base: string;
  readonly #dataBase: string;
  readonly #token: string;
  readonly #timeoutMs: number;
  readonly #clients = new Map<string, KeepAliveHttpClient>();

  constructor(options: LineApiOptions) {
    this.#base = options.baseUrl.replace(/\/+$/, '');
    this.#dataBase = (options.dataBaseUrl ?? (this.#base === LINE_DEFAULT_API_BASE_URL ? LINE_DATA_API_BASE_URL : this.#base)).replace(/\/+$/, '');
    this.#token = options.channelAccessToken;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  async #request(operation: string, url: string, init: { method: string; body?: string | Uint8Array; contentType?: string; headers?: Record<string, string>; timeoutMs?: number }): Promise<unknown> {
    const timeoutMs = init.timeoutMs ?? this.#timeoutMs;
    let res: { status: number; text: string };
    try {
      const target = new URL(url);
      res = await this.#clientFor(url).send(target.pathname + target.search, {
        method: init.method,
        headers: {
          authorization: `Bearer ${this.#token}`,
          ...(init.contentType ? { 'content-type': init.contentType } : {}),
          ...init.headers,
        },
        ...(init.body !== undefined ? { body: init.body } : {}),
        timeoutMs,
      });
    } catch (err) {
      if (!(err instanceof NoAnswerError)) throw err;
      throw new LineApiError(operation, 0, err.timedOut ? `no answer within ${timeoutMs} ms` : 'network error');
    }
    const { text } = res;
    if (res.status < 200 || res.status >= 300) {
      let message = `HTTP ${res.status}`;
      try {
        message = String((JSON.parse(text) as { message?: unknown }).message ?? message);
      } catch {
        // Not JSON: keep the status.
      }
      throw new LineApiError(operation, res.status, message.slice(0, 200));
    }
    if (!text) return {};
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return {};
    }
  }

  /** One keep-alive client per origin (the API and the data host). */
  #clientFor(url: string): KeepAliveHttpClient {
    const origin = new URL(url).origin;
    let client = this.#clients.get(origin);
    if (!client) this.#clients.set(origin, (client = new KeepAliveHttpClient(origin)));
    return client;
  }

  /** Closes idle keep-alive sockets. */
  close(): void {
    for (const c of this.#clients.values()) c.close();
  }

  /** Replies with 1–5 messages to an event's reply token (single use, valid about a minute). */
  async reply(replyToken: string, messages: messagingApi.Message[], options: { timeoutMs?: number } = {}): Promise<void> {
    const body: messagingApi.ReplyMessageRequest = { replyToken, messages };
    await this.#request('reply', `${this.#base}/v2/bot/message/reply`, { method: 'POST', body: JSON.stringify(body), contentType: 'application/json', ...options });
  }

  /**
   * Pushes 1–5 messages (counts against the monthly quota). `retryKey` (a UUID) makes a retried push
   * safe: LINE answers 409 for a key it has already accepted, which we take as success.
   */
  async push(to: string, messages: messagingApi.Message[], retryKey: string, options: { timeoutMs?: number } = {}): Promise<void> {
    const body: messagingApi.PushMessageRequest = { to, messages };
    try {
      await this.#request('push', `${this.#base}/v2/bot/message/push`, {
        method: 'POST',
        body: JSON.stringify(body),
        contentType: 'application/json',
        headers: { 'x-line-retry-key': retryKey },
        ...options,
      });
    } catch (err) {
      if (err instanceof LineApiError && err.status === 409) return;
      throw err;
    }
  }

  async createRichMenu(menu: messagingApi.RichMenuRequest): Promise<string> {
    const res = (await this.#request('createRichMenu', `${this.#base}/v2/bot/richmenu`, { method: 'POST', body: JSON.stringify(menu), contentType: 'application/json' })) as {
      richMenuId?: unknown;
    };
    if (typeof res.richMenuId !== 'string') throw new LineApiError('createRichMenu', 200, 'no richMenuId in the answer');
    return res.richMenuId;
  }

  /** Uploads the rich menu image (PNG or JPEG, < 1 MB) to the data host. */
  async uploadRichMenuImage(richMenuId: string, image: Uint8Array, contentType: 'image/png' | 'image/jpeg'): Promise<void> {
    await this.#request('uploadRichMenuImage', `${this.#dataBase}/v2/bot/richmenu/${encodeURIComponent(richMenuId)}/content`, {
      method: 'POST',
      body: image,
      contentType,
      timeoutMs: 30_000,
    });
  }

  async setDefaultRichMenu(richMenuId: string): Promise<void> {
    await this.#request('setDefaultRichMenu', `${this.#base}/v2/bot/user/all/richmenu/${encodeURIComponent(richMenuId)}`, { method: 'POST' });
  }
}
