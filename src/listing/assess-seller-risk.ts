// Scores how risky a marketplace seller looks from what the user can read on the listing and the
// seller profile. Pure: no network, no clock. Every weight and threshold sits in SELLER_SIGNAL_RULES
// with its rationale and source (domain-facts §1 unless said otherwise), so a reviewer can change
// one number in one place.
//
// Principles:
//  - "I don't know" (null/absent, fulfilment "unknown") is unknown, never counted as good.
//  - No signals → level `unknown`. `low` needs enough answers and means "no red flags in what you
//    told me", never "safe": the reasons always say what was not checked, and an FBA seller can
//    still be a hijacked account.
//  - A request to pay or talk outside Amazon is always `high` (Amazon: a legitimate transaction
//    never happens off the Amazon website).

import { z } from 'zod';

/** Seller signals as JSON. Every field optional; null means "I don't know". Unknown keys are rejected. */
export const SellerSignalsSchema = z.strictObject({
  /** Listed price in yen. */
  price: z.number().min(0, 'must be 0 or more (yen)').nullable().optional(),
  /** Usual market price in yen (other shops, price history). */
  typicalPrice: z.number().positive('must be more than 0 (yen)').nullable().optional(),
  /** Number of seller ratings shown on the profile. */
  ratingCount: z.number().int('must be a whole number').min(0, 'must be 0 or more').nullable().optional(),
  /** Percentage of positive ratings (0–100). */
  positivePercent: z.number().min(0, 'must be between 0 and 100').max(100, 'must be between 0 and 100').nullable().optional(),
  /** How many years ago the seller's latest rating was left. */
  lastRatingYearsAgo: z.number().min(0, 'must be 0 or more').max(100, 'must be 100 or less').nullable().optional(),
  /** Who ships: Amazon (FBA), the seller from Japan, the seller from abroad, or unknown. */
  fulfilment: z.enum(['amazon', 'seller', 'overseas', 'unknown']).nullable().optional(),
  /** Marked as a new seller (新規出品者). */
  newSeller: z.boolean().nullable().optional(),
  /** Number of items the seller lists. */
  listingCount: z.number().int('must be a whole number').min(0, 'must be 0 or more').nullable().optional(),
  /** Shows 特定商取引法に基づく表記 with a real address and phone number. */
  hasBusinessInfo: z.boolean().nullable().optional(),
  /** Asked to pay or talk outside Amazon (bank transfer, e-mail, LINE). */
  offPlatformRequest: z.boolean().nullable().optional(),
});

/** Validated seller signals. */
export type SellerSignals = z.infer<typeof SellerSignalsSchema>;

/** Risk levels, most to least severe, then "not enough to say". */
export const SELLER_RISK_LEVELS = ['high', 'medium', 'low', 'unknown'] as const;

/** One of SELLER_RISK_LEVELS. */
export type SellerRiskLevel = (typeof SELLER_RISK_LEVELS)[number];

/** Every reason code; each has `seller.reason.<code>` and `seller.advice.<code>` locale entries. */
export const SELLER_REASON_CODES = [
  'off-platform-request',
  'classic-scam-pattern',
  'price-extremely-low',
  'price-far-below-market',
  'price-below-market',
  'ships-from-overseas',
  'seller-fulfilled',
  'fulfilled-by-amazon',
  'fba-can-be-hijacked',
  'new-seller',
  'dormant-seller',
  'no-ratings',
  'few-ratings',
  'many-ratings',
  'low-positive-rating',
  'many-listings-few-ratings',
  'no-business-info',
  'business-info-present',
  'low-means-no-red-flags',
  'not-enough-information',
  'not-checked-price',
  'not-checked-fulfilment',
  'not-checked-ratings',
  'not-checked-seller-age',
  'not-checked-listings',
  'not-checked-business-info',
  'not-checked-off-platform',
  'invalid-signal-ignored',
] as const;

/** One of SELLER_REASON_CODES. */
export type SellerReasonCode = (typeof SELLER_REASON_CODES)[number];

/** Result of assessSellerRisk. */
export interface SellerRisk {
  level: SellerRiskLevel;
  /** 0 (no red flag found) … 100 (certain red flag); meaningful only with the level. */
  score: number;
  /** Most important first. */
  reasons: SellerReasonCode[];
}

interface SignalRule {
  /** Points added to the score (negative = reassuring). */
  readonly weight: number;
  /** The threshold the signal is compared with, if any (unit in the rule name / rationale). */
  readonly threshold?: number;
  /** Second threshold for two-signal rules (ratings below this, with listings at `threshold`). */
  readonly ratingsBelow?: number;
  readonly reason: SellerReasonCode;
  readonly rationale: string;
  readonly source: string;
}

/**
 * The one table of weights and thresholds. Score = sum of the weights of the rules that fire,
 * clamped to 0–100; levels from LEVEL_THRESHOLDS plus the combination rules in assessSellerRisk.
 */
export const SELLER_SIGNAL_RULES = {
  offPlatformRequest: {
    weight: 100,
    reason: 'off-platform-request',
    rationale: 'Paying or talking outside Amazon removes every buyer protection; legitimate sellers never ask. Always high.',
    source: 'amazon.com help nodeId G3KGTPA8B42CKBJ4; sellercentral.amazon.co.jp/forums/t/topic/97621/4 (domain-facts §1)',
  },
  priceExtremelyLow: {
    weight: 45,
    threshold: 0.1,
    reason: 'price-extremely-low',
    rationale: 'Price at or below 1/10 of market (price / typicalPrice ≤ 0.1): the low end of the 2017 fake listings (PS4 ¥30,000 at ¥2,000–3,000; even ¥1).',
    source: 'ascii.jp/elem/000/001/476/1476899; j-cast.com/tv/2017/04/28296740.html; seeds (domain-facts §1)',
  },
  priceFarBelowMarket: {
    weight: 30,
    threshold: 0.5,
    reason: 'price-far-below-market',
    rationale: 'Price at or below half of market (ratio ≤ 0.5): fake listings ran at 1/2 to 1/10 of market.',
    source: 'ascii.jp/elem/000/001/476/1476899; seeds: ¥5,000 goods at ¥1,000–1,500 (domain-facts §1)',
  },
  priceBelowMarket: {
    weight: 10,
    threshold: 0.7,
    reason: 'price-below-market',
    rationale: 'Ratio ≤ 0.7: cheaper than usual but within real sales; a nudge only. Threshold is our judgement, not from a source.',
    source: 'judgement (domain-facts §1 gives 1/2–1/10 as the scam range)',
  },
  shipsFromOverseas: {
    weight: 20,
    reason: 'ships-from-overseas',
    rationale: 'Fake sellers shipped "from China/US" with late delivery dates and untrackable numbers.',
    source: 'ascii.jp/elem/000/001/476/1476899; shimajiro-mobiler.net/2017/04/26/post47424/ (domain-facts §1)',
  },
  sellerFulfilled: {
    weight: 10,
    reason: 'seller-fulfilled',
    rationale: 'The 2017 fraud listings were all shipped by the seller, not by Amazon.',
    source: 'sbapp.net/appnews/app/amazon/marketplace-64206 (domain-facts §1)',
  },
  fulfilledByAmazon: {
    weight: -10,
    reason: 'fulfilled-by-amazon',
    rationale: 'Amazon holds the stock, which lowers the risk; but an FBA seller can still be hijacked, so only a small reduction.',
    source: 'sbapp.net/appnews/app/amazon/marketplace-64206 (domain-facts §1)',
  },
  newSeller: {
    weight: 15,
    reason: 'new-seller',
    rationale: 'A seller marked as new (shinki shuppinsha) shipping from abroad at an abnormal price was the high-risk pattern.',
    source: 'shimajiro-mobiler.net/2017/04/26/post47424/ (domain-facts §1)',
  },
  dormantSeller: {
    weight: 20,
    threshold: 5,
    reason: 'dormant-seller',
    rationale: 'Latest rating 5+ years ago: dormant shop accounts (unused 6–7 years) were hijacked and flooded with listings.',
    source: 'nlab.itmedia.co.jp/nl/amp/1704/28/news151.html; tano-blog.com, flat-plat.com (secondary) (domain-facts §1)',
  },
  noRatings: {
    weight: 20,
    threshold: 0,
    reason: 'no-ratings',
    rationale: 'No ratings at all: nothing to show the seller ever delivered.',
    source: 'tano-blog.com, flat-plat.com/amazon-suspicious-seller (secondary) (domain-facts §1: few ratings)',
  },
  fewRatings: {
    weight: 15,
    threshold: 10,
    reason: 'few-ratings',
    rationale: 'Fewer than 10 ratings: little history. The threshold is our judgement.',
    source: 'tano-blog.com, flat-plat.com/amazon-suspicious-seller (secondary) (domain-facts §1)',
  },
  manyRatings: {
    weight: -10,
    threshold: 100,
    reason: 'many-ratings',
    rationale: '100+ ratings: a long history is costly to fake; hijacked old accounts have one too, so only a small reduction.',
    source: 'judgement; domain-facts §1 (hijacked dormant accounts keep their old history)',
  },
  lowPositiveRating: {
    weight: 15,
    threshold: 80,
    reason: 'low-positive-rating',
    rationale: 'Under 80% positive in the rating summary ("XX% positive in the last 12 months"). Threshold is our judgement.',
    source: 'judgement; rating display per domain-facts §1',
  },
  manyListingsFewRatings: {
    weight: 20,
    threshold: 1000,
    ratingsBelow: 100,
    reason: 'many-listings-few-ratings',
    rationale: '1,000+ items listed with fewer than 100 ratings: a hijacked account listed 30,000+ items.',
    source: 'umin.chu.jp/amazon-takeover (secondary); nlab.itmedia.co.jp/nl/amp/1704/28/news151.html (domain-facts §1)',
  },
  noBusinessInfo: {
    weight: 15,
    reason: 'no-business-info',
    rationale: 'Professional sellers must show their Specified Commercial Transactions Act notice (legal name, phone, real address); missing or odd → caution.',
    source: 'macky.info quoting Seller Central help 200365160 (secondary) (domain-facts §1)',
  },
  businessInfoPresent: {
    weight: -5,
    reason: 'business-info-present',
    rationale: 'Present is expected, not proof: a 2017 fake seller gave Tokyo Tower as its address.',
    source: 'j-cast.com/tv/2017/04/28296740.html; ascii.jp (seller phone/address can be fake) (domain-facts §1)',
  },
} as const satisfies Record<string, SignalRule>;

/** Score thresholds of the levels, and how many signal groups must be answered before `low`. */
export const LEVEL_THRESHOLDS = {
  high: 60,
  medium: 25,
  /** A single rule this heavy makes the level at least medium on its own. */
  strongFlagWeight: 15,
  /** Signal groups (price, fulfilment, ratings, seller age, listings, business info, off-platform) needed for `low`. */
  minGroupsForLow: 4,
} as const satisfies Record<string, number>;

type Group = 'price' | 'fulfilment' | 'ratings' | 'seller-age' | 'listings' | 'business-info' | 'off-platform';
const NOT_CHECKED: Record<Group, SellerReasonCode> = {
  price: 'not-checked-price',
  fulfilment: 'not-checked-fulfilment',
  ratings: 'not-checked-ratings',
  'seller-age': 'not-checked-seller-age',
  listings: 'not-checked-listings',
  'business-info': 'not-checked-business-info',
  'off-platform': 'not-checked-off-platform',
};

const FIELD_SCHEMAS = SellerSignalsSchema.shape;

/** Reads each known field on its own, so one bad field does not hide the good ones. */
function readSignals(input: unknown): { signals: SellerSignals; invalid: boolean } {
  const signals: Record<string, unknown> = {};
  let invalid = false;
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { signals: {}, invalid: input !== null && input !== undefined };
  const record = input as Record<string, unknown>;
  for (const key of Object.keys(FIELD_SCHEMAS) as Array<keyof typeof FIELD_SCHEMAS>) {
    if (!Object.hasOwn(record, key)) continue;
    const parsed = FIELD_SCHEMAS[key].safeParse(record[key]);
    if (parsed.success) {
      if (parsed.data !== null && parsed.data !== undefined) signals[key] = parsed.data;
    } else invalid = true;
  }
  return { signals: signals as SellerSignals, invalid };
}

/**
 * Assesses a seller from the signals the user could read (SellerSignals; anything else is
 * validated field by field, invalid fields ignored). Returns a level, a 0–100 score and reason
 * codes, most important first. Pure; never throws.
 */
export function assessSellerRisk(signals: unknown): SellerRisk {
  const { signals: s, invalid } = readSignals(signals);
  const R = SELLER_SIGNAL_RULES;
  const fired: Array<{ reason: SellerReasonCode; weight: number }> = [];
  const fire = (rule: SignalRule) => fired.push({ reason: rule.reason, weight: rule.weight });
  const answered = new Set<Group>();

  if (s.offPlatformRequest !== undefined && s.offPlatformRequest !== null) {
    answered.add('off-platform');
    if (s.offPlatformRequest) fire(R.offPlatformRequest);
  }

  let ratio: number | undefined;
  if (typeof s.price === 'number' && typeof s.typicalPrice === 'number') {
    answered.add('price');
    ratio = s.price / s.typicalPrice;
    if (ratio <= R.priceExtremelyLow.threshold) fire(R.priceExtremelyLow);
    else if (ratio <= R.priceFarBelowMarket.threshold) fire(R.priceFarBelowMarket);
    else if (ratio <= R.priceBelowMarket.threshold) fire(R.priceBelowMarket);
  }

  const fulfilment = s.fulfilment ?? 'unknown';
  if (fulfilment !== 'unknown') answered.add('fulfilment');
  if (fulfilment === 'overseas') fire(R.shipsFromOverseas);
  else if (fulfilment === 'seller') fire(R.sellerFulfilled);
  else if (fulfilment === 'amazon') fire(R.fulfilledByAmazon);

  const dormant = typeof s.lastRatingYearsAgo === 'number' && s.lastRatingYearsAgo >= R.dormantSeller.threshold;
  if (typeof s.newSeller === 'boolean' || typeof s.lastRatingYearsAgo === 'number') answered.add('seller-age');
  if (s.newSeller === true) fire(R.newSeller);
  if (dormant) fire(R.dormantSeller);

  if (typeof s.ratingCount === 'number' || typeof s.positivePercent === 'number') answered.add('ratings');
  if (typeof s.ratingCount === 'number') {
    if (s.ratingCount <= R.noRatings.threshold) fire(R.noRatings);
    else if (s.ratingCount < R.fewRatings.threshold) fire(R.fewRatings);
    else if (s.ratingCount >= R.manyRatings.threshold) fire(R.manyRatings);
  }
  if (typeof s.positivePercent === 'number' && s.positivePercent < R.lowPositiveRating.threshold) fire(R.lowPositiveRating);

  if (typeof s.listingCount === 'number') {
    answered.add('listings');
    if (s.listingCount >= R.manyListingsFewRatings.threshold && typeof s.ratingCount === 'number' && s.ratingCount < R.manyListingsFewRatings.ratingsBelow) {
      fire(R.manyListingsFewRatings);
    }
  }

  if (typeof s.hasBusinessInfo === 'boolean') {
    answered.add('business-info');
    fire(s.hasBusinessInfo ? R.businessInfoPresent : R.noBusinessInfo);
  }

  const raw = fired.reduce((sum, f) => sum + f.weight, 0);
  let score = Math.max(0, Math.min(100, raw));
  const strongFlag = fired.some((f) => f.weight >= LEVEL_THRESHOLDS.strongFlagWeight);

  // Combination from the 2017 wave: far below market + not shipped by Amazon + new or dormant
  // seller (j-cast, nlab, ascii.jp, shimajiro in domain-facts §1).
  const classic = ratio !== undefined && ratio <= R.priceFarBelowMarket.threshold && (fulfilment === 'seller' || fulfilment === 'overseas') && (s.newSeller === true || dormant);

  let level: SellerRiskLevel;
  const reasons: SellerReasonCode[] = [];
  if (s.offPlatformRequest === true) {
    level = 'high';
    score = 100;
  } else if (classic) {
    level = 'high';
    score = Math.max(score, 80);
    reasons.push('classic-scam-pattern');
  } else if (score >= LEVEL_THRESHOLDS.high) level = 'high';
  else if (score >= LEVEL_THRESHOLDS.medium || strongFlag) {
    level = 'medium';
    // One strong flag makes it medium even when reassuring answers pulled the sum down: the score is lifted to
    // the level's floor, so the card never says "caution (score 0)".
    score = Math.max(score, LEVEL_THRESHOLDS.medium);
  }
  else if (answered.size >= LEVEL_THRESHOLDS.minGroupsForLow) level = 'low';
  // Too little to go on: weak flags are still listed in the reasons.
  else level = 'unknown';

  // Red flags first, heaviest first; then reassurances.
  const sorted = [...fired].sort((a, b) => b.weight - a.weight);
  for (const f of sorted) if (!reasons.includes(f.reason)) reasons.push(f.reason);
  if (fulfilment === 'amazon') reasons.push('fba-can-be-hijacked');
  if (level === 'low') reasons.push('low-means-no-red-flags');
  if (level === 'unknown') reasons.push('not-enough-information');
  // What was not checked is listed unless the level is already high: at low or unknown it is what the level
  // leaves open, at medium it is what could still make it high (a far-below-market price whose seller was not
  // looked at may be the classic pattern). At high nothing left unchecked would change the advice.
  if (level !== 'high') {
    for (const group of Object.keys(NOT_CHECKED) as Group[]) if (!answered.has(group)) reasons.push(NOT_CHECKED[group]);
  }
  if (invalid) reasons.push('invalid-signal-ignored');
  return { level, score: Math.round(score), reasons };
}
