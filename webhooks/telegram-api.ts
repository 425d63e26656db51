import type { Opts, Telegram } from 'telegraf/types';
import { KeepAliveHttpClient, NoAnswerError } from './http-client.ts';

/** A Bot API call that failed: the API's answer (`ok: false`), an HTTP error, a timeout or a network error. */
export class TelegramApiError extends Error {
  readonly method: string;
  /** Bot API `error_code` or HTTP status; 0 for a timeout or network failure. */
  readonly status: number;
  /** Seconds to wait, from a 429 answer's `parameters.retry_after`. */
  readonly retryAfter: number | undefined;

  constructor(method: string, status: number, description: string, retryAfter?: number, options?: { cause?: unknown }) {
    super(`telegram ${method}: ${status || 'no answer'} ${description}`, options);
    this.name = 'TelegramApiError';
    this.method = method;
    this.status = status;
    this.retryAfter = retryAfter;
  }

  /** Worth trying again later (no answer, timeout, or a server error); 4xx answers are final. */
  get transient(): boolean {
    return this.status === 0 || this.status >= 500;
  }
}

export interface TelegramApiOptions {
  token: string;
  /** e.g. https://api.telegram.org, or a self-hosted Bot API server, or a local fake in tests. */
  apiRoot: string;
  /** Deadline for one call unless the caller gives a shorter one. */
  timeoutMs?: number;
}

type ApiAnswer = { ok?: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } };

/**
 * A small Bot API client on the shared KeepAliveHttpClient (http-client.ts), typed with telegraf's Bot API types.
 * We do not use telegraf's own client for sending: it goes through node-fetch 2 with a 500 s timeout;
 * here every call has a real deadline and errors carry `retry_after`. Not global fetch either: the
 * benchmark's profile showed its web-streams machinery as the largest cost per reply (README: Benchmark).
 * The token is part of the path, so it never appears in our errors or logs.
 */
export class TelegramApi {
  readonly #client: KeepAliveHttpClient;
  readonly #basePath: string;
  readonly #timeoutMs: number;

  constructor(options: TelegramApiOptions) {
    const root = new URL(options.apiRoot);
    this.#client = new KeepAliveHttpClient(root.origin);
    this.#basePath = `${root.pathname.replace(/\/+$/, '')}/bot${options.token}/`;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  /** Closes idle keep-alive sockets (on shutdown). */
  close(): void {
    this.#client.close();
  }

  async call<M extends keyof Telegram>(method: M, payload: Opts<M>, options: { timeoutMs?: number } = {}): Promise<ReturnType<Telegram[M]>> {
    const timeoutMs = Math.min(options.timeoutMs ?? this.#timeoutMs, this.#timeoutMs);
    let status: number;
    let text: string;
    try {
      ({ status, text } = await this.#client.send(this.#basePath + method, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        timeoutMs,
      }));
    } catch (err) {
      if (!(err instanceof NoAnswerError)) throw err;
      // The error says nothing of the path, which holds the token.
      throw new TelegramApiError(method, 0, err.timedOut ? `no answer within ${timeoutMs} ms` : 'network error');
    }
    let data: ApiAnswer = {};
    try {
      data = JSON.parse(text) as ApiAnswer;
    } catch {
      // Not JSON: a proxy error page or similar; judged by the HTTP status below.
    }
    if (status >= 200 && status < 300 && data.ok === true) return data.result as ReturnType<Telegram[M]>;
    const retryAfter = typeof data.parameters?.retry_after === 'number' ? data.parameters.retry_after : undefined;
    throw new TelegramApiError(method, data.error_code ?? status, String(data.description ?? `HTTP ${status}`).slice(0, 200), retryAfter);
  }
}
