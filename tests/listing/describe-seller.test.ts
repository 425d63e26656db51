import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLocales } from '../../src/engine/locales.ts';
import { DESCRIBED_FIELDS, DESCRIBED_TEXT_KEYS, sellerSignalsInText } from '../../src/listing/describe-seller.ts';
import { LOCALES_DIR } from '../../src/runtime.ts';

/** 2026-12-06 in Japan. */
const AT = Date.UTC(2026, 11, 6, 3);
const read = (text: string) => sellerSignalsInText(text, AT);

describe('sellerSignalsInText', () => {
  it.each([
    ['アマゾンで2万円のゲーム機が3千円で売ってて、出品者が先月できたばかりで評価が2件しかないんですが大丈夫ですか', { price: 3000, typicalPrice: 20000, ratingCount: 2, newSeller: true }],
    ['相場は3万円くらいのSwitchが2,980円で出品されています。中国から発送です', { price: 2980, typicalPrice: 30000, fulfilment: 'overseas' }],
    ['ＰＳ５が５０００円で出品されてる。評価なし', { price: 5000, ratingCount: 0 }],
    ['定価29800円の掃除機、販売価格は9800円。Amazonが発送します', { price: 9800, typicalPrice: 29800, fulfilment: 'amazon' }],
    ['ふだんは三万円くらいするのに、二千九百八十円で並んでいました', { price: 2980, typicalPrice: 30000 }],
    ['出品者の最後の評価が2010年で、急に3万点も出品してます', { lastRatingYearsAgo: 16, listingCount: 30000 }],
    ['評価は8年前のが最後です', { lastRatingYearsAgo: 8 }],
    ['評価が4.5で1200件あります。出品者が発送', { ratingCount: 1200, fulfilment: 'seller' }],
    ['評価が2万件ある大きなお店です', { ratingCount: 20000 }],
    ['新規出品者で、評価は1件もない', { ratingCount: 0, newSeller: true }],
    ['出品者から銀行振込でお願いしますと言われました', { offPlatformRequest: true }],
    ['LINEで連絡してほしいと書いてありました', { offPlatformRequest: true }],
    ['Amazonが発送ではなく出品者が発送', { fulfilment: 'seller' }],
    ['It is usually ¥30,000 but this seller is selling for ¥2,980. New seller with 0 ratings, ships from China.', { price: 2980, typicalPrice: 30000, ratingCount: 0, newSeller: true, fulfilment: 'overseas' }],
    ['The seller asked me to pay by bank transfer', { offPlatformRequest: true }],
    ['The seller has 3 ratings and it is fulfilled by Amazon', { ratingCount: 3, fulfilment: 'amazon' }],
  ])('「%s」', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it.each([
    // Two prices with nothing saying which is which, or two listed prices: which one is meant is not clear.
    '2万円が3千円',
    '3,000円で出てて、別の出品者は2,500円で出てた',
    // An amount that is neither price: what was lost, a shipping fee, a refund.
    'アカウントが乗っ取られて10万円の被害',
    '送料500円と言われた',
    // Words about a kind of seller, not facts about this one.
    'この出品者大丈夫ですか',
    '相場の半額以下で売られているけど大丈夫？',
    '評価4.5の出品者です',
    // Shipped by both, or said not to be so.
    'Amazonが発送と出品者が発送の両方があります',
    // An off-platform word with no request.
    '銀行振込にも対応している出品者',
    // A rating this year says nothing about a dormant seller.
    '最後の評価は2026年です',
    '',
  ])('takes nothing from 「%s」', (text) => {
    expect(read(text)).toEqual({});
  });

  it('gives its fields in the order of the questions', () => {
    const out = read('評価が2件で、相場2万円の商品が3千円で出品、中国から発送、新規出品者です');
    expect(Object.keys(out)).toEqual(['price', 'typicalPrice', 'fulfilment', 'ratingCount', 'newSeller']);
  });

  it('counts years back from the year in Japan of the message', () => {
    expect(sellerSignalsInText('最後の評価が2010年', Date.UTC(2026, 11, 31, 16))).toEqual({ lastRatingYearsAgo: 17 });
    expect(sellerSignalsInText('最後の評価が2010年', Date.UTC(2026, 11, 31, 14))).toEqual({ lastRatingYearsAgo: 16 });
  });

  it('never throws, and gives only known fields with plausible values, on any text', () => {
    const parts = fc.constantFrom('円', '万', '千', '評価', '件', 'で売', 'の商品が', '相場', '定価', '出品者', '発送', '新規', '年前', '最後の評価が', '2010年', 'で', 'は', '、', ' ', '¥', 'yen');
    const piece = fc.oneof(parts, fc.integer({ min: 0, max: 10_000_000 }).map(String), fc.string({ maxLength: 5 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 30 }).map((a) => a.join('')), (text) => {
        const out = read(text);
        for (const [field, value] of Object.entries(out)) {
          expect(DESCRIBED_FIELDS).toContain(field);
          if (typeof value === 'number') expect(Number.isFinite(value) && value >= 0).toBe(true);
        }
      }),
      { numRuns: 500 },
    );
  });

  it('reads only the start of a very long text, and returns', () => {
    const long = `${'1'.repeat(5000)}円${'で売'.repeat(2000)}評価${'9'.repeat(3000)}件`;
    expect(() => read(long)).not.toThrow();
    expect(read(`${'あ'.repeat(2500)}評価が2件`)).toEqual({});
  });

  it('has a text in both languages for every fact it can give, with the value where there is one', () => {
    const locales = loadLocales(LOCALES_DIR);
    for (const key of DESCRIBED_TEXT_KEYS) {
      for (const lang of ['ja', 'en'] as const) {
        const text = locales[lang][`described.${key}`];
        expect(text, `${lang} described.${key}`).toBeTypeOf('string');
        expect(/\{value\}/.test(text!), `${lang} described.${key}`).toBe(!key.includes('.') && !['new-seller', 'off-platform-request'].includes(key));
      }
    }
  });
});
