import { fileURLToPath } from 'node:url';
import type { Config } from './config.ts';
import { Advisor } from './engine/advisor.ts';
import { lintFlows, loadFlows } from './engine/load-flows.ts';
import { loadLocales, type Locales } from './engine/locales.ts';
import type { SessionStore } from './engine/session-store.ts';
import type { AdvisorContext, FlowSet, LinkFinding } from './engine/step.ts';
import { assessSellerRisk } from './listing/assess-seller-risk.ts';
import { checkTextExpanded } from './listing/expand-link.ts';
import { createSessionStore } from './store/create-session-store.ts';
import { MamoriMetrics } from './server/metrics.ts';

/** Folders shipped with the package. */
export const FLOWS_DIR = fileURLToPath(new URL('../flows/', import.meta.url));
export const LOCALES_DIR = fileURLToPath(new URL('../locales/', import.meta.url));

/** Guides and texts, validated together. Throws (naming the flow and step) when anything is broken. */
export function loadContent(flowsDir = FLOWS_DIR, localesDir = LOCALES_DIR): { flows: FlowSet; locales: Locales } {
  const flows = loadFlows(flowsDir);
  const locales = loadLocales(localesDir);
  const problems = lintFlows(flows, locales);
  if (problems.length) throw new Error(`the guides have problems:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  return { flows, locales };
}

/** Everything a channel needs to talk to users: the advisor on its store, and the content. */
export interface Runtime {
  advisor: Advisor;
  store: SessionStore;
  storeKind: 'memory' | 'redis' | 'redis-cluster';
  context: AdvisorContext;
  checkLinks: (text: string) => Promise<readonly LinkFinding[]>;
  metrics: MamoriMetrics;
  close(): Promise<void>;
}

export interface RuntimeOptions {
  /** Use this store instead of the one the configuration selects (tests). */
  store?: SessionStore;
  /** Options passed to link expansion (tests inject a resolver). */
  expandOptions?: Parameters<typeof checkTextExpanded>[1];
  /** Metrics registry (a fresh one by default; tests running several apps in one process pass their own). */
  metrics?: MamoriMetrics;
}

/** Builds the advisor from configuration: content, session store, link checker. */
export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const { flows, locales } = loadContent();
  const context: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk };
  const created = options.store
    ? { store: options.store, kind: 'memory' as const }
    : createSessionStore({ redisUrl: config.REDIS_URL, redisClusterNodes: config.REDIS_CLUSTER_NODES, sessionTtlSeconds: config.SESSION_TTL });
  const expand = { enabled: config.EXPAND_LINKS, ...options.expandOptions };
  const checkLinks = (text: string) => checkTextExpanded(text, expand);
  const metrics = options.metrics ?? new MamoriMetrics();
  const advisor = new Advisor({
    store: created.store,
    context,
    checkLinks,
    rateLimit: { perMinute: config.USER_RATE_LIMIT, burst: config.USER_RATE_BURST },
    observer: {
      event: (e) => metrics.recordEvent(e),
      outcome: (o) => metrics.recordOutcome(o),
      duplicate: (e) => metrics.duplicates.inc({ channel: e.channel }),
      rateLimited: (e) => metrics.rateLimited.inc({ channel: e.channel }),
      storeError: () => metrics.storeErrors.inc(),
    },
  });
  return {
    advisor,
    store: created.store,
    storeKind: created.kind,
    context,
    checkLinks,
    metrics,
    close: () => created.store.close(),
  };
}
