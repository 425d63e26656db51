/**
 * Which language a message is written in, when that is clear: the advisor answers in the language people write
 * in until they choose one with /lang (LINE tells us nothing about a user's language, and a phone's language
 * setting is not always the one its owner reads best).
 */

/** Hiragana, katakana (also half-width): a message with kana is Japanese. Kanji alone could be Chinese. */
const KANA = /[\u3041-\u309F\u30A1-\u30FA\u30FC-\u30FF\uFF66-\uFF9D]/;
/** Any CJK or full-width character: not a message in English. */
const CJK = /[\u3000-\u30FF\u3400-\u4DBF\u4E00-\u9FFF\uF900-\uFAFF\uFF00-\uFFEF]/;
/** Links, e-mail addresses and domain-like tokens say nothing about the writer's language. */
const NOT_WORDS = /\S*(?:[/@]|\.[A-Za-z])\S*/g;
const WORD = /[A-Za-z]+(?:'[A-Za-z]+)?/g;
/**
 * Common English words: a message needs one of them to count as English, so that a product name
 * (「iPhone 15 Pro」, 「Nintendo Switch」) in an otherwise empty message does not switch the language.
 */
const ENGLISH_WORDS = new Set(
  (
    'a an the is are was were be been am i i\'m my me we our you your it it\'s its this that these those there here ' +
    'to of for from in on at by with about into and or but not no yes do does did don\'t didn\'t can can\'t could ' +
    'should would will have has had how what why when where who which please if so just got get'
  ).split(' '),
);
/** Messages of one English word that still say the writer reads English. */
const ENGLISH_ALONE = new Set(['hello', 'hi', 'hey', 'thanks', 'help']);

/**
 * 'ja' for a message with kana, 'en' for one clearly in English, otherwise null (numbers, links, names, kanji
 * only). `oneWordCounts`: whether one English word alone (hello, thanks, help) says so; it does in someone's
 * first words, not from a person who has been writing Japanese and types "help" or "Thanks" in between.
 */
export function writtenLanguage(text: string, oneWordCounts = true): 'ja' | 'en' | null {
  if (KANA.test(text)) return 'ja';
  const rest = text.replace(NOT_WORDS, ' ');
  if (CJK.test(rest)) return null;
  const words = (rest.match(WORD) ?? []).map((w) => w.toLowerCase());
  if (words.length === 1) return oneWordCounts && ENGLISH_ALONE.has(words[0]!) ? 'en' : null;
  return words.length >= 2 && words.some((w) => ENGLISH_WORDS.has(w)) ? 'en' : null;
}
