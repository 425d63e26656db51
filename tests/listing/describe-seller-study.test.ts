// The user study of the listing-description reader, as a table: every studied message with what the reader must
// give for it (tests/listing/describe-seller.study.ts says how they were written and what `missed` means).
import { describe, expect, it } from 'vitest';
import { sellerSignalsInText, sellerSignalsInTextReadingEveryRule } from '../../src/listing/describe-seller.ts';
import { STUDY, STUDY_AT, STUDY_ROUND_2, expectedOf, type StudyMessage } from './describe-seller.study.ts';

const row = (m: StudyMessage) => [m.text, expectedOf(m)] as const;

describe('sellerSignalsInText on the studied messages', () => {
  it.each(STUDY.map(row))('「%s」', (text, expected) => {
    expect(sellerSignalsInText(text, STUDY_AT)).toEqual(expected);
  });

  it.each(STUDY_ROUND_2.map(row))('round 2: 「%s」', (text, expected) => {
    expect(sellerSignalsInText(text, STUDY_AT)).toEqual(expected);
  });

  it('takes no fact a message does not state: the fields it gives are all in the message’s truth', () => {
    for (const m of [...STUDY, ...STUDY_ROUND_2]) {
      const out = sellerSignalsInText(m.text, STUDY_AT) as Record<string, unknown>;
      for (const [field, value] of Object.entries(out)) expect(value, `${field} of 「${m.text}」`).toEqual((m.truth as Record<string, unknown>)[field]);
    }
  });

  it('reads every studied message the same with its first looks as with every rule', () => {
    for (const m of [...STUDY, ...STUDY_ROUND_2]) expect(sellerSignalsInText(m.text, STUDY_AT), m.text).toEqual(sellerSignalsInTextReadingEveryRule(m.text, STUDY_AT));
  });

  it('has many studied messages, a good part of them stating nothing', () => {
    const all = [...STUDY, ...STUDY_ROUND_2];
    expect(all.length).toBeGreaterThanOrEqual(80);
    expect(all.filter((m) => Object.keys(m.truth).length === 0).length).toBeGreaterThanOrEqual(40);
    expect(new Set(all.map((m) => m.text)).size).toBe(all.length);
  });
});
