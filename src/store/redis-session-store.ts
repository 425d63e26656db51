/*
 * Session store on Redis or Redis Cluster (ioredis 6).
 *
 * Key layout (prefix `mamori`, user key `tg:123`):
 *
 *   mamori:{tg:123}:s                   string "<version>:<state>"     TTL: session TTL, refreshed on every write
 *   mamori:{tg:123}:e:<eventId>         pending delivery "p<at>:<outbox>" (answer not yet confirmed sent)
 *                                                                      TTL: a day (*); deleted once sent
 *   mamori:{tg:123}:d                   hash of the newest HANDLED_KEEP (48) handled event ids → "" (ids other than
 *                                       Telegram's as a 48-bit hash, see handledField), plus the
 *                                       rate-limit counts "~m" / "~b" → "window:count"
 *                                                                      TTL: a day after the last event (*)
 *   mamori:{tg:123}:r:<bucket>:<window> fixed-window counter for hit() (per-IP limits of the web chat, the
 *                                       rate-limit notice mark of advisor.ts)   TTL: the rest of its window
 *
 * (*) or the session TTL when that is shorter (ownedTtls): no key of a user outlives the session TTL.
 *
 * Handled events are fields of one small hash rather than one key each: a key costs ~90 bytes, an id with an
 * empty value in a listpack ~6–10 (stored as an integer: a Telegram update_id as it is, other ids hashed),
 * and a user sends several messages a day (the 512-byte budget per user counts them).
 *
 * The `{tg:123}` hash tag puts every key of one user in one Cluster slot, so the scripts (each touches one
 * user's keys) and the multi-key DEL of `forget` never meet CROSSSLOT. Braces and `%` inside a
 * user key are percent-encoded so that a user key cannot end the hash tag early; an empty user key is refused
 * (it would make an empty tag, and Redis then hashes the whole key).
 *
 * Why a string with the version as a prefix rather than a hash {v, s}: a session is 150–300 bytes of JSON,
 * over Redis' default `hash-max-listpack-value` (64), so a hash would be stored as a real hashtable (measured:
 * 520 bytes against 360 for the same session and key). The string costs one allocation for the value, needs
 * no field names, and can be read together with the delivery record by one MGET (atomic, no script).
 * The done marker is the integer "1": small integers need no value allocation (16 bytes less per record,
 * and there is one record per event for a day).
 *
 * Round trips: load 1 (Lua: state, delivery record, rate counts), commit 1 (Lua), markDelivered one per loop turn
 * for all the marks asked for in it (Lua; one per mark on a Cluster), claimEvent 1 (Lua), hit 1 (Lua), ping 1, forget 1 SCAN per 1,000 keys per
 * master plus one DEL per batch (forget is rare: the /forget command). On one server, the commands of all the calls
 * made in one loop turn go out in one socket write (see #groupWritesOfThisTurn).
 *
 * Compare-and-set is a Lua script, never WATCH: WATCH belongs to one connection and is silently lost on
 * reconnect (ioredis#1686).
 *
 * RESP3 (the ioredis 6 default, HELLO 3 with AUTH on connect): replies this store uses look the same as
 * under RESP2 with `replyMapping: 'legacy'` (pinned here). The scripts return only strings and integers,
 * never a Lua boolean or nil: a script that switches to RESP3 (`redis.setresp(3)`) answers booleans as RESP3
 * booleans, which the legacy mapping turns into 1/0 rather than null. Inside scripts, a missing key is still
 * `false` (RESP2 conversion is the script default).
 *
 * Failure: ioredis queues commands while disconnected and retries them (ioredis#61, #285), so requests hang
 * when Redis is down. Here the offline queue is off, in-flight commands are not resent after a reconnect
 * (a commit the caller was told failed must not run later), each command has `commandTimeout`, and on a
 * Cluster (where a command can also wait for a slot refresh) every call has its own deadline too. A command
 * Redis already received still runs if Redis was only stopped (SIGSTOP) and resumes after we gave up on it:
 * the advisor remembers the events it gave up on (see advisor.ts). Every failure to reach Redis becomes StoreUnavailableError (webhooks
 * answer 503), within about `commandTimeoutMs`. Reconnection runs forever with a capped backoff, so the same
 * store works again when Redis returns. Before the very first connection a call waits for it (at most the
 * deadline) instead of failing at once, which is what the offline queue would have given at start-up
 * without its cost: a queued command that timed out would otherwise still run when Redis comes up.
 */
import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { hash } from 'node:crypto';
import {
  HANDLED_KEEP,
  HANDLED_SLACK,
  StoreUnavailableError,
  type CheckedCommit,
  type CommitResult,
  type DeliveryRecord,
  type LoadedState,
  type PendingDelivery,
  type RateCheck,
  type RateWindow,
  type SessionStore,
  type StateGuess,
  type StoreTtls,
} from '../engine/session-store.ts';
import { RecentMap } from '../engine/recent-map.ts';
import { ownedTtls } from './store-ttls.ts';

/** The few log calls the store makes (a pino logger fits). Never given the URL or a password. */
export interface SessionStoreLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
}

/** How to reach Redis and how long keys live. Give `url`, `clusterNodes` or `client`. */
export interface RedisSessionStoreOptions {
  /** `redis://[[user]:password@]host:port[/db]` or `rediss://…` (TLS). With `clusterNodes`: credentials and TLS for the nodes. */
  url?: string;
  /** `host:port` of some Redis Cluster nodes: selects a Cluster. */
  clusterNodes?: string[];
  /** An existing client (tests). The store defines its scripts on it but does not close it. Must not use ioredis `keyPrefix`. */
  client?: Redis | Cluster;
  /** First part of every key. Default `mamori`. */
  keyPrefix?: string;
  ttls?: Partial<StoreTtls>;
  /** Longest wait for one Redis command before the call fails with StoreUnavailableError. Default 500 ms. */
  commandTimeoutMs?: number;
  log?: SessionStoreLogger;
  /** Clock for rate-limit windows (tests). */
  now?: () => number;
}

/** Memory one user costs in Redis: the sum of `MEMORY USAGE` over all of the user's keys. */
export interface UserMemoryUsage {
  userKey: string;
  bytes: number;
  keys: { key: string; bytes: number }[];
}

const DEFAULT_PREFIX = 'mamori';
const DEFAULT_COMMAND_TIMEOUT_MS = 500;
/** Extra time on top of commandTimeout before the store's own deadline fires (it should never have to). */
const DEADLINE_GRACE_MS = 200;
const RECONNECT_CAP_MS = 1000;
const SCAN_COUNT = 1000;
/** Most "sent" marks in one script call (each is two keys). */
const MARK_BATCH = 128;

// A user's keys, from the user's hash tag (see the key layout at the top of this file).
const stateKey = (tag: string) => `${tag}:s`;
const handledKey = (tag: string) => `${tag}:d`;
/** An event's pending delivery record; without an event, a name no record has (the scripts' placeholder KEYS[3]). */
const deliveryKey = (tag: string, eventId = '') => `${tag}:e:${eventId}`;
const hitKey = (tag: string, bucket: string, window: number) => `${tag}:r:${bucket}:${window}`;

/**
 * An event id as a field of the handled-events hash. A Telegram update_id (a decimal integer) stays as it is:
 * Redis keeps it in the hash's listpack as a 4- or 8-byte integer. Any other id (LINE's 26-character
 * webhookEventId, the web chat's request ids) is replaced by a 48-bit hash of it, written in decimal so that
 * it is stored as an integer too: about 13 bytes an id instead of about 30 (measured). Two of one user's newest ids
 * meet with a chance of about 56 in 2^48 per event. A user's ids all come from one channel, so a hash never
 * meets a raw update_id. (The pending record's key keeps the id as it is.)
 */
function handledField(eventId: string): string {
  if (/^[1-9]\d{0,17}$/.test(eventId)) return eventId;
  return String(Number.parseInt(hash('sha256', eventId, 'hex').slice(0, 12), 16));
}

/**
 * Users whose last seen state this instance keeps in memory as a guess for `peek`, and for how long. A guess
 * only saves the read before a commit; a stale one costs nothing extra (the commit answers with the stored
 * state), and one from before a /forget on another instance is never written back (the commit compares the
 * whole stored value). After a /forget here the guess is dropped at once; elsewhere it ages out with this TTL.
 */
const RECENT_STATES_MAX = 20_000;
const RECENT_STATES_TTL_MS = 5 * 60_000;

/** The stored value a state and version were read from (see decodeState), or null for no value. */
function storedValue(guess: StateGuess): string | null {
  if (guess.state === null) return null;
  return guess.version > 0 ? `${guess.version}:${guess.state}` : guess.state;
}

interface MarkBatch {
  keys: string[];
  ids: string[];
  waiters: { resolve: () => void; reject: (err: unknown) => void }[];
}

/**
 * Counts one hit per rate window in the user's hash of handled events, as fields "~<bucket>" = "window:count"
 * (event ids never start with "~"): no key of their own, which would cost a key's overhead (~100 bytes) per
 * user. The windows are ARGV from `first` on, `stride` apart: bucket, window number, and (stride 3) the limit.
 * A value of another type where the hash belongs is replaced. New fields mean a new hash or one that never
 * counted before, so it gets its expiry. Returns the counts and whether any is over its limit.
 */
const COUNT_RATE_LUA = `
local function countRate(hash, first, stride, ttl)
  local fields = {}
  for i = first, #ARGV, stride do fields[#fields + 1] = '~' .. ARGV[i] end
  local hits, over = {}, false
  if #fields == 0 then return hits, over end
  local prev = redis.pcall('HMGET', hash, unpack(fields))
  if prev.err then
    redis.call('DEL', hash)
    prev = {}
  end
  local set = {}
  for j = 1, #fields do
    local at = first + (j - 1) * stride
    local window = ARGV[at + 1]
    local n = 1
    if prev[j] then
      local w, c = string.match(prev[j], '^([^:]+):(%d+)$')
      if w == window then n = tonumber(c) + 1 end
    end
    set[#set + 1] = fields[j]
    set[#set + 1] = window .. ':' .. n
    hits[j] = n
    if stride > 2 and n > tonumber(ARGV[at + 2]) then over = true end
  end
  if redis.call('HSET', hash, unpack(set)) > 0 then redis.call('EXPIRE', hash, ttl) end
  return hits, over
end
`;

/**
 * `commitChecked`: `load`'s checks and `commit` in one script. KEYS[1] state, KEYS[2] the hash of handled
 * event ids (with the rate counts), KEYS[3] the event's pending record. ARGV: 'a' when the state is expected
 * absent, 'v' when it is expected to be exactly ARGV[2] (the whole stored value, version prefix included), or
 * 'n' when only its version must be ARGV[2] (plain `commit`; a value without a readable prefix is version 0),
 * '1' to write the state or '0' to delete it, state, session TTL (s), pending record ('' for none), delivery
 * TTL (s), event id ('' for none), the hash's TTL (s), then per rate window: bucket, window, limit.
 * Order: count the hits (once per event, whatever follows), then an event recorded already → 'stale' with
 * its record (a redelivery is never rate-limited), then a count over its limit → 'limited', then a state that
 * is not the expected one → 'stale' with the stored state, else write → 'ok'. Returns {tag, state or '', has
 * state, record or '', has record, count...} (no nil in the array: Lua would cut it short).
 */
const COMMIT_CHECKED_LUA = `${COUNT_RATE_LUA}
local hits, over = countRate(KEYS[2], 10, 3, ARGV[9])
local cur = redis.pcall('GET', KEYS[1])
local function answer(tag, record)
  local out = {tag, '', 0, '', 0}
  if tag == 'stale' and type(cur) == 'string' then out[2] = cur; out[3] = 1 end
  if record then out[4] = record; out[5] = 1 end
  for j = 1, #hits do out[#out + 1] = hits[j] end
  return out
end
if ARGV[8] ~= '' then
  local record = redis.pcall('GET', KEYS[3])
  if type(record) == 'string' then return answer('stale', record) end
  -- pcall: a value of another type at KEYS[2] answers an error table, which is not 1.
  if redis.pcall('HEXISTS', KEYS[2], ARGV[8]) == 1 then return answer('stale', '1') end
end
if over then return answer('limited', false) end
local version = 0
if type(cur) == 'string' then
  local digits = string.match(cur, '^(%d+):')
  if digits and #digits <= 15 then version = tonumber(digits) end
end
if ARGV[1] == 'a' then
  if type(cur) == 'string' then return answer('stale', false) end
elseif ARGV[1] == 'n' then
  if version ~= tonumber(ARGV[2]) then return answer('stale', false) end
elseif cur ~= ARGV[2] then
  return answer('stale', false)
end
if ARGV[3] == '1' then
  redis.call('SET', KEYS[1], string.format('%d', version + 1) .. ':' .. ARGV[4], 'EX', ARGV[5])
else
  redis.call('DEL', KEYS[1])
end
if ARGV[6] ~= '' then redis.call('SET', KEYS[3], ARGV[6], 'EX', ARGV[7]) end
return answer('ok', false)
`;

/**
 * Puts an event id into a user's hash of handled events (KEYS-free: the hash is an argument) with an empty value,
 * refreshes the hash's TTL, and once the hash holds more than HANDLED_KEEP + HANDLED_SLACK ids drops the oldest down to
 * HANDLED_KEEP (a small hash is a listpack, which keeps insertion order). Returns 0 when the id was there.
 * Empty values rather than the time: an id then costs ~5 bytes instead of ~11 (see the memory budget).
 */
const RECORD_HANDLED_LUA = `
local function recordHandled(hash, id, ttl)
  local added = redis.pcall('HSETNX', hash, id, '')
  if type(added) ~= 'number' then
    redis.call('DEL', hash)
    added = redis.call('HSETNX', hash, id, '')
  end
  redis.call('EXPIRE', hash, ttl)
  if added == 1 and redis.call('HLEN', hash) > ${HANDLED_KEEP + HANDLED_SLACK} then
    local ids = {}
    for _, field in ipairs(redis.call('HKEYS', hash)) do
      if string.sub(field, 1, 1) ~= '~' then ids[#ids + 1] = field end
    end
    for i = 1, #ids - ${HANDLED_KEEP} do redis.call('HDEL', hash, ids[i]) end
  end
  return added
end
`;

/**
 * Marks events' replies as sent, several events per call: for each pair of keys (the event's pending record,
 * the user's hash of handled events), the pending record (with its outbox) is deleted and the event id goes
 * into the hash (recordHandled). Nothing happens for an unknown event (pending record absent), as with SET XX.
 * ARGV: delivery TTL (s), then the event ids in the order of the key pairs.
 */
const MARK_LUA = `${RECORD_HANDLED_LUA}
for i = 1, #KEYS, 2 do
  if redis.call('DEL', KEYS[i]) == 1 then recordHandled(KEYS[i + 1], ARGV[1 + (i + 1) / 2], ARGV[1]) end
end
return 1
`;

/** Claims an event with no state change: 0 when it is pending or handled already, else recorded as handled. ARGV: id, TTL (s). */
const CLAIM_LUA = `${RECORD_HANDLED_LUA}
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
return recordHandled(KEYS[2], ARGV[1], ARGV[2])
`;

/**
 * Fixed-window counter: INCR, and an expiry at the window's end when the key is new or has none.
 * ARGV[1]: milliseconds left in the window. A value that is not a counter is replaced.
 */
const HIT_LUA = `
local n = redis.pcall('INCR', KEYS[1])
if type(n) ~= 'number' then
  redis.call('SET', KEYS[1], '1')
  n = 1
end
if n == 1 or redis.call('PTTL', KEYS[1]) < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return n
`;

/**
 * `load`, with the per-user rate limit in the same round trip. KEYS[1] state, KEYS[2] the hash of handled event
 * ids (which also holds the rate counts, see countRate), KEYS[3] the event's pending record. ARGV: event id ('' for
 * none), the hash's TTL (s), then per window: bucket, window. Returns {state or '', has state, delivery or '', has
 * delivery, count...} (no nil in the array: Lua would cut it short).
 */
const LOAD_LUA = `${COUNT_RATE_LUA}
local state = redis.pcall('GET', KEYS[1])
local delivery = false
if ARGV[1] ~= '' then
  delivery = redis.pcall('GET', KEYS[3])
  -- pcall: a value of another type at KEYS[2] answers an error table, which is not 1.
  if type(delivery) ~= 'string' and redis.pcall('HEXISTS', KEYS[2], ARGV[1]) == 1 then delivery = '1' end
end
local out = {}
if type(state) == 'string' then out[1] = state; out[2] = 1 else out[1] = ''; out[2] = 0 end
if type(delivery) == 'string' then out[3] = delivery; out[4] = 1 else out[3] = ''; out[4] = 0 end
for _, n in ipairs((countRate(KEYS[2], 3, 2, ARGV[2]))) do out[#out + 1] = n end
return out
`;

interface StoreScripts {
  mamoriMark(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  mamoriClaim(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<number>;
  mamoriLoad(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<(string | number)[]>;
  mamoriCommitChecked(numKeys: number, ...keysAndArgs: (string | number)[]): Promise<(string | number)[]>;
  mamoriHit(key: string, windowLeftMs: number): Promise<number>;
}

type Client = Redis | Cluster;

/** `host:port` (or `[v6]:port`) to a Cluster startup node. */
function parseNode(node: string): { host: string; port: number } {
  const i = node.lastIndexOf(':');
  const port = Number(node.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) throw new TypeError(`not a host:port Redis Cluster node: ${node}`);
  return { host: node.slice(0, i).replace(/^\[|\]$/g, ''), port };
}

/** Credentials and TLS taken from a redis:// or rediss:// URL, for Cluster nodes. */
function credentialsFromUrl(url: string): Pick<RedisOptions, 'username' | 'password' | 'tls'> {
  const u = new URL(url);
  const out: Pick<RedisOptions, 'username' | 'password' | 'tls'> = {};
  if (u.username) out.username = decodeURIComponent(u.username);
  if (u.password) out.password = decodeURIComponent(u.password);
  if (u.protocol.toLowerCase() === 'rediss:') out.tls = {};
  return out;
}

/** Reconnect forever: 50 ms doubling to a 1 s cap, plus jitter so instances do not reconnect in step. */
function reconnectDelay(times: number): number {
  return Math.min(50 * 2 ** Math.min(times - 1, 10), RECONNECT_CAP_MS) + Math.floor(Math.random() * 100);
}

/** Escapes glob characters for SCAN MATCH. */
function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}

/** Errors Redis answers with while it cannot serve (loading, failover, cluster down, out of memory, auth). */
const UNAVAILABLE_REPLY = /^(LOADING|BUSY|CLUSTERDOWN|TRYAGAIN|MASTERDOWN|READONLY|OOM|NOAUTH|WRONGPASS|NOPERM|MOVED|ASK)\b/;

function isUnavailable(err: unknown): boolean {
  if (!(err instanceof Error)) return true;
  // ReplyError: Redis answered with an error. Anything else is the client failing to reach Redis in time
  // (timeouts, closed or unwritable connections, MaxRetriesPerRequestError, cluster not ready).
  if (err.name !== 'ReplyError') return true;
  return UNAVAILABLE_REPLY.test(err.message);
}

function decodeDelivery(raw: string | null): DeliveryRecord | null {
  if (raw === null) return null;
  if (raw.startsWith('p')) {
    const colon = raw.indexOf(':');
    if (colon > 0) return { status: 'pending', at: Number(raw.slice(1, colon)), outbox: raw.slice(colon + 1) };
  }
  // "1", or anything unexpected: the event was handled; never resend something unreadable.
  return { status: 'done' };
}

function decodeState(raw: string | null): { state: string | null; version: number } {
  if (raw === null) return { state: null, version: 0 };
  // Same reading as COMMIT_CHECKED_LUA: up to 15 digits and a colon. Anything else is returned as-is with version 0,
  // for the engine to discard; the next commit (expecting 0) replaces it.
  const m = /^(\d{1,15}):/.exec(raw);
  return m ? { state: raw.slice(m[0].length), version: Number(m[1]) } : { state: raw, version: 0 };
}

/**
 * SessionStore on Redis or Redis Cluster: one round trip per call, compare-and-set in Lua, every key with a
 * TTL and hash-tagged per user. Fails fast with StoreUnavailableError while Redis is unreachable and recovers
 * by itself when it returns. See the top of this file for the key layout.
 */
export class RedisSessionStore implements SessionStore {
  /** `redis` for one server, `redis-cluster` for a Cluster. */
  readonly kind: 'redis' | 'redis-cluster';
  readonly #client: Client;
  readonly #scripts: StoreScripts;
  readonly #ownsClient: boolean;
  readonly #prefix: string;
  readonly #ttls: StoreTtls;
  readonly #deadlineMs: number;
  readonly #log: SessionStoreLogger | undefined;
  readonly #now: () => number;
  #everReady: boolean;
  /** Resolves on the first 'ready' (one listener shared by every call waiting for it). */
  readonly #firstReady: Promise<void>;
  #downLogged = false;
  #closed = false;
  /** True while this loop turn's writes are held back (see #groupWritesOfThisTurn). */
  #corked = false;
  /** Marks waiting for this loop turn's batch call (see markDelivered). */
  #pendingMarks: MarkBatch | null = null;
  /** What this instance last read or wrote per user (see peek). */
  readonly #recent = new RecentMap<StateGuess>(RECENT_STATES_MAX, RECENT_STATES_TTL_MS);

  constructor(options: RedisSessionStoreOptions) {
    this.#prefix = options.keyPrefix ?? DEFAULT_PREFIX;
    if (!this.#prefix || /[{}]/.test(this.#prefix)) throw new TypeError('keyPrefix must be non-empty and free of { }');
    this.#ttls = ownedTtls(options.ttls);
    const commandTimeout = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
    this.#deadlineMs = commandTimeout + DEADLINE_GRACE_MS;
    this.#log = options.log;
    this.#now = options.now ?? Date.now;

    if (options.client) {
      this.#client = options.client;
      this.#ownsClient = false;
    } else if (options.clusterNodes?.length) {
      this.#client = new Cluster(options.clusterNodes.map(parseNode), RedisSessionStore.clusterOptions(commandTimeout, options.url));
      this.#ownsClient = true;
    } else if (options.url) {
      this.#client = new Redis(options.url, RedisSessionStore.redisOptions(commandTimeout, options.url));
      this.#ownsClient = true;
    } else {
      throw new TypeError('RedisSessionStore needs url, clusterNodes or client');
    }
    this.kind = this.#client instanceof Cluster ? 'redis-cluster' : 'redis';
    this.#everReady = this.#client.status === 'ready';
    this.#firstReady = new Promise((resolve) => this.#client.once('ready', () => resolve()));

    // An 'error' event without a listener would crash the process. ioredis emits one per failed attempt, so
    // only the change to failing is logged, with code and message only (never the URL and its password).
    this.#client.on('error', (err: Error & { code?: string }) => {
      if (this.#downLogged) return;
      this.#downLogged = true;
      this.#log?.warn({ store: this.kind, code: err.code, err: err.message }, 'session store: Redis unreachable');
    });
    if (this.#client instanceof Cluster) this.#client.on('node error', () => {});
    this.#client.on('ready', () => {
      this.#everReady = true;
      if (this.#downLogged) this.#log?.info({ store: this.kind }, 'session store: Redis reachable again');
      this.#downLogged = false;
    });

    this.#client.defineCommand('mamoriCommitChecked', { lua: COMMIT_CHECKED_LUA });
    this.#client.defineCommand('mamoriLoad', { lua: LOAD_LUA });
    this.#client.defineCommand('mamoriMark', { lua: MARK_LUA });
    this.#client.defineCommand('mamoriClaim', { lua: CLAIM_LUA });
    this.#client.defineCommand('mamoriHit', { lua: HIT_LUA, numberOfKeys: 1 });
    this.#scripts = this.#client as unknown as StoreScripts;
  }

  /** ioredis options for one server: fail fast, reconnect forever. */
  static redisOptions(commandTimeoutMs: number, url: string): RedisOptions {
    return {
      // Off from the start; see the top of this file for the start-up wait that replaces it.
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      autoResendUnfulfilledCommands: false,
      commandTimeout: commandTimeoutMs,
      // A half-open connection (no RST) is noticed when a command gets no data back, then reconnected.
      socketTimeout: Math.max(2000, commandTimeoutMs * 4),
      connectTimeout: Math.max(1000, commandTimeoutMs * 4),
      retryStrategy: reconnectDelay,
      replyMapping: 'legacy',
      connectionName: 'mamori-sessions',
      // Off: auto-pipelining groups the commands of a loop turn into one write, but builds a Pipeline per group and
      // settles every command through an extra tick; on the webhook path (about one script call per update) that
      // cost the server more than the writes it saved (bench:ab: 1.07 and 1.13 without it, with 4 to 10% less
      // server CPU per update). The store groups a turn's writes itself (#groupWritesOfThisTurn).
      enableAutoPipelining: false,
      // ioredis only turns TLS on for a lower-case "rediss://".
      ...(/^rediss:/i.test(url) ? { tls: {} } : {}),
    };
  }

  /** ioredis options for a Cluster: the offline queue is a Cluster-level option (not in redisOptions). */
  static clusterOptions(commandTimeoutMs: number, url?: string): ClusterOptions {
    return {
      enableOfflineQueue: false,
      enableReadyCheck: true,
      clusterRetryStrategy: reconnectDelay,
      // clusterNodeRetryStrategy stays null (ioredis' default): a dead node's connection ends at once, so calls
      // fail fast instead of queueing on that node while it retries, and the Cluster reconnects as a whole
      // (measured: with a per-node retry, calls waited for the store's deadline while every node was down).
      // Retries on CLUSTERDOWN, TRYAGAIN or a closed node connection stop after about 400 ms, before the
      // store's own deadline: a command given up by the caller should not still be retried (and run) later.
      maxRedirections: 5,
      retryDelayOnFailover: 100,
      retryDelayOnClusterDown: 100,
      retryDelayOnTryAgain: 100,
      slotsRefreshTimeout: Math.max(1000, commandTimeoutMs * 2),
      redisOptions: {
        maxRetriesPerRequest: 1,
        autoResendUnfulfilledCommands: false,
        commandTimeout: commandTimeoutMs,
        socketTimeout: Math.max(2000, commandTimeoutMs * 4),
        connectTimeout: Math.max(1000, commandTimeoutMs * 4),
        replyMapping: 'legacy',
        connectionName: 'mamori-sessions',
        ...(url ? credentialsFromUrl(url) : {}),
      },
    };
  }

  /** The user's hash tag, with `{`, `}` and `%` percent-encoded so the tag cannot end early. */
  #tag(userKey: string): string {
    if (!userKey) throw new TypeError('userKey must not be empty');
    return `${this.#prefix}:{${userKey.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
  }

  /**
   * Runs one Redis call; failures to reach Redis become StoreUnavailableError. On one server, ioredis'
   * commandTimeout bounds every command (the offline queue is off, so nothing waits unsent), and the call
   * needs no timer of its own: one less timer and promise race per command. On a Cluster a command can also
   * wait for a slot refresh or a redirection, so there the call gets its own deadline as well.
   */
  async #call<T>(what: string, op: () => Promise<T>): Promise<T> {
    if (!this.#everReady || this.#closed) await this.#started(what);
    if (this.kind === 'redis-cluster') return this.#callWithDeadline(what, op);
    this.#groupWritesOfThisTurn();
    try {
      return await op();
    } catch (err) {
      throw this.#unavailable(what, err);
    }
  }

  /**
   * Holds the connection's writes until the end of this loop turn (cork, uncork in setImmediate), so that the
   * commands of all the updates handled in one turn reach Redis in one write and are answered in one. This is the
   * batching auto-pipelining gave (see redisOptions) without its per-command cost: bench:ab measured 19% less Redis
   * CPU per update and 4% less server CPU. A command waits at most until the end of the turn, as it did there.
   */
  #groupWritesOfThisTurn(): void {
    if (this.#corked) return;
    const socket = (this.#client as Redis).stream as { cork(): void; uncork(): void } | undefined;
    if (!socket) return;
    socket.cork();
    this.#corked = true;
    setImmediate(() => {
      this.#corked = false;
      // The same socket even if the client reconnected meanwhile (a closed socket ignores it).
      socket.uncork();
    });
  }

  async #callWithDeadline<T>(what: string, op: () => Promise<T>): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new StoreUnavailableError(`Redis did not answer ${what} in ${this.#deadlineMs} ms`)), this.#deadlineMs);
    });
    try {
      return await Promise.race([op(), deadline]);
    } catch (err) {
      throw this.#unavailable(what, err);
    } finally {
      clearTimeout(timer);
    }
  }

  /** The error to throw for `err`: StoreUnavailableError when Redis could not be reached or could not serve. */
  #unavailable(what: string, err: unknown): unknown {
    if (err instanceof StoreUnavailableError) return err;
    if (isUnavailable(err)) return new StoreUnavailableError(`Redis unavailable for ${what}: ${(err as Error)?.message ?? err}`, { cause: err });
    return err;
  }

  /** Refuses calls after close(); before the first connection only, waits for it (at most the deadline). */
  async #started(what: string): Promise<void> {
    if (this.#closed) throw new StoreUnavailableError('session store is closed');
    if (this.#everReady || this.#client.status === 'ready') return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.#firstReady,
        new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new StoreUnavailableError(`Redis not connected yet (${what})`)), this.#deadlineMs);
        }),
      ]);
    } finally {
      clearTimeout(timer);
    }
  }

  async load(userKey: string, eventId?: string, rate?: readonly RateWindow[]): Promise<LoadedState> {
    const now = this.#now();
    const tag = this.#tag(userKey);
    const keys = [stateKey(tag), handledKey(tag), deliveryKey(tag, eventId)];
    const args: (string | number)[] = [eventId ? handledField(eventId) : '', this.#ttls.deliverySeconds];
    if (rate?.length) {
      // Window numbers only need to differ from the previous window's, so they are kept short (mod 10,000).
      for (const w of rate) args.push(w.bucket, String(Math.floor(now / (w.windowSeconds * 1000)) % 10_000));
    }
    const reply = await this.#call('load', () => this.#scripts.mamoriLoad(keys.length, ...keys, ...args));
    const state = reply[1] === 1 ? String(reply[0]) : null;
    const record = reply[3] === 1 ? String(reply[2]) : null;
    const loaded: LoadedState = { ...decodeState(state), delivery: decodeDelivery(record) };
    if (rate?.length) loaded.hits = reply.slice(4).map(Number);
    this.#recent.set(userKey, { state: loaded.state, version: loaded.version }, now);
    return loaded;
  }

  peek(userKey: string): StateGuess | null {
    return this.#recent.get(userKey, this.#now()) ?? null;
  }

  commitChecked(userKey: string, expected: StateGuess, state: string | null, delivery: PendingDelivery | undefined, rate?: RateCheck): Promise<CheckedCommit> {
    const value = storedValue(expected);
    return this.#runCommit(userKey, value === null ? ['a', ''] : ['v', value], expected.version, state, delivery, rate);
  }

  /**
   * Runs COMMIT_CHECKED_LUA with the given expectation (see there) and keeps what it learnt about the user's
   * state for `peek`. `expectedVersion` is the version the expectation stands for (the new one is one more).
   */
  async #runCommit(
    userKey: string,
    expect: ['a' | 'v' | 'n', string],
    expectedVersion: number,
    state: string | null,
    delivery: PendingDelivery | undefined,
    rate: RateCheck | undefined,
  ): Promise<CheckedCommit> {
    const now = this.#now();
    const tag = this.#tag(userKey);
    const keys = [stateKey(tag), handledKey(tag), deliveryKey(tag, delivery?.eventId)];
    const args: (string | number)[] = [
      ...expect,
      state === null ? '0' : '1',
      state ?? '',
      this.#ttls.sessionSeconds,
      delivery ? `p${delivery.at}:${delivery.outbox}` : '',
      this.#ttls.deliverySeconds,
      delivery?.eventId ? handledField(delivery.eventId) : '',
      this.#ttls.deliverySeconds,
    ];
    for (const [i, w] of (rate?.windows ?? []).entries()) {
      args.push(w.bucket, String(Math.floor(now / (w.windowSeconds * 1000)) % 10_000), rate!.limits[i] ?? Number.MAX_SAFE_INTEGER);
    }
    const reply = await this.#call('commit', () => this.#scripts.mamoriCommitChecked(keys.length, ...keys, ...args));
    const hits = rate?.windows.length ? reply.slice(5).map(Number) : undefined;
    const withHits = <T extends object>(o: T) => (hits ? { ...o, hits } : o);
    switch (reply[0]) {
      case 'ok':
        this.#recent.set(userKey, { state, version: state === null ? 0 : expectedVersion + 1 }, now);
        return withHits({ result: 'ok' as const });
      case 'limited':
        return { result: 'limited', hits: hits ?? [] };
      case 'stale': {
        const current: LoadedState = { ...decodeState(reply[2] === 1 ? String(reply[1]) : null), delivery: decodeDelivery(reply[4] === 1 ? String(reply[3]) : null) };
        this.#recent.set(userKey, { state: current.state, version: current.version }, now);
        return withHits({ result: 'stale' as const, current });
      }
      default:
        throw new Error(`unexpected commit script reply: ${String(reply[0])}`);
    }
  }

  async commit(userKey: string, expectedVersion: number, state: string | null, delivery?: PendingDelivery): Promise<CommitResult> {
    const answer = await this.#runCommit(userKey, ['n', String(expectedVersion)], expectedVersion, state, delivery, undefined);
    if (answer.result === 'ok') return 'ok';
    // A stale version is a conflict first (as the memory store checks it), then a recorded event is a duplicate.
    if (answer.result === 'stale' && answer.current.version === expectedVersion && answer.current.delivery) return 'duplicate';
    return 'conflict';
  }

  /**
   * Marks are batched: every mark asked for in one turn of the event loop (up to MARK_BATCH) goes to Redis
   * in one script call, and each caller's promise settles with that call. A "sent" mark is the one write
   * per event nobody waits for (the answer is already out), so taking it out of the per-event round trips
   * costs at most one loop turn of delay. On a Cluster the keys of different users live in different slots,
   * so each mark is its own call there.
   */
  markDelivered(userKey: string, eventId: string): Promise<void> {
    const tag = this.#tag(userKey);
    const keys = [deliveryKey(tag, eventId), handledKey(tag)];
    if (this.kind === 'redis-cluster') return this.#mark(keys, [handledField(eventId)]);
    let batch = this.#pendingMarks;
    if (!batch) {
      batch = this.#pendingMarks = { keys: [], ids: [], waiters: [] };
      setImmediate(() => this.#flushMarks(batch!));
    }
    batch.keys.push(...keys);
    batch.ids.push(handledField(eventId));
    const settled = new Promise<void>((resolve, reject) => batch.waiters.push({ resolve, reject }));
    if (batch.ids.length >= MARK_BATCH) this.#flushMarks(batch);
    return settled;
  }

  #flushMarks(batch: MarkBatch): void {
    if (this.#pendingMarks !== batch) return; // already flushed (full, or by close())
    this.#pendingMarks = null;
    this.#mark(batch.keys, batch.ids).then(
      () => batch.waiters.forEach((w) => w.resolve()),
      (err: unknown) => batch.waiters.forEach((w) => w.reject(err)),
    );
  }

  #mark(keys: string[], ids: string[]): Promise<void> {
    return this.#call('markDelivered', () => this.#scripts.mamoriMark(keys.length, ...keys, this.#ttls.deliverySeconds, ...ids)).then(() => undefined);
  }

  async claimEvent(userKey: string, eventId: string): Promise<boolean> {
    const tag = this.#tag(userKey);
    const keys = [deliveryKey(tag, eventId), handledKey(tag)];
    const reply = await this.#call('claimEvent', () => this.#scripts.mamoriClaim(2, ...keys, handledField(eventId), this.#ttls.deliverySeconds));
    return reply === 1;
  }

  async hit(userKey: string, bucket: string, windowSeconds: number): Promise<number> {
    if (!(windowSeconds > 0)) throw new RangeError('windowSeconds must be positive');
    const now = this.#now();
    const windowMs = windowSeconds * 1000;
    const window = Math.floor(now / windowMs);
    const left = Math.max(1, Math.ceil((window + 1) * windowMs - now));
    const key = hitKey(this.#tag(userKey), bucket, window);
    return this.#call('hit', () => this.#scripts.mamoriHit(key, left));
  }

  async forget(userKey: string): Promise<void> {
    this.#recent.delete(userKey);
    const keys = new Set(await this.userKeys(userKey));
    // The state key is deleted even if it appeared after the scan started.
    keys.add(stateKey(this.#tag(userKey)));
    const all = [...keys];
    for (let i = 0; i < all.length; i += 500) {
      const batch = all.slice(i, i + 500);
      // One slot for all of them (the hash tag), so a multi-key DEL is fine on a Cluster too.
      await this.#call('forget', () => this.#client.del(...batch));
    }
  }

  /**
   * Every key that belongs to the user, found by SCAN with the user's `{tag}` pattern on each master (on a
   * Cluster the keys live on the master of the user's slot; scanning all masters also covers a slot being
   * migrated). For forget, tests and memory measurements.
   */
  async userKeys(userKey: string): Promise<string[]> {
    const pattern = `${globEscape(this.#tag(userKey))}:*`;
    await this.#started('scan');
    const nodes: Redis[] = this.#client instanceof Cluster ? this.#client.nodes('master') : [this.#client];
    if (this.#client instanceof Cluster && nodes.length === 0) throw new StoreUnavailableError('Redis Cluster has no reachable master');
    const found = new Set<string>();
    for (const node of nodes) {
      let cursor = '0';
      do {
        const [next, keys] = await this.#call('scan', () => node.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT));
        for (const k of keys) found.add(k);
        cursor = next;
      } while (cursor !== '0');
    }
    return [...found];
  }

  /** `MEMORY USAGE` of each of the user's keys, and their sum. */
  async memoryUsage(userKey: string): Promise<UserMemoryUsage> {
    const keys: { key: string; bytes: number }[] = [];
    for (const key of await this.userKeys(userKey)) {
      const bytes = await this.#call('memoryUsage', () => this.#client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0') as Promise<number | null>);
      if (bytes !== null) keys.push({ key, bytes });
    }
    return { userKey, bytes: keys.reduce((sum, k) => sum + k.bytes, 0), keys };
  }

  async ping(): Promise<void> {
    await this.#call('ping', () => this.#client.ping());
  }

  /** Closes the connection (when the store opened it). Later calls reject with StoreUnavailableError. */
  async close(): Promise<void> {
    if (this.#closed) return;
    // Marks asked for before close() still go out.
    if (this.#pendingMarks) {
      const batch = this.#pendingMarks;
      const flushed = new Promise<void>((resolve) => batch.waiters.push({ resolve, reject: () => resolve() }));
      this.#flushMarks(batch);
      await flushed;
    }
    this.#closed = true;
    if (!this.#ownsClient) return;
    try {
      if (this.#client.status === 'ready') {
        await Promise.race([this.#client.quit(), new Promise((r) => setTimeout(r, this.#deadlineMs).unref())]);
      }
    } catch {
      // Closing anyway.
    } finally {
      this.#client.disconnect();
    }
  }
}

/**
 * Median bytes of Redis memory per user (all of each user's keys, by `MEMORY USAGE`), with the figures per
 * user. Used by the memory test and the benchmark to check the 512-byte budget for a user mid-guide.
 */
export async function measureSessionMemory(
  store: RedisSessionStore,
  userKeys: readonly string[],
): Promise<{ median: number; users: UserMemoryUsage[] }> {
  const users: UserMemoryUsage[] = [];
  for (const userKey of userKeys) users.push(await store.memoryUsage(userKey));
  const sorted = users.map((u) => u.bytes).sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length === 0 ? 0 : sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, users };
}
