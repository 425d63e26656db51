import pino, { type Logger } from 'pino';

/**
 * Paths pino removes from every log line: platform secrets in headers and configuration, and any
 * user text that slips into a structured field. User text itself is never logged by default.
 */
export const REDACTED_PATHS = [
  'req.headers["x-telegram-bot-api-secret-token"]',
  'req.headers["x-line-signature"]',
  'req.headers.authorization',
  'req.headers.cookie',
  'headers["x-telegram-bot-api-secret-token"]',
  'headers["x-line-signature"]',
  'headers.authorization',
  'token',
  'secret',
  'accessToken',
  'channelSecret',
  'botToken',
  'text',
  'password',
  'config.TELEGRAM_BOT_TOKEN',
  'config.TELEGRAM_WEBHOOK_SECRET',
  'config.LINE_CHANNEL_SECRET',
  'config.LINE_CHANNEL_ACCESS_TOKEN',
  'config.METRICS_TOKEN',
  'config.REDIS_URL',
];

/** A request as the serializer may see it: Fastify's request, or Node's IncomingMessage. */
interface LoggedRequest {
  method?: string;
  url?: string;
  routeOptions?: { url?: string };
}

/**
 * What a request and a reply look like in the log: method, path without the query string (it can carry
 * tokens or user text), the route pattern, status. Never the client's address or port (personal data), nor
 * any header. Replaces Fastify's default serializers, which log remoteAddress, remotePort and host.
 */
export const REQUEST_LOG_SERIALIZERS = {
  req(req: LoggedRequest): Record<string, unknown> {
    const url = typeof req.url === 'string' ? req.url : '';
    const q = url.indexOf('?');
    return { method: req.method, url: q < 0 ? url : url.slice(0, q), route: req.routeOptions?.url };
  },
  res(reply: { statusCode?: number }): Record<string, unknown> {
    return { statusCode: reply.statusCode };
  },
};

/** The JSON logger (pino) shared by the server and its plugins. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'mamori' }, serializers: { ...REQUEST_LOG_SERIALIZERS, err: pino.stdSerializers.err } },
    destination,
  );
}
