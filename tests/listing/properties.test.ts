// Property tests (fast-check) for everything that takes raw user text.
import fc from 'fast-check';
import { parse as parseDomain } from 'tldts';
import { describe, expect, it } from 'vitest';
import { assessSellerRisk, SELLER_REASON_CODES, SELLER_RISK_LEVELS } from '../../src/listing/assess-seller-risk.ts';
import { checkText, classifyUrl, LINK_REASON_CODES, LINK_VERDICTS } from '../../src/listing/classify-url.ts';
import { OFFICIAL_AMAZON_DOMAINS, OFFICIAL_SHORTLINK_DOMAINS } from '../../src/listing/domain-lists.ts';
import { extractUrls } from '../../src/listing/extract-urls.ts';

const RUNS = { numRuns: 400 };

/** Any UTF-16 code unit, lone surrogates included. */
const codeUnit = fc.integer({ min: 0, max: 0xffff }).map((c) => String.fromCharCode(c));
/** Characters that matter to the scanner, so random strings hit its branches often. */
const interesting = fc.constantFrom(
  ...'.:/?#@[]()<>"\'%-_~!,;=&+*'.split(''),
  'http', 'https://', 'ttps://', 'www.', 'amazon', '.co.jp', '.top', 'amzn.to/', 'bit.ly/', '/dp/', 'B01N5QTFAK',
  '。', '、', '「', '」', '（', '）', '．', '／', '：', 'ａ', 'ソニー', '\u200b', '\ufeff', '\u3000', '\n', '\t', '😀', '\ud800', '\udc00',
  'а', 'ο', 'xn--', '0x7f', '[::1]', '127.0.0.1', '@evil.top', 'アマゾン', 'пример', '.рф', '.みんな', '公式',
  // Defanged notation (extract-urls.ts, DEFANGED LINKS).
  '[.]', '(.)', '[dot]', '［.］', '[．]', 'hxxps://', 'hxxps[:]//', '[://]', '(:)', ' [.] ', ' (dot) ', '[/]', 'hxxps [:] //', ' [:] ',
);
const noisyText = fc.array(fc.oneof(codeUnit, interesting, fc.string({ unit: 'grapheme' })), { maxLength: 60 }).map((parts) => parts.join(''));

const OFFICIAL = new Set<string>([...OFFICIAL_AMAZON_DOMAINS.map((d) => d.domain), ...OFFICIAL_SHORTLINK_DOMAINS.map((d) => d.suffix)]);
const VERDICTS = new Set<string>(LINK_VERDICTS);
const REASONS = new Set<string>(LINK_REASON_CODES);

function registrableOf(url: string): string | null {
  const u = URL.parse(url);
  if (u === null) return null;
  const host = u.hostname.replace(/\.+$/, '');
  return parseDomain(host, { allowPrivateDomains: false, extractHostname: false }).domain;
}

describe('no input throws', () => {
  it('extractUrls, checkText and classifyUrl on arbitrary text', () => {
    fc.assert(
      fc.property(noisyText, (text) => {
        const found = extractUrls(text);
        for (const e of found) {
          expect(text.slice(e.start, e.end)).toBe(e.input);
          expect(URL.parse(e.url)).not.toBeNull();
        }
        for (const c of checkText(text)) {
          expect(VERDICTS.has(c.verdict)).toBe(true);
          for (const r of c.reasons) expect(REASONS.has(r)).toBe(true);
        }
        const c = classifyUrl(text);
        expect(VERDICTS.has(c.verdict)).toBe(true);
      }),
      RUNS,
    );
  });

  it('classifyUrl on generated web URLs', () => {
    fc.assert(
      fc.property(fc.webUrl({ withQueryParameters: true, withFragments: true, validSchemes: ['http', 'https'] }), (url) => {
        const c = classifyUrl(url);
        expect(VERDICTS.has(c.verdict)).toBe(true);
        for (const r of c.reasons) expect(REASONS.has(r)).toBe(true);
      }),
      RUNS,
    );
  });

  it('assessSellerRisk on arbitrary JSON and values', () => {
    const codes = new Set<string>(SELLER_REASON_CODES);
    const signalish = fc.record(
      {
        price: fc.oneof(fc.double(), fc.constant(null), fc.string()),
        typicalPrice: fc.oneof(fc.double(), fc.constant(null), fc.constant(0)),
        ratingCount: fc.oneof(fc.integer(), fc.double(), fc.constant(null)),
        positivePercent: fc.oneof(fc.double(), fc.constant(null)),
        lastRatingYearsAgo: fc.oneof(fc.double(), fc.constant(null)),
        fulfilment: fc.oneof(fc.constantFrom('amazon', 'seller', 'overseas', 'unknown', 'moon'), fc.constant(null)),
        newSeller: fc.oneof(fc.boolean(), fc.constant(null), fc.constant('yes')),
        listingCount: fc.oneof(fc.nat(), fc.constant(-1), fc.constant(null)),
        hasBusinessInfo: fc.oneof(fc.boolean(), fc.constant(null)),
        offPlatformRequest: fc.oneof(fc.boolean(), fc.constant(null)),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue(), fc.anything(), signalish), (value) => {
        const r = assessSellerRisk(value);
        expect(SELLER_RISK_LEVELS).toContain(r.level);
        expect(Number.isInteger(r.score)).toBe(true);
        expect(r.score).toBeGreaterThanOrEqual(0);
        expect(r.score).toBeLessThanOrEqual(100);
        for (const code of r.reasons) expect(codes.has(code)).toBe(true);
      }),
      RUNS,
    );
  });
});

describe('only official registrable domains are official', () => {
  /** Registrable domain of the URL the text was built from (what a browser would open), if any. */
  function intendedRegistrable(url: string): string | null {
    const u = URL.parse(url);
    return u === null ? null : registrableOf(u.href);
  }
  /** Neither the whole text as one URL nor any link found in it may be official. */
  function expectNothingOfficial(text: string, intended: string): void {
    const reg = intendedRegistrable(intended);
    if (reg === null || OFFICIAL.has(reg)) return;
    for (const c of [classifyUrl(text), ...checkText(text)]) {
      expect(c.verdict.startsWith('official'), `${text} → ${c.url} (${c.verdict}); real domain ${reg}`).toBe(false);
    }
  }

  const brandPrefix = fc.constantFrom('', 'amazon.', 'amazon.co.jp.', 'www.amazon.co.jp.', 'amzn.', 'pay.amazon.co.jp.', 'sellercentral.amazon.co.jp.', 'a.co.', 'amzn.to.', 'amzn.asia.');
  // Non-ASCII labels: Japanese (the brand in katakana, hiragana, half-width, other words),
  // Cyrillic, Chinese, emoji, and labels mixing them with ASCII.
  const nonAsciiLabel = fc.constantFrom('アマゾン', 'アマソン', 'あまぞん', 'ｱﾏｿﾞﾝ', 'テスト', '公式', 'ドメイン', '例え', 'пример', 'аmazon', 'аmаzоn', '亚马逊', '😀', 'ログイン');
  const mixedLabel = fc.tuple(fc.constantFrom('', 'jp', 'amazon', 'x1'), nonAsciiLabel, fc.constantFrom('', 'jp', '-login', '2')).map(([a, b, c]) => a + b + c);
  const brandLabel = fc.oneof(
    fc.constantFrom('amazon', 'amazon-co-jp', 'amaz0n', 'amazom', 'amzn', 'a', 'co', 'jp', 'to', 'asia', 'xn--mazon-3ve', 'аmazon', 'am-azon', 'amazonas', 'xn--cckwcxetd'),
    nonAsciiLabel,
    mixedLabel,
  );
  const suffix = fc.constantFrom('com', 'co.jp', 'jp', 'co', 'top', 'xyz', 'net', 'jp.net', 'co.jp.com', 'github.io', 'amazonaws.com', 'translate.goog', 'to', 'asia', 'de', 'co.uk', 'рф', 'みんな', 'コム', 'アマゾン', 'xn--p1ai');
  const host = fc.tuple(brandPrefix, fc.oneof(brandLabel, fc.domain().map((d) => d.split('.')[0]!)), suffix).map(([p, l, s]) => `${p}${l}.${s}`);
  const path = fc.constantFrom('/', '/dp/B01N5QTFAK', '/ap/signin', '/d/abc1234', '');

  it('for brand-shaped hosts, ASCII and non-ASCII labels', () => {
    fc.assert(
      fc.property(host, path, fc.constantFrom('https://', 'http://', ''), (h, p, scheme) => {
        const text = scheme + h + p;
        // Without a scheme, a non-ASCII run with ASCII on both sides inside a label is prose (see
        // the next test).
        if (scheme === '' && /[A-Za-z0-9_-][^\x00-\x7f]+[A-Za-z0-9_-]/.test(h)) return;
        const c = classifyUrl(text);
        const reg = registrableOf(c.url);
        if (c.verdict.startsWith('official')) expect(OFFICIAL.has(reg ?? '')).toBe(true);
        expectNothingOfficial(text, (scheme || 'https://') + h + p);
      }),
      { numRuns: 1000 },
    );
  });

  it('for hosts with non-ASCII labels glued to Japanese text', () => {
    // A non-ASCII run glued to the label before it ("amazon.co.jpアマゾン.com"), or a label of its
    // own after a dot, in a sentence with no spaces. Without a scheme, a run with ASCII letters on
    // both sides inside one label ("amazon.co.jpアマゾンjp.com") is read as prose between two
    // names ("amazon.co.jpとrakuten.co.jp"), as link detectors read scheme-less text, so that one
    // case is left out of the scheme-less half (HOST RUNS in extract-urls.ts).
    const official = fc.constantFrom('amazon.co.jp', 'www.amazon.co.jp', 'pay.amazon.co.jp', 'amazon.com', 'amzn.to', 'amzn.asia', 'a.co', 'sellercentral-japan.amazon.com');
    const joint = fc.constantFrom('.', '');
    const tail = fc.constantFrom('.com', '.co.jp', '.jp', '.top', '.рф', '.みんな', '.アマゾン', '.example.com', '');
    const before = fc.constantFrom('', 'これ', '詳しくは', '「', '→', 'URL:');
    const after = fc.constantFrom('', 'です', 'で買った', '。次は', '」', ' と', 'を見て.');
    fc.assert(
      fc.property(official, joint, fc.oneof(nonAsciiLabel, mixedLabel), tail, path, fc.constantFrom('https://', 'http://', ''), before, after, (o, j, label, t, p, scheme, b, a) => {
        const h = `${o}${j}${label}${t}`;
        // A glued run with no dot after it is prose ("amazon.co.jpで買った").
        if (j === '' && t === '') return;
        if (scheme === '' && j === '' && /[^\x00-\x7f][A-Za-z0-9_-]/.test(label)) return;
        // Without a scheme, only a name ending in a known TLD is a link at all.
        if (scheme === '' && t === '') return;
        const intended = (scheme || 'https://') + h + p;
        expectNothingOfficial(`${b}${scheme}${h}${p}${a}`, intended);
        expectNothingOfficial(`${scheme}${h}${p}`, intended);
      }),
      { numRuns: 2000 },
    );
  });

  it('for arbitrary text and generated domains', () => {
    fc.assert(
      fc.property(fc.oneof(noisyText, fc.domain().map((d) => `https://${d}/dp/B01N5QTFAK`), fc.webUrl()), (text) => {
        for (const c of [classifyUrl(text), ...checkText(text)]) {
          if (c.verdict.startsWith('official')) expect(OFFICIAL.has(registrableOf(c.url) ?? '')).toBe(true);
        }
      }),
      RUNS,
    );
  });
});

describe('ASIN is stable', () => {
  const alnum = fc.constantFrom(...'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'.split(''));
  const asin = fc
    .tuple(fc.array(alnum, { minLength: 9, maxLength: 9 }), fc.constantFrom(...'0123456789'.split('')), fc.nat({ max: 9 }))
    .map(([chars, digit, at]) => [...chars.slice(0, at), digit, ...chars.slice(at)].join(''));
  const slugChar = fc.constantFrom(...'abcXYZ0189-_.~'.split(''), 'ソ', 'ニ', 'ー', '・', '（', '）');
  const slug = fc.array(slugChar, { minLength: 1, maxLength: 30 }).map((c) => c.join(''));
  const param = fc.tuple(
    fc.constantFrom('ref_', 'th', 'psc', 'qid', 'sr', 'keywords', 'tag', 'crid', 'sprefix', 'pd_rd_w', 'pf_rd_p', 'content-id', 'language', 'ie', '_encoding'),
    fc.string({ unit: fc.constantFrom(...'abc123-_.%2C'.split('')), maxLength: 12 }),
  );
  const form = fc.constantFrom('/dp/', '/gp/product/', '/gp/aw/d/', '/dp/product/');

  it('adding a slug, ref= parts, tracking parameters or a fragment never changes it', () => {
    fc.assert(
      fc.property(asin, slug, fc.array(param, { maxLength: 6 }), fc.boolean(), fc.boolean(), form, fc.boolean(), (id, s, params, withRef, withHash, f, encodeSlug) => {
        const plain = classifyUrl(`https://www.amazon.co.jp${f}${id}`);
        expect(plain.asin).toBe(id);
        const slugPart = f === '/dp/' ? '/' + (encodeSlug ? encodeURIComponent(s) : s) : '';
        const query = params.length ? '?' + params.map(([k, v]) => `${k}=${v}`).join('&') : '';
        const decorated = `https://www.amazon.co.jp${slugPart}${f}${id}${withRef ? '/ref=sr_1_1' : ''}${query}${withHash ? '#reviews' : ''}`;
        const c = classifyUrl(decorated);
        expect(c.asin, decorated).toBe(id);
        expect(c.canonicalUrl).toBe(`https://www.amazon.co.jp/dp/${id}`);
        // The same link found inside a Japanese sentence keeps it too.
        const inText = checkText(`この商品 ${decorated} は本物ですか`);
        expect(inText[0]?.asin, decorated).toBe(id);
      }),
      { numRuns: 500 },
    );
  });
});

/** Links of every verdict, for the properties below that compare two spellings of the same link. */
const LINK_SAMPLES = [
  'https://www.amazon.co.jp/dp/B01N5QTFAK?th=1&psc=1',
  'amazon.co.jp/gp/aw/d/B01N5QTFAK',
  'https://amzn.asia/d/abc1234',
  'https://amazon-co-jp.top/login',
  'https://amazon.co.jp.example.xyz/ap/signin',
  'https://amazon.co.jp@evil.top/',
  'bit.ly/3xYzAbC',
  'https://item.rakuten.co.jp/shop/item-123/',
  'http://192.0.2.10/amazon/signin',
  'https://example.top/',
];

describe('NFKC-equivalent inputs give the same answer', () => {
  const samples = [...LINK_SAMPLES, 'https://www.amazon.co.jp/sp?seller=A1B2C3D4E5F6G7', 'https://amaz0n.co.jp/'];
  const toFullWidth = (s: string, mask: boolean[]) =>
    [...s].map((ch, i) => (mask[i % mask.length] && ch > ' ' && ch <= '~' ? String.fromCharCode(ch.charCodeAt(0) + 0xfee0) : ch)).join('');

  it('full-width and half-width spellings of a link agree', () => {
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(fc.boolean(), { minLength: 1, maxLength: 16 }), fc.constantFrom('{u}', '詳しくは{u}を見て', '「{u}」', '{u}。'), (url, mask, template) => {
        const half = checkText(template.replace('{u}', url));
        const full = checkText(template.replace('{u}', toFullWidth(url, mask)));
        expect(full.map((c) => c.verdict)).toEqual(half.map((c) => c.verdict));
        expect(full.map((c) => c.url)).toEqual(half.map((c) => c.url));
        expect(full.map((c) => c.asin)).toEqual(half.map((c) => c.asin));
      }),
      RUNS,
    );
  });
});

describe('defanged and live spellings of a link agree', () => {
  const samples = [...LINK_SAMPLES, 'http://amaz0n.co.jp/', 'https://www.google.com/url?q=https://amazon-co-jp.top/&sa=D'];
  // Spaced forms too ("example [.] com", "hxxps [:] //"): every sample has a scheme or a path, so
  // they read as addresses (SPACED NOTATION in extract-urls.ts).
  const dot = fc.constantFrom('[.]', '(.)', '{.}', '[dot]', '(DOT)', '［.］', '[．]', '（．）', ' [.] ', ' (.) ', ' [dot] ', '\u3000［．］\u3000');
  const colon = fc.constantFrom('://', '[:]//', '[://]', '(:)//', '［：］//', ' [:] //', '[:] //', ' [:]//', ' [://] ');
  /**
   * The sample with some of its dots, some slashes after a host or path character, and its scheme
   * written defanged (every "http" as "hxxp" when `x`).
   */
  const defang = (url: string, mask: boolean[], d: string, c: string, x: boolean, slashes: boolean[]): string => {
    let i = 0;
    let j = 0;
    let out = url.replace(/(?<=[A-Za-z0-9])\.(?=[A-Za-z0-9])/g, (m) => (mask[i++ % mask.length] ? d : m));
    out = out.replace(/(?<=[A-Za-z0-9_~%=-])\//g, (m) => (slashes[j++ % slashes.length] ? '[/]' : m));
    out = out.replace(/(?<=^https?):\/\//, c);
    return x ? out.replace(/http/g, 'hxxp') : out;
  };

  it('gets the same verdict, address and listing facts, and is said to be defanged', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...samples),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 8 }),
        dot,
        colon,
        fc.boolean(),
        fc.constantFrom('{u}', '詳しくは{u}を見て', '「{u}」', '{u}。', '注意：{u} にアクセスしないで', '[リンク]({u})'),
        fc.array(fc.boolean(), { minLength: 1, maxLength: 4 }),
        (url, mask, d, c, x, template, slashes) => {
          const written = defang(url, mask, d, c, x, slashes);
          const live = checkText(template.replace('{u}', url));
          const got = checkText(template.replace('{u}', written));
          const label = `${written} in ${template}`;
          expect(got.map((r) => r.verdict), label).toEqual(live.map((r) => r.verdict));
          expect(got.map((r) => r.url), label).toEqual(live.map((r) => r.url));
          expect(got.map((r) => r.asin), label).toEqual(live.map((r) => r.asin));
          got.forEach((r, k) => {
            expect(r.reasons.filter((code) => code !== 'defanged-link'), label).toEqual(live[k]!.reasons);
            if (written !== url) expect(r.reasons, label).toContain('defanged-link');
            expect(r.input, label).toBe(written);
          });
        },
      ),
      RUNS,
    );
  });
});

describe('spaced notation between the words of a sentence is no link', () => {
  it('one bracketed dot between words, whatever the next word (often a TLD: .is, .to, .in, .next)', () => {
    const before = fc.constantFrom('The pattern', 'Use', 'In a regex,', 'the dot', 'Escape it as', 'a', 'B', '正規表現の', 'たとえば');
    const notation = fc.constantFrom('[.]', '(.)', '{.}', '[dot]', '［．］');
    const after = fc.constantFrom('is a literal dot', 'to match one', 'in a class', 'means any character', 'at the end', 'it', 'me too', 'us', 'next', 'so', 'no', 'do', 'は「.」', 'に一致します', 'B');
    const space = fc.constantFrom(' ', '\u3000');
    fc.assert(
      fc.property(before, space, notation, space, after, fc.constantFrom('', '.', '。', ' Thanks.'), (b, s1, n, s2, a, end) => {
        const text = `${b}${s1}${n}${s2}${a}${end}`;
        expect(extractUrls(text).map((e) => e.input), text).toEqual([]);
      }),
      { numRuns: 400 },
    );
  });
});

describe('disguises around a fake link never make anything official (red team)', () => {
  // Fake hosts: the brand dressed up on a domain that is not Amazon's.
  const fakeHost = fc
    .tuple(fc.constantFrom('www.amazon.co.jp.', 'amazon.co.jp-', 'amazon-co-jp.', 'pay.amazon.co.jp.', 'amzn.asia.', 'amazon.'), fc.constantFrom('secure-login', 'verify', 'amazon-jp', 'amaz0n', 'account-update'), fc.constantFrom('top', 'xyz', 'com', 'co', 'info', 'jp.net'))
    .map(([p, l, t]) => `${p}${l}.${t}`);
  const noOfficialAndFlagged = (text: string) => {
    const got = checkText(text);
    for (const c of got) expect(c.verdict.startsWith('official'), `${JSON.stringify(text)} → ${c.url} ${c.verdict}`).toBe(false);
    expect(got.map((c) => c.verdict), JSON.stringify(text)).toContain('impersonation');
  };

  it('a label showing Amazon over a fake or unknown href (Markdown, HTML, Slack)', () => {
    const label = fc.constantFrom('amazon.co.jp', 'https://www.amazon.co.jp/dp/B01N5QTFAK', 'www.amazon.co.jp/gp/css/order-history', 'Amazon.co.jp ログイン', 'アマゾン', 'ｱﾏｿﾞﾝ公式', 'AMAZON');
    const href = fc.oneof(fakeHost.map((h) => `https://${h}/ap/signin`), fc.constantFrom('https://example.com/', 'http://192.0.2.1/', 'https://bit.ly/abc', 'https://evil.example/login?x=1'));
    const form = fc.constantFrom('[{l}]({h})', '[{l}](<{h}>)', '<a href="{h}">{l}</a>', "<a class=x href='{h}' target=_blank>{l}</a>", '<{h}|{l}>', '詳しくは[{l}]({h})をご確認ください。');
    fc.assert(
      fc.property(label, href, form, (l, h, f) => noOfficialAndFlagged(f.replace('{l}', l).replace('{h}', h))),
      { numRuns: 400 },
    );
  });

  it('invisible characters anywhere in a fake host', () => {
    const invisible = fc.constantFrom('\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u00ad', '\u200e', '\u200f', '\u061c', '\u202a', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069');
    fc.assert(
      fc.property(fakeHost, fc.nat(), invisible, fc.constantFrom('https://', 'http://'), (h, at, ch, scheme) => {
        const i = at % (h.length + 1);
        noOfficialAndFlagged(`${scheme}${h.slice(0, i)}${ch}${h.slice(i)}/login`);
      }),
      { numRuns: 400 },
    );
  });

  it('a line break right before or after a dot of a fake host', () => {
    fc.assert(
      fc.property(fakeHost, fc.nat(), fc.constantFrom('\n', '\r\n'), fc.boolean(), (h, at, br, before) => {
        const dots = [...h].flatMap((c, i) => (c === '.' ? [i] : []));
        const d = dots[at % dots.length]!;
        const cut = before ? d : d + 1;
        noOfficialAndFlagged(`https://${h.slice(0, cut)}${br}${h.slice(cut)}/login`);
      }),
      { numRuns: 300 },
    );
  });

  it('a fake host written defanged, anywhere in a sentence', () => {
    const dot = fc.constantFrom('[.]', '(.)', '[dot]', '［.］', '[．]', '.', ' [.] ', ' (dot) ');
    fc.assert(
      fc.property(
        fakeHost,
        fc.array(dot, { minLength: 1, maxLength: 6 }),
        fc.constantFrom('hxxps://', 'hxxp://', 'hxxps[:]//', 'https[:]//', 'https://', '', 'hxxps [:] //', 'hxxps[:] //'),
        fc.constantFrom('/login', '[/]login'),
        fc.constantFrom('{u}', 'これ→{u}です', '【注意】{u} にご注意ください'),
        (h, dots, scheme, path, template) => {
          let i = 0;
          const written = h.replace(/\./g, () => dots[i++ % dots.length]!);
          noOfficialAndFlagged(template.replace('{u}', `${scheme}${written}${path}`));
        },
      ),
      { numRuns: 300 },
    );
  });

  it('another host before a defanged dot in front of a genuine Amazon host', () => {
    // "https://evil.top[.]amazon.co.jp/": the text reads as Amazon, but an app opens evil.top.
    // Hosts an app would open: a known TLD, or an IP address.
    const knownTld = fc.constantFrom('com', 'top', 'xyz', 'jp', 'co.jp', 'net', 'shop', 'info');
    const other = fc.oneof(
      fakeHost,
      fc.constantFrom('evil.top', 'example.com', '192.0.2.1', 'xn--mazon-3ve.com', 'amazon.co', 'bit.ly', 'amazon.co.jp-login.net'),
      fc.tuple(fc.domain().map((d) => d.split('.')[0]!), knownTld).map(([l, t]) => `${l}.${t}`),
    );
    const amazon = fc.constantFrom('amazon.co.jp', 'www.amazon.co.jp', 'pay.amazon.co.jp', 'amazon.com', 'amzn.to', 'amzn.asia', 'a.co', 'sellercentral.amazon.co.jp');
    const dot = fc.constantFrom('[.]', '(.)', '{.}', '[dot]', '［.］', '[．]');
    fc.assert(
      fc.property(other, dot, amazon, fc.constantFrom('https://', 'hxxps://', 'hxxps[:]//', 'http://', ''), fc.constantFrom('/', '/dp/B01N5QTFAK', '/ap/signin', ''), (h, d, a, scheme, p) => {
        const reg = parseDomain(h, { allowPrivateDomains: false, extractHostname: false }).domain;
        if (reg !== null && OFFICIAL.has(reg)) return;
        noOfficialAndFlagged(`${scheme}${h}${d}${a}${p}`);
      }),
      { numRuns: 400 },
    );
  });

  it('an open redirect on a genuine Amazon host to a fake or unknown site', () => {
    const param = fc.constantFrom('url', 'location', 'redirect', 'openid.return_to', 'returnUrl', 'U', 'next');
    const target = fc.oneof(fakeHost.map((h) => `https://${h}/`), fc.constantFrom('https://example.com/', 'http://192.0.2.1/x'));
    fc.assert(
      fc.property(fc.constantFrom('https://www.amazon.co.jp/gp/redirect.html', 'https://www.amazon.co.jp/ap/signin', 'https://pay.amazon.co.jp/'), param, target, fc.boolean(), (base, p, t, encode) => {
        const text = `${base}?${p}=${encode ? encodeURIComponent(t) : t}&ref_=x`;
        if (base.endsWith('/ap/signin') && p === 'openid.return_to' && (t === 'https://example.com/' || t === 'http://192.0.2.1/x')) {
          // Where Amazon's own sign-in returns to: the page is genuine, the site after it unknown — never official,
          // never called a fake of Amazon for an unknown site.
          const [c] = checkText(text);
          expect(c!.verdict, text).toBe('unknown-site');
          expect(c!.reasons, text).toContain('signin-returns-outside');
        } else noOfficialAndFlagged(text);
      }),
      { numRuns: 300 },
    );
  });
});
