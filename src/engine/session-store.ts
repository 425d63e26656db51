/**
 * What a session store keeps for one user: an opaque state string (the encoded session) with a
 * version number for compare-and-set, plus per-event delivery records so that redelivered webhook
 * events are recognised. Implemented in memory (src/store/memory-session-store.ts) and on Redis.
 * Everything is keyed by the user key (`tg:123`), so one user's keys can share a Redis Cluster slot.
 */
export interface SessionStore {
  /**
   * Reads the user's state and, when `eventId` is given, that event's delivery record, in one round trip.
   * `version` is 0 when nothing is stored. With `rate`, also counts one hit in each of those fixed windows
   * (the per-user rate limit) in the same round trip and returns the counts as `hits`.
   */
  load(userKey: string, eventId?: string, rate?: readonly RateWindow[]): Promise<LoadedState>;
  /**
   * Atomically: when the stored version still equals `expectedVersion`, writes `state` (or deletes it
   * when null) with the session TTL and, when `delivery` is given, records that event as pending with its
   * outbox (opaque here: what the advisor needs to answer the event again, see advisor.ts) unless it is already
   * recorded. Returns what happened.
   */
  commit(userKey: string, expectedVersion: number, state: string | null, delivery?: PendingDelivery): Promise<CommitResult>;
  /**
   * The user's state as this instance last read or wrote it, when it still remembers it (no round trip);
   * null otherwise. It may be stale (another instance may have written since): it is only a guess for
   * `commitChecked`, which refuses a stale one.
   */
  peek(userKey: string): StateGuess | null;
  /**
   * `commit` with the checks `load` would have made, in the same round trip. Atomically: counts one hit in
   * each of `rate.windows` (when given), then writes `state` (or deletes it when null) and records `delivery`
   * as pending, only when the event is not recorded yet, no count is over its limit in `rate.limits`, and the
   * stored state is still exactly `expected` (content and version: a state deleted and rebuilt to the same
   * version number does not pass for it). Otherwise nothing is written and the answer says why: 'limited',
   * or 'stale' with what is stored now (as `load` would return it), so the caller can go on without another
   * round trip.
   */
  commitChecked(
    userKey: string,
    expected: StateGuess,
    state: string | null,
    delivery: PendingDelivery | undefined,
    rate?: RateCheck,
  ): Promise<CheckedCommit>;
  /** Marks an event's replies as sent: the outbox is dropped, the record stays until it expires (a day). */
  markDelivered(userKey: string, eventId: string): Promise<void>;
  /** Records an event with no state change (group messages, follow/unfollow) unless already seen. Returns false for a duplicate. */
  claimEvent(userKey: string, eventId: string): Promise<boolean>;
  /** Deletes every key that belongs to the user (state, delivery records, counters). */
  forget(userKey: string): Promise<void>;
  /**
   * Counts one hit in a fixed window for rate limiting; returns the count in the current window.
   * Kept in the store so the limit holds across instances.
   */
  hit(userKey: string, bucket: string, windowSeconds: number): Promise<number>;
  /** Resolves when the store is reachable; rejects quickly otherwise (readiness probe). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface LoadedState {
  state: string | null;
  version: number;
  delivery: DeliveryRecord | null;
  /** Counts in the requested rate windows, in order (only when `rate` was given). */
  hits?: number[];
}

/** A fixed window to count a hit in: `bucket` names it, e.g. `m` for the per-minute limit. */
export interface RateWindow {
  bucket: string;
  windowSeconds: number;
}

/** A delivery record: `pending` holds what is needed to answer again until sending is confirmed; `done` means sent. */
export type DeliveryRecord = { status: 'pending'; outbox: string; at: number } | { status: 'done' };

export interface PendingDelivery {
  eventId: string;
  outbox: string;
  at: number;
}

export type CommitResult = 'ok' | 'conflict' | 'duplicate';

/**
 * Handled event ids every store keeps per user: the newest HANDLED_KEEP, trimmed back to that once there are
 * HANDLED_SLACK more (and for at most a day after the last one). A redelivery comes within minutes (Telegram
 * re-sends after 60 s without an answer), and 48 accepted events take at least a minute and a half under the
 * default per-user limit of 30 a minute. Pending records are never dropped by the trim.
 */
export const HANDLED_KEEP = 48;
export const HANDLED_SLACK = 8;

/** Rate windows to count one hit in, with the most hits each allows (same order). */
export interface RateCheck {
  windows: readonly RateWindow[];
  limits: readonly number[];
}

/** A user's state and version as some earlier read or write saw it. */
export interface StateGuess {
  state: string | null;
  version: number;
}

/** What `commitChecked` did; `hits` are the rate-window counts when `rate` was given. */
export type CheckedCommit =
  | { result: 'ok'; hits?: number[] }
  /** A count is over its limit (and the event was not recorded before): nothing written. */
  | { result: 'limited'; hits: number[] }
  /** The stored state was not the expected one, or the event is recorded already: nothing written. */
  | { result: 'stale'; current: LoadedState; hits?: number[] };

/** Raised by a store when the backend cannot be reached in time; webhooks answer 503 on it. */
export class StoreUnavailableError extends Error {
  readonly code = 'MAMORI_STORE_UNAVAILABLE';
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreUnavailableError';
  }
}

/** How long keys live: sessions (refreshed on write) and delivery records. */
export interface StoreTtls {
  sessionSeconds: number;
  deliverySeconds: number;
}

export const DEFAULT_TTLS: StoreTtls = { sessionSeconds: 14 * 24 * 3600, deliverySeconds: 24 * 3600 };
