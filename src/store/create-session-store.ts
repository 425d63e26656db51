import type { SessionStore } from '../engine/session-store.ts';
import { MemorySessionStore } from './memory-session-store.ts';
import { RedisSessionStore, type SessionStoreLogger } from './redis-session-store.ts';

/** The store settings taken from the configuration (REDIS_URL, REDIS_CLUSTER_NODES, SESSION_TTL). */
export interface SessionStoreConfig {
  redisUrl?: string;
  redisClusterNodes?: string[];
  sessionTtlSeconds: number;
}

/** The store the configuration selects, and which kind it is (for logs, /health and metrics). */
export interface CreatedSessionStore {
  store: SessionStore;
  kind: 'memory' | 'redis' | 'redis-cluster';
}

/**
 * Picks the session store: a Redis Cluster when cluster nodes are given (credentials and TLS then come from
 * the Redis URL, if one is set too), one Redis server when only a URL is given, otherwise the in-memory store
 * (one instance, lost on restart). Never throws because Redis is down: the Redis store connects in the
 * background and its `ping()` rejects until Redis answers.
 */
export function createSessionStore(config: SessionStoreConfig, log?: SessionStoreLogger): CreatedSessionStore {
  const ttls = { sessionSeconds: config.sessionTtlSeconds };
  if (config.redisClusterNodes?.length) {
    const store = new RedisSessionStore({ clusterNodes: config.redisClusterNodes, url: config.redisUrl, ttls, log });
    return { store, kind: 'redis-cluster' };
  }
  if (config.redisUrl) {
    return { store: new RedisSessionStore({ url: config.redisUrl, ttls, log }), kind: 'redis' };
  }
  return { store: new MemorySessionStore({ ttls }), kind: 'memory' };
}
