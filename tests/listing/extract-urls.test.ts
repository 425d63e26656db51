// Details of link extraction that the corpus does not pin: offsets, normalisation, boundaries,
// and that hostile input stays linear and never throws.
import { describe, expect, it } from 'vitest';
import { extractUrls, isDefanged, normaliseUrlText } from '../../src/listing/extract-urls.ts';

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

  it('reads defanged links as the address they stand for, reporting them as typed', () => {
    const text = '注意：hxxps://amazon-co-jp[.]example[.]com/signin にご注意ください';
    const [e] = extractUrls(text);
    expect(e!.input).toBe('hxxps://amazon-co-jp[.]example[.]com/signin');
    expect(e!.url).toBe('https://amazon-co-jp.example.com/signin');
    expect(text.slice(e!.start, e!.end)).toBe(e!.input);
    expect(urls('hxxp://amaz0n[.]co[.]jp')).toEqual(['http://amaz0n.co.jp/']);
    expect(urls('https://amazon[.]co.jp.secure-login[.]xyz/')).toEqual(['https://amazon.co.jp.secure-login.xyz/']);
    expect(urls('amazon(.)co(.)jp amazon[dot]co[dot]jp amazon{.}co(DOT)jp')).toEqual(Array(3).fill('https://amazon.co.jp/'));
    expect(inputs('amazon(.)co(.)jp amazon[dot]co[dot]jp')).toEqual(['amazon(.)co(.)jp', 'amazon[dot]co[dot]jp']);
    expect(urls('hxxps[:]//evil[.]top/a https[:]//evil[.]top/b hxxp[://]evil[.]top/c')).toEqual(['https://evil.top/a', 'https://evil.top/b', 'http://evil.top/c']);
    expect(urls('amazon［.］co［.］jp/x amazon[．]co[．]jp/y amazon（．）co（．）jp/z')).toEqual(['https://amazon.co.jp/x', 'https://amazon.co.jp/y', 'https://amazon.co.jp/z']);
    expect(inputs('ｈｘｘｐｓ［：］／／ｅｖｉｌ［．］ｔｏｐ／です')).toEqual(['ｈｘｘｐｓ［：］／／ｅｖｉｌ［．］ｔｏｐ／']);
    expect(urls('ｈｘｘｐｓ［：］／／ｅｖｉｌ［．］ｔｏｐ／です')).toEqual(['https://evil.top/']);
    // Non-ASCII labels, joined by square brackets only.
    expect(urls('アマゾン[.]co[.]jp')).toEqual(['https://xn--cckwcxetd.co.jp/']);
    expect(urls('hxxps://amazon[.]co[.]jp[.]アマゾン[.]com/')).toEqual(['https://amazon.co.jp.xn--cckwcxetd.com/']);
    // A defanged scheme inside the link too (a redirector's parameter).
    expect(urls('hxxps://www[.]google[.]com/url?q=hxxps://evil[.]top/')).toEqual(['https://www.google.com/url?q=https://evil.top/']);
  });

  it('reads defanged notation written with spaces, and [/] for a slash', () => {
    // As some warnings print an address: a space on each side of the bracketed dot or colon.
    const text = '注意：amazon-co-jp [.] secure-verify [.] top/login にアクセスしないで';
    const [e] = extractUrls(text);
    expect(e!.input).toBe('amazon-co-jp [.] secure-verify [.] top/login');
    expect(e!.url).toBe('https://amazon-co-jp.secure-verify.top/login');
    expect(text.slice(e!.start, e!.end)).toBe(e!.input);
    expect(inputs('example [.] com')).toEqual(['example [.] com']);
    expect(urls('example [.] com')).toEqual(['https://example.com/']);
    expect(urls('example [dot] com と evil (.) top/x と evil {.} xyz')).toEqual(['https://example.com/', 'https://evil.top/x', 'https://evil.xyz/']);
    expect(inputs('hxxps [:] //evil[.]top/login')).toEqual(['hxxps [:] //evil[.]top/login']);
    expect(urls('hxxps [:] //evil[.]top/a hxxps[:] //evil[.]top/b hxxps [:]//evil[.]top/c https [:] //evil [.] top/d')).toEqual(['https://evil.top/a', 'https://evil.top/b', 'https://evil.top/c', 'https://evil.top/d']);
    expect(urls('hxxp [://] evil [.] top/')).toEqual(['http://evil.top/']);
    expect(urls('hxxps [:] //192 [.] 0 [.] 2 [.] 10/amazon')).toEqual(['https://192.0.2.10/amazon']);
    // An ideographic space, as a Japanese keyboard types it, and full-width brackets.
    expect(urls('example\u3000［．］\u3000com')).toEqual(['https://example.com/']);
    // "[/]" for a slash, with or without the other notations.
    expect(inputs('hxxps[:]//evil[.]top[/]login')).toEqual(['hxxps[:]//evil[.]top[/]login']);
    expect(urls('hxxps[:]//evil[.]top[/]login hxxps://evil.top[/]a[/]b evil[.]top[/]c?d=1 evil [.] top[/]e')).toEqual(['https://evil.top/login', 'https://evil.top/a/b', 'https://evil.top/c?d=1', 'https://evil.top/e']);
    // A slash between spaces is a slash between words ("A [/] B"): the link ends before it.
    expect(inputs('www [.] amazon [.] co [.] jp [/] dp')).toEqual(['www [.] amazon [.] co [.] jp']);
  });

  it('leaves spaced brackets in sentences alone', () => {
    // Regular-expression talk: "[.]" between words, whose next word may be a TLD (.is, .to, .in).
    expect(inputs('The pattern [.] is a literal dot.')).toEqual([]);
    expect(inputs('Use [.] to match a dot, and (.) in a group')).toEqual([]);
    expect(inputs('In a regex, [.] matches only a dot')).toEqual([]);
    expect(inputs('正規表現の [.] は「.」そのものに一致します')).toEqual([]);
    expect(inputs('括弧の中の点 ( . ) や [ . ] は記号です')).toEqual([]);
    expect(inputs('hxxp [:] という書き方の意味は？ https [:] です')).toEqual([]);
    expect(inputs('We meet at 10 [:] //notes later')).toEqual([]);
    expect(inputs('A [.] B [.] C')).toEqual([]);
    // Japanese around a spaced notation: a sentence, not a label.
    expect(inputs('アマゾン [.] com')).toEqual([]);
    // A spaced notation that reads as no address does not swallow the link before it.
    expect(inputs('See amazon.co.jp [.] Next time, rakuten.co.jp')).toEqual(['amazon.co.jp', 'rakuten.co.jp']);
    // Nor a capitalised word, whose TLD reading (.shop, .top) would make a lookalike of a genuine link.
    expect(inputs('amazon.co.jp [.] Shop now')).toEqual(['amazon.co.jp']);
    expect(inputs('Visit amazon.co.jp [.] Top deals today')).toEqual(['amazon.co.jp']);
    // Lower case, it is a spaced dot of a host still; so is one in capitals.
    expect(urls('amazon-co-jp [.] shop')).toEqual(['https://amazon-co-jp.shop/']);
    expect(urls('AMAZON-CO-JP [.] SHOP')).toEqual(['https://amazon-co-jp.shop/']);
    expect(inputs('and[/]or, A[/]B')).toEqual([]);
  });

  it('joins a defanged host cut by a line break as it joins a live one', () => {
    expect(urls('hxxps://www.amazon.co.jp[.]\nsecure-login[.]top/ap/signin')).toEqual(['https://www.amazon.co.jp.secure-login.top/ap/signin']);
    expect(urls('hxxps://www.amazon.co.jp\r\n[.]evil[.]top/')).toEqual(['https://www.amazon.co.jp.evil.top/']);
    expect(inputs('hxxps://www.amazon.co.jp[.]\nShop now')).toEqual(['hxxps://www.amazon.co.jp']);
    expect(urls('foo[.]\nbar item\n[.]com')).toEqual([]);
  });

  it('leaves brackets and dots in prose alone', () => {
    expect(inputs('「(.)」 (.)(.) (^.^) (._.) ありがとう(.) すごい(.)みんな')).toEqual([]);
    expect(inputs('正規表現の [.] は「.」そのものに一致します。')).toEqual([]);
    expect(inputs('[重要] Amazon[公式] からのお知らせ (必読) {至急}')).toEqual([]);
    expect(inputs('hxxp: という書き方')).toEqual([]);
    expect(inputs('amazon.co.jp(.)')).toEqual(['amazon.co.jp']);
    // A Markdown label with an Amazon address stays a label and a separate href.
    expect(inputs('[amazon.co.jp](https://evil.example)')).toEqual(['amazon.co.jp', 'https://evil.example']);
    expect(inputs('[amazon[.]co[.]jp](hxxps://evil[.]example/)')).toEqual(['amazon[.]co[.]jp', 'hxxps://evil[.]example/']);
    // "ttp://" stays as it was (read as http, not counted as defanged).
    expect(urls('ttps://example.com/a')).toEqual(['https://example.com/a']);
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
      '[.]'.repeat(3333),
      'a[.]'.repeat(2500),
      'a(dot)'.repeat(1666),
      'ア[.]'.repeat(2500),
      'hxxps[:]//'.repeat(1000),
      'hxxps://a[.]'.repeat(833),
      ('\u200b'.repeat(5000) + '[.]a').repeat(2),
      'a' + '\n[.]\n'.repeat(2000) + 'a',
      'https://a.com/' + '[.]a'.repeat(2490),
      'a [.] '.repeat(1666),
      'a [.] is '.repeat(1111),
      'a [.] com '.repeat(1000),
      'hxxps [:] //'.repeat(833),
      'hxxps [:] //a [.] '.repeat(555),
      'a[/]'.repeat(2500),
      ' [.] '.repeat(2000),
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

describe('isDefanged', () => {
  it('tells a link written defanged from a live one', () => {
    for (const d of ['hxxps://evil.top/', 'hXXp://evil.top/', 'hxxps[:]//evil.top/', 'https[:]//evil.top/', 'evil[.]top', 'evil(.)top', 'evil[dot]top', 'evil［.］top', 'evil[．]top', 'ｈｘｘｐｓ：／／ｅｖｉｌ．ｔｏｐ', 'evil [.] top', 'https [:] //evil.top/', 'https://evil.top[/]x']) {
      expect(isDefanged(d), d).toBe(true);
    }
    for (const live of ['https://evil.top/', 'ttps://evil.top/', 'evil.top', 'https://example.com/wiki/Foo_(bar)', 'http://[::1]:8080/x', '[.]', '(.)', 'https://example.com/?q=[.]']) {
      expect(isDefanged(live), live).toBe(false);
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
