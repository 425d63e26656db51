// Cache of short-link expansions. The interface is async so that a shared store (Redis) can
// replace the in-memory one without touching the expander.

/** What following a short link found: the URLs visited (first = the short link) and why it stopped early. */
export interface ExpansionRecord {
  hops: Array<{ url: string; status?: number }>;
  /** Reason code when the expansion stopped before a final answer. */
  failure?: 'expansion-timeout' | 'expansion-blocked-address' | 'expansion-blocked-port' | 'expansion-too-many-hops' | 'expansion-failed';
}

/** Storage for expansion results, keyed by the normalised short-link URL. Must never throw into the caller's flow; errors are treated as a miss. */
export interface ExpansionCache {
  /** The stored record, or undefined when absent or expired. */
  get(key: string): Promise<ExpansionRecord | undefined>;
  /** Stores a record for `ttlMs` milliseconds. */
  set(key: string, record: ExpansionRecord, ttlMs: number): Promise<void>;
}

/** One day: short links rarely change destination, and a day bounds how long a swapped target hides. */
export const EXPANSION_TTL_MS = 24 * 60 * 60 * 1000;

/** Options of MemoryExpansionCache. */
export interface MemoryExpansionCacheOptions {
  /** Most entries kept; the least recently used is dropped beyond it. Default 5,000. */
  maxEntries?: number;
  /** Clock, for tests. */
  now?: () => number;
}

/**
 * In-process LRU cache with a size cap and per-entry expiry. A Map keeps insertion order, so
 * re-inserting on every hit makes the first key the least recently used.
 */
export class MemoryExpansionCache implements ExpansionCache {
  readonly #entries = new Map<string, { record: ExpansionRecord; expires: number }>();
  readonly #max: number;
  readonly #now: () => number;

  constructor(options: MemoryExpansionCacheOptions = {}) {
    this.#max = Math.max(1, options.maxEntries ?? 5000);
    this.#now = options.now ?? Date.now;
  }

  /** Number of entries held (expired ones included until touched). */
  get size(): number {
    return this.#entries.size;
  }

  /** The record for `key` if present and not expired; marks it most recently used. */
  async get(key: string): Promise<ExpansionRecord | undefined> {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    this.#entries.delete(key);
    if (entry.expires <= this.#now()) return undefined;
    this.#entries.set(key, entry);
    return structuredClone(entry.record);
  }

  /** Stores a copy of `record` for `ttlMs`, dropping the least recently used entries beyond the cap. */
  async set(key: string, record: ExpansionRecord, ttlMs: number): Promise<void> {
    this.#entries.delete(key);
    this.#entries.set(key, { record: structuredClone(record), expires: this.#now() + ttlMs });
    while (this.#entries.size > this.#max) {
      const oldest = this.#entries.keys().next().value;
      if (oldest === undefined) break;
      this.#entries.delete(oldest);
    }
  }
}
