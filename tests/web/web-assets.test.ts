import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { Script } from 'node:vm';
import { describe, expect, it } from 'vitest';
import { loadLocales, LANGUAGES } from '../../src/engine/locales.ts';
import { LOCALES_DIR } from '../../src/runtime.ts';
import { loadWebAssets, renderPage, stripClientTypes, WEB_DIR } from '../../src/web/web-assets.ts';
import { MAX_WEB_TEXT_LENGTH } from '../../src/web/web-chat-api.ts';
import { WEB_STRING_KEYS, webStringsOf } from '../../src/web/web-strings.ts';

const run = promisify(execFile);
const locales = loadLocales(LOCALES_DIR);
const read = (name: string) => readFileSync(`${WEB_DIR}/${name}`, 'utf8');

describe('web page assets', () => {
  const assets = loadWebAssets(locales);

  it('weigh under 100 KB together (page, script, style sheet)', () => {
    const total = assets.pages.ja.body.length + assets.script.body.length + assets.style.body.length;
    expect(total).toBeLessThan(100 * 1024);
    expect(assets.pages.en.body.length + assets.script.body.length + assets.style.body.length).toBeLessThan(100 * 1024);
  });

  it('the script is web/chat.ts with its types erased, valid JavaScript with no imports left', () => {
    const js = assets.script.body.toString('utf8');
    expect(js).not.toMatch(/^\s*import\b/m);
    expect(js).not.toMatch(/\binterface\s+\w+\s*\{/);
    // Compiles as a classic script too, so nothing TypeScript-only is left.
    expect(() => new Script(js, { filename: 'chat.js' })).not.toThrow();
  });

  it('erasing types prints no ExperimentalWarning (checked in a fresh process, where Node would print it once)', async () => {
    const module = new URL('../../src/web/web-assets.ts', import.meta.url).href;
    const code = `const m = await import(${JSON.stringify(module)}); console.log(m.stripClientTypes('const a: number = 1;').trim()); process.emitWarning('other warning');`;
    const { stdout, stderr } = await run(process.execPath, ['--input-type=module', '-e', code], { timeout: 20_000 });
    expect(stdout.trim()).toMatch(/^const a\s+= 1;$/);
    expect(stderr).not.toMatch(/ExperimentalWarning|stripTypeScriptTypes/);
    expect(stderr).toMatch(/other warning/); // other warnings still pass
  });

  it('the page has no inline script, inline style or event-handler attribute (the CSP forbids them)', () => {
    for (const lang of LANGUAGES) {
      const html = assets.pages[lang].body.toString('utf8');
      const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
      expect(scripts.length).toBe(1);
      for (const [, attrs, body] of scripts) {
        expect(attrs).toMatch(/\bsrc="\/chat\.js\?v=/);
        expect(body!.trim()).toBe('');
      }
      expect(html).not.toMatch(/<style\b/i);
      expect(html).not.toMatch(/\sstyle\s*=/i);
      expect(html).not.toMatch(/\son[a-z]+\s*=/i);
      expect(html).not.toMatch(/https?:\/\//); // nothing loaded from elsewhere
      expect(html).toContain(`<html lang="${lang}">`);
      expect(html).toContain(`maxlength="${MAX_WEB_TEXT_LENGTH}"`);
    }
  });

  it('the page is rendered in each language from the locales, escaped', () => {
    expect(assets.pages.ja.body.toString()).toContain(locales.ja['web.send']!);
    expect(assets.pages.en.body.toString()).toContain(locales.en['web.send']!);
    const strings = { ...webStringsOf(locales, 'ja'), 'web.title': '<b>"x" & y</b>' };
    expect(renderPage('<title>{{web.title}}</title>', 'ja', strings, {})).toBe('<title>&lt;b&gt;&quot;x&quot; &amp; y&lt;/b&gt;</title>');
    expect(() => renderPage('{{web.nope}}', 'ja', strings, {})).toThrow(/unknown placeholder/);
    expect(() => renderPage('{{v:nope.js}}', 'ja', strings, {})).toThrow(/unknown asset/);
  });

  it('every web.* key the page uses exists in ja.json and en.json, and no other web.* key does', () => {
    for (const lang of LANGUAGES) {
      for (const key of WEB_STRING_KEYS) expect(locales[lang][key], `${key} in ${lang}.json`).toBeTruthy();
      const extra = Object.keys(locales[lang]).filter((k) => k.startsWith('web.') && !(WEB_STRING_KEYS as readonly string[]).includes(k));
      expect(extra).toEqual([]);
    }
  });

  it('the page sources hold no user-facing Japanese (texts live in locales/)', () => {
    for (const name of ['chat.ts', 'index.html']) expect(read(name)).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
  });
});
