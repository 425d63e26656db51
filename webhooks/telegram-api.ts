import type { Opts, Telegram } from 'telegraf/types';

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

/**
 * A small Bot API client over global fetch, typed with telegraf's Bot API types. We do not use
 * telegraf's own client for sending: it goes through node-fetch 2 with a 500 s timeout and its abort
 * signal type does not match Node's; here every call has a real deadline (AbortSignal.timeout) and
 * errors carry `retry_after`. The token is part of the URL, so it never appears in our errors or logs.
 */
export class TelegramApi {
  readonly #base: string;
  readonly #timeoutMs: number;

  constructor(options: TelegramApiOptions) {
    this.#base = `${options.apiRoot.replace(/\/+$/, '')}/bot${options.token}/`;
    this.#timeoutMs = options.timeoutMs ?? 5000;
  }

  async call<M extends keyof Telegram>(method: M, payload: Opts<M>, options: { timeoutMs?: number } = {}): Promise<ReturnType<Telegram[M]>> {
    const timeoutMs = Math.min(options.timeoutMs ?? this.#timeoutMs, this.#timeoutMs);
    let res: Response;
    try {
      res = await fetch(this.#base + method, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(payload),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (err) {
      const timedOut = (err as Error).name === 'TimeoutError' || (err as Error).name === 'AbortError';
      // Deliberately not passing `cause`: undici's error text can contain the request URL (with the token).
      throw new TelegramApiError(method, 0, timedOut ? `no answer within ${timeoutMs} ms` : 'network error');
    }
    let data: { ok?: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } } = {};
    try {
      data = (await res.json()) as typeof data;
    } catch {
      // Not JSON: a proxy error page or similar; judged by the HTTP status below.
    }
    if (res.ok && data.ok === true) return data.result as ReturnType<Telegram[M]>;
    const retryAfter = typeof data.parameters?.retry_after === 'number' ? data.parameters.retry_after : undefined;
    throw new TelegramApiError(method, data.error_code ?? res.status, String(data.description ?? res.statusText).slice(0, 200), retryAfter);
  }
}
