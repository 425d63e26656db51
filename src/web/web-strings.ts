import { translate, type Language, type Locales } from '../engine/locales.ts';

/**
 * Every locale key the web page uses for its own chrome (title, input, buttons, error messages). The
 * texts live in locales/ja.json and locales/en.json like every other user-facing text; a test checks
 * that each key exists in both files.
 */
export const WEB_STRING_KEYS = [
  'web.title',
  'web.heading',
  'web.tagline',
  'web.log-label',
  'web.input-label',
  'web.input-placeholder',
  'web.send',
  'web.sending',
  'web.copy',
  'web.copied',
  'web.copy-failed',
  'web.lang-switch',
  'web.you',
  'web.bot',
  'web.level.danger',
  'web.level.high',
  'web.level.medium',
  'web.level.low',
  'web.level.unknown',
  'web.danger-banner',
  'web.error.network',
  'web.error.offline',
  'web.error.busy',
  'web.error.rate-limited',
  'web.ready',
  'web.error.server',
  'web.error.unavailable',
  'web.error.too-long',
  'web.session-new',
  'web.noscript',
  'web.footer',
] as const;
export type WebStringKey = (typeof WEB_STRING_KEYS)[number];

/** The page's texts in one language. A key missing from the locales falls back to Japanese, then to the key. */
export function webStringsOf(locales: Locales, lang: Language): Record<WebStringKey, string> {
  const out = {} as Record<WebStringKey, string>;
  for (const key of WEB_STRING_KEYS) out[key] = translate(locales, lang, key);
  return out;
}
