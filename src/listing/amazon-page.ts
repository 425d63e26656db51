// Reads the listing facts out of a genuine Amazon URL: which kind of page, ASIN, seller,
// marketplace, affiliate tag, and a canonical URL without tracking parameters.
// URL forms: domain-facts §3 (qiita.com/Feburic/items/6e918b1a9345367622c9 and seller pages).

import { AMAZON_JP_SELLER_ID } from './domain-lists.ts';
import type { AmazonPageKind, LinkReasonCode } from './link-check.ts';

/** Listing facts read from a genuine Amazon URL. */
export interface AmazonPageFacts {
  pageKind: AmazonPageKind;
  asin?: string;
  sellerId?: string;
  marketplace?: string;
  affiliateTag?: string;
  canonicalUrl?: string;
  reasons: LinkReasonCode[];
}

/**
 * Reads single query parameters straight from `search`, without building a URLSearchParams
 * (this runs for every Amazon link in every message; see bench/check.ts).
 */
class QueryParams {
  readonly #search: string;
  constructor(search: string) {
    this.#search = search;
  }
  get(name: string): string | null {
    const s = this.#search;
    let i = 1; // skip '?'
    while (i < s.length) {
      let amp = s.indexOf('&', i);
      if (amp === -1) amp = s.length;
      let eq = s.indexOf('=', i);
      if (eq === -1 || eq > amp) eq = amp;
      if (eq - i === name.length && s.startsWith(name, i)) {
        const raw = s.slice(Math.min(eq + 1, amp), amp);
        try {
          return decodeURIComponent(raw.replaceAll('+', ' '));
        } catch {
          return raw;
        }
      }
      i = amp + 1;
    }
    return null;
  }
  has(name: string): boolean {
    return this.get(name) !== null;
  }
}

/** Page kinds that count as a listing (verdict `official-listing`). */
export const LISTING_PAGE_KINDS: ReadonlySet<AmazonPageKind> = new Set(['product', 'offer-listing', 'reviews', 'seller-profile', 'storefront']);

// ASIN: 10 characters A–Z/0–9 (domain-facts §3). Requiring one digit keeps 10-letter slug words
// ("PLAYSTATIO") out; every real ASIN seen has one (B0… for goods, ISBN-10 digits for books).
const ASIN_RE = /^[A-Z0-9]{10}$/;
function asAsin(segment: string | undefined): string | undefined {
  if (segment === undefined) return undefined;
  const s = segment.toUpperCase();
  if (!ASIN_RE.test(s) || !/\d/.test(s)) return undefined;
  // ISBN-10: nine digits and a digit or X; other ASINs start with a letter (usually B0).
  return s;
}

// Seller and marketplace IDs are upper-case alphanumerics, 10–20 long in every example seen
// (A1VC38T7YXB528, AN1VRQENFRJN5).
const MERCHANT_RE = /^[A-Z0-9]{10,20}$/;
function asMerchantId(v: string | null): string | undefined {
  if (v === null) return undefined;
  const s = v.trim().toUpperCase();
  return MERCHANT_RE.test(s) ? s : undefined;
}

// "/-/en/", "/-/zh/", "/-/ko/" …: Amazon's language switch. Language codes only, so that a slug
// that happens to be "-" followed by "/dp/" is not mistaken for one.
const LANGUAGE_PREFIX_RE = /^(en|ja|zh|ko|de|fr|es|it|pt|nl|sv|pl|tr|ar|he|hi|ta|te|kn|ml|bn|mr|cs)(_[a-z]{2})?$/i;

const ACCOUNT_PREFIXES = [
  '/gp/css/',
  '/gp/your-account',
  '/your-account',
  '/gp/yourstore',
  '/your-orders',
  '/gp/buy/',
  '/cpe/yourpayments',
  '/a/settings',
  '/a/addresses',
  '/hz/mycd',
  '/gp/digital/fiona',
  '/gp/primecentral',
  '/gp/mas/',
];

/**
 * Reads pageKind, ASIN, seller, marketplace and affiliate tag from a URL whose registrable
 * domain is a genuine Amazon domain. `storeDomain` is that registrable domain and
 * `storeMarketplaceId` its own marketplace (used when the URL does not name one).
 */
export function readAmazonPage(url: URL, storeDomain: string, storeMarketplaceId: string | undefined): AmazonPageFacts {
  const reasons: LinkReasonCode[] = [];
  const host = url.hostname;
  const params = new QueryParams(url.search);
  const path = url.pathname;
  const lowerPath = path.toLowerCase();
  // Drop empty parts, "ref=…" parts and a leading "/-/en/" language prefix; keep the original
  // case (ASIN, seller ID) and a lower-case copy side by side.
  const rawParts = path.split('/');
  const lowerParts = lowerPath.split('/');
  let segs: string[] = [];
  let lower: string[] = [];
  for (let i = 0; i < rawParts.length; i++) {
    const l = lowerParts[i]!;
    if (l.length === 0 || l.startsWith('ref=')) continue;
    segs.push(rawParts[i]!);
    lower.push(l);
  }
  if (lower[0] === '-' && lower.length >= 2 && LANGUAGE_PREFIX_RE.test(lower[1]!)) {
    segs = segs.slice(2);
    lower = lower.slice(2);
  }

  let pageKind: AmazonPageKind = 'other';
  let asin: string | undefined;

  const isSellerCentral = host.startsWith('sellercentral');
  if (isSellerCentral) {
    pageKind = lowerPath.startsWith('/ap/') || lowerPath.startsWith('/signin') ? 'signin' : 'seller-central';
    reasons.push('seller-central');
  } else {
    // Listing forms first: a slug may be any word ("your-account/dp/…" is still a product).
    for (let i = 0; i < lower.length && asin === undefined; i++) {
      const s = lower[i]!;
      if (s === 'dp') {
        asin = asAsin(lower[i + 1] === 'product' ? segs[i + 2] : segs[i + 1]);
        if (asin) pageKind = 'product';
      } else if (s === 'gp' && lower[i + 1] === 'product') {
        asin = asAsin(lower[i + 2] === 'glance' ? segs[i + 3] : segs[i + 2]);
        if (asin) pageKind = 'product';
      } else if (s === 'gp' && lower[i + 1] === 'aw' && (lower[i + 2] === 'd' || lower[i + 2] === 'ol')) {
        asin = asAsin(segs[i + 3]);
        if (asin) pageKind = lower[i + 2] === 'd' ? 'product' : 'offer-listing';
      } else if (s === 'gp' && lower[i + 1] === 'offer-listing') {
        asin = asAsin(segs[i + 2]);
        if (asin) pageKind = 'offer-listing';
      } else if (s === 'exec' && lower[i + 1] === 'obidos') {
        // /exec/obidos/ASIN/<asin>/… and /exec/obidos/tg/detail/-/<asin>
        for (let j = i + 2; j < segs.length && asin === undefined; j++) {
          if (lower[j] === 'asin' || lower[j] === '-') asin = asAsin(segs[j + 1]);
        }
        if (asin) pageKind = 'product';
      } else if (s === 'o' && lower[i + 1] === 'asin') {
        asin = asAsin(segs[i + 2]);
        if (asin) pageKind = 'product';
      } else if (s === 'product-reviews' || (s === 'gp' && lower[i + 1] === 'customer-reviews' && lower[i + 2] === 'product')) {
        asin = asAsin(s === 'product-reviews' ? segs[i + 1] : segs[i + 3]);
        if (asin) pageKind = 'reviews';
      }
    }
    if (asin !== undefined) {
      // pageKind set above
    } else if (lowerPath.startsWith('/ap/') || lowerPath === '/ap' || lowerPath.startsWith('/gp/sign-in') || lowerPath.startsWith('/gp/flex/sign-in')) {
      pageKind = 'signin';
    } else if (ACCOUNT_PREFIXES.some((p) => lowerPath.startsWith(p))) {
      pageKind = 'account';
    } else {
      pageKind = kindWithoutAsin(lower, lowerPath, params);
    }
  }

  // Seller: profile (seller=), storefront (me=), merchant on a product or offer page (smid=, m=).
  let sellerId: string | undefined;
  if (pageKind === 'seller-profile') sellerId = asMerchantId(params.get('seller'));
  else if (pageKind === 'storefront') sellerId = asMerchantId(params.get('me')) ?? (lower[0] === 'shops' ? asMerchantId(segs[1] ?? null) : undefined);
  else if (asin !== undefined) sellerId = asMerchantId(params.get('smid')) ?? asMerchantId(params.get('m')) ?? asMerchantId(params.get('seller'));

  const marketplace = asMerchantId(params.get('marketplaceID') ?? params.get('marketplaceId') ?? params.get('marketplaceid')) ?? storeMarketplaceId;
  const tag = params.get('tag');
  const affiliateTag = tag !== null && /^[\w.-]{1,64}$/.test(tag) ? tag : undefined;

  if (sellerId === AMAZON_JP_SELLER_ID) reasons.push('seller-is-amazon');
  if (affiliateTag !== undefined) reasons.push('affiliate-tag');
  if (pageKind === 'signin') reasons.push('signin-page');
  if (pageKind === 'account') reasons.push('account-page');

  // Canonical URL: the shortest form that shows the same listing, without tracking parameters.
  const base = 'https://www.' + (storeDomain === 'amazon.jp' ? 'amazon.co.jp' : storeDomain);
  let canonicalUrl: string | undefined;
  if (asin !== undefined) {
    if (pageKind === 'offer-listing') canonicalUrl = `${base}/gp/offer-listing/${asin}`;
    else if (pageKind === 'reviews') canonicalUrl = `${base}/product-reviews/${asin}`;
    else canonicalUrl = `${base}/dp/${asin}`;
  } else if (sellerId !== undefined && pageKind === 'seller-profile') {
    canonicalUrl = `${base}/sp?seller=${sellerId}`;
  } else if (sellerId !== undefined && pageKind === 'storefront') {
    canonicalUrl = `${base}/s?me=${sellerId}`;
  }

  const facts: AmazonPageFacts = { pageKind, reasons };
  if (asin !== undefined) facts.asin = asin;
  if (sellerId !== undefined) facts.sellerId = sellerId;
  if (marketplace !== undefined) facts.marketplace = marketplace;
  if (affiliateTag !== undefined) facts.affiliateTag = affiliateTag;
  if (canonicalUrl !== undefined) facts.canonicalUrl = canonicalUrl;
  return facts;
}

function kindWithoutAsin(lower: readonly string[], lowerPath: string, params: QueryParams): AmazonPageKind {
  const first = lower[0];
  if (first === undefined) return 'home';
  if (first === 'sp' || (first === 'gp' && lower[1] === 'aag') || lowerPath.startsWith('/gp/help/seller/at-a-glance')) {
    return params.has('seller') ? 'seller-profile' : 'other';
  }
  if (first === 's') return params.has('me') ? 'storefront' : 'search';
  if (first === 'shops' || first === 'stores') return 'storefront';
  if (first === 'gp' && lower[1] === 'search') return 'search';
  if (first === 'b' || first === 'l' || first === 'gcx' || first === 'events' || (first === 'gp' && lower[1] === 'browse.html')) return 'browse';
  if ((first === 'gp' && lower[1] === 'help') || first === 'hz' && lower[1] === 'contact-us') return 'help';
  return 'other';
}
