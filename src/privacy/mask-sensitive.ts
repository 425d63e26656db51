import type { SensitiveKind } from '../engine/inbound-event.ts';
import { extractUrls, isDefanged } from '../listing/extract-urls.ts';

/** What masking found and the text with those parts replaced. */
export interface MaskResult {
  text: string;
  found: SensitiveKind[];
}

const MASK = '****';

/** A [start, end) stretch of the text to replace with MASK. */
interface Span {
  start: number;
  end: number;
}

// ---------------------------------------------------------------------------------------------
// Card numbers
// ---------------------------------------------------------------------------------------------

// What people put between the groups of a card number, after NFKC (which already turns the
// full-width space into a space, the full-width hyphen into '-', the full-width full stop into '.'
// and the full-width low line into '_'): spaces and tabs, '.', '-', '_', the Unicode hyphens and
// dashes (‐ ‑ ‒ – — ―), the minus sign and the katakana long-vowel mark 'ー' that Japanese keyboards
// often type for a hyphen. Up to three of them in a row ("4111  1111", "4111 - 1111"). Line breaks
// are not separators: numbers on separate lines are separate numbers.
const CARD_SEPARATOR = '[ \\t._\\-\\u2010-\\u2015\\u2212\\u30FC]';
// A run of digit groups joined by separators; which part of it is a card is decided in code.
const DIGIT_RUN = new RegExp(`(?<!\\d)\\d+(?:${CARD_SEPARATOR}{1,3}\\d+)*`, 'g');
const DIGIT_GROUP = /\d+/g;

// Amazon order numbers (250-1234567-1234567) belong in evidence summaries; they are never masked.
// This guard is belt and braces: a 3-7-7 grouping is not card-shaped (see isCardShaped), so no
// part of such a number is ever taken for a card, whatever its Luhn checksum. The same 17 digits
// typed without separators cannot be told from a card number and are masked when they pass Luhn.
const AMAZON_ORDER = /^\d{3}-\d{7}-\d{7}$/;

/** Card numbers are written whole or in groups of four (Amex: 4-6-5, Diners: 4-6-4). */
function isCardShaped(lengths: readonly number[]): boolean {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total < 13 || total > 19) return false;
  if (lengths.length === 1) return true;
  if (lengths.join() === '4,6,5' || lengths.join() === '4,6,4') return true;
  return lengths.slice(0, -1).every((l) => l === 4) && lengths.at(-1)! >= 1 && lengths.at(-1)! <= 4;
}

/** Luhn checksum, used so that order numbers and phone numbers are not mistaken for cards. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/*
 * Luhn alone lets a card typed with one wrong digit through, showing 15 real digits. So some numbers are
 * masked as cards whatever their checksum:
 *   1. Grouped exactly like a card: 4-4-4-4 (16 digits), Amex 4-6-5 (15) or Diners 4-6-4 (14), with the
 *      same separator between every group (spaces counted as one: "4980 1234 5678 9012",
 *      "4980-1234-5678-9012", "3056 930902 5905"). Nothing public is written that way: phone numbers are
 *      3-4-4, 2-4-4 or 4-3-3 (090-1234-5678, 03-1234-5678, 0120-123-456), Amazon orders 3-7-7, tracking
 *      numbers 12 digits (1234-5678-9012: fewer than 13 digits is never a card).
 *      Not when all four groups are years (2019 2020 2021 2022, a list), and not when the separators
 *      differ: "1234-5678-9012 3456-7890-1234" is two tracking numbers, not a card.
 *   2. 14 to 19 digits (not 13: a JAN barcode is 13 digits) with a card label (カード, カード番号, クレジット, クレカ, card)
 *      at most CARD_LABEL_GAP characters before it on the same line, and no other number's label (注文,
 *      追跡, 電話, order, tracking …) in between: 「カード番号は 4980123456789012 です」. Written as one
 *      ungrouped run, or grouped the way a card is (isCardShaped: fours with a shorter last group, or
 *      4-6-x) with one kind of separator: a card typed with a digit missing, 「カード番号 4111 1111 1111 111
 *      を入れた」 (4-4-4-3), fails Luhn and is not 4-4-4-4, yet shows 15 of the card's digits. Without the
 *      label a 16-digit number that fails Luhn stays (an order, a tracking or a customer number).
 * The expiry date next to a card (「期限 08/28」, "exp 12/25") is kept even then: PCI DSS counts it as card
 * data only together with the card number, which is masked, and a month/year cannot be told from the
 * dates the advisor needs (「12/24に届いた」). The security code is masked (see CARD_BACK_LABEL).
 * A number that passes Luhn needs neither: any card shape (isCardShaped) is enough.
 */
const CARD_LABEL_GAP = 15;
const CARD_LABEL_BEFORE = new RegExp(
  `(?:カード|クレジット|クレカ|(?<![a-z])cards?(?![a-z]))([^\\n]{0,${CARD_LABEL_GAP}})$`,
  'iu',
);
const OTHER_NUMBER_LABEL = /注文|追跡|伝票|問い?合わ?せ|問合せ|電話|携帯|会員|order|tracking|phone|tel(?![a-z])/i;
const YEAR = /^(?:19|20)\d\d$/;

function hasCardLabelBefore(text: string, at: number): boolean {
  const m = CARD_LABEL_BEFORE.exec(text.slice(Math.max(0, at - CARD_LABEL_GAP - 10), at));
  return m !== null && !OTHER_NUMBER_LABEL.test(m[1]!);
}

interface DigitGroup {
  start: number;
  end: number;
  digits: string;
}

/** Rule 1 above: groups i..j are 4-4-4-4, 4-6-5 or 4-6-4, joined by one kind of separator, not a list of years. */
function groupedLikeACard(run: string, groups: readonly DigitGroup[], i: number, j: number): boolean {
  const lengths = groups.slice(i, j + 1).map((g) => g.digits.length).join();
  if (lengths !== '4,4,4,4' && lengths !== '4,6,5' && lengths !== '4,6,4') return false;
  if (lengths === '4,4,4,4' && groups.slice(i, j + 1).every((g) => YEAR.test(g.digits))) return false;
  return oneSeparator(run, groups, i, j);
}

/** Whether groups i..j are joined by one kind of separator (runs of spaces counted as one space). */
function oneSeparator(run: string, groups: readonly DigitGroup[], i: number, j: number): boolean {
  const separators = new Set<string>();
  for (let k = i; k < j; k++) separators.add(run.slice(groups[k]!.end, groups[k + 1]!.start).replace(/[ \t]/g, '') || ' ');
  return separators.size <= 1;
}

/** Rule 2 above: a labelled 14–19 digits, whole or grouped like a card with one kind of separator. */
function labelledLikeACard(run: string, groups: readonly DigitGroup[], i: number, j: number, lengths: readonly number[]): boolean {
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total < 14 || total > 19) return false;
  if (i === j) return true;
  if (groups.slice(i, j + 1).every((g) => YEAR.test(g.digits))) return false; // 「カード 2019 2020 2021 2022 の明細」
  return isCardShaped(lengths) && oneSeparator(run, groups, i, j);
}

/**
 * Finds every card inside one run of digit groups, as [start, end) spans of the run to mask. A card is
 * any stretch of consecutive groups that is card-shaped and passes Luhn, or that rules 1 and 2 above
 * take for a card; the run may hold more than the card ("4111 1111 1111 1111 12 25", a card next to an
 * amount). Every group that belongs to some such stretch is masked, so when two candidate stretches
 * overlap both are hidden rather than one leaving part of the other visible. `labelled(offset)` says
 * whether a card label stands before that offset of the run.
 */
function cardsInRun(run: string, labelled: (offset: number) => boolean): Array<[number, number]> {
  const groups: DigitGroup[] = [...run.matchAll(DIGIT_GROUP)].map((m) => ({ start: m.index, end: m.index + m[0].length, digits: m[0] }));
  const masked = new Array<boolean>(groups.length).fill(false);
  let any = false;
  for (let i = 0; i < groups.length; i++) {
    const lengths: number[] = [];
    let digits = '';
    for (let j = i; j < groups.length; j++) {
      digits += groups[j]!.digits;
      lengths.push(groups[j]!.digits.length);
      if (digits.length > 19) break;
      const card =
        (isCardShaped(lengths) && passesLuhn(digits)) ||
        groupedLikeACard(run, groups, i, j) ||
        (labelledLikeACard(run, groups, i, j, lengths) && labelled(groups[i]!.start));
      if (card) {
        for (let k = i; k <= j; k++) masked[k] = true;
        any = true;
      }
    }
  }
  if (!any) return [];
  const spans: Array<[number, number]> = [];
  for (let i = 0; i < groups.length; i++) {
    if (!masked[i]) continue;
    let j = i;
    while (j + 1 < groups.length && masked[j + 1]) j++;
    spans.push([groups[i]!.start, groups[j]!.end]);
    i = j;
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Labelled codes: one-time codes, card security codes, PINs
// ---------------------------------------------------------------------------------------------

// Labels that only ever name a secret code; the value may have 3 (CVV, 3-digit PIN) to 8 digits.
const CODE_LABEL_SPECIFIC = [
  'セキュリティ[ーｰ]?コード',
  'セキュリティ[ーｰ]?番号',
  '認証コード', // also 2段階認証コード, SMS認証コード
  '認証番号',
  '確認コード',
  // What Amazon's and most Japanese services' SMS call the one-time code. Only the compound: 確認 alone
  // is an ordinary word (「確認したら 3000円」), and 確認番号 is never a price, a date or a count.
  '確認番号',
  // ワンタイムパス is how people shorten it in chat: 「ワンタイムパス 482913」.
  'ワンタイム(?:パスワード|パスコード|パス|コード|暗証番号|PIN)',
  '暗証番号',
  'PIN(?:コード|番号)',
  'ピン(?:コード|番号)',
  'ログインコード',
  // The code as victims describe it rather than name it: 「SMSで届いた番号 928374 を入れてしまった」,
  // 「SMSで来た６桁の番号 482913」 (the length may stand before the noun), and without the noun, 「SMSに届いた
  // 482913を入力」. Without the noun only after で or に, so that the message is where the number came:
  // what else comes in a text is a price or a date (「SMSに届いた3000円の請求」), which the value's end
  // (CODE_END) already refuses.
  '(?:SMS|ショートメール|ショートメッセージ|メッセージ|メール)(?:(?:で|に)?(?:届いた|届いてた|きた|来た|送られてきた|送られた)(?:\\d{1,2}(?:桁|ケタ|けた)の)?(?:番号|数字|コード)' +
    '|(?:で|に)(?:届いた|届いてた|きた|来た|送られてきた|送られた))',
  '(?<![a-z])(?:cvv2?|cvc2?|csc|otp|2fa)(?:\\s*(?:code|number|コード|番号))?(?![a-z])',
  '(?<![a-z])one[- ]?time\\s+(?:code|password|passcode|pin)(?![a-z])',
  '(?<![a-z])(?:verification|security|authentication|auth|confirmation|login|sign[- ]?in|access|sms)\\s+code(?![a-z])',
].join('|');
// Labels that are also ordinary words: "code", "コード", "PIN". They need 4 to 8 digits and must not
// end a compound that names something public: エラーコード, QRコード, 商品コード, 銀行コード (kanji,
// katakana or Latin letters right before コード), "error code 500", "zip code", "product code".
const CODE_LABEL_GENERIC =
  '(?<![\\p{Script=Han}\\p{Script=Katakana}\\u30FC\\p{Script=Latin}])コード' +
  '|(?<![a-z])(?<!(?:error|zip|postal|post|status|product|promo|promotion|coupon|discount|country|area|bar|qr|source|item|tracking|reference|ref)\\s?)code(?![a-z])' +
  '|(?<![a-z])pin(?![a-z])';
// Between label and value: "CVV 123", "CVC: 1234", "認証番号は123456", "code is 904211", "コード＝1234",
// 「ワンタイムパスワード（OTP）は 123456」, 「セキュリティコード(3桁) 123」, and a quoted label or value:
// 「確認番号」は 482913, 確認番号は「482913」. The code's length may stand between, as people say it
// (CODE_LENGTH): 「暗証番号４桁 1234」, 「セキュリティーコードは３ケタで 321」, 「裏の3桁は456」, 「6桁の数字 482913」.
// Only a length (a number of 桁), so any other words between label and number still end the label: 「確認
// コードが来ない。注文番号は…」 reads no code.
const CODE_LENGTH = '(?:\\s*(?:(?:は|が|の)\\s*)?\\d{1,2}\\s*(?:桁|ケタ|けた)(?:の(?:番号|数字|コード)?|で|は|が|[、,])?)';
const CODE_CONNECTOR = `[」』"'”’]?(?:\\s*\\([^)\\n]{1,12}\\))?${CODE_LENGTH}?\\s*(?:(?:is|was|は|が|:|=|#|no\\.?)[、,]?\\s*)?[「『"'(\\[]?`;
// A value is a whole number: not followed by more digits or letters, not the start of a price
// (2,980), a decimal (1.5), an order number (250-1234567-…), a date or a time (2024/05/01, 12:30),
// and not a count, an amount or a numbered thing (120件, 5000ポイント, 1234番, 3枚).
const UNIT = '\\s*(?:円|件|個|点|人|回|日|年|月|時|分|秒|歳|才|%|桁|文字|万|千|百|億|ドル|番|号|枚|台|ポイント|yen|jpy|usd)';
const UNIT_AFTER = new RegExp(`^${UNIT}`, 'i');
const CODE_END = `(?![\\dA-Za-z])(?![-.,/:]\\d)(?!${UNIT})`;
// After a specific label the digits may also be spaced out one by one, as read off a screen: 「7 3 8 2 9 1」.
const CODE_VALUE_SPECIFIC = `(\\d(?: \\d){2,7}|\\d{3,4}[ -]\\d{3,4}|\\d{3,8})${CODE_END}`;
const CODE_VALUE_GENERIC = `(\\d{4}[ -]\\d{4}|\\d{3}[ -]\\d{3}|\\d{4,8})${CODE_END}`;
const CODE_LABELLED = new RegExp(
  `((?:${CODE_LABEL_SPECIFIC})${CODE_CONNECTOR})${CODE_VALUE_SPECIFIC}|((?:${CODE_LABEL_GENERIC})${CODE_CONNECTOR})${CODE_VALUE_GENERIC}`,
  'giu',
);
// The code first, as text messages put it and users paste them: "123456 is your Amazon OTP",
// 「123456 は、Amazonのワンタイムパスワード（OTP）です」. Only the specific labels, on the same line.
const CODE_BEFORE_LABEL = new RegExp(
  `(?<![\\d,.])(?:\\d{3} \\d{3}|\\d{4,8})${CODE_END}(?=\\s*(?:is\\s+your\\s|は[、,]?|が)[^\\n]{0,40}?(?:${CODE_LABEL_SPECIFIC}))`,
  'giu',
);

// The card's security code pointed at rather than named: 「カードの裏の3桁は456です」, 「裏 123」, 「裏面に書いてある
// 3桁の数字 456」. 裏 ("the back") names a code only next to a card: a card found in the same message
// (「番号 4111 1111 1111 1111 期限 08/28 裏 123」) or a card label (カード, クレカ, クレジット, card) earlier in
// the same sentence (CARD_CONTEXT_BEFORE). Elsewhere 裏 is the back of a box, a page or a receipt (「箱の裏
// 1234」). Three or four digits only, as a security code has. The card may have been found in an earlier pass
// of the same call (maskSensitive): masking the output again finds no card, but by then the code is masked.
// The expiry date beside the card stays (see the card rules above).
const CARD_BACK_LABEL =
  '(?:裏面|裏|うら)(?:側|がわ)?(?:に(?:ある|あった|書いて(?:ある|あった)|書かれ(?:た|てる|ている|ていた))|の)?(?:番号|数字|コード)?';
const CARD_BACK = new RegExp(`((?:${CARD_BACK_LABEL})${CODE_CONNECTOR})(\\d{3,4})${CODE_END}`, 'gu');
const CARD_WORD = /カード|クレカ|クレジット|(?<![a-z])cards?(?![a-z])/i;
/** How far back a card label may stand from 裏, within the sentence. */
const CARD_CONTEXT_BEFORE = 40;

/** Whether a card label stands before `at` in the same sentence (after the last 。 or line break). */
function cardWordBefore(text: string, at: number): boolean {
  const before = text.slice(Math.max(0, at - CARD_CONTEXT_BEFORE), at);
  return CARD_WORD.test(before.slice(before.search(/[^。\n]*$/)));
}

// A code told without a label, in quotes and followed by the words that tell or enter it: 「電話の人に
// 「482913」と伝えました」, 「"1234"を入力した」 (と伝えた, を伝えた, と答えた, を教えた, と言った, と入力,
// を入れた …). Four to eight digits, a whole number (CODE_END), nothing else inside the quotes. Not when
// another number's label stands right before the quote: 「注文番号「12345678」を伝えた」, 「電話番号「0312345678」
// と答えた」, 「値段は「2980」と言った」 are evidence, not a code (TOLD_NUMBER_LABEL).
const TOLD_VERB = '(?:伝え|つたえ|言っ|言い|答え|こたえ|教え|おしえ|入力|入れ|いれ|打ち?込|うちこ|送っ|送信)';
const QUOTED_TOLD = new RegExp(`(?<=[「『"“])[ \\t]*(\\d{4,8})${CODE_END}[ \\t]*(?=[」』"”][ \\t]*(?:と|を|って)[ \\t]*${TOLD_VERB})`, 'giu');
const TOLD_NUMBER_LABEL =
  /(?:注文|追跡|伝票|問い?合わ?せ|問合せ|電話|携帯|会員|郵便|型番|品番|口座|値段|価格|金額|料金|order|tracking|phone|tel)(?:番号|no\.?|number)?[ \t]*(?:は|が|の|:|=|#)?[ \t]*$/iu;

// ---------------------------------------------------------------------------------------------
// My Number (個人番号)
// ---------------------------------------------------------------------------------------------

// Japan's Individual Number is 12 digits, written whole or 4-4-4. Phishing pages dressed as マイナポイント or
// a tax refund ask for it, and victims then type it when they tell what they entered. Only a labelled number is
// masked: an unlabelled 12 digits, 4-4-4 included, is as often a parcel's tracking number (ヤマト's are 12
// digits), which belongs in an evidence summary.
const MY_NUMBER_LABEL = [
  'マイナンバー(?:カード)?(?:の)?(?:番号)?',
  '個人番号(?:カード)?(?:の)?(?:番号)?',
  '(?<![a-z])(?:my|individual)\\s*number(?:\\s*card)?(?:\\s*(?:number|no\\.?))?(?![a-z])',
].join('|');
const MY_NUMBER_VALUE = `(\\d{4}[ -]\\d{4}[ -]\\d{4}|\\d{12})${CODE_END}`;
const MY_NUMBER_LABELLED = new RegExp(`((?:${MY_NUMBER_LABEL})${CODE_CONNECTOR})${MY_NUMBER_VALUE}`, 'giu');

// ---------------------------------------------------------------------------------------------
// Labelled passwords
// ---------------------------------------------------------------------------------------------

// The label, then how the value is attached. A "strong" form says the next thing is the value:
// "password: X", "password = X", "password is X", "pw: X", 「パスワードは X」「パスワード：X」, and a quote
// right after the label, 「パスワード「X」」. A "weak" form is only a space after the label —
// 「パスワード X」, "password X" — and is read as a value only when X looks like a secret (see
// looksLikeSecret, and for Japanese values japaneseValue), so that "my password today and …" stays as
// typed. The を form, 「パスワードを X にしていた」, is read only when X is followed by words that set or
// tell the password (SET_TO): パスワードを is far more often followed by what was done to it
// (変更しました, Chromeに保存した) than by the password.
//
// パスワード is also written in hiragana (ぱすわーど; half-width ﾊﾟｽﾜｰﾄﾞ is パスワード after NFKC) and
// glued to an ASCII value with nothing between: 「パスワードTanaka1985!に変えた」. That "glued" form takes
// only an ASCII value that mixes letters with a digit or a password symbol (PASSWORD_SYMBOL), at least
// 4 characters, ending where non-ASCII text resumes (…|に変えた) and judged without the sentence
// punctuation around it (coreOf). Japanese right after the label is a word (パスワードリセット,
// パスワードマネージャー), and letters alone are a word too (パスワードOK, パスワードOK?, パスワードID,
// パスワードiCloud), so neither is read as a value. The value is masked whole, trailing symbols included.
//
// English also tells a password at one remove (the "told" form): "my password's Tanaka1985!", "the
// password is now Tanaka1986!" (also still, currently), "the password for my Amazon account is X" and
// "password for amazon: X" (for, of or to, then one to four words, then is/was, ':' or '='). Sentences
// put ordinary words there ("the password's length", "the password for this site is too short"), so
// the value must look like a secret (looksLikeSecret) and not be a count (ENGLISH_COUNT). "is now" and
// "is still" are tried before the strong "is": "password is now X" is not the password "now". The words
// after "for" stop at and/or/but ("the password for amazon and the ID is taro" tells no password), and
// a ':' that starts "://" is a link's. "password to X" is the new password only after a verb that sets
// it (SET_VERB): "I changed my password to Tanaka1986!", not "I sent my password to amazon".
//
// An arrow attaches a value as ':' does ("password -> X", "password → X", "pass => X"); a dash between spaces
// ("password - X") only as the weak form does, so "password - forgot it" stays.
//
// "pass" is a label as "pass:" or "pass =" (any case: Pass:, PASS=; also 「passはX」, 「passがX」), never alone ("pass the test",
// "boarding pass"), nor after a word that makes it a ticket (boarding pass: …, day pass = …:
// PASS_COMPOUND); and even then only a value that looks like a secret (looksLikeSecret):
// "ID taro@example.com pass: Tanaka1985!", not "pass: none". "pass is X" (also was, is now, is still) is
// a label only when what stands before "pass" is an owner (my, your, the …) or "and", an account word
// after one ("my Amazon pass is"), a user name after its label ("ID taro pass is"), or no word at all (the line
// or a sentence starts with it): ownsPass. Other
// words make it a ticket ("JR pass is", "Suica pass is"). Its value must also mix letters with a digit
// or a symbol and not be a count (7-day, 30days): "my pass is Tanaka1985!", not "the pass is valid
// until 2025", "my pass is expired", "my pass is Suica" or "my pass is 2025".
//
// パス, short for パスワード in chat (also ログインパス), is a label only with は, が, ':' or '=' or a quote
// after it and no katakana on either side (パスポート, パスタ, バイパス, コンパス, パスワード are other words),
// and takes only what "pass is" takes: letters with a digit or a symbol, not a count (「パスは「neko1234」」,
// 「パス：Tanaka1985!」, not 「パスは2枚」 or 「パスが切れた」).
const PASS_COMPOUND =
  'boarding|season|day|week|month|annual|bus|train|rail|transit|ski|guest|visitor|free|event|entry|access|hall|press|museum|park|gym';
const PASSWORD_LABEL = new RegExp(
  '(?:パスワード|ぱすわーど|パスコード|暗証番号|password(?![a-z])|passwd(?![a-z])|passcode(?![a-z])|(?<![a-z])pwd?(?![a-z]))' +
    "(?:(?<told>[ \\t]+(?:is|was)[ \\t]+(?:now|still|currently)[ \\t]+|['’]s[ \\t]+" +
    "|[ \\t]+(?:for|of|to)(?:[ \\t]+(?!(?:and|or|but|is|was)(?![a-z0-9.@'’-]))[a-z0-9.@'’-]{1,30}){1,4}?" +
    "(?:[ \\t]+(?:is|was)[ \\t]+|[ \\t]*[:=](?!/)[ \\t]*))|(?<setTo>[ \\t]+to[ \\t]+)" +
    '|(?<strong>\\s*(?:->|=>|[:=]|→|は|が)[、,]?\\s*|\\s+(?:is|was)(?:\\s*:)?\\s+|(?=[「『]))|(?<wo>\\s*を[、,]?\\s*)|(?<weak>[ \\t]+[-–—][ \\t]+|\\s+)' +
    '|(?<=パスワード|ぱすわーど)(?=[\\x21-\\x7E]))' +
    `|(?<![a-z])(?<!(?:${PASS_COMPOUND})[ \\t]?)pass(?![a-z])` +
    '(?:(?<pass>\\s*(?:->|=>|[:=]|→|は|が)\\s*)|(?<passIs>[ \\t]+(?:is|was)(?:[ \\t]+(?:now|still))?[ \\t]+))' +
    '|(?<![\\p{Script=Katakana}\\u30FC])(?:ログイン)?パス(?![\\p{Script=Katakana}\\u30FC])(?<jpPass>\\s*(?:[:=]|は|が)[、,]?\\s*|(?=[「『]))',
  'giu',
);
type LabelForm = 'strong' | 'wo' | 'weak' | 'glued' | 'pass' | 'passIs' | 'jpPass' | 'told' | 'setTo';
// What may stand right before "pass is": an owner (or "and"), or an account word after one (ownsPass).
const PASS_OWNER = new Set(['my', 'your', 'his', 'her', 'our', 'their', 'the', 'and']);
const USER_NAME_LABEL = new Set(['id', 'user', 'username', 'login', 'account']);
const PASS_ACCOUNT = new Set(['login', 'account', 'amazon', 'email', 'e-mail', 'mail', 'wifi', 'wi-fi']);
// Verbs that make "password to X" the new password: "I changed my password to Tanaka1986!", "set the
// Amazon password to …" (not "I sent my password to amazon").
const SET_VERB = new Set(['changed', 'change', 'changing', 'set', 'setting', 'reset', 'updated', 'update', 'updating', 'switched']);
// An English count, duration, price or ordinal, alone or in a list: 7-day, 30days, 1.5hours, 2nd, 10am,
// $50/month, 3-day/7-day. Not a password. It has a unit word: 2024 and 19850101 alone may be passwords.
const COUNT_UNIT = 'days?|weeks?|months?|years?|yrs?|hours?|hrs?|mins?|minutes?|rides?|trips?|times?|people|persons?|yen|jpy|usd|st|nd|rd|th|am|pm';
const ONE_COUNT = `[$€£]?\\d+(?:[.,]\\d+)*(?:[-~]\\d+)?(?:-?(?:${COUNT_UNIT}))?`;
const ENGLISH_COUNT = new RegExp(`^(?=.*[a-z])${ONE_COUNT}(?:[/,&+](?:${ONE_COUNT}|${COUNT_UNIT}))*$`, 'i');
const QUOTES: Readonly<Record<string, string>> = { '"': '"', "'": "'", '`': '`', '“': '”', '‘': '’', '「': '」', '『': '』' };
// Words that follow "password" in ordinary sentences. Only for ASCII values: Japanese values have
// their own rules (japaneseValue), so Japanese words such as もう, 変更, を are not listed here.
const NOT_A_PASSWORD = new Set(
  (
    'today tonight yesterday tomorrow again too also now then still yet already just only never always ever ' +
    'not no yes wrong incorrect correct right invalid expired weak strong short long required changed change ' +
    'reset updated update same different ok okay fine safe secure set saved stored sent entered typed used ' +
    'shared leaked stolen hacked compromised forgotten forgot lost unknown manager managers please help ' +
    'what which how why when where who here there the a an my your his her their our its this that these ' +
    'those it for to of on in at by with without from and or but so because if is was be been being are were ' +
    'has have had will would should could can cannot must may might does did do done isn\'t wasn\'t doesn\'t ' +
    'didn\'t won\'t can\'t anymore once twice before after recently login policy rules field 1password'
  ).split(' '),
);
// A number followed by an English unit is a rule or a count: "password is 8-16 characters".
const ENGLISH_UNIT_AFTER = /^[ \t]*(?:characters?|chars?|letters?|digits?|symbols?|numbers?|days?|weeks?|months?|years?|hours?|times?)(?![a-z])/i;

// Services and apps that sentences about a password name where a value would go, with a particle after
// them saying how the password went or where it is kept: 「パスワードは LINEで送った」, 「パスワードは
// Googleに保存してある」, 「パスワードは Amazonと同じ」, 「パスワードは iCloudの中」. Only the exact name
// (LINE2024abc and Line!pass99 are passwords), only with the particle right after it (or after a
// space), and not when the words after it state a value (VALUE_ENDING): 「パスワードは LINEです」 and
// 「パスワードは LINEにしていた」 say the password is "LINE", and stay masked.
const SERVICE_NAMES = new Set(
  (
    'line amazon google gmail yahoo apple icloud chrome safari edge firefox facebook instagram twitter ' +
    'telegram whatsapp messenger discord slack zoom skype outlook hotmail microsoft windows iphone ipad ' +
    'android macbook keychain mercari rakuten paypay paypal docomo softbank netflix dropbox evernote notion ' +
    'excel bitwarden lastpass email e-mail mail'
  ).split(' '),
);
const PARTICLE_AFTER_NAME = /^[ \t]*(?:で|に|から|へ|の|と|も|より|まで)/u;

/** Whether the text after a service name is a particle making it where the password went, not its value. */
function namedAsAPlace(after: string): boolean {
  return PARTICLE_AFTER_NAME.test(after) && !VALUE_ENDING.test(after.replace(/^[ \t]+/, ''));
}

/*
 * Passwords in Japanese characters (さくら2024, やまだたろう, 山田太郎). Sentences about a password
 * put ordinary Japanese right where a value would go (パスワードは同じものを使い回していました,
 * パスワードが分からない, パスワードは変えた方がいいですか), and Japanese has no spaces to end a value,
 * so a Japanese value is masked only in these forms:
 *   1. Quoted, with the closing quote on the same line (or, unclosed, a single word up to the line
 *      end): 「パスワードは「やまだたろう」にしていた」, 「パスワード『さくら』」. Not when the quote
 *      holds words that describe a password or a screen (「8文字以上」「パスワードが違います」「変更」:
 *      DESCRIBES_PASSWORD, VALUE_COUNT), nor when what follows the quote makes it a message or a
 *      button (「…」と表示された, 「…」ボタン: UI_AFTER_QUOTE).
 *   2. Unquoted, starting with kana or kanji, after a strong label or a weak one: a single word that
 *      mixes kana or kanji with digits or Latin letters (さくら2024, 太郎1985, ポチPochi). Not a count
 *      (8文字以上, 2024年に), not a phrase in which a particle follows the digits or letters
 *      (全部Amazonと同じ, 全部iPhoneに保存), not descriptive words (DESCRIBES_PASSWORD).
 *   3. Unquoted kana only (やまだたろう, ポチ), after a strong label, and only when a word that states a
 *      value follows it (です, でした, だった, にしていた, と入力した: VALUE_ENDING), and it is not one
 *      of the kana words that sit in the same place in sentences about a password (まだです, おなじです,
 *      わからないです: KANA_NOT_A_VALUE).
 * The value ends at a space, at punctuation, or where VALUE_ENDING begins (さくら2024|です); only the
 * value is masked. Kanji-only unquoted values (山田太郎です) are not masked: they cannot be told from
 * 誕生日です, 生年月日でした, 同じです. After the を form each of these also needs SET_TO after the value.
 * Japanese values are read after パスワード, ぱすわーど and the Latin labels, not after 暗証番号 or パスコード,
 * which are digits (and codes, handled above), nor after ワンタイムパスワード, a one-time code, nor after
 * "pass:" or a glued label (パスワードさくら would be パスワードリセット's shape).
 */
const JAPANESE_CHAR = /[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const JAPANESE_START = /^[\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Han}]/u;
const KANA_ONLY = /^[\p{Script=Hiragana}\p{Script=Katakana}\u30FC]+$/u;
// A value runs to a space, a line end, punctuation or a bracket (after NFKC, so full-width ！？：（） are
// already ASCII). Symbols inside a password (さくら#2024) do not end it.
const JAPANESE_VALUE_CHUNK = /^[^\s、。,.!?;:()[\]{}<>「」『』【】〈〉《》“”‘’"'`…・]+/u;
// Words that, after the value, say "set it to" or "told it as": にしていた, に設定した, に変更, と入力した,
// と教えてしまった.
const SET_TO = '(?:にして|にした|にしま|に設定|に変更|に変え|にかえ|と入力|と入れ|といれ|と打|と設定|と教え|と伝え|と送)';
// Words that, after the value, state it: the copula (です, でした, だった), のまま, を使っていた, and SET_TO.
const VALUE_ENDING = new RegExp(`^(?:です|でした|だった|だよ|だね|のまま|を使|をつか|を入力|${SET_TO})`, 'u');
const SET_TO_AFTER = new RegExp(`^\\s*${SET_TO}`, 'u');
// Words that make a quoted or unquoted Japanese "value" a description of a password, of a rule or of a
// screen: 「8文字以上」, 同じもの, 変えた方がいい, 「パスワードが違います」, 誕生日, 「次へ」.
const DESCRIBES_PASSWORD = new RegExp(
  [
    '変更', '変え', 'かえ(?:た|て|まし)', '設定', '忘れ', 'わすれ', '間違', 'まちが', '違', 'ちが[うい]', '正し', '無効', '有効',
    '入力', '表示', '確認', '送信', '登録', '文字', '桁', 'ケタ', '以上', '以下', '未満', '英数', '英字', '数字', '記号', '大文字',
    '小文字', '半角', '全角', 'エラー', 'リセット', 'ログイン', 'サインイン', '次へ', '必要', '不正', '誤', '失敗', '成功', '完了',
    '保存', '同じ', 'おなじ', '使い回', '使いまわ', '安全', '危険', 'ロック', '期限', '発行', 'パスワード', 'ぱすわーど', 'ください', 'ません',
    'ました', 'ます$', 'です$', 'でした$', '場合', '教え', '誕生日', '生年月日', '電話番号', '名前', '住所', '分から', 'わから',
    '知ら', 'しらな', '覚え', 'おぼえ', '不明', '秘密', '内緒', 'ひみつ', 'ないしょ', '弱い', '強い', '強度', 'ひらがな', 'カタカナ',
    '平仮名', '片仮名', 'ローマ字', '漢字', '英語', '日本語',
  ].join('|'),
  'u',
);
// A number with a unit inside the value makes it a count or a date: 8文字, 4桁, 2024年, 2段階, 3つ.
const VALUE_COUNT = new RegExp(
  `\\d(?:${UNIT}|\\s*(?:字|つ|度|倍|段階|種類|通り|番目|台|枚|代|ヶ月|か月|カ月|週間|時間|けた|もじ))`,
  'iu',
);
// Digits or Latin letters directly followed by a particle: a phrase (全部Amazonと同じ, 全部iPhoneに保存),
// not one word. Checked after the stating word is cut off, so さくら2024|にしていた is still one word.
const PARTICLE_AFTER_LATIN = /[0-9A-Za-z][のにでとをがはもへやか]/u;
// Kana that stand between パスワードは and です in sentences about a password: whole words (まだ, へん,
// それ, たぶん), words inside longer ones (ぜんぶおなじ, わからない), nouns and particles that end a
// description (かんたんなもの, たぶんそう, それだけ), and adjective and negative endings (むずかしい,
// ながい, よわい, ない).
const KANA_NOT_A_VALUE = new RegExp(
  '^(?:まだ|もう|へん|だめ|ダメ|むり|ムリ|べつ|べつべつ|それ|これ|あれ|どれ|なに|なん|だれ|どこ|ここ|そこ|いつ|ぜんぶ|' +
    'みんな|いろいろ|なし|ナシ|あり|ひみつ|ないしょ|ナイショ|オッケー|おっけー|たぶん|いちおう|きっと|やっぱり|ほんと|' +
    'ほんとう|ちょっと|ひとつ|ふたつ|みっつ|いくつ|いっこ|はい|いいえ|うん|ううん|ええ)$' +
    '|おなじ|いっしょ|ちがう|ちがい|わから|わかん|しらな|しりませ|おぼえ|わすれ|へんこう|かえた|かえて|まちが|だいじょう|' +
    'たんじゅん|かんたん|ふくざつ|ばらばら|バラバラ|ランダム|シンプル|デフォルト|てきと|テキト|たんじょう|なまえ|でんわ|' +
    'ばんごう|じゅうしょ|いつも|ひらがな|カタカナ|えいすう|すうじ|きごう|' +
    '(?:もの|こと|やつ|ほう|まま|そう|だけ|くらい|ぐらい|ほど|ばかり|など|なんか|よう)$' +
    '|(?:しい|ない|たい|っぽい|ぽい|らしい|やすい|にくい|づらい|いい|よい|わい|かい|くい|がい|るい|さい)$',
  'u',
);
// After a closing quote: the quote held a message or the name of a button, not a value
// (「パスワードが正しくありません」と表示された, 「変更」ボタンを押した, 「Forgot password?」をタップ).
// Only for quotes without a digit: 「abc123」と表示されていた is more likely a password shown on screen.
const UI_AFTER_QUOTE =
  /^\s*(?:と(?:表示|出|でて|でた|でる|書いて|書かれ|いう(?:メッセージ|エラー|表示|画面|通知|メール))|って(?:表示|出|でて|でた|でる)|の?(?:ボタン|リンク|画面|欄|メニュー|メッセージ|エラー)|を(?:押|おし|タップ|クリック|選))/u;

/** Whether the label at labelStart ends ワンタイムパスワード: a one-time code, not a password. */
function isOneTimeLabel(text: string, labelStart: number): boolean {
  return text.slice(Math.max(0, labelStart - 5), labelStart).endsWith('ワンタイム');
}

/** Whether this label takes Japanese values: パスワード and the Latin labels, not PINs, passcodes or OTPs. */
function takesJapaneseValue(text: string, labelStart: number, label: string, form: LabelForm): boolean {
  if (form === 'glued' || form === 'pass' || form === 'passIs' || form === 'jpPass' || form === 'told' || form === 'setTo') return false;
  if (/^(?:パスコード|暗証番号|passcode)/i.test(label)) return false;
  return !isOneTimeLabel(text, labelStart);
}

/** Rules 2 and 3 above: an unquoted value that starts with kana or kanji. */
function japaneseValue(text: string, pos: number, form: LabelForm): Span | null {
  const rest = text.slice(pos, pos + 200);
  if (!JAPANESE_START.test(rest)) return null;
  const chunk = JAPANESE_VALUE_CHUNK.exec(rest)?.[0];
  if (!chunk) return null;
  // The value ends where a stating word begins (さくら2024|です), or else with the chunk, when a
  // stating word may follow after a space (さくら2024 です).
  let value = chunk;
  let ending: string | null = null;
  for (let i = 1; i < chunk.length; i++) {
    if (VALUE_ENDING.test(chunk.slice(i))) {
      value = chunk.slice(0, i);
      ending = rest.slice(i);
      break;
    }
  }
  if (ending === null) {
    const after = rest.slice(chunk.length).replace(/^[ \t]+/, '');
    if (VALUE_ENDING.test(after)) ending = after;
  }
  if (value.length < 2 || value.length > 64) return null;
  if (DESCRIBES_PASSWORD.test(value) || VALUE_COUNT.test(value)) return null;
  if (/[0-9A-Za-z]/.test(value)) {
    if (PARTICLE_AFTER_LATIN.test(value)) return null;
  } else if (form === 'weak' || ending === null || !KANA_ONLY.test(value) || KANA_NOT_A_VALUE.test(value)) {
    return null;
  }
  if (form === 'wo' && (ending === null || !SET_TO_AFTER.test(ending))) return null;
  return { start: pos, end: pos + value.length };
}

/** Where a link starts: a scheme and "://", or "www.". */
const URL_START = /(?:[a-z][a-z0-9+.-]*:\/\/|www\.)/i;
const SCHEME_URL = new RegExp(`^${URL_START.source}`, 'i');
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/i;
// Host names with a path, as people paste links without a scheme (amzn.to/3Xy9, amazon.co.jp/dp/…),
// and bare host names (amazon.co.jp), which after a strong password label may as well be the password.
const HOST_WITH_PATH = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}(?::\d+)?[/?#]/i;
const BARE_HOST = /^[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}$/i;

/** Links and addresses are never masked: the link check must see every URL, and they are not secrets. */
function isLinkOrAddress(core: string, includeBareHosts = true): boolean {
  if (SCHEME_URL.test(core) || core.includes('://') || EMAIL.test(core) || HOST_WITH_PATH.test(core)) return true;
  if (isDefanged(core) && isDefangedLink(core, includeBareHosts)) return true;
  return includeBareHosts && BARE_HOST.test(core);
}

/**
 * A link written defanged, as warnings print one ("hxxps[:]//Amaz0n-Jp[.]top/Login", or the part
 * "//Amaz0n-Jp[.]top/Login" of "hxxps [:] //…"): the brackets are password symbols and the case
 * and digits look generated, but it is a link, read by the link check as the address it stands
 * for. It is one when a link found in it runs to its end. Without bare hosts (after a password
 * label), only one with a scheme or a path, as for a live link.
 */
function isDefangedLink(core: string, includeBareHosts: boolean): boolean {
  const link = extractUrls(core).at(-1);
  if (link === undefined || link.end !== core.length || link.start > 2) return false;
  return includeBareHosts || link.start > 0 || /[/／]/.test(link.input);
}

/** Strips sentence punctuation around a token ("(Xk9#…)." → "Xk9#…"), for judging it, not for masking. */
function coreOf(token: string): string {
  return token.replace(/^[(["'<{`]+/, '').replace(/[)\]"'>}`.,!?;:]+$/, '');
}

function alreadyMasked(core: string): boolean {
  return /^\*+$/.test(core);
}

/** For the weak label form: X has a digit, a symbol or a capital inside it, and is no ordinary word. */
function looksLikeSecret(core: string): boolean {
  return /\d/.test(core) || /[^A-Za-z0-9]/.test(core) || (/[a-z]/.test(core) && /.[A-Z]/.test(core));
}

/** For the glued and "pass is" forms: letters with a digit or a password symbol (Tanaka1985!, P@ss). */
function mixesLettersWithDigitOrSymbol(core: string): boolean {
  return /[A-Za-z]/.test(core) && (/\d/.test(core) || PASSWORD_SYMBOL.test(core));
}

/** What the value of a "pass is" label must be (see PASSWORD_LABEL): Tanaka1985!, not expired, Suica or 7-day. */
function passIsValue(core: string): boolean {
  return looksLikeSecret(core) && mixesLettersWithDigitOrSymbol(core) && !ENGLISH_COUNT.test(core) && !/^\d+-for-\d+$/i.test(core);
}

/**
 * Up to `n` English words right before `at`, nearest first, lower-cased, separated only by spaces or
 * tabs: fewer when the line, punctuation or Japanese comes first ("ID: taro, pass" has none). A word
 * glued to a digit (2nd) or longer than 30 letters is given in part and ends the list.
 */
function wordsBefore(text: string, at: number, n: number): string[] {
  const words: string[] = [];
  let i = at;
  while (words.length < n) {
    let end = i;
    while (end > 0 && (text[end - 1] === ' ' || text[end - 1] === '\t')) end--;
    let start = end;
    while (start > 0 && end - start < 30 && WORD_CHAR.test(text[start - 1]!)) start--;
    if (start === end) break;
    words.push(text.slice(start, end).toLowerCase());
    if (start > 0 && /[\dA-Za-z'’-]/.test(text[start - 1]!)) break;
    i = start;
  }
  return words;
}
const WORD_CHAR = /[A-Za-z'’-]/;

/**
 * Whether "pass" at `at` is owned, as "pass is" must be to be a label (see PASSWORD_LABEL): no word before
 * it (it starts the line, or follows punctuation or Japanese: "ID: taro, pass is …"), an owner (my pass,
 * the pass), or an account word after an owner or after no word (my Amazon pass, login pass).
 */
function ownsPass(text: string, at: number): boolean {
  const [word, before] = wordsBefore(text, at, 2);
  if (word === undefined || PASS_OWNER.has(word)) return true;
  // "ID taro pass is …", "user taro pass is …": a user name and then its pass.
  if (before !== undefined && USER_NAME_LABEL.has(before)) return true;
  return PASS_ACCOUNT.has(word) && (before === undefined || PASS_OWNER.has(before));
}

/** Whether a set verb stands before the label at `at`, maybe with an owner and an account word between. */
function setVerbBefore(text: string, at: number): boolean {
  const words = wordsBefore(text, at, 3);
  let k = 0;
  if (PASS_ACCOUNT.has(words[k] ?? '')) k++;
  if (PASS_OWNER.has(words[k] ?? '')) k++;
  return SET_VERB.has(words[k] ?? '');
}

/**
 * Whether a quoted value after a label is a secret. Japanese text in quotes follows rule 1 above; the
 * rest is masked unless it is a common word or a link. Either way, not when what follows the quote
 * makes it a message or a button, and after the を form only when SET_TO follows the quote.
 */
function quotedIsSecret(inner: string, closed: boolean, after: string, form: LabelForm, japanese: boolean): boolean {
  if (alreadyMasked(inner)) return false;
  if (closed && !/\d/.test(inner) && UI_AFTER_QUOTE.test(after)) return false;
  if (form === 'wo' && !(closed && SET_TO_AFTER.test(after))) return false;
  if (JAPANESE_CHAR.test(inner)) {
    // Without its closing quote, only a single word to the line end: 「パスワードは「やまだたろう」.
    const whole = closed || JAPANESE_VALUE_CHUNK.exec(inner)?.[0] === inner;
    return japanese && whole && inner.length <= 64 && !DESCRIBES_PASSWORD.test(inner) && !VALUE_COUNT.test(inner);
  }
  // my pass is "Platinum" names a ticket; my pass is "Tanaka 1985!" is the password.
  if ((form === 'passIs' || form === 'jpPass') && !passIsValue(inner)) return false;
  return /[\x21-\x7E]/.test(inner) && !NOT_A_PASSWORD.has(inner.toLowerCase()) && !isLinkOrAddress(inner, false);
}

/**
 * Reads the value after a password label at `pos`. Returns the span to mask (a quoted value without
 * its quotes), or null when what follows is not a value (a common word, a link, a sentence about a
 * password). `japanese` says whether the label takes Japanese values (takesJapaneseValue).
 */
function passwordValue(text: string, pos: number, form: LabelForm, japanese: boolean): Span | null {
  // Only the strong forms may take a bare host name for the password (see isLinkOrAddress).
  const told = form === 'told' || form === 'setTo';
  const strong = form !== 'weak' && form !== 'passIs' && form !== 'jpPass' && !told;
  const open = text[pos];
  const close = open === undefined ? undefined : QUOTES[open];
  if (close !== undefined && form !== 'glued') {
    // A quoted value is taken whole, spaces included: password: "p@ss w0rd". Without its closing
    // quote it runs to the end of the line.
    const rest = text.slice(pos + 1, pos + 1 + 130);
    const lineEnd = rest.search(/[\r\n]/);
    const closeAt = rest.indexOf(close);
    const closed = closeAt >= 0 && (lineEnd < 0 || closeAt < lineEnd);
    let length: number | null = null;
    if (closed) length = closeAt;
    else if (lineEnd >= 0) length = lineEnd;
    else if (pos + 1 + rest.length === text.length) length = rest.length; // the text ends first
    if (length !== null && length <= 128) {
      const end = pos + 1 + length;
      const inner = text.slice(pos + 1, end).trim();
      const after = closed ? text.slice(end + 1, end + 1 + 40) : '';
      if (!quotedIsSecret(inner, closed, after, form, japanese)) return null;
      return { start: pos + 1, end };
    }
  }
  const token = /^[\x21-\x7E]+/.exec(text.slice(pos, pos + 200))?.[0];
  if (!token) return japanese ? japaneseValue(text, pos, form) : null;
  const core = coreOf(token);
  if (core.length < 4 || alreadyMasked(core) || NOT_A_PASSWORD.has(core.toLowerCase())) return null;
  if (isLinkOrAddress(core, !strong)) return null;
  const after = text.slice(pos + token.length, pos + token.length + 20);
  // A number with a unit is a count, not a value: 「パスワード 2024年に変えた」, "password is 8-16 characters".
  if (/^\d+$/.test(core) && UNIT_AFTER.test(after)) return null;
  if (/^\d+(?:[-~]\d+)?$/.test(core) && ENGLISH_UNIT_AFTER.test(after)) return null;
  // 「パスワードは LINEで送った」: a service named with a particle after it is where the password went.
  if (token === core && SERVICE_NAMES.has(core.toLowerCase()) && namedAsAPlace(after)) return null;
  if ((form === 'weak' || form === 'pass' || told) && !looksLikeSecret(core)) return null;
  if (told && ENGLISH_COUNT.test(core)) return null;
  if ((form === 'passIs' || form === 'jpPass') && !passIsValue(core)) return null;
  // パスワードTanaka1985!: letters with a digit or a password symbol, up to where Japanese resumes.
  if (form === 'glued' && !mixesLettersWithDigitOrSymbol(core)) return null;
  // パスワードを Chromeに保存した: after を only 「パスワードを abc123 にしていた」 is a value.
  if (form === 'wo' && !SET_TO_AFTER.test(after)) return null;
  // The whole token goes, trailing punctuation included: it may be part of the password.
  return { start: pos, end: pos + token.length };
}

function labelForm(m: RegExpExecArray): LabelForm {
  const g = m.groups!;
  if (g.told !== undefined) return 'told';
  if (g.setTo !== undefined) return 'setTo';
  if (g.strong !== undefined) return 'strong';
  if (g.wo !== undefined) return 'wo';
  if (g.weak !== undefined) return 'weak';
  if (g.pass !== undefined) return 'pass';
  if (g.jpPass !== undefined) return 'jpPass';
  return g.passIs !== undefined ? 'passIs' : 'glued';
}

function labelledPasswords(text: string): Span[] {
  const spans: Span[] = [];
  PASSWORD_LABEL.lastIndex = 0;
  for (let m = PASSWORD_LABEL.exec(text); m; m = PASSWORD_LABEL.exec(text)) {
    const valueStart = m.index + m[0].length;
    const form = labelForm(m);
    const notALabel =
      (form === 'glued' && isOneTimeLabel(text, m.index)) ||
      (form === 'passIs' && !ownsPass(text, m.index)) ||
      (form === 'setTo' && !setVerbBefore(text, m.index));
    const value = notALabel ? null : passwordValue(text, valueStart, form, takesJapaneseValue(text, m.index, m[0], form));
    if (!value) {
      // Look for another label from just after this one ("pw: pw: x" reads the second one).
      PASSWORD_LABEL.lastIndex = m.index + 1;
      continue;
    }
    spans.push(value);
    PASSWORD_LABEL.lastIndex = value.end;
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Passwords told in the same sentence as their label
// ---------------------------------------------------------------------------------------------

/*
 * People tell a password in the sentence that names it without putting it right after the label:
 * 「パスワード忘れたので sakura2024 に変更した」, 「パスワードをsakura2024からsakura2025に変えた」 (the second
 * one), 「前のパスワード sakura2023 と新しい sakura2024」, 「偽サイトに neko1234 ってパスワード入れた」 (the label
 * after it), 「ログインID taro、パス neko1234」. So a password label anywhere in a sentence
 * (SENTENCE_PASSWORD_LABEL) makes a password of every token in that sentence that is shaped like one a
 * person types (sentenceTokenIsPassword), judged without the brackets, quotes and sentence punctuation
 * around it:
 *   1. 6–64 ASCII characters: letters, digits, '-', '_' and the password symbols; no '.', '/', ':', ',' or
 *      quotes inside, so versions (iOS17.2.1), paths, links, times, prices (2,980) and masks (****) stay.
 *   2. A lower-case letter and a digit: order, phone and tracking numbers, dates and amounts have no
 *      letter, and upper case with digits is what ASINs (B0C1234XYZ), model numbers (WH-1000XM5,
 *      KJ-55X85K), coupon and gift-card codes are written in.
 *   3. Not a model or product name, when obvious (MODEL_NAME: iPhone15, Pixel8a, PS5, Wi-Fi6E, gpt-4o):
 *      a sentence about changing a password is often about the phone it was changed on.
 *   4. Not an amount with a unit (1500mAh, 128gb, 10%off: MEASURE), an English count (30days, 10am:
 *      ENGLISH_COUNT), a common word (1password: NOT_A_PASSWORD), a hashtag or a mention, an ASIN, nor
 *      part of a link (insideUrl).
 *   5. Not the value of another label right before it (VALUE_LABEL_BEFORE): 「ID taro1985」, 「型番は
 *      wh1000xm5」, 「注文番号 abc12345」 name an account or a product.
 * Password labels are パスワード and ぱすわーど (not ワンタイムパスワード, a code), password, passwd, pw, pwd,
 * and パス (ログインパス) with no katakana on either side (not パスポート, パスタ, バイパス). "pass" is not one:
 * a boarding pass or a JR pass has a number too. Code labels (確認コード, 暗証番号 …) take only the value
 * right after them (CODE_LABELLED): the other numbers in a sentence about a code are the prices, dates
 * and order numbers the advisor needs (「確認コードが来ない。注文番号は250-1234567-1234567」).
 *
 * A sentence ends at 。 or a line break (not at '!', '?' or '.', which passwords hold). A short message
 * (at most SHORT_MESSAGE characters, most chat messages) is one sentence: 「パスワードとカード番号も入れた。
 * neko1234 と 4111 1111 1111 1111」 says what was typed in the sentence after the one that names it.
 *
 * Digits alone are a count, a date or an amount far more often than a password, so a number becomes a
 * password only in the form 「パスワードは誕生日の19850315です」 (PASSWORD_DESCRIBED_DIGITS): a strong label (は,
 * が, ':' or '='), a few Japanese words ending in の that say where the number came from, 4–16 digits that
 * are a whole number without a unit, then a word that states a value (です, でした, にした …: VALUE_ENDING).
 * Right after the label a number is already a value (「パスワードは19850315です」, see passwordValue).
 */
const SENTENCE_PASSWORD_LABEL =
  /(?<!ワンタイム)(?:パスワード|ぱすわーど)|(?<![a-z])(?:password|passwd|pwd?)(?![a-z])|(?<![\p{Script=Katakana}\u30FC])パス(?![\p{Script=Katakana}\u30FC])/iu;
const SHORT_MESSAGE = 100;
const SENTENCE_TOKEN = /[\x21-\x7E]+/g;
const SENTENCE_TOKEN_SHAPE = /^[A-Za-z0-9!#$%&+<=>?@^_~-]{6,64}$/;
const MODEL_NAME = new RegExp(
  '^(?:i(?:phone|pad|pod|mac|os|pados)|mac(?:book(?:air|pro)?|os)?|airpods(?:pro|max)?|watch(?:os)?|galaxy|pixel|xperia|aquos|' +
    'arrows|zenfone|redmi|xiaomi|oppo|reno|huawei|android|windows|win|office|switch|playstation|ps|xbox|kindle|fire|surface|' +
    'thinkpad|chromebook|wi-?fi|bluetooth|usb|hdmi|gopro|gpt|1password|v|ver|version)[-_]?(?:[a-z]{1,2}[-_]?)?\\d',
  'i',
);
const MEASURE =
  /^[$€£]?\d+(?:%|x|mah|wh|kwh|mm|cm|km|kg|mg|ml|[kmgt]?(?:b|bps|hz)|px|dpi|fps|inch|in|pt|pts|pcs|off|%off|yen|jpy|usd|gen|h|hr|hrs|min|mins|sec|s|ms|m|g|l|w|kw|v|k|p)$/i;
const ASIN = /^B0[0-9A-Z]{8}$/i;
const VALUE_LABEL_BEFORE = new RegExp(
  '(?:(?<![a-z])(?:id|user(?:name)?|user[ \\t]?id|login[ \\t]?id|account|model|serial|order|tracking|coupon|promo)|ユーザー?(?:名|ID)?|' +
    'アカウント(?:名|ID)?|ログイン(?:名|ID)|メール(?:アドレス)?|アドレス|型番|品番|型式|モデル|注文番号|追跡番号|伝票番号|会員番号|' +
    '問い?合わ?せ番号|問合せ番号|商品コード|クーポン(?:コード)?|シリアル(?:番号|ナンバー)?|製造番号|ギフト(?:券)?(?:番号|コード)?|ASIN)' +
    '[ \\t]*(?:(?:は|が|の|:|=|#)[、,]?[ \\t]*)?$',
  'iu',
);
const PASSWORD_DESCRIBED_DIGITS = new RegExp(
  `(?:${SENTENCE_PASSWORD_LABEL.source})\\s*(?:は|が|[:=])[、,]?\\s*[\\p{Script=Han}\\p{Script=Hiragana}\\p{Script=Katakana}\\u30FC]{1,12}?の\\s*` +
    `(\\d{4,16})(?![\\dA-Za-z])(?![-.,/:]\\d)(?!${UNIT})(?=\\s*(?:です|でした|だった|だよ|のまま|${SET_TO}))`,
  'giu',
);

/** Rules 1–5 above, for the token `core` starting at `at`. */
function sentenceTokenIsPassword(text: string, at: number, core: string): boolean {
  if (!SENTENCE_TOKEN_SHAPE.test(core) || !/[a-z]/.test(core) || !/\d/.test(core)) return false;
  if (MODEL_NAME.test(core) || MEASURE.test(core) || ENGLISH_COUNT.test(core) || ASIN.test(core)) return false;
  if (NOT_A_PASSWORD.has(core.toLowerCase()) || /^[#@]/.test(core) || /^\d+-for-\d+$/i.test(core)) return false;
  if (insideUrl(text, at)) return false;
  const before = text.slice(Math.max(0, at - 20), at);
  return !VALUE_LABEL_BEFORE.test(before.slice(before.lastIndexOf('\n') + 1));
}

/** Where the sentences of `text` are, as [start, end): the whole text when it is short. */
function sentences(text: string): Array<[number, number]> {
  if (text.length <= SHORT_MESSAGE) return [[0, text.length]];
  const out: Array<[number, number]> = [];
  let start = 0;
  for (const m of text.matchAll(/[。\n]/g)) {
    out.push([start, m.index + 1]);
    start = m.index + 1;
  }
  out.push([start, text.length]);
  return out;
}

function sentencePasswords(text: string): Span[] {
  const spans: Span[] = [];
  for (const [start, end] of sentences(text)) {
    const sentence = text.slice(start, end);
    if (!SENTENCE_PASSWORD_LABEL.test(sentence)) continue;
    for (const m of sentence.matchAll(SENTENCE_TOKEN)) {
      const lead = /^[(["'<{`]*/.exec(m[0])![0].length;
      const core = m[0].slice(lead).replace(/[)\]"'>}`.,;:]+$/, '');
      const at = start + m.index + lead;
      if (sentenceTokenIsPassword(text, at, core)) spans.push({ start: at, end: at + core.length });
    }
  }
  return spans;
}

// ---------------------------------------------------------------------------------------------
// Bare tokens that look like generated passwords
// ---------------------------------------------------------------------------------------------

/*
 * A token with no label is masked as a password when ALL of these hold (judged on the token without
 * the brackets, quotes and sentence punctuation around it):
 *   1. 8–64 printable ASCII characters, no spaces (shorter is too weak to matter, longer is a key or a
 *      blob, not something a person types as a password).
 *   2. It has a lower-case letter, an upper-case letter and a digit: ASINs (B01N5QTFAK), order numbers
 *      (250-1234567-1234567), gift-card and coupon codes are upper case and digits only.
 *   3. It has a "password symbol": one of ! # $ % & * + < = > ? @ [ \ ] ^ { | } ~. The joiners that
 *      ordinary text puts inside words — - _ . ' , / : ( ) " ; — do not count, so versions (iOS17.2.1),
 *      product names (Wi-Fi6E, iPhone15-Pro), file names (Report_2024Q3.pdf), times and paths stay.
 *   4. It is not a link or an address: no scheme, not www., not host-shaped (amzn.to/Ab3$x), not an
 *      e-mail, not a hashtag or mention (#BlackFriday2024, @Taro_Y2): the link check must still see
 *      every URL, and these are public anyway.
 *   5. It is fragmented the way generated passwords are: counting each capitalised word, upper-case
 *      run, digit run and symbol as one piece, the pieces average at most two characters
 *      (Xk9#mP2$vLq: 9 pieces for 11 characters). Names and slogans glue long words together
 *      (Disney+Day2024, Summer2024!: 3–4 pieces) and are left alone.
 * Remaining false positives are short code-like fragments such as x=Foo(3); a human password made of
 * words (Hunter2-Secret) is not caught here, only when it follows a password label.
 */
const BARE_TOKEN = /(?<![\x21-\x7E])[\x21-\x7E]{8,80}(?![\x21-\x7E])/g;
/** Longest stretch looked back over for the start of a URL around a token. */
const URL_LOOKBACK = 2000;
/**
 * Whether the token at `at` is part of a URL whose path has non-ASCII characters before it: Amazon's own
 * product links carry the product name (https://www.amazon.co.jp/ソニー-PlayStation-4/dp/B01N5QTFAK/ref=sr_1_1?th=1),
 * so the ASCII run after ソニー is no token of its own. The word holding it (back to a space or a line break)
 * starts a URL. Such a link is what the user wants checked; masking part of it broke the check.
 */
function insideUrl(text: string, at: number): boolean {
  let s = at;
  while (s > 0 && at - s < URL_LOOKBACK && !/\s/.test(text[s - 1]!)) s--;
  return URL_START.test(text.slice(s, at));
}
const PASSWORD_SYMBOL = /[!#$%&*+<=>?@[\\\]^{|}~]/;
const PIECE = /[A-Z]?[a-z]+|[A-Z]+(?![a-z])|\d+|[^A-Za-z\d]/g;

function looksLikeGeneratedPassword(token: string): boolean {
  const core = coreOf(token);
  if (core.length < 8 || core.length > 64) return false;
  if (!/[a-z]/.test(core) || !/[A-Z]/.test(core) || !/\d/.test(core)) return false;
  if (!PASSWORD_SYMBOL.test(core) || core.includes(MASK)) return false;
  if (isLinkOrAddress(core) || /^[#@]\w+$/.test(core)) return false;
  const pieces = core.match(PIECE)?.length ?? 0;
  return pieces * 2 >= core.length;
}

// ---------------------------------------------------------------------------------------------

/*
 * The rules read the NFKC form of the text (full-width digits, letters and punctuation as ASCII), but
 * the text handed back keeps the user's own characters outside what is masked: 「確認番号：４８２９１３」
 * becomes 「確認番号：****」, not 「確認番号:****」, so an evidence summary reads as the user wrote it.
 * Masking works on a Tracked text: for every character, where it came from in the NFKC text (or -1 for
 * the characters of a mask). At the end each stretch that was kept is copied from the original text, one
 * normalisation unit at a time (a character with the combining marks and half-width sound marks that
 * follow it: ｶﾞ → ガ, ㈱ → (株)). A unit only partly kept is given in its NFKC form: ⒊ is "3." in NFKC,
 * and in 「確認コード ４８２９１⒊」 the code ends at its 3, so only the "." is kept. Two checks fall back
 * to the NFKC text, as masking did before: normalising unit by unit must give the same text as
 * normalising the whole, and the NFKC form of the result must be the masked text itself, which is what
 * keeps masking idempotent.
 */
interface Tracked {
  text: string;
  origin: Int32Array;
}

/** Replaces each span (sorted, not overlapping) with MASK, keeping track of where characters came from. */
function applySpans(t: Tracked, spans: readonly Span[]): Tracked {
  if (spans.length === 0) return t;
  let removed = 0;
  for (const s of spans) removed += s.end - s.start - MASK.length;
  const origin = new Int32Array(t.text.length - removed);
  let text = '';
  let from = 0;
  let to = 0;
  for (const s of spans) {
    origin.set(t.origin.subarray(from, s.start), to);
    to += s.start - from;
    origin.fill(-1, to, to + MASK.length);
    to += MASK.length;
    text += t.text.slice(from, s.start) + MASK;
    from = s.end;
  }
  origin.set(t.origin.subarray(from), to);
  return { text: text + t.text.slice(from), origin };
}

/** Spans of every match of a global regex, kept when `keep` says so; `keep` may narrow the span. */
function matchSpans(text: string, re: RegExp, keep: (m: RegExpExecArray) => Span | null): Span[] {
  const spans: Span[] = [];
  re.lastIndex = 0;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[0].length === 0) re.lastIndex++;
    const span = keep(m);
    if (span) spans.push(span);
  }
  return spans;
}

/**
 * One pass of every rule, in order: cards, labelled My Numbers, codes (labelled, before their label, on the
 * card's back, quoted and told), labelled passwords, described digit passwords, passwords in a labelled
 * sentence, bare password-like tokens.
 */
function maskOnce(input: Tracked, found: Set<SensitiveKind>): Tracked {
  let t = input;
  const cards: Span[] = [];
  const before = t.text;
  for (const m of before.matchAll(DIGIT_RUN)) {
    const run = m[0];
    if (AMAZON_ORDER.test(run) || run.replace(/\D/g, '').length < 13) continue;
    for (const [start, end] of cardsInRun(run, (offset) => hasCardLabelBefore(before, m.index + offset))) {
      cards.push({ start: m.index + start, end: m.index + end });
    }
  }
  if (cards.length > 0) found.add('card');
  t = applySpans(t, cards);
  const myNumbers = matchSpans(t.text, MY_NUMBER_LABELLED, (m) => ({ start: m.index + m[1]!.length, end: m.index + m[0].length }));
  if (myNumbers.length > 0) found.add('my-number');
  t = applySpans(t, myNumbers);
  // Codes before passwords: ワンタイムパスワード 123456 is a code, not a password.
  const codes = matchSpans(t.text, CODE_LABELLED, (m) => ({ start: m.index + (m[1] ?? m[3] ?? '').length, end: m.index + m[0].length }));
  if (codes.length > 0) found.add('otp');
  t = applySpans(t, codes);
  const codesFirst = matchSpans(t.text, CODE_BEFORE_LABEL, (m) => ({ start: m.index, end: m.index + m[0].length }));
  if (codesFirst.length > 0) found.add('otp');
  t = applySpans(t, codesFirst);
  // The card's security code next to a card (found in this message, or named before it in the sentence).
  const cardBacks = matchSpans(t.text, CARD_BACK, (m) =>
    found.has('card') || cardWordBefore(t.text, m.index) ? { start: m.index + m[1]!.length, end: m.index + m[0].length } : null,
  );
  if (cardBacks.length > 0) found.add('otp');
  t = applySpans(t, cardBacks);
  const toldCodes = matchSpans(t.text, QUOTED_TOLD, (m) => {
    const quoteAt = m.index - 1;
    if (TOLD_NUMBER_LABEL.test(t.text.slice(Math.max(0, quoteAt - 20), quoteAt))) return null;
    const start = m.index + m[0].indexOf(m[1]!);
    return { start, end: start + m[1]!.length };
  });
  if (toldCodes.length > 0) found.add('otp');
  t = applySpans(t, toldCodes);
  const passwords = labelledPasswords(t.text);
  if (passwords.length > 0) found.add('password');
  t = applySpans(t, passwords);
  const describedDigits = matchSpans(t.text, PASSWORD_DESCRIBED_DIGITS, (m) => {
    const start = m.index + m[0].length - m[1]!.length;
    return { start, end: start + m[1]!.length };
  });
  if (describedDigits.length > 0) found.add('password');
  t = applySpans(t, describedDigits);
  const inSentence = sentencePasswords(t.text);
  if (inSentence.length > 0) found.add('password');
  t = applySpans(t, inSentence);
  const tokens = matchSpans(t.text, BARE_TOKEN, (m) =>
    looksLikeGeneratedPassword(m[0]) && !insideUrl(t.text, m.index) ? { start: m.index, end: m.index + m[0].length } : null,
  );
  if (tokens.length > 0) found.add('password');
  return applySpans(t, tokens);
}

// A normalisation unit: one character and the marks that NFKC may compose with it. An ASCII digit is a
// unit alone (nothing composes with a digit), so a stray mark after a masked card number is kept as typed.
const NORMALISATION_UNIT = /[0-9]|[^0-9][\p{M}\uFF9E\uFF9F\u1160-\u11FF\uD7B0-\uD7FF]*/gu;

/** The masked text with the user's own characters wherever nothing was masked (see Tracked). */
function restoreOriginal(input: string, normalized: string, masked: Tracked): string {
  if (input === normalized) return masked.text;
  // Where each unit starts in the input and in the NFKC text, and which unit each NFKC character is in.
  const inputStart: number[] = [];
  const normStart: number[] = [];
  const unitOf = new Int32Array(normalized.length);
  let rebuilt = '';
  for (const m of input.matchAll(NORMALISATION_UNIT)) {
    const unit = m[0].length === 1 && m[0].charCodeAt(0) < 0x7f ? m[0] : m[0].normalize('NFKC');
    unitOf.fill(inputStart.length, rebuilt.length, rebuilt.length + unit.length);
    inputStart.push(m.index);
    normStart.push(rebuilt.length);
    rebuilt += unit;
    if (rebuilt.length > normalized.length) return masked.text;
  }
  if (rebuilt !== normalized) return masked.text;
  inputStart.push(input.length);
  normStart.push(normalized.length);

  let out = '';
  const { text, origin } = masked;
  for (let i = 0; i < text.length; ) {
    if (origin[i]! < 0) {
      out += text[i];
      i++;
      continue;
    }
    // A kept stretch: NFKC characters [from, to).
    let j = i + 1;
    while (j < text.length && origin[j] === origin[j - 1]! + 1) j++;
    const to = origin[j - 1]! + 1;
    for (let x = origin[i]!; x < to; ) {
      const u = unitOf[x]!;
      if (normStart[u] === x && normStart[u + 1]! <= to) {
        out += input.slice(inputStart[u], inputStart[u + 1]);
        x = normStart[u + 1]!;
      } else {
        out += normalized[x];
        x++;
      }
    }
    i = j;
  }
  return out.normalize('NFKC') === masked.text ? out : masked.text;
}

/**
 * Masks card numbers (13–19 digits passing Luhn, in card grouping, with the separators above; and
 * 4-4-4-4, 4-6-5, 4-6-4 or labelled 14–19 digit numbers, whole or grouped like a card, whatever their
 * checksum), labelled My Numbers (12 digits), one-time and security codes (labelled, described, on the
 * card's back, or quoted and told), labelled passwords, password-shaped tokens in a sentence that names a
 * password, and bare tokens that look like generated passwords. Runs on every
 * user text before it reaches the session, the store or a log line. Amazon order numbers written 3-7-7
 * are never masked (not card-shaped); see AMAZON_ORDER. The rules read the NFKC form of the text; the
 * text returned keeps the user's characters outside the masks (see Tracked).
 *
 * A mask can change what a rule sees next to it (a masked token before 「コード 1234」 no longer makes
 * it a compound such as エラーコード), so the passes repeat until nothing changes: masking the output
 * again changes nothing. Every pass that changes the text removes characters other than '*', so this
 * ends; in practice the second pass only confirms.
 */
export function maskSensitive(input: string): MaskResult {
  const found = new Set<SensitiveKind>();
  const normalized = input.normalize('NFKC');
  const origin = new Int32Array(normalized.length);
  for (let i = 0; i < origin.length; i++) origin[i] = i;
  let out: Tracked = { text: normalized, origin };
  for (let pass = 0; pass < 8; pass++) {
    const next = maskOnce(out, found);
    if (next.text === out.text) break;
    out = next;
  }
  if (found.size === 0) return { text: input, found: [] };
  return { text: restoreOriginal(input, normalized, out), found: [...found] };
}
