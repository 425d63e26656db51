/**
 * Text clean-up shared by every entry point. Users paste from anywhere: full-width characters,
 * zero-width joiners, control characters and stray BOMs must not change what the advisor understands.
 */

// Zero-width and bidi control characters, BOM, and C0/C1 controls except tab and line breaks.
const INVISIBLE = /[\u200B-\u200F\u202A-\u202E\u2060-\u2064\uFEFF\u00AD]|[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** Longest text we look at; anything longer is cut (a message of 10,000 characters is still answered). */
export const MAX_TEXT_LENGTH = 10_000;

/** Removes invisible and control characters and lone surrogates, cuts to MAX_TEXT_LENGTH and trims. */
export function cleanText(text: string): string {
  let t = text.length > MAX_TEXT_LENGTH * 2 ? text.slice(0, MAX_TEXT_LENGTH * 2) : text;
  t = t.replace(LONE_SURROGATE, '').replace(INVISIBLE, '');
  if (t.length > MAX_TEXT_LENGTH) t = t.slice(0, MAX_TEXT_LENGTH);
  return t.trim();
}

/**
 * Folds text for matching words: NFKC (full-width → half-width), lower case, katakana → hiragana,
 * curly apostrophes → straight ones (phone keyboards type 「didn’t」), and no spaces, so 「２段階認証」
 * 「2だんかい」「ノットリ」 match their keywords.
 */
export function foldForMatching(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\u2018\u2019\u02BC]/g, "'")
    .replace(/[\u30A1-\u30F6]/g, (c) => String.fromCharCode(c.charCodeAt(0) - 0x60))
    .replace(/[\s\u3000・･\-ー_]+/g, '');
}
