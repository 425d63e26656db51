/**
 * The calendar day a short "when" answer names relative to the day it was given — 「きのう」, 「3日前」,
 * 「先週の月曜日」, "yesterday", "last Friday" — so that an evidence summary read days later, by the police or a
 * consumer centre, still says which day it was. Only plain forms that name one day: an answer that gives a date of
 * its own (「5月10日」, "5/10"), a vaguer span (「先週」, 「先月ごろ」), two days (「きのうか今日」) or a day
 * that may be either of two (「日曜日」 alone, 「先週の日曜日」: weeks start on Sunday in some calendars and on
 * Monday in others) gets none. Pure: the day the answer was given comes in.
 */

/** A day of the calendar (Japan time, as the summary's own date). */
export interface CalendarDay {
  y: number;
  m: number;
  d: number;
}

// A date written out in the answer already: 5月10日, 10日に, 5/10, 2026年, 令和8年.
const OWN_DATE = /\d{1,2}\s*月\s*\d{1,2}\s*日|\d{1,2}\s*日\s*(?:に|の|ごろ|頃|午|朝|昼|夜|夕)|\d{1,2}\/\d{1,2}|\d{4}\s*年|令和|平成|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d/i;

// Weekdays, Monday first (Japanese calendars differ on where a week starts, so Sunday is read only in English,
// as the latest Sunday before the day of the answer).
const JA_WEEKDAYS = '月火水木金土';
const EN_WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'];

/** One reading: how many days before the answer's day, or null where the words name no single day. */
type Reading = (m: RegExpExecArray, weekday: number) => number | null;

// The forms read, most specific first (一昨日 before 昨日, which it contains). `weekday` is the answer's day,
// 0 = Monday.
const FORMS: ReadonlyArray<[RegExp, Reading]> = [
  [/一昨日|おととい|おとつい/g, () => 2],
  [/昨日|きのう|昨夜|昨晩|ゆうべ|夕べ/g, () => 1],
  [/今日|きょう|本日|今朝|けさ|今夜|今晩/g, () => 0],
  // 「3日前」, not 「10日前後」 (around the 10th).
  [/(?<!\d)(\d{1,2})\s*日\s*前(?!後)/g, (m) => days(Number(m[1]))],
  [/先週\s*の?\s*([月火水木金土])\s*曜/g, (m, w) => w + 7 - JA_WEEKDAYS.indexOf(m[1]!)],
  [/今週\s*の?\s*([月火水木金土])\s*曜/g, (m, w) => nonNegative(w - JA_WEEKDAYS.indexOf(m[1]!))],
  [/\b(?:the\s+)?day\s+before\s+yesterday\b/gi, () => 2],
  [/\byesterday\b|\blast\s+night\b/gi, () => 1],
  [/\btoday\b|\bthis\s+(?:morning|afternoon|evening)\b|\btonight\b/gi, () => 0],
  [/\b(\d{1,2})\s+days?\s+ago\b/gi, (m) => days(Number(m[1]))],
  [/\blast\s+(monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b/gi, (m, w) => ((w - EN_WEEKDAYS.indexOf(m[1]!.toLowerCase()) + 6) % 7) + 1],
];

function days(n: number): number | null {
  return n >= 1 && n <= 31 ? n : null;
}

function nonNegative(n: number): number | null {
  return n >= 0 ? n : null;
}

/**
 * The day `answer` names, counted back from `given` (the day it was answered); null when it names none, or more
 * than one, or gives a date of its own.
 */
export function dayNamedIn(answer: string, given: CalendarDay): CalendarDay | null {
  const text = answer.normalize('NFKC').slice(0, 200);
  if (OWN_DATE.test(text)) return null;
  const base = Date.UTC(given.y, given.m - 1, given.d);
  const weekday = (new Date(base).getUTCDay() + 6) % 7;
  let found: number | null = null;
  let rest = text;
  for (const [form, read] of FORMS) {
    form.lastIndex = 0;
    for (let m = form.exec(rest); m; m = form.exec(rest)) {
      const back = read(m, weekday);
      if (back === null || (found !== null && back !== found)) return null;
      found = back;
    }
    // What a form took is not read again by a shorter one (一昨日 holds 昨日).
    rest = rest.replace(form, ' ');
  }
  if (found === null) return null;
  const day = new Date(base - found * 86_400_000);
  return { y: day.getUTCFullYear(), m: day.getUTCMonth() + 1, d: day.getUTCDate() };
}
