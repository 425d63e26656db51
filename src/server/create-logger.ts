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

/** The JSON logger (pino) shared by the server and its plugins. */
export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino({ level, redact: { paths: REDACTED_PATHS, censor: '[redacted]' }, base: { service: 'mamori' } }, destination);
}
