/*
 * Session store on Redis or Redis Cluster (ioredis 6).
 *
 * Key layout (prefix `mamori`, user key `tg:123`):
 *
 *   mamori:{tg:123}:s                   string "<version>:<state>"     TTL: session TTL, refreshed on every write
 *   mamori:{tg:123}:e:<eventId>         pending delivery "p<at>:<outbox>" (answer not yet confirmed sent)
 *                                                                      TTL: a day (*); deleted once sent
 *   mamori:{tg:123}:d                   string: the rate-limit counts, then the newest HANDLED_KEEP (48) to
 *                                       HANDLED_KEEP + HANDLED_SLACK handled event ids, 5 bytes each (Telegram's
 *                                       update_id as it is, other ids as a 40-bit hash, see handledField)
 *                                                                      TTL: a day after the last event (*)
 *   mamori:{tg:123}:r:<bucket>:<window> fixed-window counter for hit() (per-IP limits of the web chat, the
 *                                       rate-limit notice mark of advisor.ts)   TTL: the rest of its window
 *
 * (*) or the session TTL when that is shorter (ownedTtls): no key of a user outlives the session TTL.
 *
 * Handled events and rate counts share one small string rather than a key each: a key costs ~90 bytes, and
 * a user sends several messages a day (the 512-byte budget per user counts all of a user's keys). Packed ids
 * cost 5 bytes each; as fields of a hash (the layout before, still read, see HANDLED_LUA) they cost 6.5 to 10,
 * and the hash ~60 bytes more in all (measured with MEMORY USAGE: 31 ids and two counts, 264 bytes against
 * 392; 56 ids, 392 against 584). The scripts read the string, find an id with a plain substring search, and
 * write it back whole (one SET of about 200 bytes).
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
 * An event id as the handled-events string stores it (5 bytes, see HANDLED_LUA), written in decimal. A Telegram
 * update_id (a decimal integer below 2^40) stays as it is. Any other id (LINE's 26-character webhookEventId,
 * the web chat's request ids) is replaced by a 40-bit hash of it: two of one user's newest ids meet with a
 * chance of about 56 in 2^40 (1 in 20 billion) per event. A user's ids all come from one channel, so a hash
 * never meets a raw update_id. (The pending record's key keeps the id as it is.) The hash is the first 40 bits
 * of the 48 the layout before used, so ids stored that way are still recognised after the change.
 */
export function handledField(eventId: string): string {
  if (/^[1-9]\d{0,12}$/.test(eventId) && Number(eventId) < HANDLED_ID_LIMIT) return eventId;
  return String(Number.parseInt(hash('sha256', eventId, 'hex').slice(0, 10), 16));
}

const HANDLED_ID_LIMIT = 2 ** 40;
/** Rate buckets are stored as "bucket=window:count,…" (see HANDLED_LUA). */
const RATE_BUCKET = /^[A-Za-z0-9_-]{1,32}$/;

/**
 * A rate window's number as the stored counts hold it: only needs to differ from the previous window's, so it
 * is kept short (mod 10,000) and zero-padded to 4 digits (the counts are fixed-width, see HANDLED_LUA).
 */
function windowNumber(now: number, windowSeconds: number): string {
  return String(Math.floor(now / (windowSeconds * 1000)) % 10_000).padStart(4, '0');
}

function rateBucket(bucket: string): string {
  if (!RATE_BUCKET.test(bucket)) throw new TypeError(`rate bucket must be 1 to 32 letters, digits, _ or -: ${JSON.stringify(bucket)}`);
  return bucket;
}

/** The handled-events string of one user, decoded (for tests and the benchmark). */
export function decodeHandled(raw: Buffer | null): { ids: string[]; rates: Record<string, { window: string; count: number }> } {
  const out: ReturnType<typeof decodeHandled> = { ids: [], rates: {} };
  if (!raw || raw.length === 0) return out;
  const n = raw[0]!;
  if ((raw.length - 1 - n) % 5 !== 0 || raw.length < 1 + n) return out;
  for (const entry of raw.subarray(1, 1 + n).toString('latin1').split(',')) {
    const m = /^(.*?)=(.*?):(\d+)$/.exec(entry);
    if (m) out.rates[m[1]!] = { window: m[2]!, count: Number(m[3]) };
  }
  for (let at = 1 + n; at < raw.length; at += 5) out.ids.push(String(raw.readUIntBE(at, 5)));
  return out;
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
 * The user's handled events and rate counts, one string (KEYS[2] of the scripts; see the layout at the top):
 * one byte n, n bytes of rate counts "bucket=wwww:ccc,…" (window and count zero-padded, so a new count has
 * the same length and is written in place with SETRANGE; a count past 999 only makes the value longer), then the handled ids, 5 bytes each (big-endian),
 * oldest first. `readHandled` returns the value in this layout ("\0" for none) and whether it is what is stored
 * (false when it was read from another layout or is new); the other functions work on that value in place of
 * copies of its parts. A new id is added by writing the whole value again (SET: APPEND or SETRANGE past the end
 * would leave Redis' spare room for growth in the allocation, measured at half as much memory again).
 * A hash there is the layout before it (ids as fields, counts as "~bucket" fields): read as the same lists
 * (a 48-bit id hash shortened to its first 40 bits, as handledField now makes it) and replaced on the next
 * write. A value of any other type, or a string that does not parse, reads as empty and is replaced too.
 * Buckets never hold '=' or ',' (the store checks them).
 */
const HANDLED_LUA = `
local ID_BYTES = 5
local EMPTY = string.char(0)
local function readHandled(key)
  local raw = redis.pcall('GET', key)
  if type(raw) == 'string' then
    local rest = #raw - 1 - (string.byte(raw, 1) or 0)
    if rest >= 0 and rest % ID_BYTES == 0 then return raw, true end
    return EMPTY, false
  end
  if type(raw) == 'table' and redis.call('TYPE', key).ok == 'hash' then
    local rates, ids = {}, {}
    local all = redis.call('HGETALL', key)
    for i = 1, #all, 2 do
      local field = all[i]
      if string.sub(field, 1, 1) == '~' then
        local window, count = string.match(all[i + 1], '^(%d+):(%d+)$')
        if window then rates[#rates + 1] = string.format('%s=%04d:%03d', string.sub(field, 2), tonumber(window), math.min(tonumber(count), 999999)) end
      else
        local v = tonumber(field)
        if v and v >= 1 and v < 2^48 and v == math.floor(v) then
          if v >= 2^40 then v = math.floor(v / 256) end
          ids[#ids + 1] = struct.pack('>I5', v)
        end
      end
    end
    local text = table.concat(rates, ',')
    if #text > 255 then text = '' end
    return string.char(#text) .. text .. table.concat(ids), false
  end
  return EMPTY, false
end
local function ratesOf(raw) return string.sub(raw, 2, 1 + string.byte(raw, 1)) end
local function packId(id) return struct.pack('>I5', tonumber(id)) end
local function hasId(raw, packed)
  local first = 2 + string.byte(raw, 1)
  local from = first
  while true do
    local at = string.find(raw, packed, from, true)
    if not at then return false end
    if (at - first) % ID_BYTES == 0 then return true end
    from = at + 1
  end
end
`;

/**
 * Counts one hit (add 1) or none (add 0: a redelivery, which is never counted again) per rate window in the
 * rate counts of a handled-events value (HANDLED_LUA). The windows are ARGV from `first` on, `stride` apart:
 * bucket, window number (4 digits), and (stride 3) the limit. Counts of other buckets are kept. Returns the new
 * rate counts, the counts of the asked-for windows, and whether any is over its limit. `saveRates` stores new
 * counts: in place when the value is the stored one and they kept their length, else the whole value.
 */
const COUNT_RATE_LUA = `
local function countRate(rates, first, stride, add)
  local hits, over = {}, false
  if first > #ARGV then return rates, hits, over end
  local order, counts = {}, {}
  for entry in string.gmatch(rates, '[^,]+') do
    local bucket, window, count = string.match(entry, '^(.-)=(%d%d%d%d):(%d+)$')
    if bucket and not counts[bucket] then
      order[#order + 1] = bucket
      counts[bucket] = { window, tonumber(count) }
    end
  end
  local j = 0
  for at = first, #ARGV, stride do
    j = j + 1
    local bucket, window = ARGV[at], ARGV[at + 1]
    local prev = counts[bucket]
    local n = add
    if prev and prev[1] == window then n = math.min(prev[2] + add, 999999) end
    if not prev then order[#order + 1] = bucket end
    counts[bucket] = { window, n }
    hits[j] = n
    if stride > 2 and n > tonumber(ARGV[at + 2]) then over = true end
  end
  local parts = {}
  for i, bucket in ipairs(order) do parts[i] = bucket .. '=' .. counts[bucket][1] .. ':' .. string.format('%03d', counts[bucket][2]) end
  return table.concat(parts, ','), hits, over
end
local function saveRates(key, raw, stored, rates, newRates, ttl)
  if stored and #newRates == #rates then
    redis.call('SETRANGE', key, 1, newRates)
  else
    if #newRates > 255 then newRates = '' end
    redis.call('SET', key, string.char(#newRates) .. newRates .. string.sub(raw, 2 + #rates), 'EX', ttl)
  end
end
-- The checks load and commitChecked share: whether event \`id\` ('' for none) is recorded (its pending record at
-- recordKey, or '1' when it is among the handled ids), and, for a new event, one hit in each rate window given
-- from ARGV[first] on (see countRate). Returns the record or false, the counts, and whether one is over its limit.
local function recordAndCount(handledKey, recordKey, id, first, stride, ttl)
  local counting = #ARGV >= first
  local raw, stored = EMPTY, false
  if counting or id ~= '' then raw, stored = readHandled(handledKey) end
  local record = false
  if id ~= '' then
    record = redis.pcall('GET', recordKey)
    if type(record) ~= 'string' then record = hasId(raw, packId(id)) and '1' or false end
  end
  local rates = counting and ratesOf(raw) or ''
  local newRates, hits, over = countRate(rates, first, stride, record and 0 or 1)
  if counting and not record then saveRates(handledKey, raw, stored, rates, newRates, ttl) end
  return record, hits, over
end
`;

/**
 * `commitChecked`: `load`'s checks and `commit` in one script. KEYS[1] state, KEYS[2] the user's handled
 * events and rate counts (HANDLED_LUA), KEYS[3] the event's pending record. ARGV: 'a' when the state is expected
 * absent, 'v' when it is expected to be exactly ARGV[2] (the whole stored value, version prefix included), or
 * 'n' when only its version must be ARGV[2] (plain `commit`; a value without a readable prefix is version 0),
 * '1' to write the state or '0' to delete it, state, session TTL (s), pending record ('' for none), delivery
 * TTL (s), event id as handledField makes it ('' for none), KEYS[2]'s TTL (s), then per rate window: bucket,
 * window, limit.
 * Order: an event recorded already → 'stale' with its record (a redelivery is neither counted nor rate-limited),
 * else count the hits (once per event, whatever follows), then a count over its limit → 'limited', then a state
 * that is not the expected one → 'stale' with the stored state, else write → 'ok'. Returns {tag, state or '',
 * has state, record or '', has record, count...} (no nil in the array: Lua would cut it short).
 */
const COMMIT_CHECKED_LUA = `${HANDLED_LUA}${COUNT_RATE_LUA}
local cur = redis.pcall('GET', KEYS[1])
local record, hits, over = recordAndCount(KEYS[2], KEYS[3], ARGV[8], 10, 3, ARGV[9])
local function answer(tag, rec)
  local out = {tag, '', 0, '', 0}
  if tag == 'stale' and type(cur) == 'string' then out[2] = cur; out[3] = 1 end
  if rec then out[4] = rec; out[5] = 1 end
  for j = 1, #hits do out[#out + 1] = hits[j] end
  return out
end
if record then return answer('stale', record) end
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
 * Adds an event id (as handledField makes it) to a user's handled events and refreshes their TTL; once there are
 * more than HANDLED_KEEP + HANDLED_SLACK ids the oldest are dropped down to HANDLED_KEEP. Returns 0 when the id
 * was there.
 */
const RECORD_HANDLED_LUA = `
local KEEP_BYTES, MAX_BYTES = ${HANDLED_KEEP * 5}, ${(HANDLED_KEEP + HANDLED_SLACK) * 5}
local function recordHandled(key, id, ttl)
  local raw = readHandled(key)
  local packed = packId(id)
  if hasId(raw, packed) then
    redis.call('EXPIRE', key, ttl)
    return 0
  end
  local n = string.byte(raw, 1)
  if #raw - 1 - n + ID_BYTES > MAX_BYTES then
    raw = string.sub(raw, 1, 1 + n) .. string.sub(raw, #raw - KEEP_BYTES + ID_BYTES + 1)
  end
  redis.call('SET', key, raw .. packed, 'EX', ttl)
  return 1
end
`;

/**
 * Marks events' replies as sent, several events per call: for each pair of keys (the event's pending record,
 * the user's handled events), the pending record (with its outbox) is deleted and the event id joins the
 * handled ones (recordHandled). Nothing happens for an unknown event (pending record absent), as with SET XX.
 * ARGV: delivery TTL (s), then the event ids in the order of the key pairs.
 */
const MARK_LUA = `${HANDLED_LUA}${RECORD_HANDLED_LUA}
for i = 1, #KEYS, 2 do
  if redis.call('DEL', KEYS[i]) == 1 then recordHandled(KEYS[i + 1], ARGV[1 + (i + 1) / 2], ARGV[1]) end
end
return 1
`;

/** Claims an event with no state change: 0 when it is pending or handled already, else recorded as handled. ARGV: id, TTL (s). */
const CLAIM_LUA = `${HANDLED_LUA}${RECORD_HANDLED_LUA}
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
 * `load`, with the per-user rate limit in the same round trip. KEYS[1] state, KEYS[2] the user's handled
 * events and rate counts (HANDLED_LUA), KEYS[3] the event's pending record. ARGV: event id as handledField makes
 * it ('' for none), KEYS[2]'s TTL (s), then per window: bucket, window. A recorded event (a redelivery) is not
 * counted: its counts are returned as they are. Returns {state or '', has state, delivery or '', has delivery,
 * count...} (no nil in the array: Lua would cut it short).
 */
const LOAD_LUA = `${HANDLED_LUA}${COUNT_RATE_LUA}
local state = redis.pcall('GET', KEYS[1])
local delivery, hits = recordAndCount(KEYS[2], KEYS[3], ARGV[1], 3, 2, ARGV[2])
local out = {}
if type(state) == 'string' then out[1] = state; out[2] = 1 else out[1] = ''; out[2] = 0 end
if delivery then out[3] = delivery; out[4] = 1 else out[3] = ''; out[4] = 0 end
for _, n in ipairs(hits) do out[#out + 1] = n end
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
      for (const w of rate) args.push(rateBucket(w.bucket), windowNumber(now, w.windowSeconds));
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
      args.push(rateBucket(w.bucket), windowNumber(now, w.windowSeconds), rate!.limits[i] ?? Number.MAX_SAFE_INTEGER);
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
