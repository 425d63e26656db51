import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';
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

type ApiAnswer = { ok?: boolean; result?: unknown; error_code?: number; description?: string; parameters?: { retry_after?: number } };

/**
 * A small Bot API client on node:http(s) with a keep-alive agent, typed with telegraf's Bot API types.
 * We do not use telegraf's own client for sending: it goes through node-fetch 2 with a 500 s timeout;
 * here every call has a real deadline and errors carry `retry_after`. Not global fetch either: the
 * benchmark's profile showed undici's web-streams machinery as the largest cost per reply (bench/README).
 * The token is part of the path, so it never appears in our errors or logs.
 */
export class TelegramApi {
  readonly #url: URL;
  readonly #basePath: string;
  readonly #timeoutMs: number;
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;

  constructor(options: TelegramApiOptions) {
    this.#url = new URL(options.apiRoot);
    this.#basePath = `${this.#url.pathname.replace(/\/+$/, '')}/bot${options.token}/`;
    this.#timeoutMs = options.timeoutMs ?? 5000;
    const https = this.#url.protocol === 'https:';
    this.#agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
    this.#request = https ? (httpsRequest as unknown as typeof httpRequest) : httpRequest;
  }

  /** Closes idle keep-alive sockets (on shutdown). */
  close(): void {
    this.#agent.destroy();
  }

  async call<M extends keyof Telegram>(method: M, payload: Opts<M>, options: { timeoutMs?: number } = {}): Promise<ReturnType<Telegram[M]>> {
    const timeoutMs = Math.min(options.timeoutMs ?? this.#timeoutMs, this.#timeoutMs);
    // A string body: node:http then writes the headers and the body in one piece (a Buffer goes out as a
    // writev of two), which showed in the benchmark profile.
    const body = JSON.stringify(payload);
    let status: number;
    let text: string;
    try {
      ({ status, text } = await this.#post(method, body, timeoutMs));
    } catch (err) {
      // Deliberately not passing `cause`: a network error's text can contain the request path (with the token).
      throw new TelegramApiError(method, 0, (err as Error).name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : 'network error');
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

  #post(method: string, body: string, timeoutMs: number): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      const req = this.#request(
        {
          protocol: this.#url.protocol,
          hostname: this.#url.hostname,
          port: this.#url.port || undefined,
          path: this.#basePath + method,
          method: 'POST',
          agent: this.#agent,
          headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) },
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', fail);
        },
      );
      const timer = setTimeout(() => {
        const err = new Error('timeout');
        err.name = 'TimeoutError';
        req.destroy(err);
      }, timeoutMs);
      function fail(err: Error) {
        clearTimeout(timer);
        reject(err);
      }
      req.on('error', fail);
      req.end(body);
    });
  }
}
