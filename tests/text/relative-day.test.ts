import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dayNamedIn, type CalendarDay } from '../../src/text/relative-day.ts';

// Tuesday 8 December 2026 (Japan time), the day the answers are given.
const TUESDAY: CalendarDay = { y: 2026, m: 12, d: 8 };
const day = (y: number, m: number, d: number): CalendarDay => ({ y, m, d });

describe('dayNamedIn', () => {
  it.each<[string, CalendarDay]>([
    ['きのう', day(2026, 12, 7)],
    ['昨日の夜10時ごろ', day(2026, 12, 7)],
    ['ゆうべ', day(2026, 12, 7)],
    ['おととい', day(2026, 12, 6)],
    ['一昨日の昼', day(2026, 12, 6)],
    ['今日の午前中', day(2026, 12, 8)],
    ['けさ', day(2026, 12, 8)],
    ['3日前', day(2026, 12, 5)],
    ['３日前から', day(2026, 12, 5)],
    ['10日前', day(2026, 11, 28)],
    ['先週の月曜日', day(2026, 11, 30)],
    ['先週の土曜', day(2026, 12, 5)],
    ['先週金曜日の夜', day(2026, 12, 4)],
    ['今週の月曜日', day(2026, 12, 7)],
    ['今週の火曜', day(2026, 12, 8)],
    ['yesterday', day(2026, 12, 7)],
    ['Yesterday evening', day(2026, 12, 7)],
    ['the day before yesterday', day(2026, 12, 6)],
    ['this morning', day(2026, 12, 8)],
    ['3 days ago', day(2026, 12, 5)],
    ['last Friday', day(2026, 12, 4)],
    ['last Tuesday', day(2026, 12, 1)],
    ['last Sunday', day(2026, 12, 6)],
    ['きのうの朝、昨日の夜にも', day(2026, 12, 7)],
  ])('reads %s', (answer, expected) => {
    expect(dayNamedIn(answer, TUESDAY)).toEqual(expected);
  });

  it.each([
    '',
    '先週',
    '先月ごろ',
    '先週の日曜日',
    '日曜日',
    '今週の金曜日',
    'きのうか今日',
    '12月5日',
    '5日の夜',
    '5/10',
    '2026年の春',
    'May 5',
    '10日前後',
    '100日前',
    '覚えていない',
    'last week',
    // Two days named (even if one is denied): left as the user wrote it.
    'きのうの朝、今朝じゃなくて昨日',
  ])('names no single day in %s', (answer) => {
    expect(dayNamedIn(answer, TUESDAY)).toBeNull();
  });

  it('counts across months and years', () => {
    expect(dayNamedIn('きのう', day(2027, 1, 1))).toEqual(day(2026, 12, 31));
    expect(dayNamedIn('3日前', day(2028, 3, 1))).toEqual(day(2028, 2, 27));
  });

  it('never names a day after the answer, nor one more than five weeks before it, and never throws', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 60 }), fc.integer({ min: 0, max: 3650 }), (text, offset) => {
        const at = new Date(Date.UTC(2025, 0, 1) + offset * 86_400_000);
        const given = day(at.getUTCFullYear(), at.getUTCMonth() + 1, at.getUTCDate());
        const named = dayNamedIn(text, given);
        if (named === null) return;
        const back = (Date.UTC(given.y, given.m - 1, given.d) - Date.UTC(named.y, named.m - 1, named.d)) / 86_400_000;
        expect(back).toBeGreaterThanOrEqual(0);
        expect(back).toBeLessThanOrEqual(35);
      }),
      { numRuns: 500 },
    );
  });
});
