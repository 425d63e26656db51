import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAnswer } from '../../src/engine/parse-answer.ts';

describe('parseAnswer', () => {
  it.each([
    ['yen', '1,980円', 1980],
    ['yen', '１９８０', 1980],
    ['yen', '3万', 30000],
    ['yen', '2万5千円', 25000],
    ['yen', '1.5万円', 15000],
    ['yen', '¥12,800', 12800],
    ['yen', '3000〜5000円くらい', 3000],
    ['count', '約120件', 120],
    ['percent', '98%', 98],
    ['years', '3年', 3],
    ['years', '半年くらい前', 0.5],
    ['years', '6ヶ月', 0.5],
    // Kanji numbers, alone or mixed with digits.
    ['yen', '一万五千円くらい', 15000],
    ['yen', '二千九百八十円', 2980],
    ['yen', '三万', 30000],
    ['yen', '千円', 1000],
    ['yen', '2千円', 2000],
    ['yen', '2万五千円', 25000],
    ['yen', '十二万八千円', 128000],
    ['yen', '二〇二四円', 2024],
    ['yen', '1億', 100000000],
    ['count', '2万5千件', 25000],
    ['count', '評価 4.5 (1万2千件)', 12000],
    ['yen', '再送料の5000円もう銀行で振り込んじゃった', 5000],
    ['yen', '090-1234-5678 から電話があり、2万円払いました', 20000],
    ['yen', '約3万くらい？', 30000],
    ['yen', 'I paid ¥4,500 for it', 4500],
    ['yen', 'about 12000 yen', 12000],
    ['count', '五十件くらい', 50],
    ['count', '十五件', 15],
    ['years', '三年', 3],
    ['years', '三ヶ月', 0.25],
    ['years', '1年半', 1.5],
    ['years', '一年半くらい', 1.5],
    // Shorter units are parts of a year, not years: 「10日」 is not ten years.
    ['years', '10日', 0.03],
    ['years', '十日くらい前', 0.03],
    ['years', '3週間', 0.06],
    ['years', '30 days', 0.08],
    ['years', '2 weeks ago', 0.04],
    ['years', '18ヶ月', 1.5],
    ['years', '5 years', 5],
    // Words without a number.
    ['years', '一昨年', 2],
    ['years', 'おととしくらい', 2],
    ['years', '去年', 1],
    ['years', '先月', 0.08],
    ['years', '先週', 0.02],
    ['years', '昨日', 0],
    // A count among other numbers: the one written as a count.
    ['count', '評価 4.5 (120件)', 120],
    ['count', '星4.2で、評価は3,000件くらい', 3000],
    ['count', '4.5 stars, 87 ratings', 87],
    ['count', '1.2万件', 12000],
    // None yet, and "a few".
    ['count', 'なし', 0],
    ['count', '評価なし', 0],
    ['count', 'まだありません', 0],
    ['count', 'ゼロ', 0],
    ['count', 'none', 0],
    ['count', 'no ratings', 0],
    ['count', '数件', 3],
    ['count', '数十件くらい', 30],
    ['years', '数年前', 3],
    ['count', '1件もない', 0],
    ['years', '2年前の12月3日', 2],
  ] as const)('%s %s → %s', (input, text, value) => {
    expect(parseAnswer(input, text)).toEqual({ ok: true, value });
  });

  it.each([
    ['yen', 'わかりません', 'answer.invalid.yen'],
    ['yen', '-500', 'answer.invalid.yen'],
    // A number in a sentence that is not marked as yen is not taken for the amount.
    ['yen', '送り主は 090-1234-5678 でした', 'answer.invalid.yen'],
    ['yen', 'the 6-digit SMS code 482915', 'answer.invalid.yen'],
    ['yen', '10時ごろにカードを止めました', 'answer.invalid.yen'],
    ['yen', '090-1234-5678', 'answer.invalid.yen'],
    ['percent', '150%', 'answer.invalid.percent'],
    ['years', '100年', 'answer.invalid.years'],
    ['years', '2023年', 'answer.invalid.years'],
    ['years', '最近', 'answer.invalid.years'],
    ['text', 'x'.repeat(301), 'answer.invalid.too-long'],
    ['text', '   ', 'answer.invalid.empty'],
  ] as const)('%s %s is refused with %s', (input, text, error) => {
    expect(parseAnswer(input, text)).toEqual({ ok: false, error });
  });

  it('never throws', () => {
    fc.assert(
      fc.property(fc.constantFrom('text', 'yen', 'count', 'percent', 'years', 'date', 'url' as const), fc.string({ maxLength: 300 }), (kind, text) => {
        parseAnswer(kind, text);
      }),
      { numRuns: 1000 },
    );
  });
});
