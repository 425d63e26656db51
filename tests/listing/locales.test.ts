// Every code the listing checker can emit has user-facing text in both languages, and the
// TypeScript sources hold no Japanese text (house style: user text lives only in locales/).
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SELLER_REASON_CODES, SELLER_RISK_LEVELS } from '../../src/listing/assess-seller-risk.ts';
import { LINK_REASON_CODES, LINK_VERDICTS } from '../../src/listing/link-check.ts';

const root = join(import.meta.dirname, '..', '..');
const load = (lang: string): Record<string, unknown> => JSON.parse(readFileSync(join(root, 'locales', `${lang}.json`), 'utf8'));

const keys = [
  ...LINK_VERDICTS.map((v) => `link.verdict.${v}`),
  ...LINK_REASON_CODES.map((c) => `link.reason.${c}`),
  ...SELLER_RISK_LEVELS.map((l) => `seller.level.${l}`),
  ...SELLER_REASON_CODES.flatMap((c) => [`seller.reason.${c}`, `seller.advice.${c}`]),
];

describe('listing locale strings', () => {
  for (const lang of ['ja', 'en']) {
    it(`${lang}.json has a non-empty string for every code`, () => {
      const strings = load(lang);
      const missing = keys.filter((k) => typeof strings[k] !== 'string' || (strings[k] as string).trim() === '');
      expect(missing).toEqual([]);
    });
  }

  it('Japanese strings are Japanese, short enough for a phone, and English ones are not Japanese', () => {
    const ja = load('ja');
    const en = load('en');
    for (const k of keys) {
      expect(ja[k] as string, k).toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
      expect((ja[k] as string).length, k).toBeLessThanOrEqual(80);
      expect(en[k] as string, k).not.toMatch(/[\u3040-\u30ff\u4e00-\u9fff]/);
    }
  });

  it('never calls an unknown site or an official link "safe"', () => {
    const ja = load('ja');
    const en = load('en');
    for (const k of ['link.verdict.unknown-site', 'link.verdict.official-listing', 'link.verdict.official-other', 'link.reason.not-on-known-lists']) {
      // "safe" may only appear negated ("does not mean it is safe").
      if (/safe/i.test(en[k] as string)) expect(en[k] as string).toMatch(/not[^.]*safe/i);
      if (/安全/.test(ja[k] as string)) expect(ja[k] as string).toMatch(/安全(とは限りません|の証明ではありません|の性は別|性は別)/);
    }
  });
});

describe('source hygiene', () => {
  it('src/listing/*.ts holds no Japanese text', () => {
    const dir = join(root, 'src', 'listing');
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts'))) {
      const code = readFileSync(join(dir, file), 'utf8');
      // Comments may quote Japanese UI labels; string literals may not.
      const withoutComments = code.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"])\/\/.*$/gm, '$1');
      expect(withoutComments, file).not.toMatch(/['"`][^'"`\n]*[\u3040-\u30ff\u4e00-\u9fff][^'"`\n]*['"`]/);
    }
  });
});
