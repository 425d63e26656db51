import { describe, expect, it } from 'vitest';
import { writtenLanguage } from '../../src/text/written-language.ts';

describe('writtenLanguage', () => {
  it.each([
    ['これは大丈夫ですか？', 'ja'],
    ['ｺﾚﾊ ﾀﾞｲｼﾞｮｳﾌﾞ', 'ja'],
    ['Amazonで買ったPS5が届かない', 'ja'],
    ['The seller asked me to pay by bank transfer', 'en'],
    ["My order didn't arrive", 'en'],
    ['Is this legit? https://www.amazon.co.jp/dp/B01N5QTFAK', 'en'],
    ['hello', 'en'],
    ['Thanks!', 'en'],
  ] as const)('%s → %s', (text, lang) => {
    expect(writtenLanguage(text)).toBe(lang);
  });

  it.each([
    // Nothing that says which language the writer reads: numbers, links, names, kanji alone, one word.
    '2,980',
    'https://www.amazon.co.jp/dp/B01N5QTFAK',
    'amazon.co.jp.sign-in-xyz.top',
    'iPhone 15 Pro',
    'Nintendo Switch',
    'OK',
    'done',
    '不正利用',
    'user@example.com',
    '',
    '👍',
  ])('%s → null', (text) => {
    expect(writtenLanguage(text)).toBeNull();
  });
});
