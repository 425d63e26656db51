// Details of link extraction that the corpus does not pin: offsets, normalisation, boundaries,
// and that hostile input stays linear and never throws.
import { describe, expect, it } from 'vitest';
import { extractUrls, normaliseUrlText } from '../../src/listing/extract-urls.ts';

const urls = (text: string) => extractUrls(text).map((e) => e.url);
const inputs = (text: string) => extractUrls(text).map((e) => e.input);

describe('extractUrls', () => {
  it('reports raw input with offsets into the original text', () => {
    const text = '見て：ｈｔｔｐｓ：／／ａｍｚｎ．ａｓｉａ／ｄ／ａｂｃ１２３４。';
    const [e] = extractUrls(text);
    expect(e!.url).toBe('https://amzn.asia/d/abc1234');
    expect(text.slice(e!.start, e!.end)).toBe(e!.input);
    expect(e!.input).toBe('ｈｔｔｐｓ：／／ａｍｚｎ．ａｓｉａ／ｄ／ａｂｃ１２３４');
  });

  it('keeps Japanese product slugs but not the prose after a link', () => {
    expect(inputs('https://www.amazon.co.jp/ソニー純正PS4コントローラー/dp/B01N5QTFAKを買いました')).toEqual(['https://www.amazon.co.jp/ソニー純正PS4コントローラー/dp/B01N5QTFAK']);
    expect(inputs('https://x.example.com/aを見てhttps://y.example.com/b')).toEqual(['https://x.example.com/a', 'https://y.example.com/b']);
    expect(inputs('https://www.amazon.co.jp/s?k=ソニー')).toEqual(['https://www.amazon.co.jp/s?k=ソニー']);
    expect(inputs('https://www.amazon.co.jp/s?k=ソニー&i=videogames')).toEqual(['https://www.amazon.co.jp/s?k=ソニー&i=videogames']);
  });

  it('reads host names with non-ASCII labels whole', () => {
    expect(inputs('https://amazon.co.jp.アマゾン.com/ap/signin')).toEqual(['https://amazon.co.jp.アマゾン.com/ap/signin']);
    expect(urls('https://amazon.co.jp.アマゾン.com/ap/signin')).toEqual(['https://amazon.co.jp.xn--cckwcxetd.com/ap/signin']);
    expect(inputs('見て→amazon.co.jp.アマゾン.com/ap/signinです')).toEqual(['amazon.co.jp.アマゾン.com/ap/signin']);
    expect(inputs('https://アマゾン.co.jp/')).toEqual(['https://アマゾン.co.jp/']);
    expect(inputs('アマゾン.co.jpで買った')).toEqual(['アマゾン.co.jp']);
    expect(inputs('「アマゾン.co.jp」')).toEqual(['アマゾン.co.jp']);
    expect(inputs('例え.テスト.jp/page')).toEqual(['例え.テスト.jp/page']);
    expect(inputs('пример.рф/путь/1')).toEqual(['пример.рф/путь/1']);
    expect(urls('https://amazon.co.jp.пример.рф/')).toEqual(['https://amazon.co.jp.xn--e1afmkfd.xn--p1ai/']);
    // A label of its own after a dot (behind a scheme) is host even with a TLD we do not know.
    expect(urls('https://amazon.co.jp.偽物/ap/signin')).toEqual(['https://amazon.co.jp.xn--czqw04f/ap/signin']);
    // Glued to the label before it: host only when the label goes on to a dot and a real TLD.
    expect(urls('https://amazon.co.jpアマゾン.com/x')).toEqual(['https://amazon.co.xn--jp-ig4auevg1e.com/x']);
    expect(urls('amazon.co.jpアマゾン.com/x')).toEqual(['https://amazon.co.xn--jp-ig4auevg1e.com/x']);
    expect(urls('https://amazon.co.jpアマゾンjp.com/')).toHaveLength(1);
    expect(urls('https://amazon.co.jpアマゾンjp.com/')[0]).not.toMatch(/^https:\/\/amazon\.co\.jp\//);
  });

  it('keeps Japanese prose glued after a complete host out of it', () => {
    expect(inputs('amazon.co.jpで買った')).toEqual(['amazon.co.jp']);
    expect(inputs('https://www.amazon.co.jpです')).toEqual(['https://www.amazon.co.jp']);
    expect(inputs('https://www.amazon.co.jp/dp/B01N5QTFAK です')).toEqual(['https://www.amazon.co.jp/dp/B01N5QTFAK']);
    expect(inputs('amazon.co.jpとrakuten.co.jpで比較')).toEqual(['amazon.co.jp', 'rakuten.co.jp']);
    expect(inputs('amazon.co.jp。アマゾンで買った')).toEqual(['amazon.co.jp']);
    expect(inputs('amazon.co.jpです.次は楽天')).toEqual(['amazon.co.jp']);
    expect(inputs('amazon.co.jp.で買った')).toEqual(['amazon.co.jp']);
    expect(inputs('詳しくはamazon.co.jpを見て')).toEqual(['amazon.co.jp']);
    // Japanese before a name that is complete on its own is prose too (full-width full stop).
    expect(inputs('詳細です．amzn.to/abc')).toEqual(['amzn.to/abc']);
    expect(inputs('ソニー.amazon.co.jp/dp/B01N5QTFAK')).toEqual(['amazon.co.jp/dp/B01N5QTFAK']);
    expect(inputs('https://example.com/aを見てhttps://y.example.com/b')).toEqual(['https://example.com/a', 'https://y.example.com/b']);
  });

  it('trims sentence punctuation but keeps balanced brackets', () => {
    expect(inputs('Go to https://example.com/a.b.c.')).toEqual(['https://example.com/a.b.c']);
    expect(inputs('(https://example.com/wiki/Foo_(bar))')).toEqual(['https://example.com/wiki/Foo_(bar)']);
    expect(inputs('https://example.com/?q=1!?')).toEqual(['https://example.com/?q=1']);
    expect(inputs("'https://example.com/x'")).toEqual(['https://example.com/x']);
    expect(inputs('"https://example.com/x"')).toEqual(['https://example.com/x']);
  });

  it('keeps user@host links whole and skips e-mail addresses', () => {
    expect(urls('https://amazon.co.jp@evil.top/')).toEqual(['https://amazon.co.jp@evil.top/']);
    expect(urls('https://user:pw@example.com/x')).toEqual(['https://user:pw@example.com/x']);
    expect(urls('support@amazon.co.jp')).toEqual([]);
    expect(urls('連絡先 foo.bar@example.co.jp まで')).toEqual([]);
  });

  it('removes zero-width characters inside a link', () => {
    expect(urls('https://am\u200bazon.co.jp/d\u200dp/B01N5QTFAK\ufeff')).toEqual(['https://amazon.co.jp/dp/B01N5QTFAK']);
  });

  it('finds scheme-less links only with a known TLD', () => {
    expect(urls('example.com/path')).toEqual(['https://example.com/path']);
    expect(urls('bit.ly/abc')).toEqual(['https://bit.ly/abc']);
    expect(urls('foo.notatld/path index.ts main.py README.md Node.js 1.2.3 No.1')).toEqual([]);
    expect(urls('192.168.0.1/login')).toEqual(['https://192.168.0.1/login']);
    expect(urls('version 1.2.3.4 released')).toEqual([]);
  });

  it('handles IPv6 and ports', () => {
    expect(urls('http://[::1]:8080/x と http://example.com:8443/y')).toEqual(['http://[::1]:8080/x', 'http://example.com:8443/y']);
    expect(urls('example.com:abc')).toEqual(['https://example.com/']);
  });

  it('keeps the scheme after a label and a colon', () => {
    expect(urls('URL:http://amzn.asia/d/abc1234')).toEqual(['http://amzn.asia/d/abc1234']);
    expect(urls('Link:https://amazon.co.jp.偽物/ap/signin')).toEqual(['https://amazon.co.jp.xn--czqw04f/ap/signin']);
  });

  it('recognises 2ch-style and defanged schemes', () => {
    expect(urls('ttp://example.com/a ttps://example.org/b hxxp://evil.top/c')).toEqual(['http://example.com/a', 'https://example.org/b', 'http://evil.top/c']);
  });

  it('never throws on hostile input, and stays fast (linear)', () => {
    const hostile = [
      'a.'.repeat(5000),
      'https://'.repeat(1250),
      '@'.repeat(10000),
      'ａ．'.repeat(5000),
      'https://a.com/' + 'ソ'.repeat(9980),
      ('https://a.com/ソa').repeat(600),
      'x.co/' + 'ソa'.repeat(4990) + ' ',
      '\ud800'.repeat(10000),
      '\u200b'.repeat(10000),
      '('.repeat(5000) + 'https://a.com/' + ')'.repeat(5000),
      'https://a.com/' + ')'.repeat(9980),
      Array.from({ length: 10000 }, (_, i) => String.fromCharCode(i * 7 % 0xffff)).join(''),
      'amazon.co.jp@'.repeat(700) + 'evil.top/',
      'http://' + 'a'.repeat(9990) + '.com',
      'a.' + 'ア'.repeat(9998),
      'https://a.' + 'ア'.repeat(9990),
      'aア.'.repeat(3333),
      'a.coア'.repeat(2000),
      ('https://a.co.jpア' + 'b'.repeat(40)).repeat(180),
      ('x.jpア.').repeat(1400),
      'ア.'.repeat(5000),
    ];
    for (const text of hostile) {
      expect(() => extractUrls(text)).not.toThrow();
      // Best of three, so a busy machine does not fail the test; a quadratic scan of 10,000
      // characters takes several times this budget.
      let best = Infinity;
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        extractUrls(text);
        best = Math.min(best, performance.now() - started);
      }
      expect(best, text.slice(0, 30)).toBeLessThan(150);
    }
  });
});

describe('normaliseUrlText', () => {
  it('adds a scheme, folds full-width and rejects non-URLs', () => {
    expect(normaliseUrlText('ａｍａｚｏｎ．ｃｏ．ｊｐ')).toBe('https://amazon.co.jp/');
    expect(normaliseUrlText('localhost:8080/x')).toBe('https://localhost:8080/x');
    expect(normaliseUrlText('hxxps://evil.top/')).toBe('https://evil.top/');
    expect(normaliseUrlText('https://exa mple.com')).toBeNull();
  });
});
