import { DEFAULT_TTLS, type StoreTtls } from '../engine/session-store.ts';

/**
 * The TTLs a store uses: the defaults with `ttls` on top, and delivery records (pending records, the hash of
 * handled event ids with the rate counts) never kept longer than the session, so that no key of a user
 * outlives the session TTL. With a session TTL under a day, a redelivered event is then recognised only
 * within the session TTL (Telegram may redeliver for up to a day).
 */
export function ownedTtls(ttls?: Partial<StoreTtls>): StoreTtls {
  const merged = { ...DEFAULT_TTLS, ...ttls };
  return { ...merged, deliverySeconds: Math.min(merged.deliverySeconds, merged.sessionSeconds) };
}
