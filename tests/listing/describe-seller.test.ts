import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { loadLocales } from '../../src/engine/locales.ts';
import { DESCRIBED_FIELDS, DESCRIBED_TEXT_KEYS, sellerSignalsInText, sellerSignalsInTextReadingEveryRule } from '../../src/listing/describe-seller.ts';
import { LOCALES_DIR } from '../../src/runtime.ts';

/** 2026-12-06 in Japan. */
const AT = Date.UTC(2026, 11, 6, 3);
const read = (text: string) => sellerSignalsInText(text, AT);

const READ: [string, Record<string, unknown>][] = [
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
    // A request in the imperative, reported or with a seller named; and one to pay, pasted as it came.
    ['「LINEで連絡してください」と来た', { offPlatformRequest: true }],
    ['相手から電話で連絡してくださいって', { offPlatformRequest: true }],
    ['銀行振込でお願いします', { offPlatformRequest: true }],
    ['The seller has 3 ratings and it is fulfilled by Amazon', { ratingCount: 3, fulfilment: 'amazon' }],
];

const NOTHING = [
    // A pasted message asking the reader to get in touch (SMS phishing says so too), not said of a listing.
    'お荷物をお届けにあがりましたが不在のため持ち帰りました。電話で連絡してください',
    'LINEで連絡してください',
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
];
const SAMPLES = [...READ.map(([text]) => text), ...NOTHING];

describe('sellerSignalsInText', () => {
  it.each(READ)('「%s」', (text, expected) => {
    expect(read(text)).toEqual(expected);
  });

  it.each(NOTHING)('takes nothing from 「%s」', (text) => {
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

describe('sellerSignalsInText, its first looks', () => {
  /** Checks that the reader with its first looks and without them agree on `runs` texts of 1 to 3 phrases. */
  const agreeOnPhrases = (phrase: fc.Arbitrary<string[]>, runs: number) =>
    fc.assert(
      fc.property(fc.array(phrase, { minLength: 1, maxLength: 3 }), fc.constantFrom('', '、', '。', ' '), (parts, joint) => {
        const text = parts.map((p) => p.join('')).join(joint);
        expect(sellerSignalsInText(text, AT)).toEqual(sellerSignalsInTextReadingEveryRule(text, AT));
      }),
      { numRuns: runs },
    );

  it('read the same as every rule would, on texts made of the words the rules look for', () => {
    // Words and pieces of every rule (and of their cheap first looks), numbers, and noise.
    const words = `円 万 千 ¥ yen 評価 件 の評価 最後の評価が 年前 年 なし ゼロ 0件 一件もない rating ratings feedback no ratings 相場 定価 通常価格 普通 ふつう ふだん 普段 いつも 本来 元値 市場価格 参考価格 ほかの店 他店 量販店 公式 正規 usually normally retail market price elsewhere くらい ぐらい する はする が相場 のはず の ゲーム機 が を は で売 で出品 で並んで で買える に値下げ になってる の出品 という値段 しか と激安 価格は 値段は 売値 selling for listed at priced at sells for costs only 出品 点 3万点も 出して 並べて 出品数が lists items listing selling products 新規 新規出品者 新しい出品者 できたばかり 始めたばかり 先月 先週 最近 3日前 2週間前 1か月前 出品者 ショップ アカウント でき 始め 開設 new seller brand new seller just opened 発送 海外から発送 中国から発送 出品者が発送 Amazonが発送 自社発送 FBA ships from china fulfilled by amazon ではなく ない 銀行振込 振り込み 口座に ギフト券 電子マネー PayPay 直接取引 LINEで メールで 外部のサイト Amazonの外 Amazon以外 すすめられた と言われ 頼まれ 指示 asked told bank transfer wire outside amazon whatsapp email me gift cards 、 。 ！ ？ , . 三千 二万 一番新しい 税込 (税込) 送料込み この出品者は 他の出品者は 別の出品者は ふだんの値段は 出荷元 発送元 自己発送 が販売、発送 発送は 電話で連絡 LINEのID のみ しませんか 教えて typically price was going for on sale for seller is new 3000で売 ではない じゃなくて かどうか だったら もし 場合 って危ない から買うのは 商品の 星1の 増えた から評価がない か 〜`.split(' ');
    const piece = fc.oneof(fc.constantFrom(...words), fc.integer({ min: 0, max: 3_000_000 }).map(String), fc.constantFrom('2010', '2015', '2,980', '1,200', '4.5'), fc.string({ maxLength: 3 }));
    fc.assert(
      fc.property(fc.array(piece, { maxLength: 24 }), fc.constantFrom('', ' '), (parts, joint) => {
        const text = parts.join(joint);
        expect(sellerSignalsInText(text, AT)).toEqual(sellerSignalsInTextReadingEveryRule(text, AT));
      }),
      { numRuns: 4000 },
    );
  });

  it('read the same on amounts between the words before and after them that the rules look for', () => {
    const before = ['', '相場は', '定価', 'ふだんは', '普通', '他の店で', '公式で', 'usually ', 'retail ', 'market price ', 'elsewhere ', 'regular price ', '価格は', '値段が', '売値', 'selling for ', 'listed at ', 'priced at ', 'costs ', 'only ', 'たった', '約', '¥', 'PS5が', '送料'];
    const after = ['', 'で売ってた', 'で出品', 'で並んで', 'で買える', 'で購入', 'で注文', 'に値下げ', 'になってる', 'に下がった', 'の出品', 'の値段で', 'の価格で', 'という値段', 'しか', 'と激安', 'と格安', 'と安い', 'くらいする', 'はする', 'が相場', 'のはず', 'のゲーム機が', 'くらいのPS4を', 'です', 'の被害', '引き'];
    agreeOnPhrases(fc.tuple(fc.constantFrom(...before), fc.integer({ min: 1, max: 300_000 }).map(String), fc.constantFrom('円', '万円', '千円', '万', '千', ' yen', ''), fc.constantFrom(...after)), 3000);
  });

  it('read the same on what is said of the seller, its ratings and its shipping', () => {
    const subject = ['', '出品者', 'セラー', 'ショップ', 'お店', '店', '販売者', '業者', 'アカウント', 'ストア', 'seller ', 'the seller '];
    const particle = ['', 'は', 'が', 'も', 'の', 'から', ' '];
    const middle = ['', '先月', '先週', '今月', '最近', '昨日', '3日前', '2週間前', '1か月前', 'ちょっと前に', '評価が', '最後の評価が', 'just ', 'asked me to pay by ', 'told me to use '];
    const end = ['できたばかり', '始めたばかり', '開設した', 'できた', '新規', '2件', '2010年', '8年前', 'なし', 'opened', 'started', 'bank transfer', 'LINE', 'whatsapp', '発送', '海外から発送', 'ではない', 'ratings', '3 ratings', 'new seller'];
    agreeOnPhrases(fc.tuple(fc.constantFrom(...subject), fc.constantFrom(...particle), fc.constantFrom(...middle), fc.constantFrom(...end)), 3000);
  });

  it('agree on every description of the tables above', () => {
    for (const text of SAMPLES) expect(sellerSignalsInText(text, AT), text).toEqual(sellerSignalsInTextReadingEveryRule(text, AT));
  });
});

describe('amountsIn', () => {
  it('gives the first amounts of the text, in order, however many it holds', async () => {
    const { amountsIn } = await import('../../src/engine/parse-answer.ts');
    const many = `${'100円、'.repeat(3000)}2万の`;
    const first = amountsIn(many, 8);
    expect(first.map((a) => a.value)).toEqual(Array(8).fill(100));
    expect(first.map((a) => a.start)).toEqual([0, 5, 10, 15, 20, 25, 30, 35]);
    // 万 amounts found by the second walk still come in text order with the marked ones.
    expect(amountsIn('3万の商品が2,980円で、1万も', 8).map((a) => a.value)).toEqual([30000, 2980, 10000]);
  });
});
