/**
 * A bounded map of recent entries by key: at most `max` (the oldest written goes first), and an entry
 * `ttlMs` old or older reads as absent (and is dropped). The clock is passed in, so callers keep theirs.
 * Used for what an instance remembers about users between events (states, decoded sessions, events it
 * gave up on): a guess or a shortcut, never the only copy.
 */
export class RecentMap<V> {
  readonly #max: number;
  readonly #ttlMs: number;
  readonly #map = new Map<string, { value: V; at: number }>();

  constructor(max: number, ttlMs: number) {
    this.#max = max;
    this.#ttlMs = ttlMs;
  }

  get(key: string, now: number): V | undefined {
    const e = this.#map.get(key);
    if (!e) return undefined;
    if (now - e.at >= this.#ttlMs) {
      this.#map.delete(key);
      return undefined;
    }
    return e.value;
  }

  /** Writes (or rewrites) the entry as the newest. */
  set(key: string, value: V, now: number): void {
    this.#map.delete(key);
    this.#map.set(key, { value, at: now });
    if (this.#map.size > this.#max) this.#map.delete(this.#map.keys().next().value!);
  }

  delete(key: string): void {
    this.#map.delete(key);
  }

  get size(): number {
    return this.#map.size;
  }
}
