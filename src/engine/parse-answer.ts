import type { QUESTION_INPUTS } from './flow-schema.ts';

export type QuestionInput = (typeof QUESTION_INPUTS)[number];

/** A parsed answer, or the locale key of the reason it was not accepted. */
export type ParsedAnswer = { ok: true; value: string | number } | { ok: false; error: string };

/** Longest free-text answer kept (evidence summaries must stay short and the session small). */
export const MAX_TEXT_ANSWER = 300;

const NUMBER_PART = /(\d+(?:\.\d+)?)(億|万|千|[kK])?/g;
const UNIT: Record<string, number> = { 億: 100_000_000, 万: 10_000, 千: 1_000, k: 1_000, K: 1_000 };

const KANJI_DIGIT: Record<string, number> = { 〇: 0, 零: 0, 一: 1, 二: 2, 三: 3, 四: 4, 五: 5, 六: 6, 七: 7, 八: 8, 九: 9 };
const KANJI_SMALL_UNIT: Record<string, number> = { 十: 10, 百: 100, 千: 1_000 };
const KANJI_BIG_UNIT: Record<string, number> = { 万: 10_000, 億: 100_000_000 };
const KANJI_NUMBER = /[〇零一二三四五六七八九十百千万億]+/g;

/** A number written in kanji: 「一万五千」 = 15,000, 「二千九百八十」 = 2,980, 「十五」 = 15, 「二〇二四」 = 2,024. */
function kanjiToNumber(run: string): number {
  let total = 0;
  let section = 0;
  let digits = 0;
  let hasDigits = false;
  for (const c of run) {
    if (c in KANJI_DIGIT) {
      digits = digits * 10 + KANJI_DIGIT[c]!;
      hasDigits = true;
    } else if (c in KANJI_SMALL_UNIT) {
      section += (hasDigits ? digits : 1) * KANJI_SMALL_UNIT[c]!;
      digits = 0;
      hasDigits = false;
    } else {
      total += (section + digits || 1) * KANJI_BIG_UNIT[c]!;
      section = 0;
      digits = 0;
      hasDigits = false;
    }
  }
  return total + section + digits;
}

/**
 * Rewrites kanji numbers as digits (「一万五千円」 → 「15000円」). A unit right after a digit stays, for toNumber
 * to read (「2千円」, and 「2万五千」 → 「2万5000」).
 */
export function kanjiNumbersToDigits(t: string): string {
  return t.replace(KANJI_NUMBER, (run, at: number) => {
    let keep = 0;
    if (at > 0 && /[\d.]/.test(t[at - 1]!)) while (keep < run.length && !(run[keep]! in KANJI_DIGIT)) keep++;
    return keep === run.length ? run : run.slice(0, keep) + String(kanjiToNumber(run.slice(keep)));
  });
}

/**
 * Reads the first amount in a text: 「1,980円」「３万」「2万5千円」「1.5万」「2k」「一万五千円」. Parts written right
 * after one another with units are added up (2万5千 = 25,000); a range 「3000〜5000」 gives its first number.
 */
export function toNumber(raw: string): number | null {
  const t = kanjiNumbersToDigits(raw.normalize('NFKC').replace(/(\d),(?=\d{3})/g, '$1').replace(/\s+/g, ''));
  let total: number | null = null;
  let end = -1;
  for (const m of t.matchAll(NUMBER_PART)) {
    if (total !== null && m.index !== end) break;
    const n = Number(m[1]) * (m[2] ? UNIT[m[2]]! : 1);
    total = (total ?? 0) + n;
    end = m.index + m[0].length;
    if (!m[2]) break;
  }
  return total !== null && Number.isFinite(total) ? total : null;
}

// An amount in yen inside a longer text: the number run written right before 円 / yen, or after ¥ (「再送料の5000円」,
// 「3000〜5000円くらい」 → its first number). A run holds digits, separators and the units toNumber reads. Found by
// walking from each mark over at most AMOUNT_RUN_MAX characters, not by a regular expression: a pattern with a
// repeated class on both sides of a digit backtracks badly on a long string of digits.
const AMOUNT_RUN_CHAR = /[\d,.\s億万千kK〜~～\-–]/;
const AMOUNT_RUN_MAX = 40;
const YEN_MARK = /円|yen\b|jpy\b|[¥￥]/gi;

/** The run of `runChar` characters (at most AMOUNT_RUN_MAX) that ends at `end` in `t`. */
function runBefore(t: string, end: number, runChar: RegExp): string {
  let start = end;
  while (start > 0 && end - start < AMOUNT_RUN_MAX && runChar.test(t[start - 1]!)) start--;
  return t.slice(start, end);
}

/** The run of `runChar` characters (at most AMOUNT_RUN_MAX) that starts at `start` in `t`. */
function runAfter(t: string, start: number, runChar: RegExp): string {
  let end = start;
  while (end < t.length && end - start < AMOUNT_RUN_MAX && runChar.test(t[end]!)) end++;
  return t.slice(start, end);
}

/** The first yen-marked number run in `t` (see AMOUNT_RUN_CHAR), or null. */
function markedAmount(t: string): string | null {
  for (const m of t.matchAll(YEN_MARK)) {
    const sign = m[0] === '¥' || m[0] === '￥';
    const run = sign ? runAfter(t, m.index + 1, AMOUNT_RUN_CHAR) : runBefore(t, m.index, AMOUNT_RUN_CHAR);
    if (/\d/.test(run)) return run;
  }
  return null;
}
/** An amount in yen found in a text, and where its number run is (offsets into the text as given). */
export interface AmountInText {
  value: number;
  start: number;
  end: number;
}

/**
 * Every amount in yen in `t` (already NFKC-folded, kanji numbers as digits: kanjiNumbersToDigits), in order: a
 * number run marked 円 / yen after it or ¥ before it, and a run ending in 万 or 千 with no mark (「2万のゲーム機」,
 * 「3千で売ってた」) unless a count word follows it (「2万件」). Found by walking from each mark, as markedAmount. The first
 * `limit` of them.
 */
export function amountsIn(t: string, limit = 16): AmountInText[] {
  // At most `limit` from each walk: both go from left to right, so the first `limit` amounts of the text are among
  // them, and the check for overlaps below stays short on a text of thousands of 円.
  const out: AmountInText[] = [];
  const add = (start: number, end: number) => {
    const run = t.slice(start, end);
    const trimmed = run.replace(/^[\s,.〜~～\-–]+/, '');
    const from = start + (run.length - trimmed.length);
    const value = /\d/.test(trimmed) ? toNumber(trimmed) : null;
    if (value !== null && value > 0 && value <= 1e9 && !out.some((a) => a.start < end && from < a.end)) out.push({ value: Math.round(value), start: from, end });
  };
  for (const m of t.matchAll(YEN_MARK)) {
    if (out.length >= limit) break;
    if (m[0] === '¥' || m[0] === '￥') {
      const run = runAfter(t, m.index + 1, AMOUNT_RUN_CHAR);
      add(m.index + 1, m.index + 1 + run.trimEnd().length);
    } else {
      const run = runBefore(t, m.index, AMOUNT_RUN_CHAR);
      add(m.index - run.length, m.index);
    }
  }
  const fromMarks = out.length;
  for (const m of t.matchAll(/[万千](?![件個点人回年月日週分秒歳才%台本枚冊位]|\d)/g)) {
    if (out.length - fromMarks >= limit) break;
    const end = m.index + 1;
    if (YEN_MARK_AT.test(t.slice(end, end + 4))) continue;
    const run = runBefore(t, end, AMOUNT_RUN_CHAR);
    add(end - run.length, end);
  }
  return out.sort((a, b) => a.start - b.start).slice(0, limit);
}
const YEN_MARK_AT = /^\s*(?:円|yen\b|jpy\b)/i;

/** Words around a bare number that still leave it an amount: 「約5000くらい」「6万くらい？」「3000です」. */
const AMOUNT_FILLER = /約|だいたい|大体|およそ|ほぼ|くらい|ぐらい|位|ほど|程度|前後|以上|以下|です|でした|かな|about|around|approx\.?/gi;
/** A phone number (090-1234-5678, 03-1234-5678, 0120-123-456): never an amount. */
const PHONE = /(?<!\d)0\d{1,4}-\d{1,4}-\d{3,4}(?!\d)/;

/**
 * The amount a typed answer gives, or null. A number marked as yen (円, yen, ¥) anywhere in the text is the
 * amount; without a mark, only a text that is a number and little else (「5000」「約3万くらい」) is, so that a
 * sentence holding a phone number or a code (「送り主は 090-1234-5678 でした」, "the 6-digit code 482915") is
 * asked again rather than read as ¥90 or ¥6.
 */
function amountOf(text: string): number | null {
  const folded = kanjiNumbersToDigits(text.normalize('NFKC'));
  const marked = markedAmount(folded);
  if (marked !== null) return toNumber(marked);
  if (PHONE.test(folded)) return null;
  const rest = folded.replace(AMOUNT_FILLER, '').replace(/[\d,.\s億万千kK〜~～\-–?？!！。、]/g, '');
  return rest === '' ? toNumber(folded) : null;
}

/**
 * A number written as a count (「120件」, 「3,000点」, 「2万5千件」, "45 ratings"), for a text that holds other numbers
 * too: the run of digits and units right before the first count word, found by walking back from it (as
 * markedAmount does, for the same reason).
 */
const COUNT_WORD = /件|個|点|人|ratings?\b|reviews?\b|items?\b|listings?\b/gi;
const COUNT_RUN_CHAR = /[\d,.\s万千kK]/;
function countedNumber(t: string): string | null {
  for (const m of t.matchAll(COUNT_WORD)) {
    const run = runBefore(t, m.index, COUNT_RUN_CHAR);
    if (/\d/.test(run)) return run;
  }
  return null;
}

/** A count of none: 「なし」「ない」「ありません」「ゼロ」「一件もない」, "none", "no ratings", "zero". */
const NONE = /^(?:評価|レビュー|件数)?(?:は|が)?\s*(?:なし|無し|ない|無い|ありません|まだない|まだありません|まだなし|ゼロ|ぜろ|一件もない|1件もない|ひとつもない|none|zero|no\s*(?:ratings?|reviews?)?|not\s+any)[。.!！]?$/i;
/** 「数件」「数十件」「数百」: a few (taken as 3), a few dozen (30), a few hundred (300), a few thousand. */
const FEW = /^(?:約|だいたい)?数(十|百|千)?(?:件|個|点|人)?(?:くらい|ぐらい|ほど|程度)?$/;
const UNIT_OF_FEW: Record<string, number> = { 十: 10, 百: 100, 千: 1_000 };

/** Units shorter than a year in a "how long ago" answer, with how many of them make a year. */
const SHORT_UNITS: readonly [RegExp, number][] = [
  [/(か月|ヶ月|ケ月|カ月|ヵ月|箇月|month)/i, 12],
  [/(週|week)/i, 52],
  [/(日|days?\b)/i, 365],
];

/** Words for "how long ago" without a number: last year, the year before, last month, this week… */
const RELATIVE_TIMES: readonly [RegExp, number][] = [
  [/(一昨年|おととし|the year before last)/i, 2],
  [/(昨年|去年|きょねん|last year)/i, 1],
  [/(先月|せんげつ|last month)/i, 0.08],
  [/(先週|せんしゅう|last week|今週|this week)/i, 0.02],
  [/(昨日|きのう|今日|きょう|yesterday|today)/i, 0],
];

/**
 * Validates and parses a typed answer for a question's input kind. Never throws; a wrong answer
 * gives a locale key (`answer.invalid.<kind>`) for a polite re-ask.
 */
export function parseAnswer(input: QuestionInput, text: string): ParsedAnswer {
  const t = text.trim();
  if (!t) return { ok: false, error: 'answer.invalid.empty' };
  const hasMinus = /^[-−ー–]\s*\d/.test(t.normalize('NFKC'));
  switch (input) {
    case 'text':
    case 'date':
      if (t.length > MAX_TEXT_ANSWER) return { ok: false, error: 'answer.invalid.too-long' };
      return { ok: true, value: t };
    case 'url':
      return { ok: false, error: 'answer.invalid.url' };
    case 'yen': {
      const n = amountOf(t);
      if (n === null || hasMinus || n > 1e9) return { ok: false, error: 'answer.invalid.yen' };
      return { ok: true, value: Math.round(n) };
    }
    case 'count': {
      const folded = t.normalize('NFKC');
      // 「なし」「まだない」「ゼロ」, "none": no ratings yet is a count, the one the question asks to type as 0.
      if (NONE.test(folded)) return { ok: true, value: 0 };
      // 「数件」「数十件」: a few, a few dozen.
      const few = FEW.exec(folded);
      if (few) return { ok: true, value: 3 * (few[1] ? UNIT_OF_FEW[few[1]]! : 1) };
      // The number given as a count wins over others in the text: 「評価 4.5 (120件)」 is 120 ratings, not 5.
      const counted = countedNumber(kanjiNumbersToDigits(folded));
      const n = toNumber(counted ?? t);
      if (n === null || hasMinus || n > 1e8) return { ok: false, error: 'answer.invalid.count' };
      return { ok: true, value: Math.round(n) };
    }
    case 'percent': {
      const n = toNumber(t);
      if (n === null || hasMinus || n > 100) return { ok: false, error: 'answer.invalid.percent' };
      return { ok: true, value: n };
    }
    case 'years': {
      const folded = t.normalize('NFKC');
      for (const [pattern, years] of RELATIVE_TIMES) if (pattern.test(folded)) return { ok: true, value: years };
      // 「数年前」: a few years, taken as 3.
      if (/^(?:約|もう)?数年/.test(folded)) return { ok: true, value: 3 };
      if (/半年/.test(folded)) return { ok: true, value: 0.5 };
      const n = toNumber(folded);
      if (n === null || hasMinus) return { ok: false, error: 'answer.invalid.years' };
      // Smaller units than a year: 「3か月」, 「3週間」, 「10日」, "30 days" (as a part of a year, rounded to 0.01).
      // A text that names years counts in years (「2年前の12月3日」 is two years, not two days).
      const unit = /年|years?\b/i.test(folded) ? undefined : SHORT_UNITS.find(([pattern]) => pattern.test(folded));
      if (unit) return { ok: true, value: Math.round((n / unit[1]) * 100) / 100 };
      if (n > 50) return { ok: false, error: 'answer.invalid.years' };
      // 「1年半」「一年半」: and a half.
      if (/年半/.test(folded)) return { ok: true, value: n + 0.5 };
      return { ok: true, value: n };
    }
    default:
      input satisfies never;
      return { ok: false, error: 'answer.invalid.empty' };
  }
}
