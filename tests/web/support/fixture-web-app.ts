import Fastify, { type FastifyInstance } from 'fastify';
import { Advisor, type AdvisorOptions } from '../../../src/engine/advisor.ts';
import { loadLocales } from '../../../src/engine/locales.ts';
import type { SessionStore } from '../../../src/engine/session-store.ts';
import { checkText } from '../../../src/listing/classify-url.ts';
import { LOCALES_DIR } from '../../../src/runtime.ts';
import { MemorySessionStore } from '../../../src/store/memory-session-store.ts';
import { webChatPlugin, type WebChatPluginOptions } from '../../../src/web/web-chat-plugin.ts';
import { fixtureContext } from '../../engine/fixtures.ts';

/**
 * The web chat on a small fixture guide set and an advisor the test controls (its store, its link
 * checker): for faults that the real runtime cannot be made to show (a store that is down, an advisor
 * that throws, a slow answer). The page texts are the real `web.*` keys.
 */
export async function fixtureWebApp(
  options: { store?: SessionStore; advisor?: Partial<AdvisorOptions>; plugin?: Partial<WebChatPluginOptions> } = {},
): Promise<{ app: FastifyInstance; advisor: Advisor; store: SessionStore }> {
  const context = fixtureContext();
  const real = loadLocales(LOCALES_DIR);
  for (const lang of ['ja', 'en'] as const) {
    const web = Object.fromEntries(Object.entries(real[lang]).filter(([k]) => k.startsWith('web.')));
    context.locales[lang] = { ...real[lang], ...context.locales[lang], ...web };
  }
  const store = options.store ?? new MemorySessionStore();
  const advisor = new Advisor({
    store,
    context,
    checkLinks: async (text: string) => checkText(text),
    ...options.advisor,
  });
  const app = Fastify({ logger: false });
  await app.register(webChatPlugin, {
    advisor,
    locales: context.locales,
    rateLimitPerMinute: 1000,
    timeBudgetMs: 5000,
    sessionTtlSeconds: 3600,
    ...options.plugin,
  });
  app.addHook('onClose', () => store.close());
  await app.ready();
  return { app, advisor, store };
}
