// Seller-risk assessment: the 2017 patterns from domain-facts §1, combinations, "I don't know",
// and the rule that `low` is only "no red flags in what you told me".
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessSellerRisk, LEVEL_THRESHOLDS, SELLER_REASON_CODES, SELLER_SIGNAL_RULES, SellerSignalsSchema } from '../../src/listing/assess-seller-risk.ts';

describe('assessSellerRisk', () => {
  it('no signals → unknown, and says what to check', () => {
    const r = assessSellerRisk({});
    expect(r.level).toBe('unknown');
    expect(r.reasons).toContain('not-enough-information');
    expect(r.reasons).toEqual(expect.arrayContaining(['not-checked-price', 'not-checked-fulfilment', 'not-checked-ratings', 'not-checked-business-info']));
  });

  it('"I don\'t know" answers (null, fulfilment unknown) count as unknown, not as good', () => {
    const r = assessSellerRisk({ price: null, typicalPrice: null, ratingCount: null, fulfilment: 'unknown', newSeller: null, hasBusinessInfo: null, offPlatformRequest: null });
    expect(r.level).toBe('unknown');
    expect(r.score).toBe(0);
  });

  it('a request to pay or talk outside Amazon is always high, whatever else is good', () => {
    const r = assessSellerRisk({ offPlatformRequest: true, fulfilment: 'amazon', ratingCount: 5000, positivePercent: 99, hasBusinessInfo: true, price: 30000, typicalPrice: 30000 });
    expect(r.level).toBe('high');
    expect(r.score).toBe(100);
    expect(r.reasons[0]).toBe('off-platform-request');
  });

  it('the 2017 pattern (PS4 ¥30,000 at ¥2,500, self-shipped, new seller) is high', () => {
    const r = assessSellerRisk({ price: 2500, typicalPrice: 30000, fulfilment: 'seller', newSeller: true });
    expect(r.level).toBe('high');
    expect(r.reasons[0]).toBe('classic-scam-pattern');
    expect(r.reasons).toContain('price-extremely-low');
    expect(r.score).toBeGreaterThanOrEqual(80);
  });

  it('half price from abroad by a dormant seller is high', () => {
    const r = assessSellerRisk({ price: 1400, typicalPrice: 5000, fulfilment: 'overseas', lastRatingYearsAgo: 7 });
    expect(r.level).toBe('high');
    expect(r.reasons).toEqual(expect.arrayContaining(['classic-scam-pattern', 'dormant-seller', 'ships-from-overseas', 'price-far-below-market']));
  });

  it('a very low price alone is at least medium', () => {
    expect(assessSellerRisk({ price: 1, typicalPrice: 30000 }).level).toBe('medium');
  });

  it('at medium says what was not checked (it could still make it high), at high it does not', () => {
    const medium = assessSellerRisk({ price: 3000, typicalPrice: 30000 });
    expect(medium.level).toBe('medium');
    // The price flag first, then what was left open: who ships and the seller's age decide the classic pattern.
    expect(medium.reasons[0]).toBe('price-extremely-low');
    expect(medium.reasons).toEqual(expect.arrayContaining(['not-checked-fulfilment', 'not-checked-seller-age', 'not-checked-ratings']));
    expect(medium.reasons).not.toContain('not-checked-price');
    // The answers it left open do make it high.
    expect(assessSellerRisk({ price: 3000, typicalPrice: 30000, fulfilment: 'seller', newSeller: true }).level).toBe('high');
    const high = assessSellerRisk({ price: 3000, typicalPrice: 30000, fulfilment: 'seller', newSeller: true });
    expect(high.reasons.filter((r) => r.startsWith('not-checked-'))).toEqual([]);
    expect(assessSellerRisk({ offPlatformRequest: true }).reasons.filter((r) => r.startsWith('not-checked-'))).toEqual([]);
  });

  it('many listings with few ratings (hijacked catalogue) raises the level', () => {
    const r = assessSellerRisk({ listingCount: 30000, ratingCount: 12 });
    expect(r.reasons).toContain('many-listings-few-ratings');
    expect(['medium', 'high']).toContain(r.level);
  });

  it('FBA with good history and business info is low, but says what low means and what was not checked', () => {
    const r = assessSellerRisk({ fulfilment: 'amazon', ratingCount: 2400, positivePercent: 97, hasBusinessInfo: true, newSeller: false });
    expect(r.level).toBe('low');
    expect(r.reasons).toEqual(expect.arrayContaining(['fba-can-be-hijacked', 'low-means-no-red-flags', 'not-checked-price', 'not-checked-listings', 'not-checked-off-platform']));
  });

  it('only weak reassuring signals are not enough for low', () => {
    expect(assessSellerRisk({ fulfilment: 'amazon' }).level).toBe('unknown');
    expect(assessSellerRisk({ fulfilment: 'amazon', hasBusinessInfo: true }).level).toBe('unknown');
    expect(assessSellerRisk({ fulfilment: 'amazon', hasBusinessInfo: true, ratingCount: 500 }).level).toBe('unknown');
    expect(assessSellerRisk({ fulfilment: 'amazon' }).reasons).toContain('fba-can-be-hijacked');
  });

  it('one strong flag alone makes it medium even with many good answers', () => {
    const r = assessSellerRisk({ fulfilment: 'amazon', ratingCount: 500, hasBusinessInfo: true, newSeller: false, offPlatformRequest: false, positivePercent: 60 });
    expect(r.level).toBe('medium');
    expect(r.reasons[0]).toBe('low-positive-rating');
    // The reassuring answers pulled the sum below the medium threshold; the score still agrees with the level.
    expect(r.score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS.medium);
  });

  it('the score always agrees with the level (never "caution, score 0")', () => {
    const fulfilments = ['amazon', 'seller', 'overseas', 'unknown'] as const;
    fc.assert(
      fc.property(
        fc.record(
          {
            price: fc.integer({ min: 1, max: 100_000 }),
            typicalPrice: fc.integer({ min: 1, max: 100_000 }),
            ratingCount: fc.integer({ min: 0, max: 10_000 }),
            positivePercent: fc.integer({ min: 0, max: 100 }),
            lastRatingYearsAgo: fc.double({ min: 0, max: 20, noNaN: true }),
            fulfilment: fc.constantFrom(...fulfilments),
            newSeller: fc.boolean(),
            listingCount: fc.integer({ min: 0, max: 100_000 }),
            hasBusinessInfo: fc.boolean(),
            offPlatformRequest: fc.boolean(),
          },
          { requiredKeys: [] },
        ),
        (signals) => {
          const r = assessSellerRisk(signals);
          if (r.level === 'high') expect(r.score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS.high);
          if (r.level === 'medium') expect(r.score).toBeGreaterThanOrEqual(LEVEL_THRESHOLDS.medium);
          if (r.level === 'low') expect(r.score).toBeLessThan(LEVEL_THRESHOLDS.medium);
        },
      ),
    );
  });

  it('no business information and no ratings is medium or worse', () => {
    const r = assessSellerRisk({ hasBusinessInfo: false, ratingCount: 0 });
    expect(['medium', 'high']).toContain(r.level);
    expect(r.reasons).toEqual(expect.arrayContaining(['no-ratings', 'no-business-info']));
  });

  it('a normal discount from a seller-shipped, established shop is low', () => {
    const r = assessSellerRisk({ price: 27000, typicalPrice: 30000, fulfilment: 'seller', ratingCount: 800, positivePercent: 96, hasBusinessInfo: true, newSeller: false });
    expect(r.level).toBe('low');
    expect(r.reasons).toContain('seller-fulfilled');
  });

  it('invalid fields are ignored and reported, never thrown', () => {
    const r = assessSellerRisk({ price: -1, typicalPrice: 'cheap', fulfilment: 'drone', newSeller: true });
    expect(r.reasons).toContain('invalid-signal-ignored');
    expect(r.reasons).toContain('new-seller');
    expect(assessSellerRisk(null).level).toBe('unknown');
    expect(assessSellerRisk('high').reasons).toContain('invalid-signal-ignored');
    expect(assessSellerRisk([1, 2]).level).toBe('unknown');
  });

  it('reasons are known codes, red flags first', () => {
    const r = assessSellerRisk({ price: 2000, typicalPrice: 30000, fulfilment: 'amazon', ratingCount: 3, hasBusinessInfo: true });
    for (const c of r.reasons) expect(SELLER_REASON_CODES).toContain(c);
    expect(r.reasons.indexOf('price-extremely-low')).toBeLessThan(r.reasons.indexOf('fulfilled-by-amazon'));
  });
});

describe('the rule table', () => {
  it('every rule has a reason code, a rationale and a source', () => {
    for (const [name, rule] of Object.entries(SELLER_SIGNAL_RULES)) {
      expect(SELLER_REASON_CODES, name).toContain(rule.reason);
      expect(rule.rationale.length, name).toBeGreaterThan(20);
      expect(rule.source.length, name).toBeGreaterThan(5);
    }
    expect(LEVEL_THRESHOLDS.high).toBeGreaterThan(LEVEL_THRESHOLDS.medium);
  });

  it('the schema is strict and accepts the documented example', () => {
    expect(SellerSignalsSchema.safeParse({ price: 2000, typicalPrice: 30000, fulfilment: 'overseas', newSeller: true }).success).toBe(true);
    expect(SellerSignalsSchema.safeParse({ pirce: 1 }).success).toBe(false);
    expect(SellerSignalsSchema.safeParse({ price: -1 }).success).toBe(false);
  });
});
