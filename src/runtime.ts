import { fileURLToPath } from 'node:url';
import pino from 'pino';
import type { Config } from './config.ts';
import { Advisor } from './engine/advisor.ts';
import type { InboundEvent } from './engine/inbound-event.ts';
import { lintFlows, loadFlows } from './engine/load-flows.ts';
import { loadLocales, type Locales } from './engine/locales.ts';
import type { SessionStore } from './engine/session-store.ts';
import type { AdvisorContext, FlowSet, LinkFinding } from './engine/step.ts';
import { assessSellerRisk } from './listing/assess-seller-risk.ts';
import { sellerSignalsInText } from './listing/describe-seller.ts';
import { checkTextExpanded } from './listing/expand-link.ts';
import { maskSensitive } from './privacy/mask-sensitive.ts';
import { createSessionStore } from './store/create-session-store.ts';
import { createLogger } from './server/create-logger.ts';
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
  /**
   * Sends the runtime's own log lines (session store unreachable / reachable again, one line per inbound
   * event) to this logger from now on. buildApp calls it with the server's logger; until then they go to
   * a logger of their own on standard error (LOG_LEVEL).
   */
  useLogger(logger: RuntimeLogger): void;
  close(): Promise<void>;
}

/** The log calls the runtime makes (a pino logger fits). */
export interface RuntimeLogger {
  info(obj: object, msg: string): void;
  warn(obj: object, msg: string): void;
  /** pino's: lets the per-event line be skipped without building it when info is off (LOG_LEVEL=warn). */
  isLevelEnabled?(level: string): boolean;
}

/**
 * What the log says about one inbound event. User text is personal data: by default only its kind and
 * length (and which kinds of sensitive data were masked in it); with LOG_USER_TEXT=true, for debugging, also
 * the text itself, masked again (card numbers, passwords, one-time codes) on top of the masking the event had
 * when it was built. The field is `userText`, not `text` (which the logger redacts everywhere).
 */
export function eventLogFields(event: InboundEvent, logUserText: boolean): Record<string, unknown> {
  const fields: Record<string, unknown> = { channel: event.channel, kind: event.kind, chatType: event.chatType };
  let text: string | undefined;
  if (event.kind === 'text') {
    text = event.text;
    if (event.sensitive.length) fields.masked = event.sensitive;
  } else if (event.kind === 'command') {
    fields.command = event.command;
    text = event.args;
  } else if (event.kind === 'unsupported') {
    fields.content = event.content;
  }
  if (text !== undefined) {
    fields.textLength = text.length;
    if (logUserText) fields.userText = maskSensitive(text).text;
  }
  return fields;
}

export interface RuntimeOptions {
  /** Use this store instead of the one the configuration selects (tests). */
  store?: SessionStore;
  /** Options passed to link expansion (tests inject a resolver). */
  expandOptions?: Parameters<typeof checkTextExpanded>[1];
  /** Metrics registry (a fresh one by default; tests running several apps in one process pass their own). */
  metrics?: MamoriMetrics;
  /** Where the runtime logs until useLogger is called (default: a logger on standard error at LOG_LEVEL). */
  logger?: RuntimeLogger;
}

/** Forwards to whichever logger the runtime was last given; the default one is only made when first used. */
class SwitchableLogger implements RuntimeLogger {
  #target: RuntimeLogger | undefined;
  readonly #makeDefault: () => RuntimeLogger;
  constructor(target: RuntimeLogger | undefined, makeDefault: () => RuntimeLogger) {
    this.#target = target;
    this.#makeDefault = makeDefault;
  }
  use(target: RuntimeLogger): void {
    this.#target = target;
  }
  #current(): RuntimeLogger {
    return (this.#target ??= this.#makeDefault());
  }
  info(obj: object, msg: string): void {
    this.#current().info(obj, msg);
  }
  warn(obj: object, msg: string): void {
    this.#current().warn(obj, msg);
  }
  isLevelEnabled(level: string): boolean {
    return this.#current().isLevelEnabled?.(level) ?? true;
  }
}

/** Builds the advisor from configuration: content, session store, link checker. */
export function createRuntime(config: Config, options: RuntimeOptions = {}): Runtime {
  const { flows, locales } = loadContent();
  const context: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk, describeSeller: sellerSignalsInText };
  const log = new SwitchableLogger(options.logger, () => createLogger(config.LOG_LEVEL, pino.destination({ dest: 2, sync: true })));
  const created = options.store
    ? { store: options.store, kind: 'memory' as const }
    : createSessionStore({ redisUrl: config.REDIS_URL, redisClusterNodes: config.REDIS_CLUSTER_NODES, sessionTtlSeconds: config.SESSION_TTL }, log);
  const expand = { enabled: config.EXPAND_LINKS, ...options.expandOptions };
  const checkLinks = (text: string) => checkTextExpanded(text, expand);
  const metrics = options.metrics ?? new MamoriMetrics();
  const advisor = new Advisor({
    store: created.store,
    context,
    checkLinks,
    rateLimit: { perMinute: config.USER_RATE_LIMIT, burst: config.USER_RATE_BURST },
    observer: {
      event: (e, request) => {
        metrics.recordEvent(e);
        // The terminal chat is not logged: it runs in the user's own terminal, and its output is the chat. A
        // webhook's or the web chat's event is logged through its request's logger, so the line has the reqId.
        const to = request?.log ?? log;
        if (e.channel !== 'cli' && (to.isLevelEnabled?.('info') ?? true)) to.info(eventLogFields(e, config.LOG_USER_TEXT), 'inbound event');
      },
      outcome: (o) => metrics.recordOutcome(o),
      duplicate: (e) => metrics.duplicates.inc({ channel: e.channel }),
      rateLimited: (e) => metrics.rateLimited.inc({ channel: e.channel, limit: 'user' }),
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
    useLogger: (logger) => log.use(logger),
    close: () => created.store.close(),
  };
}
