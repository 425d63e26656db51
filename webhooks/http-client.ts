import { Agent as HttpAgent, request as httpRequest, type IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request as httpsRequest } from 'node:https';

/** A request that got no answer in time: the caller turns it into its platform's error (status 0). */
export class NoAnswerError extends Error {
  readonly timedOut: boolean;
  constructor(timedOut: boolean) {
    super(timedOut ? 'no answer in time' : 'network error');
    this.name = 'NoAnswerError';
    this.timedOut = timedOut;
  }
}

/**
 * A minimal HTTP client for the platform APIs: node:http(s) with keep-alive sockets and a hard deadline
 * per request. Not global fetch: the webhook benchmark's profile showed undici's web-streams machinery as
 * the largest cost per reply; the bot SDKs' own clients have no deadline at all (see line-api.ts and
 * telegram-api.ts). Errors never carry the URL, which holds the Telegram token.
 */
export class KeepAliveHttpClient {
  readonly #agent: HttpAgent;
  readonly #request: typeof httpRequest;
  readonly #origin: URL;

  constructor(origin: string) {
    this.#origin = new URL(origin);
    const https = this.#origin.protocol === 'https:';
    this.#agent = https ? new HttpsAgent({ keepAlive: true, maxSockets: 64 }) : new HttpAgent({ keepAlive: true, maxSockets: 64 });
    this.#request = https ? (httpsRequest as unknown as typeof httpRequest) : httpRequest;
  }

  /**
   * Sends one request to `path` on this client's origin; resolves with the status and body text, rejects
   * with NoAnswerError. A string body is written together with the headers in one piece (a Buffer goes out
   * as a writev of two, which showed in the benchmark profile).
   */
  send(path: string, init: { method: string; headers: Record<string, string>; body?: string | Uint8Array; timeoutMs: number }): Promise<{ status: number; text: string }> {
    const url = this.#origin;
    return new Promise((resolve, reject) => {
      let timedOut = false;
      const req = this.#request(
        {
          protocol: url.protocol,
          hostname: url.hostname,
          port: url.port || undefined,
          path,
          method: init.method,
          agent: this.#agent,
          headers: init.body !== undefined ? { ...init.headers, 'content-length': String(typeof init.body === 'string' ? Buffer.byteLength(init.body) : init.body.length) } : init.headers,
        },
        (res: IncomingMessage) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            clearTimeout(timer);
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') });
          });
          res.on('error', () => fail());
        },
      );
      const timer = setTimeout(() => {
        timedOut = true;
        req.destroy();
      }, init.timeoutMs);
      function fail() {
        clearTimeout(timer);
        reject(new NoAnswerError(timedOut));
      }
      req.on('error', fail);
      req.end(init.body);
    });
  }

  /** Closes idle keep-alive sockets (on shutdown, and after one-off setup commands). */
  close(): void {
    this.#agent.destroy();
  }
}
