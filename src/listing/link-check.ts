// The result type of the link checker and its closed sets of codes. Codes are machine-readable;
// the words a person reads live in locales/ (`link.verdict.<verdict>`, `link.reason.<code>`).

/**
 * Every verdict, from most to least severe (see VERDICT_SEVERITY). One link gets exactly one.
 * `official-*` only ever means "this really is an Amazon page", never "this seller is safe".
 */
export const LINK_VERDICTS = [
  'impersonation',
  'shortener',
  'unknown-site',
  'other-marketplace',
  'official-shortlink',
  'official-other',
  'official-listing',
] as const;

/** One of LINK_VERDICTS. */
export type LinkVerdict = (typeof LINK_VERDICTS)[number];

/**
 * Severity of each verdict, higher is worse; used to pick the worst verdict seen along a redirect
 * chain. Order set by the product brief: impersonation > unresolved short link > unknown site.
 */
export const VERDICT_SEVERITY = {
  impersonation: 6,
  shortener: 5,
  'unknown-site': 4,
  'other-marketplace': 3,
  'official-shortlink': 2,
  'official-other': 1,
  'official-listing': 0,
} as const satisfies Record<LinkVerdict, number>;

/** Every reason code a LinkCheck can carry; each has a `link.reason.<code>` locale entry. */
export const LINK_REASON_CODES = [
  // The URL itself
  'invalid-url',
  'unsupported-scheme',
  'plain-http',
  'nonstandard-port',
  'userinfo-in-url',
  'userinfo-brand-trick',
  'defanged-link',
  'glued-to-text',
  // Genuine Amazon pages
  'seller-not-assessed',
  'signin-page',
  'signin-returns-outside',
  'account-page',
  'seller-central',
  'non-jp-marketplace',
  'affiliate-tag',
  'seller-is-amazon',
  // Short links and their expansion
  'shortlink-not-expanded',
  'shortlink-owner-unconfirmed',
  'shortener-destination-unknown',
  'short-link-expanded',
  'expansion-disabled',
  'expansion-skipped-defanged',
  'expansion-timeout',
  'expansion-blocked-address',
  'expansion-blocked-port',
  'expansion-too-many-hops',
  'expansion-failed',
  'expansion-no-redirect',
  // Dressed as Amazon
  'brand-in-subdomain',
  'brand-in-domain',
  'lookalike-characters',
  'typosquat',
  'lookalike-tld',
  'idn-homograph',
  'raw-ip-address',
  'brand-on-raw-ip',
  'translate-proxy',
  'redirect-wrapper',
  'brand-in-wrapped-url',
  'wrapped-official',
  'amazon-redirect-outside',
  'link-text-mismatch',
  'bidi-control',
  'generic-hosting',
  'brand-on-generic-hosting',
  'amazon-cloud-hosting',
  'brand-in-path',
  // Other sites
  'other-marketplace-site',
  'amazon-pay-return',
  'not-on-known-lists',
  'brand-inside-word',
  'brand-abbreviation-unconfirmed',
  'suspicious-tld',
  'idn-hostname',
  'many-subdomains',
] as const;

/** One of LINK_REASON_CODES. */
export type LinkReasonCode = (typeof LINK_REASON_CODES)[number];

/** Kinds of genuine Amazon page the URL path reveals. */
export const AMAZON_PAGE_KINDS = [
  'product',
  'offer-listing',
  'reviews',
  'seller-profile',
  'storefront',
  'search',
  'browse',
  'signin',
  'account',
  'seller-central',
  'help',
  'home',
  'other',
] as const;

/** One of AMAZON_PAGE_KINDS. */
export type AmazonPageKind = (typeof AMAZON_PAGE_KINDS)[number];

/** One step of an expanded short link: the URL seen and what the server answered. */
export interface LinkHop {
  url: string;
  verdict: LinkVerdict;
  /** HTTP status of the request made for this hop; absent when no request was made. */
  status?: number;
}

/** What the checker found about one link. Pure data (JSON-serialisable). */
export interface LinkCheck {
  /** The link as it appeared in the text (raw substring, may be full-width or schemeless). */
  input: string;
  /** Normalised absolute URL (WHATWG URL `href`), or the trimmed input if it could not be parsed. */
  url: string;
  /**
   * Host name as the URL parser gives it (punycode for IDN), '' when there is none. With `glued-to-text`, the
   * other reading as the message shows it ("ログインamazon.jp"), as are `url` and `registrableDomain`.
   */
  host: string;
  /** Host name with punycode decoded, when it differs from `host`. */
  hostUnicode?: string;
  /** Registrable domain (Public Suffix List, ICANN section), null for IPs and unparseable URLs. */
  registrableDomain: string | null;
  verdict: LinkVerdict;
  reasons: LinkReasonCode[];
  /** For genuine Amazon URLs: which kind of page. */
  pageKind?: AmazonPageKind;
  /** Amazon product ID (10 characters, upper case; ISBN-10 for books). */
  asin?: string;
  /** Amazon seller (merchant) ID from `seller=`, `me=`, `smid=` … */
  sellerId?: string;
  /** Amazon marketplace ID (from `marketplaceID=`, else the store's own). */
  marketplace?: string;
  /** Associates (affiliate) tag from `tag=`. */
  affiliateTag?: string;
  /** Tracking-free URL of the listing, e.g. `https://www.amazon.co.jp/dp/B01N5QTFAK`. */
  canonicalUrl?: string;
  /** For `other-marketplace`: which one (OTHER_MARKETPLACES id). */
  otherMarketplace?: string;
  /** For wrappers (translate proxy, redirector): the check of the URL inside. */
  wrapped?: LinkCheck;
  /** For expanded short links: the last URL reached. */
  expandedTo?: string;
  /** For expanded short links: every hop, first = the link itself. */
  hops?: LinkHop[];
}

/** Picks the more severe of two verdicts (ties keep the first). */
export function worseVerdict(a: LinkVerdict, b: LinkVerdict): LinkVerdict {
  return VERDICT_SEVERITY[b] > VERDICT_SEVERITY[a] ? b : a;
}
