// Does a host label (or a piece of text) try to look like "amazon"? The rule, strongest first:
//
//  strength   what the label holds                                   examples
//  ---------  -----------------------------------------------------  -------------------------------------
//  literal    the brand as a whole token: bounded by the label's     amazon-co-jp, jp-amazon, user-amazon,
//             edge, '-', '_', a digit or a change between ASCII      amazon24, amzn-login, amazonアカウント,
//             and non-ASCII; or glued only to phishing words         amazonjp, myamazon, amazonsecurity,
//             (AFFIXES: jp, login, account, security…)               amazoncojp
//  literal    the brand's own name in Japanese or Chinese script,    アマゾン.co.jp, アマゾン公式.jp,
//             anywhere in the label                                  あまぞん.com, 亚马逊.com
//  lookalike  a whole token once look-alike characters are mapped    amaz0n, arnazon, 4mazon, аmazon
//             to Latin (Cyrillic "а", "0" for "o", "rn" for "m")     (Cyrillic а), xn--mazon-3ve
//  typo       the brand cut up by '-' or '_'; a kana near-miss;      am-azon, ama_zon, a-m-a-z-o-n,
//             one edit away (optionally glued to a phishing word)    アマソン, amazom, amzon, amazomjp
//  embedded   the brand inside a longer ordinary word                amazonas, amazonwatch, amazonia,
//                                                                    amazonite, panamazonia
//
// Why "embedded" is weaker: the brand is also an ordinary word (the river, the rainforest, the
// Brazilian state of Amazonas, the Amazons, the gemstone amazonite), so names like
// www.amazonas.am.gov.br or amazonwatch.org are what honest sites look like. Every phishing host
// in domain-facts §3 sets the brand apart instead — as a label (amazon.co.jp.●●●.info), with a
// hyphen (user-amazon.●●●.top), or glued to "jp"/"sign" words (amazon.jp-sign●●●●.xyz) — because
// the point is for the reader to see "amazon". So the brand merely inside a longer word is not
// evidence on its own; classify-url.ts calls it impersonation only together with a second sign
// (a suspicious TLD, or sign-in/account words in the host or path) and otherwise reports
// `brand-inside-word` on an unknown site.
//
// Japanese and Chinese script have no word delimiters (アマゾンプライム, アマゾン公式), so there the
// brand's name counts wherever it appears; a Japanese-script host spelling "Amazon" targets
// exactly the readers this checker serves.
//
// Sources: domain-facts §3 (amazon.co.jp.●●●.info, amazon.jp-sign●●●●.xyz, user-amazon.●●●.top,
// www.am●●●●●.co, IDN homograph xn--mazon-3ve.com); Unicode TR39 confusables for the character map.

/** How strongly a label imitates the brand (see the table above). */
export type BrandMatch = 'literal' | 'lookalike' | 'typo' | 'embedded';

const BRAND = 'amazon';
const BRAND_SHORT = 'amzn';
// The brand's name in other scripts. Escaped: the sources hold no Japanese text (house style),
// and these are detection data, not words shown to anyone.
const BRAND_OTHER_SCRIPTS = [
  '\u30a2\u30de\u30be\u30f3', // katakana "amazon" (also what half-width katakana maps to)
  '\u3042\u307e\u305e\u3093', // hiragana
  '\u4e9a\u9a6c\u900a', // simplified Chinese (Amazon's name in China; its .xn--jlq480n2rg TLD)
  '\u4e9e\u99ac\u905c', // traditional Chinese
];
// Kana near-misses of the brand: the voicing mark dropped (zo → so), n → so (a classic
// look-alike pair in katakana), a long-vowel mark inserted.
const BRAND_KANA_NEAR = [
  '\u30a2\u30de\u30bd\u30f3', // a-ma-so-n
  '\u3042\u307e\u305d\u3093', // hiragana a-ma-so-n
  '\u30a2\u30de\u30be\u30bd', // a-ma-zo-so
  '\u30a2\u30de\u30bd\u30bd', // a-ma-so-so
  '\u30a2\u30de\u30be\u30fc\u30f3', // a-ma-zo-o-n
];

// Look-alike characters → Latin. A hand-picked subset of Unicode TR39 confusables
// (https://www.unicode.org/Public/security/latest/confusables.txt) covering the letters of
// "amazon" and common neighbours, plus digit/symbol substitutions seen in phishing hosts.
const CONFUSABLES: ReadonlyMap<string, string> = new Map([
  // Cyrillic
  ['а', 'a'], ['е', 'e'], ['о', 'o'], ['р', 'p'], ['с', 'c'], ['у', 'y'], ['х', 'x'], ['і', 'i'],
  ['ј', 'j'], ['ѕ', 's'], ['ԁ', 'd'], ['һ', 'h'], ['ԛ', 'q'], ['ԝ', 'w'], ['м', 'm'], ['п', 'n'],
  ['т', 't'], ['к', 'k'], ['в', 'b'], ['н', 'h'], ['з', '3'], ['ɑ', 'a'],
  // Greek
  ['α', 'a'], ['ο', 'o'], ['ν', 'v'], ['ρ', 'p'], ['τ', 't'], ['ι', 'i'], ['κ', 'k'], ['ε', 'e'],
  ['ζ', 'z'], ['η', 'n'], ['μ', 'u'], ['ω', 'w'],
  // Armenian and Latin extras
  ['ո', 'n'], ['ս', 'u'], ['օ', 'o'], ['ı', 'i'], ['ł', 'l'], ['ø', 'o'], ['đ', 'd'], ['ŋ', 'n'],
  ['ƶ', 'z'], ['ʐ', 'z'], ['ɱ', 'm'], ['ɲ', 'n'],
  // Digits and symbols used in place of letters
  ['0', 'o'], ['1', 'l'], ['3', 'e'], ['4', 'a'], ['5', 's'], ['7', 't'], ['@', 'a'], ['|', 'l'],
]);

function isCombiningMark(c: number): boolean {
  return c >= 0x300 && c <= 0x36f;
}

/**
 * The "skeleton" of a lower-case string: accents stripped, look-alike characters mapped to Latin,
 * and the multi-letter look-alikes "rn" → "m", "vv" → "w" collapsed. Two strings with the same
 * skeleton look the same to a hurried reader.
 */
export function skeleton(text: string): string {
  let ascii = true;
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) >= 0x80) ascii = false;
  let out = '';
  if (ascii) {
    for (let i = 0; i < text.length; i++) {
      const ch = text[i]!;
      out += CONFUSABLES.get(ch) ?? ch;
    }
  } else {
    for (const ch of text.normalize('NFKD')) {
      if (isCombiningMark(ch.codePointAt(0)!)) continue;
      out += CONFUSABLES.get(ch) ?? ch;
    }
  }
  if (out.includes('rn')) out = out.replaceAll('rn', 'm');
  if (out.includes('vv')) out = out.replaceAll('vv', 'w');
  return out;
}

// Phishing vocabulary glued to the brand or a misspelling of it ("amazonjp", "myamazon",
// "amazonsecurity", "amazomjp", "secure-amazn"), seen in domain-facts §3 and the corpus. A token
// that is the brand plus only these words is the brand as a whole token. No one-letter words
// and no word that ends an ordinary "amazon…" word (-as, -ia, -ian, -ite, -watch).
const AFFIXES = [
  'jp', 'jpn', 'japan', 'co', 'com', 'net', 'www', 'my', 'user', 'member', 'members', 'official',
  'shop', 'store', 'mall', 'prime', 'pay', 'payment', 'billing', 'card', 'gift', 'gifts', 'point', 'points',
  'order', 'orders', 'login', 'logon', 'signin', 'sign', 'secure', 'security', 'account', 'accounts',
  'verify', 'update', 'support', 'service', 'services', 'help', 'center', 'customer', 'care', 'info', 'mail', 'auth',
];

/** Whether `s` is a sequence of AFFIXES words (the empty string is). */
function isAffixes(s: string): boolean {
  if (s.length === 0) return true;
  const ok = new Uint8Array(s.length + 1);
  ok[0] = 1;
  for (let i = 0; i < s.length; i++) {
    if (ok[i] === 0) continue;
    for (const a of AFFIXES) if (s.startsWith(a, i)) ok[i + a.length] = 1;
  }
  return ok[s.length] === 1;
}

/** The brand (or its short form) in `token` with only phishing words around it. */
function isWholeBrand(token: string): boolean {
  for (const brand of [BRAND, BRAND_SHORT]) {
    for (let i = token.indexOf(brand); i !== -1; i = token.indexOf(brand, i + 1)) {
      if (isAffixes(token.slice(0, i)) && isAffixes(token.slice(i + brand.length))) return true;
    }
  }
  return false;
}

/**
 * Tokens for the literal test: runs of ASCII letters, and runs of non-ASCII characters. Digits,
 * '-', '_' and a change between ASCII and non-ASCII all separate tokens.
 */
function literalTokens(label: string): string[] {
  const out: string[] = [];
  let cur = '';
  let curAscii = true;
  for (let i = 0; i < label.length; i++) {
    const c = label.charCodeAt(i);
    const letter = (c >= 97 && c <= 122) || (c >= 65 && c <= 90);
    if (c < 0x80 && !letter) {
      if (cur) out.push(cur);
      cur = '';
      continue;
    }
    const ascii = c < 0x80;
    if (cur && ascii !== curAscii) {
      out.push(cur);
      cur = '';
    }
    curAscii = ascii;
    cur += label[i]!;
  }
  if (cur) out.push(cur);
  return out;
}

/** Optimal-string-alignment distance (Levenshtein plus adjacent transposition), capped at 2. */
function editDistanceCapped(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 1) return 2;
  const m = a.length;
  const n = b.length;
  let prev2 = new Array<number>(n + 1).fill(0);
  let prev = Array.from({ length: n + 1 }, (_, j) => j);
  let cur = new Array<number>(n + 1).fill(0);
  for (let i = 1; i <= m; i++) {
    cur[0] = i;
    let rowMin = i;
    for (let j = 1; j <= n; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let v = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) v = Math.min(v, prev2[j - 2]! + 1);
      cur[j] = v;
      if (v < rowMin) rowMin = v;
    }
    if (rowMin >= 2) return 2;
    [prev2, prev, cur] = [prev, cur, prev2];
  }
  return Math.min(prev[n]!, 2);
}

function isTypoOfBrand(token: string): boolean {
  if (token.length >= 5 && token.length <= 7 && editDistanceCapped(token, BRAND) === 1) return true;
  for (const affix of AFFIXES) {
    if (token.length <= affix.length + 4) continue;
    if (token.startsWith(affix) && isTypoCore(token.slice(affix.length))) return true;
    if (token.endsWith(affix) && isTypoCore(token.slice(0, -affix.length))) return true;
  }
  return false;
}

function isTypoCore(core: string): boolean {
  return core.length >= 5 && core.length <= 7 && editDistanceCapped(core, BRAND) <= 1;
}

/**
 * Whether one host label (no dots; lower case, punycode already decoded) imitates the Amazon
 * brand, and how (see the table at the top). Null when the brand is not in it at all.
 */
export function matchBrandLabel(label: string): BrandMatch | null {
  if (label.length === 0) return null;
  let embedded = false;
  // 1. Literal: the brand as a whole token, or its name in Japanese or Chinese script.
  if (label.includes(BRAND) || label.includes(BRAND_SHORT)) {
    for (const t of literalTokens(label)) if (isWholeBrand(t)) return 'literal';
    embedded = label.includes(BRAND);
  }
  let ascii = true;
  for (let i = 0; i < label.length && ascii; i++) if (label.charCodeAt(i) >= 0x80) ascii = false;
  if (!ascii) {
    for (const b of BRAND_OTHER_SCRIPTS) if (label.includes(b)) return 'literal';
  }
  // 2. Look-alike characters: a whole token once they are mapped to Latin.
  const sk = skeleton(label);
  const tokens = sk.split(/[-_]+/).filter((t) => t.length > 0);
  if (sk.includes(BRAND) || sk.includes(BRAND_SHORT)) {
    // The literal test failed, so a whole token here needed a look-alike character.
    for (const t of tokens) if (isWholeBrand(t)) return 'lookalike';
    if (sk.includes(BRAND)) embedded = true;
  }
  // 3. Typos: the brand cut up by '-' or '_' ("am-azon", "a-m-a-z-o-n-jp"), kana near-misses,
  //    one edit away.
  for (let i = 0; i < tokens.length; i++) {
    let joined = tokens[i]!;
    for (let j = i + 1; j < tokens.length && joined.length < 24; j++) {
      joined += tokens[j]!;
      if (joined.includes(BRAND) && isWholeBrand(joined)) return 'typo';
    }
  }
  if (!ascii) {
    for (const b of BRAND_KANA_NEAR) if (label.includes(b)) return 'typo';
  }
  for (const t of tokens) if (isTypoOfBrand(t)) return 'typo';
  return embedded ? 'embedded' : null;
}

// "amazon", "amzn" and "アマゾン", percent-encoded (as in a URL href) and decoded.
const BRAND_IN_URL = ['amazon', 'amzn', '%e3%82%a2%e3%83%9e%e3%82%be%e3%83%b3', '\u30a2\u30de\u30be\u30f3'];

/** Whether a piece of URL text (path, query, user info; lower case) mentions the brand. */
export function mentionsBrand(lowerText: string): boolean {
  for (const b of BRAND_IN_URL) if (lowerText.includes(b)) return true;
  return false;
}
