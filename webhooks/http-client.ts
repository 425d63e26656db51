import { Pool, type Dispatcher } from 'undici';

/** A request that got no answer in time: the caller turns it into its platform's error (status 0). */
export class NoAnswerError extends Error {
  readonly timedOut: boolean;
  constructor(timedOut: boolean) {
    super(timedOut ? 'no answer in time' : 'network error');
    this.name = 'NoAnswerError';
    this.timedOut = timedOut;
  }
}

/** Largest answer body read (the platforms answer with a few hundred bytes); a longer one counts as no answer. */
const MAX_ANSWER_BYTES = 1024 * 1024;

/**
 * A minimal HTTP client for the platform APIs: an undici Pool (keep-alive connections to one origin, HTTP/1.1
 * over TCP or TLS) driven through its dispatch handler, with a hard deadline per request. The handler gets the
 * answer's status and body chunks directly: no response stream, no web streams, no promise per chunk. The
 * benchmark measured it against the node:http client this replaces (bench:ab, README: Benchmark), and global
 * fetch was slower still (its web-streams machinery was the largest cost per reply in the profile). The bot SDKs'
 * own clients have no deadline at all (see line-api.ts and telegram-api.ts). Errors never carry the URL, which
 * holds the Telegram token.
 */
export class KeepAliveHttpClient {
  readonly #pool: Pool;

  /** `ca`: certificates to trust for an https origin besides the system's (tests use a private one). */
  constructor(origin: string, options: { ca?: string } = {}) {
    // keepAliveTimeout: how long an idle connection is kept when the server does not say (undici's default).
    this.#pool = new Pool(new URL(origin).origin, { connections: 64, keepAliveTimeout: 4000, ...(options.ca ? { connect: { ca: options.ca } } : {}) });
  }

  /**
   * Sends one request to `path` on this client's origin; resolves with the status and body text, rejects with
   * NoAnswerError (no connection, connection lost, no complete answer within `timeoutMs`, or an answer over
   * 1 MiB). The deadline covers waiting for a free connection too: the promise settles when it passes even if
   * the request never got a connection.
   */
  send(path: string, init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; timeoutMs: number }): Promise<{ status: number; text: string }> {
    return new Promise((resolve, reject) => {
      let settled = false;
      let timedOut = false;
      let status = 0;
      let size = 0;
      let controller: Dispatcher.DispatchController | undefined;
      const chunks: Buffer[] = [];
      const fail = () => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        reject(new NoAnswerError(timedOut));
      };
      const timer = setTimeout(() => {
        timedOut = true;
        controller?.abort(new Error('deadline passed'));
        fail();
      }, init.timeoutMs);
      const handler: Dispatcher.DispatchHandler = {
        onRequestStart(c) {
          controller = c;
          // Started after the deadline (it waited for a connection): not sent at all.
          if (settled) c.abort(new Error('deadline passed'));
        },
        onResponseStart(_c, statusCode) {
          status = statusCode;
        },
        onResponseData(c, chunk) {
          size += chunk.length;
          if (size > MAX_ANSWER_BYTES) {
            c.abort(new Error('answer too large'));
            return;
          }
          chunks.push(chunk);
        },
        onResponseEnd() {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          resolve({ status, text: (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8') });
        },
        onResponseError: fail,
      };
      try {
        this.#pool.dispatch({ path, method: init.method as Dispatcher.HttpMethod, headers: init.headers, body: init.body ?? null }, handler);
      } catch {
        // A closed client, or options undici refuses.
        fail();
      }
    });
  }

  /** Closes the connections (on shutdown, and after one-off setup commands); requests still running finish first. */
  close(): Promise<void> {
    return this.#pool.close().catch(() => {});
  }
}
