import { isIP } from 'node:net';
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

/** One Redis Cluster node: `host:port` or `[IPv6]:port`, port 1–65535 (what the store's parser accepts). */
function clusterNodeProblem(node: string): string | null {
  const m = /^\[([^\]]+)\]:(\d{1,5})$/.exec(node) ?? /^([^\s,:[\]]+):(\d{1,5})$/.exec(node);
  if (!m) return `"${node}" is not host:port (write IPv6 addresses as [addr]:port)`;
  if (node.startsWith('[') && isIP(m[1]!) !== 6) return `"${node}": ${m[1]} is not an IPv6 address`;
  const port = Number(m[2]);
  if (port < 1 || port > 65535) return `"${node}": the port must be 1-65535`;
  return null;
}
const clusterNodes = z
  .string()
  .transform((v, ctx) => {
    const nodes = v.split(',').map((s) => s.trim());
    const problems = nodes.map(clusterNodeProblem).filter((p): p is string => p !== null);
    if (problems.length) {
      ctx.addIssue({ code: 'custom', message: `must be comma-separated host:port pairs: ${problems.join('; ')}` });
      return z.NEVER;
    }
    return nodes;
  })
  .optional();

/** Names @fastify/proxy-addr knows for address ranges. */
const PROXY_RANGE_NAMES = new Set(['loopback', 'linklocal', 'uniquelocal']);
function proxyAddressProblem(entry: string): string | null {
  if (PROXY_RANGE_NAMES.has(entry)) return null;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = isIP(address);
  if (!family || rest.length) return `"${entry}" is not an IP address, a CIDR range or loopback/linklocal/uniquelocal`;
  if (prefix !== undefined && (!/^\d{1,3}$/.test(prefix) || Number(prefix) > (family === 4 ? 32 : 128))) return `"${entry}" has a bad prefix length`;
  return null;
}
/**
 * TRUST_PROXY: false / true (every hop), a hop count (1-10), or a list of proxy addresses. A hop count is
 * kept as a number; the server turns it into a trust function (Fastify itself ignores a number).
 */
const trustProxy = z
  .string()
  .default('false')
  .transform((v, ctx): boolean | number | string[] => {
    const s = v.trim().toLowerCase();
    if (['false', 'no', 'off', '0'].includes(s)) return false;
    if (['true', 'yes', 'on'].includes(s)) return true;
    if (/^\d+$/.test(s)) {
      const hops = Number(s);
      if (hops <= 10) return hops;
      ctx.addIssue({ code: 'custom', message: 'a hop count must be from 1 to 10' });
      return z.NEVER;
    }
    const entries = v.split(',').map((e) => e.trim());
    const problems = entries.map(proxyAddressProblem).filter((p): p is string => p !== null);
    if (problems.length) {
      ctx.addIssue({ code: 'custom', message: `must be false, true, a hop count or a comma-separated list of proxy addresses: ${problems.join('; ')}` });
      return z.NEVER;
    }
    return entries;
  });

/**
 * Every environment variable the server reads, with its default and meaning. `.env.example` and the
 * README's configuration table list the same variables (a test checks that the three agree).
 */
export const CONFIG_VARIABLES = {
  PORT: { schema: int(3000, 0, 65535), default: '3000', meaning: 'HTTP port to listen on.' },
  HOST: {
    schema: z.string().min(1).default('127.0.0.1'),
    default: '127.0.0.1',
    meaning: 'Address to listen on. The default keeps `npm start` private to this machine; the Docker image sets 0.0.0.0 (so .env.example leaves HOST commented out).',
    // A HOST line in a file given to `docker run --env-file` would override the image's 0.0.0.0.
    commentedOutInExample: true,
  },
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
    schema: clusterNodes,
    default: '',
    meaning: 'Comma-separated host:port of Redis Cluster nodes (IPv6 as [addr]:port, ports 1-65535); selects a cluster instead of REDIS_URL.',
  },
  SESSION_TTL: {
    schema: int(14 * 24 * 3600, 60, 365 * 24 * 3600),
    default: '1209600',
    meaning: 'Seconds a conversation is kept after its last message (14 days). No key of a user outlives it: below a day, redelivered webhook events are recognised only this long.',
  },
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
  EXPAND_LINKS: { schema: bool(true), default: 'true', meaning: 'Follow short links (max 5 hops, 3 s, public addresses only) to see where they lead; one written defanged (`bit[.]ly/…`) is never followed.' },
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
  LOG_USER_TEXT: {
    schema: bool(false),
    default: 'false',
    meaning: 'Log what users write (with card numbers, passwords and codes masked) for debugging; off: only its kind and length are logged.',
  },
  TRUST_PROXY: {
    schema: trustProxy,
    default: 'false',
    meaning:
      'Which reverse proxies may set X-Forwarded-For/-Proto (client address for the web chat limit, https): false (none), a hop count (1: the one proxy in front, which must overwrite X-Forwarded-For and be the only way in, as in docker-compose.yml), or a comma-separated list of proxy addresses/CIDRs (or loopback, linklocal, uniquelocal). true trusts every hop: a client can then choose its own address.',
  },
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
