import {
  DEFAULT_TTLS,
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
  readonly #deliveries = new Map<string, Entry<DeliveryRecord>>();
  readonly #counters = new Map<string, Entry<number>>();
  #sweeper: NodeJS.Timeout | undefined;

  constructor(options: { ttls?: Partial<StoreTtls>; now?: () => number } = {}) {
    this.#ttls = { ...DEFAULT_TTLS, ...options.ttls };
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

  async load(userKey: string, eventId?: string, rate?: readonly RateWindow[]): Promise<LoadedState> {
    const s = this.#get(this.#states, userKey);
    const delivery = eventId ? (this.#get(this.#deliveries, `${userKey}\u0000${eventId}`) ?? null) : null;
    const loaded: LoadedState = { state: s?.state ?? null, version: s?.version ?? 0, delivery };
    if (rate) loaded.hits = await Promise.all(rate.map((w) => this.hit(userKey, w.bucket, w.windowSeconds)));
    return loaded;
  }

  async commit(userKey: string, expectedVersion: number, state: string | null, delivery?: PendingDelivery): Promise<CommitResult> {
    const current = this.#get(this.#states, userKey);
    if ((current?.version ?? 0) !== expectedVersion) return 'conflict';
    if (delivery && this.#get(this.#deliveries, `${userKey}\u0000${delivery.eventId}`)) return 'duplicate';
    const now = this.#now();
    if (state === null) this.#states.delete(userKey);
    else this.#states.set(userKey, { value: { state, version: expectedVersion + 1 }, expiresAt: now + this.#ttls.sessionSeconds * 1000 });
    if (delivery) {
      this.#deliveries.set(`${userKey}\u0000${delivery.eventId}`, {
        value: { status: 'pending', outbox: delivery.outbox, at: delivery.at },
        expiresAt: now + this.#ttls.deliverySeconds * 1000,
      });
    }
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
    const hits = rate ? await Promise.all(rate.windows.map((w) => this.hit(userKey, w.bucket, w.windowSeconds))) : undefined;
    const withHits = <T extends object>(o: T) => (hits ? { ...o, hits } : o);
    const current = this.#get(this.#states, userKey);
    const recorded = delivery ? (this.#get(this.#deliveries, `${userKey}\u0000${delivery.eventId}`) ?? null) : null;
    const stale = () => withHits({ result: 'stale' as const, current: { state: current?.state ?? null, version: current?.version ?? 0, delivery: recorded } });
    if (recorded) return stale();
    if (hits && rate && hits.some((n, i) => n > (rate.limits[i] ?? Infinity))) return { result: 'limited', hits };
    if ((current?.version ?? 0) !== expected.version || (current?.state ?? null) !== expected.state) return stale();
    await this.commit(userKey, expected.version, state, delivery);
    return withHits({ result: 'ok' as const });
  }

  async markDelivered(userKey: string, eventId: string): Promise<void> {
    const key = `${userKey}\u0000${eventId}`;
    const e = this.#deliveries.get(key);
    if (e) e.value = { status: 'done' };
  }

  async claimEvent(userKey: string, eventId: string): Promise<boolean> {
    const key = `${userKey}\u0000${eventId}`;
    if (this.#get(this.#deliveries, key)) return false;
    this.#deliveries.set(key, { value: { status: 'done' }, expiresAt: this.#now() + this.#ttls.deliverySeconds * 1000 });
    return true;
  }

  async forget(userKey: string): Promise<void> {
    this.#states.delete(userKey);
    const prefix = `${userKey}\u0000`;
    for (const map of [this.#deliveries, this.#counters] as Map<string, unknown>[]) {
      for (const key of map.keys()) if (key.startsWith(prefix)) map.delete(key);
    }
  }

  async hit(userKey: string, bucket: string, windowSeconds: number): Promise<number> {
    const now = this.#now();
    const windowStart = Math.floor(now / (windowSeconds * 1000));
    const key = `${userKey}\u0000${bucket}\u0000${windowStart}`;
    const count = (this.#get(this.#counters, key) ?? 0) + 1;
    this.#counters.set(key, { value: count, expiresAt: (windowStart + 1) * windowSeconds * 1000 });
    return count;
  }

  async ping(): Promise<void> {}

  /** Drops expired entries; runs every minute. */
  sweep(): void {
    const now = this.#now();
    for (const map of [this.#states, this.#deliveries, this.#counters] as Map<string, Entry<unknown>>[]) {
      for (const [key, e] of map) if (e.expiresAt <= now) map.delete(key);
    }
  }

  /** Number of live keys (for tests of forget and expiry). */
  size(): number {
    this.sweep();
    return this.#states.size + this.#deliveries.size + this.#counters.size;
  }

  async close(): Promise<void> {
    clearInterval(this.#sweeper);
  }
}
