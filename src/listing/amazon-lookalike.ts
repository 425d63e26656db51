// Does a host label (or a piece of text) try to look like "amazon"? Three strengths:
//  - literal:   the word itself ("amazon-co-jp", "jp-amazon", "amzn-login", katakana)
//  - lookalike: only after mapping look-alike characters (Cyrillic "а", "amaz0n", "arnazon")
//  - typo:      one edit away ("amazom", "amzon", "amaozn"), optionally glued to "jp", "login"…
// Sources: domain-facts §3 (amazon.co.jp.●●●.info, www.am●●●●●.co, IDN homograph
// xn--mazon-3ve.com); Unicode TR39 confusables for the character map.

/** How strongly a label imitates the brand. */
export type BrandMatch = 'literal' | 'lookalike' | 'typo';

const BRAND = 'amazon';
// The brand in katakana and hiragana, as IDN labels may spell it. Escaped: the sources hold no
// Japanese text (house style), and these are detection data, not words shown to anyone.
const BRAND_KATAKANA = '\u30a2\u30de\u30be\u30f3';
const BRAND_HIRAGANA = '\u3042\u307e\u305e\u3093';

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

// Words glued to a misspelt brand in phishing hosts ("amazomjp", "secure-amazn"). Stripped once
// from either end of a token before the edit-distance test.
const AFFIXES = ['jp', 'co', 'com', 'japan', 'www', 'shop', 'login', 'signin', 'secure', 'account', 'prime', 'support', 'service', 'my', 'user', 'member', 'verify', 'update', 'official', 'store', 'pay'];

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
 * brand, and how. Null when it does not.
 */
export function matchBrandLabel(label: string): BrandMatch | null {
  if (label.length === 0) return null;
  if (label.includes(BRAND) || label.includes(BRAND_KATAKANA) || label.includes(BRAND_HIRAGANA)) return 'literal';
  const tokens = label.split(/[-_]+/);
  if (tokens.includes('amzn')) return 'literal';
  const sk = skeleton(label);
  if (sk.includes(BRAND)) return 'lookalike';
  for (const t of tokens) {
    const ts = skeleton(t);
    if (ts === 'amzn' && t !== 'amzn') return 'lookalike';
    if (isTypoOfBrand(ts)) return 'typo';
  }
  return null;
}

// "amazon", "amzn" and "アマゾン" percent-encoded (as they appear in a URL href).
const BRAND_IN_URL = ['amazon', 'amzn', '%e3%82%a2%e3%83%9e%e3%82%be%e3%83%b3'];

/** Whether a piece of URL text (path, query, user info; lower case) mentions the brand. */
export function mentionsBrand(lowerText: string): boolean {
  for (const b of BRAND_IN_URL) if (lowerText.includes(b)) return true;
  return false;
}
