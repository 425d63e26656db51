import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { stripTypeScriptTypes } from 'node:module';
import { fileURLToPath } from 'node:url';
import { LANGUAGES, type Language, type Locales } from '../engine/locales.ts';
import { webStringsOf, type WebStringKey } from './web-strings.ts';

/** The folder holding the page's sources (index.html, chat.ts, chat.css). */
export const WEB_DIR = fileURLToPath(new URL('../../web/', import.meta.url));

/** One file served to the browser, kept in memory. */
export interface WebAsset {
  body: Buffer;
  contentType: string;
  /** Strong ETag from the content hash. */
  etag: string;
  /** Short content hash, used as `?v=` in the page so a new build is never served from an old cache. */
  version: string;
}

/** The page in each language, and the script and style sheet. */
export interface WebAssets {
  pages: Record<Language, WebAsset>;
  script: WebAsset;
  style: WebAsset;
}

function asset(body: Buffer, contentType: string): WebAsset {
  const hash = createHash('sha256').update(body).digest('base64url');
  return { body, contentType, etag: `"${hash.slice(0, 27)}"`, version: hash.slice(0, 12) };
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]!);

/**
 * Turns web/chat.ts into JavaScript by erasing its types (Node's own `stripTypeScriptTypes`, no bundler).
 * Node marks the function experimental and prints an ExperimentalWarning on first use; that one warning
 * is dropped here because it says nothing an operator can act on. Other warnings pass through.
 */
export function stripClientTypes(source: string): string {
  const emit = process.emitWarning;
  process.emitWarning = ((warning: string | Error, ...rest: unknown[]) => {
    const text = typeof warning === 'string' ? warning : warning.message;
    if (/stripTypeScriptTypes/.test(text)) return;
    (emit as (...a: unknown[]) => void).call(process, warning, ...rest);
  }) as typeof process.emitWarning;
  try {
    return stripTypeScriptTypes(source, { mode: 'strip' });
  } finally {
    process.emitWarning = emit;
  }
}

/**
 * Fills the page template: `{{web.key}}` becomes the escaped text in that language, `{{lang}}` the
 * language, `{{v:chat.js}}` / `{{v:chat.css}}` the asset versions. An unknown placeholder stops start-up.
 */
export function renderPage(template: string, lang: Language, strings: Record<WebStringKey, string>, versions: Record<string, string>): string {
  return template.replace(/\{\{([a-z0-9.:-]+)\}\}/gi, (_m, name: string) => {
    if (name === 'lang') return lang;
    if (name.startsWith('v:')) {
      const v = versions[name.slice(2)];
      if (!v) throw new Error(`web/index.html: unknown asset "${name.slice(2)}"`);
      return v;
    }
    if (Object.hasOwn(strings, name)) return escapeHtml(strings[name as WebStringKey]);
    throw new Error(`web/index.html: unknown placeholder {{${name}}}`);
  });
}

/** Reads, converts and renders the page's files once at start-up; they are then served from memory. */
export function loadWebAssets(locales: Locales, dir = WEB_DIR): WebAssets {
  const read = (name: string) => readFileSync(`${dir}/${name}`, 'utf8');
  const script = asset(Buffer.from(stripClientTypes(read('chat.ts'))), 'text/javascript; charset=utf-8');
  const style = asset(Buffer.from(read('chat.css')), 'text/css; charset=utf-8');
  const template = read('index.html');
  const versions = { 'chat.js': script.version, 'chat.css': style.version };
  const pages = {} as Record<Language, WebAsset>;
  for (const lang of LANGUAGES) {
    pages[lang] = asset(Buffer.from(renderPage(template, lang, webStringsOf(locales, lang), versions)), 'text/html; charset=utf-8');
  }
  return { pages, script, style };
}
