import {
  HANDLED_KEEP,
  HANDLED_SLACK,
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
import { ownedTtls } from './store-ttls.ts';

interface Entry<T> {
  value: T;
  expiresAt: number;
}

/**
 * Session store held in this process's memory: for trying Mamori with no Redis, the terminal chat and
 * tests. Same semantics as the Redis store (versions, compare-and-set, expiring keys), but state is lost
 * on restart and not shared between instances.
 */
export class MemorySessionStore implements SessionStore {
  readonly #ttls: StoreTtls;
  readonly #now: () => number;
  readonly #states = new Map<string, Entry<{ state: string; version: number }>>();
  /** user key → event id → record, oldest first. */
  readonly #deliveries = new Map<string, Map<string, Entry<DeliveryRecord>>>();
  readonly #counters = new Map<string, Entry<number>>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: { ttls?: Partial<StoreTtls>; now?: () => number } = {}) {
    // As on Redis: delivery records never outlive the session TTL (see ownedTtls).
    this.#ttls = ownedTtls(options.ttls);
    this.#now = options.now ?? Date.now;
    this.#sweeper = setInterval(() => this.sweep(), 60_000);
    this.#sweeper.unref();
  }

  #get<T>(map: Map<string, Entry<T>>, key: string): T | undefined {
    const e = map.get(key);
    if (!e) return undefined;
    if (e.expiresAt <= this.#now()) {
      map.delete(key);
      return undefined;
    }
    return e.value;
  }

  #delivery(userKey: string, eventId: string): DeliveryRecord | null {
    const events = this.#deliveries.get(userKey);
    const e = events?.get(eventId);
    if (!events || !e) return null;
    if (e.expiresAt <= this.#now()) {
      events.delete(eventId);
      if (!events.size) this.#deliveries.delete(userKey);
      return null;
    }
    return e.value;
  }

  #record(userKey: string, eventId: string, value: DeliveryRecord): void {
    let events = this.#deliveries.get(userKey);
    if (!events) this.#deliveries.set(userKey, (events = new Map()));
    events.delete(eventId);
    events.set(eventId, { value, expiresAt: this.#now() + this.#ttls.deliverySeconds * 1000 });
    // Capped as on Redis (see HANDLED_KEEP): without a cap a long-running instance kept one record per event for a day.
    if (events.size <= HANDLED_KEEP + HANDLED_SLACK) return;
    let excess = events.size - HANDLED_KEEP;
    for (const [id, e] of events) {
      if (excess <= 0) break;
      if (e.value.status !== 'done') continue;
      events.delete(id);
      excess--;
    }
  }

  async load(userKey: string, eventId?: string, rate?: readonly RateWindow[]): Promise<LoadedState> {
    const s = this.#get(this.#states, userKey);
    const delivery = eventId ? this.#delivery(userKey, eventId) : null;
    const loaded: LoadedState = { state: s?.state ?? null, version: s?.version ?? 0, delivery };
    // A redelivery (the event is recorded) is not counted again.
    if (rate) loaded.hits = rate.map((w) => this.#count(userKey, w.bucket, w.windowSeconds, delivery ? 0 : 1));
    return loaded;
  }

  async commit(userKey: string, expectedVersion: number, state: string | null, delivery?: PendingDelivery): Promise<CommitResult> {
    const current = this.#get(this.#states, userKey);
    if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
    if (delivery && this.#delivery(userKey, delivery.eventId)) return 'duplicate';
    const now = this.#now();
    if (state === null) this.#states.delete(userKey);
    else this.#states.set(userKey, { value: { state, version: expectedVersion + 1 }, expiresAt: now + this.#ttls.sessionSeconds * 1000 });
    if (delivery) this.#record(userKey, delivery.eventId, { status: 'pending', outbox: delivery.outbox, at: delivery.at });
    return 'ok';
  }

  /** Always fresh here: the state lives in this process. */
  peek(userKey: string): StateGuess | null {
    const s = this.#get(this.#states, userKey);
    return { state: s?.state ?? null, version: s?.version ?? 0 };
  }

  async commitChecked(
    userKey: string,
    expected: StateGuess,
    state: string | null,
    delivery: PendingDelivery | undefined,
    rate?: RateCheck,
  ): Promise<CheckedCommit> {
    const recorded = delivery ? this.#delivery(userKey, delivery.eventId) : null;
    // Counted once per event: a redelivery (recorded already) is not counted again.
    const hits = rate ? rate.windows.map((w) => this.#count(userKey, w.bucket, w.windowSeconds, recorded ? 0 : 1)) : undefined;
    const withHits = <T extends object>(o: T) => (hits ? { ...o, hits } : o);
    const current = this.#get(this.#states, userKey);
    const stale = () => withHits({ result: 'stale' as const, current: { state: current?.state ?? null, version: current?.version ?? 0, delivery: recorded } });
    if (recorded) return stale();
    if (hits && rate && hits.some((n, i) => n > (rate.limits[i] ?? Infinity))) return { result: 'limited', hits };
    if ((current?.version ?? 0) !== expected.version || (current?.state ?? null) !== expected.state) return stale();
    await this.commit(userKey, expected.version, state, delivery);
    return withHits({ result: 'ok' as const });
  }

  async markDelivered(userKey: string, eventId: string): Promise<void> {
    if (this.#delivery(userKey, eventId)?.status === 'pending') this.#record(userKey, eventId, { status: 'done' });
  }

  async claimEvent(userKey: string, eventId: string): Promise<boolean> {
    if (this.#delivery(userKey, eventId)) return false;
    this.#record(userKey, eventId, { status: 'done' });
    return true;
  }

  async forget(userKey: string): Promise<void> {
    this.#states.delete(userKey);
    this.#deliveries.delete(userKey);
    const prefix = `${userKey}\u0000`;
    for (const key of this.#counters.keys()) if (key.startsWith(prefix)) this.#counters.delete(key);
  }

  async hit(userKey: string, bucket: string, windowSeconds: number): Promise<number> {
    return this.#count(userKey, bucket, windowSeconds, 1);
  }

  /** The count of the current window after adding `add` (0: only read it). */
  #count(userKey: string, bucket: string, windowSeconds: number, add: 0 | 1): number {
    const now = this.#now();
    const windowStart = Math.floor(now / (windowSeconds * 1000));
    const key = `${userKey}\u0000${bucket}\u0000${windowStart}`;
    const count = (this.#get(this.#counters, key) ?? 0) + add;
    if (add) this.#counters.set(key, { value: count, expiresAt: (windowStart + 1) * windowSeconds * 1000 });
    return count;
  }

  async ping(): Promise<void> {}

  /** Drops expired entries; runs every minute. */
  sweep(): void {
    const now = this.#now();
    for (const map of [this.#states, this.#counters, ...this.#deliveries.values()] as Map<string, Entry<unknown>>[]) {
      for (const [key, e] of map) if (e.expiresAt <= now) map.delete(key);
    }
    for (const [userKey, events] of this.#deliveries) if (!events.size) this.#deliveries.delete(userKey);
  }

  /** Number of live keys (for tests of forget and expiry). */
  size(): number {
    this.sweep();
    let deliveries = 0;
    for (const events of this.#deliveries.values()) deliveries += events.size;
    return this.#states.size + deliveries + this.#counters.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
  }
}
