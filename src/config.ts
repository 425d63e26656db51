import { z } from 'zod';

const bool = (def: boolean) =>
  z
    .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
    .default(def ? 'true' : 'false')
    .transform((v) => ['true', '1', 'yes', 'on'].includes(v));
const int = (def: number, min: number, max: number) =>
  z
    .string()
    .default(String(def))
    .transform((v, ctx) => {
      const n = Number(v);
      if (!/^\d+$/.test(v.trim()) || !Number.isSafeInteger(n) || n < min || n > max) {
        ctx.addIssue({ code: 'custom', message: `must be a whole number from ${min} to ${max}` });
        return z.NEVER;
      }
      return n;
    });
const httpUrl = (def?: string) => {
  const base = z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }).transform((u) => u.replace(/\/+$/, ''));
  return def === undefined ? base.optional() : base.default(def);
};
const optionalSecret = z.string().min(1).optional();

/**
 * Every environment variable the server reads, with its default and meaning. `.env.example` and the
 * README's configuration table list the same variables (a test checks that the three agree).
 */
export const CONFIG_VARIABLES = {
  PORT: { schema: int(3000, 0, 65535), default: '3000', meaning: 'HTTP port to listen on.' },
  HOST: { schema: z.string().min(1).default('127.0.0.1'), default: '127.0.0.1', meaning: 'Address to listen on (0.0.0.0 in containers).' },
  LOG_LEVEL: {
    schema: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    default: 'info',
    meaning: 'pino log level.',
  },
  PUBLIC_URL: { schema: httpUrl(), default: '', meaning: 'Public https base URL of this server; the setup commands build webhook addresses from it.' },
  REDIS_URL: {
    schema: z.url({ protocol: /^rediss?$/, error: 'must be a redis:// or rediss:// URL' }).optional(),
    default: '',
    meaning: 'Redis for sessions (redis:// or rediss:// with password and TLS). Unset: in-memory store (one instance, lost on restart).',
  },
  REDIS_CLUSTER_NODES: {
    schema: z
      .string()
      .regex(/^\s*[^\s,:]+:\d{1,5}\s*(,\s*[^\s,:]+:\d{1,5}\s*)*$/, 'must be comma-separated host:port pairs')
      .transform((v) => v.split(',').map((s) => s.trim()))
      .optional(),
    default: '',
    meaning: 'Comma-separated host:port of Redis Cluster nodes; selects a cluster instead of REDIS_URL.',
  },
  SESSION_TTL: { schema: int(14 * 24 * 3600, 60, 365 * 24 * 3600), default: '1209600', meaning: 'Seconds a conversation is kept after its last message (14 days).' },
  TELEGRAM_BOT_TOKEN: { schema: z.string().regex(/^\d+:[A-Za-z0-9_-]{20,}$/, 'must look like 123456:ABC… (from @BotFather)').optional(), default: '', meaning: 'Telegram bot token; with TELEGRAM_WEBHOOK_SECRET it turns the Telegram channel on.' },
  TELEGRAM_WEBHOOK_SECRET: {
    schema: z.string().regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be 1-256 characters of A-Z a-z 0-9 _ -').optional(),
    default: '',
    meaning: 'Secret Telegram sends in X-Telegram-Bot-Api-Secret-Token (required with the token).',
  },
  TELEGRAM_API_ROOT: { schema: httpUrl('https://api.telegram.org'), default: 'https://api.telegram.org', meaning: 'Bot API server (a self-hosted one, or a local fake in tests).' },
  TELEGRAM_BOT_USERNAME: { schema: z.string().regex(/^[A-Za-z0-9_]{3,64}$/).optional(), default: '', meaning: 'Bot username, to recognise /start@name and @name mentions in groups (fetched with getMe when unset).' },
  LINE_CHANNEL_SECRET: { schema: optionalSecret, default: '', meaning: 'LINE channel secret (signature check); with the access token it turns LINE on.' },
  LINE_CHANNEL_ACCESS_TOKEN: { schema: optionalSecret, default: '', meaning: 'LINE long-lived channel access token.' },
  LINE_API_BASE_URL: { schema: httpUrl('https://api.line.me'), default: 'https://api.line.me', meaning: 'LINE Messaging API base URL (a local fake in tests).' },
  LINE_PUSH_FALLBACK: { schema: bool(false), default: 'false', meaning: 'Push the answer when a reply token has expired (costs message quota).' },
  EXPAND_LINKS: { schema: bool(true), default: 'true', meaning: 'Follow short links (max 5 hops, 3 s, public addresses only) to see where they lead.' },
  WEB_CHAT: { schema: bool(true), default: 'true', meaning: 'Serve the web chat page at / and its API.' },
  WEB_COOKIE_SECRET: {
    schema: z.string().min(32, 'must be at least 32 characters').optional(),
    default: '',
    meaning: 'Key that signs web chat cookies; set the same value on every instance (unset: random per process, so cookies do not survive a restart).',
  },
  METRICS_TOKEN: { schema: optionalSecret, default: '', meaning: 'When set, /metrics requires Authorization: Bearer <token>.' },
  USER_RATE_LIMIT: { schema: int(30, 1, 10_000), default: '30', meaning: 'Events per user per minute before the bot goes quiet.' },
  USER_RATE_BURST: { schema: int(10, 1, 10_000), default: '10', meaning: 'Events per user per 10 seconds.' },
  WEB_RATE_LIMIT: { schema: int(60, 1, 100_000), default: '60', meaning: 'Web chat API requests per client IP per minute.' },
  WEBHOOK_TIME_BUDGET_MS: { schema: int(8000, 100, 55_000), default: '8000', meaning: 'Time allowed to handle one webhook delivery before answering 503.' },
  SHUTDOWN_TIMEOUT_MS: { schema: int(8000, 100, 60_000), default: '8000', meaning: 'On SIGTERM, how long in-flight requests may take before exit.' },
  LOG_USER_TEXT: { schema: bool(false), default: 'false', meaning: 'Log user text (masked) for debugging; off by default, only length and kind are logged.' },
  TRUST_PROXY: { schema: bool(false), default: 'false', meaning: 'Trust X-Forwarded-For (behind a reverse proxy) for client IPs.' },
} as const;

type Vars = typeof CONFIG_VARIABLES;
/** The validated configuration, one field per variable. */
export type Config = { [K in keyof Vars]: z.output<Vars[K]['schema']> };

const ConfigSchema = z.object(
  Object.fromEntries(Object.entries(CONFIG_VARIABLES).map(([k, v]) => [k, v.schema])) as { [K in keyof Vars]: Vars[K]['schema'] },
);

/** Variables that only make sense together; checked on presence, so they are reported even when others are bad. */
function pairingProblems(input: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  const pair = (a: string, b: string) => {
    if (input[a] && !input[b]) problems.push(`${b}: is required when ${a} is set`);
    if (input[b] && !input[a]) problems.push(`${a}: is required when ${b} is set`);
  };
  pair('TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET');
  pair('LINE_CHANNEL_SECRET', 'LINE_CHANNEL_ACCESS_TOKEN');
  return problems;
}

/** Start-up stops on this; the message has one line per problem, each naming the variable. */
export class ConfigError extends Error {
  readonly problems: string[];
  constructor(problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

/** Reads and validates the configuration from environment variables. Empty strings count as unset. */
export function loadConfig(env: Readonly<Record<string, string | undefined>> = process.env): Config {
  const input: Record<string, string> = {};
  for (const key of Object.keys(CONFIG_VARIABLES)) {
    const v = env[key];
    if (v !== undefined && v.trim() !== '') input[key] = v.trim();
  }
  const parsed = ConfigSchema.safeParse(input);
  const problems = [...(parsed.success ? [] : parsed.error.issues.map((i) => `${String(i.path[0] ?? 'config')}: ${i.message}`)), ...pairingProblems(input)];
  if (problems.length || !parsed.success) throw new ConfigError(problems);
  return parsed.data as Config;
}

/** Channels switched on by their credentials. */
export function enabledChannels(config: Config): { telegram: boolean; line: boolean; web: boolean } {
  return { telegram: Boolean(config.TELEGRAM_BOT_TOKEN), line: Boolean(config.LINE_CHANNEL_SECRET), web: config.WEB_CHAT };
}
