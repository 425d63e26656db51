import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

/** Languages the advisor speaks; Japanese first. */
export const LANGUAGES = ['ja', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

/** All user-facing text, by language then key. */
export type Locales = Record<Language, Readonly<Record<string, string>>>;

const LocaleFile = z.record(z.string().regex(/^[a-z][a-z0-9-]*(\.[a-z0-9-]+)+$/), z.string().min(1).max(4096));

/** Reads locales/ja.json and locales/en.json, failing with the file name and the bad key when one is malformed. */
export function loadLocales(dir: string): Locales {
  const out = {} as Record<Language, Record<string, string>>;
  for (const lang of LANGUAGES) {
    const file = join(dir, `${lang}.json`);
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`locale ${file}: ${(err as Error).message}`);
    }
    const parsed = LocaleFile.safeParse(json);
    if (!parsed.success) throw new Error(`locale ${file}: ${z.prettifyError(parsed.error)}`);
    out[lang] = parsed.data;
  }
  return out;
}

/**
 * Looks up a text and fills `{name}` placeholders. A missing key falls back to Japanese and then to
 * the key itself; the flow lint makes sure that never happens in a shipped build.
 */
export function translate(locales: Locales, lang: Language, key: string, vars?: Readonly<Record<string, string | number>>): string {
  const template = locales[lang][key] ?? locales.ja[key] ?? key;
  if (!vars || !template.includes('{')) return template;
  return template.replace(/\{([a-zA-Z][a-zA-Z0-9]*)\}/g, (m, name: string) => {
    const v = vars[name];
    return v === undefined ? m : String(v);
  });
}
