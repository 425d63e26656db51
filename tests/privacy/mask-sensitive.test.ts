import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskSensitive, passesLuhn } from '../../src/privacy/mask-sensitive.ts';

describe('maskSensitive', () => {
  it.each([
    ['カード番号は4111111111111111です', 'card', '4111111111111111'],
    ['4111 1111 1111 1111', 'card', '1111 1111'],
    ['4111-1111-1111-1111 で払いました', 'card', '4111-1111'],
    ['５５５５　５５５５　５５５５　４４４４', 'card', '5555'],
    ['3782 822463 10005', 'card', '822463'],
    ['パスワードは Hunter2-secret です', 'password', 'Hunter2-secret'],
    ['password: correct-horse-battery', 'password', 'correct-horse-battery'],
    ['PW=abc12345', 'password', 'abc12345'],
    ['認証コード 482913 が届きました', 'otp', '482913'],
    ['確認コード：１２３４５６', 'otp', '123456'],
    ['my verification code is 904211', 'otp', '904211'],
  ])('masks %s', (text, kind, secret) => {
    const r = maskSensitive(text);
    expect(r.found).toContain(kind);
    expect(r.text).not.toContain(secret);
    expect(r.text).toContain('****');
  });

  it.each([
    '注文番号 250-1234567-1234567',
    'パスワードを変更しました',
    '価格は1980円で、評価は12件です',
    '電話 03-1234-5678',
    'https://www.amazon.co.jp/dp/B01N5QTFAK',
    '4111111111111112',
  ])('leaves %s alone', (text) => {
    expect(maskSensitive(text)).toEqual({ text, found: [] });
  });

  it('knows Luhn', () => {
    expect(passesLuhn('4111111111111111')).toBe(true);
    expect(passesLuhn('4111111111111112')).toBe(false);
  });

  it('never throws and never lets a valid card number through', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        const card = '4242424242424242';
        const r = maskSensitive(`${a} ${card} ${b}`);
        expect(r.text.replace(/\D/g, '')).not.toContain(card);
      }),
      { numRuns: 300 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 500 }), (s) => void maskSensitive(s)), { numRuns: 500 });
  });
});
