// Domain data for the link checker. Every entry carries the place it was checked against, so a
// reviewer can tell a fact from a guess. "domain-facts §3" is /work/shared/domain-facts.md.
//
// Matching rules live in classify-url.ts: official domains are compared with the *registrable*
// domain (Public Suffix List, ICANN section, through tldts); the other lists are host suffixes.

/** Where a list entry was checked: a URL or a section of the shared domain-facts sheet. */
export type Source = string;

/** One genuine Amazon registrable domain and what kind of site it is. */
export interface OfficialDomain {
  readonly domain: string;
  /** `shop` = an Amazon store front; `service` = another Amazon-run site (not a store). */
  readonly kind: 'shop' | 'service';
  /** ISO country code of the store, for shops. */
  readonly country?: string;
  /** SP-API marketplace ID of the store, for shops. */
  readonly marketplaceId?: string;
  readonly source: Source;
}

const SPAPI_MARKETPLACES = 'https://developer-docs.amazon.com/sp-api/docs/marketplace-ids';
const COUNTRY_DOMAINS = 'https://github.com/bizon/amazon-ids (src/marketplaces.json) + ' + SPAPI_MARKETPLACES;

/**
 * Genuine Amazon registrable domains. A host is official exactly when its registrable domain is
 * one of these (so `pay.amazon.co.jp` and `sellercentral-japan.amazon.com` count, and
 * `amazon.co.jp.example.xyz` does not). amazonaws.com is deliberately absent: see GENERIC_HOSTING.
 */
export const OFFICIAL_AMAZON_DOMAINS = [
  { domain: 'amazon.co.jp', kind: 'shop', country: 'JP', marketplaceId: 'A1VC38T7YXB528', source: 'domain-facts §3; ' + SPAPI_MARKETPLACES },
  { domain: 'amazon.jp', kind: 'shop', country: 'JP', marketplaceId: 'A1VC38T7YXB528', source: 'domain-facts §3 (Amazon mail sender domains, 2016 list)' },
  { domain: 'amazon.com', kind: 'shop', country: 'US', marketplaceId: 'ATVPDKIKX0DER', source: 'domain-facts §3; ' + SPAPI_MARKETPLACES },
  { domain: 'amazon.ca', kind: 'shop', country: 'CA', marketplaceId: 'A2EUQ1WTGCTBG2', source: COUNTRY_DOMAINS },
  { domain: 'amazon.com.mx', kind: 'shop', country: 'MX', marketplaceId: 'A1AM78C64UM0Y8', source: COUNTRY_DOMAINS },
  { domain: 'amazon.com.br', kind: 'shop', country: 'BR', marketplaceId: 'A2Q3Y263D00KWC', source: COUNTRY_DOMAINS },
  { domain: 'amazon.co.uk', kind: 'shop', country: 'GB', marketplaceId: 'A1F83G8C2ARO7P', source: COUNTRY_DOMAINS },
  { domain: 'amazon.ie', kind: 'shop', country: 'IE', marketplaceId: 'A28R8C7NBKEWEA', source: COUNTRY_DOMAINS },
  { domain: 'amazon.de', kind: 'shop', country: 'DE', marketplaceId: 'A1PA6795UKMFR9', source: COUNTRY_DOMAINS },
  { domain: 'amazon.fr', kind: 'shop', country: 'FR', marketplaceId: 'A13V1IB3VIYZZH', source: COUNTRY_DOMAINS },
  { domain: 'amazon.it', kind: 'shop', country: 'IT', marketplaceId: 'APJ6JRA9NG5V4', source: COUNTRY_DOMAINS },
  { domain: 'amazon.es', kind: 'shop', country: 'ES', marketplaceId: 'A1RKKUPIHCS9HS', source: COUNTRY_DOMAINS },
  { domain: 'amazon.nl', kind: 'shop', country: 'NL', marketplaceId: 'A1805IZSGTT6HS', source: COUNTRY_DOMAINS },
  { domain: 'amazon.com.be', kind: 'shop', country: 'BE', marketplaceId: 'AMEN7PMS3EDWL', source: COUNTRY_DOMAINS },
  { domain: 'amazon.se', kind: 'shop', country: 'SE', marketplaceId: 'A2NODRKZP88ZB9', source: COUNTRY_DOMAINS },
  { domain: 'amazon.pl', kind: 'shop', country: 'PL', marketplaceId: 'A1C3SOZRARQ6R3', source: COUNTRY_DOMAINS },
  { domain: 'amazon.com.tr', kind: 'shop', country: 'TR', marketplaceId: 'A33AVAJ2PDY3EV', source: COUNTRY_DOMAINS },
  { domain: 'amazon.ae', kind: 'shop', country: 'AE', marketplaceId: 'A2VIGQ35RCS4UG', source: COUNTRY_DOMAINS },
  { domain: 'amazon.sa', kind: 'shop', country: 'SA', marketplaceId: 'A17E79C6D8DWNP', source: COUNTRY_DOMAINS },
  { domain: 'amazon.eg', kind: 'shop', country: 'EG', marketplaceId: 'ARBP9OOSHTCHU', source: COUNTRY_DOMAINS },
  { domain: 'amazon.co.za', kind: 'shop', country: 'ZA', marketplaceId: 'AE08WJ6YKNBMC', source: COUNTRY_DOMAINS },
  { domain: 'amazon.in', kind: 'shop', country: 'IN', marketplaceId: 'A21TJRUUN4KGV', source: COUNTRY_DOMAINS },
  { domain: 'amazon.sg', kind: 'shop', country: 'SG', marketplaceId: 'A19VAU5U5O7RUS', source: COUNTRY_DOMAINS },
  { domain: 'amazon.com.au', kind: 'shop', country: 'AU', marketplaceId: 'A39IBJ37TRP1C6', source: COUNTRY_DOMAINS },
  { domain: 'amazon.cn', kind: 'shop', country: 'CN', source: 'https://github.com/lmammino/not-one-link (src/amazonDomains.js)' },
  // Amazon-run sites that are not stores. Only ones the domain-facts sheet cites.
  { domain: 'aboutamazon.jp', kind: 'service', source: 'domain-facts §2 (aboutamazon.jp anti-phishing guide)' },
  // Amazon-run sites whose names carry the brand; without them they would read as impersonation.
  { domain: 'amazon.jobs', kind: 'service', source: 'https://grokipedia.com/page/Amazon_Jobs (secondary: amazon.jobs is Amazon\'s careers portal)' },
  { domain: 'amazon.science', kind: 'service', source: 'https://www.amazon.science/latest-news/the-science-behind-amazon-prime (Amazon\'s research site)' },
  // Image hosts: people paste product picture links. Without these, "m.media-amazon.com" would be
  // reported as a fake for carrying the brand in its name.
  { domain: 'ssl-images-amazon.com', kind: 'service', source: 'https://github.com/bizon/amazon-ids (imagesDomain: images-fe.ssl-images-amazon.com)' },
  { domain: 'images-amazon.com', kind: 'service', source: 'http://docs.amazonwebservices.com/AWSECommerceService/2007-10-29/DG/UsingImages.html (images.amazon.com); http://aaugh.com/imageabuse.html (ecx.images-amazon.com)' },
  { domain: 'media-amazon.com', kind: 'service', source: 'observed as the product image host in Amazon listings (m.media-amazon.com/images/I/…); no Amazon page found stating it' },
] as const satisfies readonly OfficialDomain[];

/** The marketplace ID of Amazon.co.jp (Japan). — domain-facts §3, SP-API marketplace IDs. */
export const JP_MARKETPLACE_ID = 'A1VC38T7YXB528';

/** The seller ID under which Amazon.co.jp itself sells. — domain-facts §3. */
export const AMAZON_JP_SELLER_ID = 'AN1VRQENFRJN5';

/** A host suffix entry (matches the host itself and every subdomain of it). */
export interface HostSuffix {
  readonly suffix: string;
  readonly source: Source;
  readonly note?: string;
}

/**
 * Amazon's own short-link domains. They are real Amazon, but the destination is not known until
 * the link is expanded, so they get their own verdict.
 */
export const OFFICIAL_SHORTLINK_DOMAINS = [
  { suffix: 'amzn.to', source: 'domain-facts §3 (Amazon\'s Bitly domain, secondary)' },
  { suffix: 'amzn.asia', source: 'domain-facts §3 (amzn.asia/d/… app share links)' },
] as const satisfies readonly HostSuffix[];

/**
 * Short-link domains in the form of Amazon's share links that domain-facts does not confirm as
 * Amazon's. They are not called Amazon's (that would be a fact we do not have) nor a fake of
 * Amazon (amzn.eu would otherwise be "brand-in-domain"): they are short links whose owner and
 * destination are unknown until expanded (verdict `shortener`, reason
 * `shortlink-owner-unconfirmed`). Move an entry to OFFICIAL_SHORTLINK_DOMAINS once domain-facts
 * confirms it.
 */
export const UNCONFIRMED_AMAZON_SHORTLINK_DOMAINS = [
  { suffix: 'a.co', source: 'domain-facts §3', note: 'UNCONFIRMED in domain-facts ("widely seen in app share links", a.co/d/…)' },
  {
    suffix: 'amzn.eu',
    source: 'not in domain-facts',
    note: 'seen as amzn.eu/d/… share links to the European Amazon stores in public pages and code; no Amazon page found stating it',
  },
] as const satisfies readonly HostSuffix[];

/** Third-party URL shorteners: the destination is unknown until expanded. */
export const THIRD_PARTY_SHORTENERS = [
  { suffix: 'bit.ly', source: 'https://bitly.com/; domain-facts §3 (bit.ly in phishing SMS)' },
  { suffix: 'bitly.com', source: 'https://bitly.com/' },
  { suffix: 'j.mp', source: 'https://bitly.com/ (legacy Bitly domain)' },
  { suffix: 'tinyurl.com', source: 'https://tinyurl.com/' },
  { suffix: 'is.gd', source: 'https://is.gd/' },
  { suffix: 'v.gd', source: 'https://v.gd/' },
  { suffix: 'x.gd', source: 'https://x.gd/' },
  { suffix: 't.co', source: 'https://help.x.com/en/using-x/url-shortener' },
  { suffix: 'ow.ly', source: 'https://ow.ly/' },
  { suffix: 'buff.ly', source: 'https://buffer.com/' },
  { suffix: 'rebrand.ly', source: 'https://www.rebrandly.com/' },
  { suffix: 'cutt.ly', source: 'https://cutt.ly/' },
  { suffix: 'shorturl.at', source: 'https://www.shorturl.at/' },
  { suffix: 't.ly', source: 'https://t.ly/' },
  { suffix: 'rb.gy', source: 'https://rb.gy/' },
  { suffix: 's.id', source: 'https://s.id/' },
  { suffix: 'tiny.cc', source: 'https://tiny.cc/' },
  { suffix: 'goo.gl', source: 'https://developers.googleblog.com/ (goo.gl shortener, links still redirect)' },
  { suffix: 'lnkd.in', source: 'https://www.linkedin.com/help/linkedin/answer/a541874' },
  { suffix: 'ux.nu', source: 'https://ux.nu/ (Japanese URL shortener)' },
  { suffix: 'bit.do', source: 'https://bit.do/' },
  { suffix: 'r10.to', source: 'https://r10.to/ (Rakuten short links)', note: 'run by Rakuten, but the destination is still unknown until expanded' },
] as const satisfies readonly HostSuffix[];

const PSL_PRIVATE = 'https://publicsuffix.org/list/public_suffix_list.dat (PRIVATE DOMAINS section)';

/**
 * Hosting anyone can rent: pages there are made by whoever rented them. Amazon branding on such a
 * host is impersonation. amazonaws.com and cloudfront.net are Amazon-owned *cloud* hosting, not
 * Amazon's shop (domain-facts §3: 2025 phishing abused amazonaws.com hosting).
 */
export const GENERIC_HOSTING = [
  { suffix: 'amazonaws.com', source: 'domain-facts §3; ' + PSL_PRIVATE, note: 'Amazon Web Services: rentable, not the Amazon shop' },
  { suffix: 'cloudfront.net', source: PSL_PRIVATE, note: 'Amazon CloudFront CDN: rentable, not the Amazon shop' },
  { suffix: 'awsapprunner.com', source: PSL_PRIVATE },
  { suffix: 'amplifyapp.com', source: PSL_PRIVATE },
  { suffix: 'web.app', source: PSL_PRIVATE },
  { suffix: 'firebaseapp.com', source: PSL_PRIVATE },
  { suffix: 'appspot.com', source: PSL_PRIVATE },
  { suffix: 'storage.googleapis.com', source: 'https://cloud.google.com/storage/docs/request-endpoints' },
  { suffix: 'firebasestorage.googleapis.com', source: 'https://firebase.google.com/docs/storage' },
  { suffix: 'googleusercontent.com', source: PSL_PRIVATE },
  { suffix: 'sites.google.com', source: 'https://sites.google.com/ (anyone can publish a site)' },
  { suffix: 'blogspot.com', source: PSL_PRIVATE },
  { suffix: 'github.io', source: PSL_PRIVATE },
  { suffix: 'githubusercontent.com', source: PSL_PRIVATE },
  { suffix: 'gitlab.io', source: PSL_PRIVATE },
  { suffix: 'netlify.app', source: PSL_PRIVATE },
  { suffix: 'vercel.app', source: PSL_PRIVATE },
  { suffix: 'pages.dev', source: PSL_PRIVATE },
  { suffix: 'workers.dev', source: PSL_PRIVATE },
  { suffix: 'r2.dev', source: PSL_PRIVATE },
  { suffix: 'trycloudflare.com', source: PSL_PRIVATE },
  { suffix: 'herokuapp.com', source: PSL_PRIVATE },
  { suffix: 'onrender.com', source: PSL_PRIVATE },
  { suffix: 'fly.dev', source: PSL_PRIVATE },
  { suffix: 'glitch.me', source: PSL_PRIVATE },
  { suffix: 'repl.co', source: PSL_PRIVATE },
  { suffix: 'replit.app', source: PSL_PRIVATE },
  { suffix: 'surge.sh', source: PSL_PRIVATE },
  { suffix: 'azurewebsites.net', source: PSL_PRIVATE },
  { suffix: 'blob.core.windows.net', source: PSL_PRIVATE },
  { suffix: 'web.core.windows.net', source: PSL_PRIVATE },
  { suffix: 'ngrok.io', source: PSL_PRIVATE },
  { suffix: 'ngrok-free.app', source: PSL_PRIVATE },
  { suffix: '000webhostapp.com', source: PSL_PRIVATE },
  { suffix: 'wixsite.com', source: PSL_PRIVATE },
  { suffix: 'weebly.com', source: PSL_PRIVATE },
  { suffix: 'jimdofree.com', source: PSL_PRIVATE },
  { suffix: 'wordpress.com', source: PSL_PRIVATE },
  { suffix: 'ipfs.io', source: 'https://docs.ipfs.tech/concepts/ipfs-gateway/' },
  { suffix: 'dweb.link', source: 'https://docs.ipfs.tech/concepts/ipfs-gateway/' },
] as const satisfies readonly HostSuffix[];

/** A shopping site that is not Amazon. */
export interface MarketplaceSite extends HostSuffix {
  /** Stable identifier (used in LinkCheck.otherMarketplace). */
  readonly id: string;
}

/** Other shopping sites and marketplaces people in Japan use. */
export const OTHER_MARKETPLACES = [
  { id: 'rakuten', suffix: 'rakuten.co.jp', source: 'https://www.rakuten.co.jp/' },
  { id: 'yahoo-shopping', suffix: 'shopping.yahoo.co.jp', source: 'https://shopping.yahoo.co.jp/' },
  { id: 'yahoo-shopping', suffix: 'paypaymall.yahoo.co.jp', source: 'https://shopping.yahoo.co.jp/ (PayPay Mall merged into Yahoo! Shopping)' },
  { id: 'yahoo-auctions', suffix: 'auctions.yahoo.co.jp', source: 'https://auctions.yahoo.co.jp/' },
  { id: 'paypay-fleamarket', suffix: 'paypayfleamarket.yahoo.co.jp', source: 'https://paypayfleamarket.yahoo.co.jp/' },
  { id: 'lohaco', suffix: 'lohaco.yahoo.co.jp', source: 'https://lohaco.yahoo.co.jp/' },
  { id: 'mercari', suffix: 'mercari.com', source: 'https://jp.mercari.com/' },
  { id: 'mercari', suffix: 'merc.li', source: 'https://jp.mercari.com/ (share links)' },
  { id: 'rakuma', suffix: 'fril.jp', source: 'https://fril.jp/' },
  { id: 'au-pay-market', suffix: 'wowma.jp', source: 'https://wowma.jp/' },
  { id: 'qoo10', suffix: 'qoo10.jp', source: 'https://www.qoo10.jp/' },
  { id: 'yodobashi', suffix: 'yodobashi.com', source: 'https://www.yodobashi.com/' },
  { id: 'biccamera', suffix: 'biccamera.com', source: 'https://www.biccamera.com/' },
  { id: 'zozotown', suffix: 'zozo.jp', source: 'https://zozo.jp/' },
  { id: 'minne', suffix: 'minne.com', source: 'https://minne.com/' },
  { id: 'creema', suffix: 'creema.jp', source: 'https://www.creema.jp/' },
  { id: 'temu', suffix: 'temu.com', source: 'https://www.temu.com/' },
  { id: 'aliexpress', suffix: 'aliexpress.com', source: 'https://www.aliexpress.com/' },
  { id: 'shein', suffix: 'shein.com', source: 'https://www.shein.com/' },
  { id: 'ebay', suffix: 'ebay.com', source: 'https://www.ebay.com/' },
] as const satisfies readonly MarketplaceSite[];

const TLD_ABUSE_2025 = 'https://www.cybercrimeinfocenter.org/phishing-activity-in-tlds-may-april-2025';

/** A top-level domain that phishing reports over-represent. */
export interface SuspiciousTld {
  readonly tld: string;
  readonly source: Source;
}

/**
 * TLDs with a high share of phishing domains. Only a warning sign: honest sites use them too.
 * Ranked by the Cybercrime Information Center's phishing domain counts and scores, plus the TLDs
 * named in Japanese Amazon phishing reports.
 */
export const SUSPICIOUS_TLDS = [
  { tld: 'top', source: 'domain-facts §3 (user-amazon.●●●.top); ' + TLD_ABUSE_2025 },
  { tld: 'xyz', source: 'domain-facts §3 (amazon.co.jp.sign●●●●.xyz); ' + TLD_ABUSE_2025 },
  { tld: 'info', source: 'domain-facts §3 (amazon.co.jp.●●●●.info); ' + TLD_ABUSE_2025 },
  { tld: 'tokyo', source: 'domain-facts §3 (.jp/.info/.tokyo lookalikes)' },
  { tld: 'shop', source: TLD_ABUSE_2025 },
  { tld: 'icu', source: TLD_ABUSE_2025 },
  { tld: 'cn', source: TLD_ABUSE_2025 },
  { tld: 'buzz', source: 'https://interisle.substack.com/p/phishing-in-the-2020s-persistently' },
  { tld: 'bond', source: TLD_ABUSE_2025 },
  { tld: 'cfd', source: TLD_ABUSE_2025 },
  { tld: 'sbs', source: TLD_ABUSE_2025 },
  { tld: 'cyou', source: 'https://interisle.substack.com/p/phishing-in-the-2020s-persistently' },
  { tld: 'xin', source: TLD_ABUSE_2025 },
  { tld: 'vip', source: TLD_ABUSE_2025 },
  { tld: 'online', source: TLD_ABUSE_2025 },
  { tld: 'site', source: TLD_ABUSE_2025 },
  { tld: 'lol', source: TLD_ABUSE_2025 },
  { tld: 'cc', source: TLD_ABUSE_2025 },
  { tld: 'pro', source: TLD_ABUSE_2025 },
  { tld: 'live', source: 'https://www.cybercrimeinfocenter.org/phishing-activity-in-tlds-august-october-2025' },
  { tld: 'mobi', source: 'https://www.cybercrimeinfocenter.org/phishing-activity-in-tlds-august-october-2025' },
  { tld: 'world', source: 'https://www.cybercrimeinfocenter.org/phishing-activity-in-tlds-february-april-2025' },
  { tld: 'tk', source: 'https://interisle.substack.com/p/phishing-in-the-2020s-persistently (Freenom ccTLDs)' },
  { tld: 'ml', source: 'https://interisle.substack.com/p/phishing-in-the-2020s-persistently (Freenom ccTLDs)' },
  { tld: 'ga', source: 'https://interisle.substack.com/p/phishing-in-the-2020s-persistently (Freenom ccTLDs)' },
  { tld: 'cf', source: 'https://interisle.substack.com/p/phishing-in-the-2020s-persistently (Freenom ccTLDs)' },
  { tld: 'gq', source: 'https://interisle.substack.com/p/phishing-in-the-2020s-persistently (Freenom ccTLDs)' },
] as const satisfies readonly SuspiciousTld[];
