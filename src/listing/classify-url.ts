// Classifies one URL into exactly one verdict with reason codes (see link-check.ts).
//
// The decisive test is the registrable domain from the Public Suffix List (ICANN section, via
// tldts): a page is genuine Amazon only when that domain is exactly on OFFICIAL_AMAZON_DOMAINS.
// Everything about how a fake *looks* (brand in a subdomain, typos, look-alike letters, IP hosts,
// wrappers, rented hosting) only decides between `impersonation` and `unknown-site`; it can
// never make a URL official. Amazon's own rule of thumb agrees: a genuine site has a dot right
// before `amazon.co.jp`, and Amazon never links to raw-IP URLs (domain-facts §3).

import { domainToUnicode } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { matchBrandLabel, mentionsBrand, skeleton, type BrandMatch } from './amazon-lookalike.ts';
import { LISTING_PAGE_KINDS, readAmazonPage } from './amazon-page.ts';
import {
  GENERIC_HOSTING,
  OFFICIAL_AMAZON_DOMAINS,
  OFFICIAL_SHORTLINK_DOMAINS,
  OTHER_MARKETPLACES,
  SUSPICIOUS_TLDS,
  THIRD_PARTY_SHORTENERS,
  UNCONFIRMED_AMAZON_SHORTLINK_DOMAINS,
  type OfficialDomain,
} from './domain-lists.ts';
import { addressBeforeDefangedDot, findUrls, gluedRunBefore, hasReorderingBidiControl, isDefanged, parseUrlText, type ExtractedUrl } from './extract-urls.ts';
import { isIpLiteral } from './ip-address.ts';
import { worseVerdict, type LinkCheck, type LinkReasonCode, type LinkVerdict } from './link-check.ts';

export { LINK_REASON_CODES, LINK_VERDICTS, type LinkCheck, type LinkReasonCode, type LinkVerdict } from './link-check.ts';

// Lookup tables built once at load.
const OFFICIAL_BY_DOMAIN: ReadonlyMap<string, OfficialDomain> = new Map(OFFICIAL_AMAZON_DOMAINS.map((d) => [d.domain, d]));
const OFFICIAL_SHORTLINKS: ReadonlySet<string> = new Set(OFFICIAL_SHORTLINK_DOMAINS.map((d) => d.suffix));
const UNCONFIRMED_SHORTLINKS: ReadonlySet<string> = new Set(UNCONFIRMED_AMAZON_SHORTLINK_DOMAINS.map((d) => d.suffix));
const SHORTENERS: ReadonlySet<string> = new Set(THIRD_PARTY_SHORTENERS.map((d) => d.suffix));
const HOSTING: ReadonlySet<string> = new Set(GENERIC_HOSTING.map((d) => d.suffix));
const AMAZON_CLOUD_HOSTING: ReadonlySet<string> = new Set(['amazonaws.com', 'cloudfront.net', 'awsapprunner.com', 'amplifyapp.com']);
const MARKETPLACE_BY_SUFFIX: ReadonlyMap<string, string> = new Map(OTHER_MARKETPLACES.map((m) => [m.suffix, m.id]));
const MARKETPLACE_SUFFIXES: ReadonlySet<string> = new Set(MARKETPLACE_BY_SUFFIX.keys());
const SUSPICIOUS: ReadonlySet<string> = new Set(SUSPICIOUS_TLDS.map((t) => t.tld));
/** Amazon's usual abbreviation, as in its short-link domains amzn.to and amzn.asia. */
const BRAND_ABBREVIATION = 'amzn';

// Words that, next to the brand in the path of a non-Amazon site, make it a fake login or
// "account problem" page (the usual phishing lure, domain-facts §3 and seeds 002/003).
const LURE_WORDS = [
  'signin', 'sign-in', 'login', 'log-in', 'logon', 'account', 'verify', 'verification', 'update', 'secure', 'security', 'password', 'payment', 'billing', 'confirm', 'unlock', 'suspend', '/ap/',
  // The same lures in Japanese, as they appear in a decoded path. Escaped (house style: no
  // Japanese text in sources): log-in, sign-in, account, identity check, authentication, payment,
  // suspension, lock.
  '\u30ed\u30b0\u30a4\u30f3', '\u30b5\u30a4\u30f3\u30a4\u30f3', '\u30a2\u30ab\u30a6\u30f3\u30c8', '\u672c\u4eba\u78ba\u8a8d', '\u8a8d\u8a3c', '\u652f\u6255', '\u505c\u6b62', '\u30ed\u30c3\u30af',
];

// Query parameters that carry the address a page forwards to (open redirects). On a genuine
// Amazon host ("https://www.amazon.co.jp/gp/redirect.html?location=https://evil.example/") the
// link is dressed as Amazon but leads elsewhere. Lower case; matched case-insensitively.
const REDIRECT_PARAMS: ReadonlySet<string> = new Set([
  'url', 'u', 'q', 'location', 'redirect', 'redirect_url', 'redirecturl', 'redirect_uri', 'redirecturi', 'return_to', 'returnto',
  'return_url', 'returnurl', 'openid.return_to', 'next', 'dest', 'destination', 'target', 'goto', 'continue', 'rurl', 'to', 'link', 'uddg',
]);

// Where Amazon's sign-in sends the user once signed in: "openid.return_to" on /ap/signin, "redirect_uri" on
// "Login with Amazon" (/ap/oa), which a shop registers with Amazon. The rest of REDIRECT_PARAMS, for
// telling a return from an open redirect on a sign-in page.
const SIGNIN_RETURN_PARAMS: ReadonlySet<string> = new Set(['openid.return_to', 'redirect_uri']);
const NON_SIGNIN_REDIRECT_PARAMS: ReadonlySet<string> = new Set([...REDIRECT_PARAMS].filter((p) => !SIGNIN_RETURN_PARAMS.has(p)));

// The narrower set that turns a host with the brand merely inside a longer word ("amazonas",
// see amazon-lookalike.ts) into impersonation when it appears in the host or the path: sign-in
// and account words, and Amazon's own sign-in path "/ap/". Words an honest site uses anywhere
// ("update", "secure", "payment") are left out, so amazonwatch.org/donate/secure stays unknown.
const SIGN_IN_WORDS = ['signin', 'sign-in', 'login', 'log-in', 'logon', 'account', 'password', 'verify', 'verification', 'security', 'unlock', 'suspend', '/ap/'];

function hasSignInWord(lowerText: string): boolean {
  for (const w of SIGN_IN_WORDS) if (lowerText.includes(w)) return true;
  return false;
}

/** Finds the longest listed suffix of `host` (the host itself or a parent domain). */
function findSuffix(host: string, set: ReadonlySet<string>): string | undefined {
  let candidate = host;
  for (;;) {
    if (set.has(candidate)) return candidate;
    const dot = candidate.indexOf('.');
    if (dot === -1) return undefined;
    candidate = candidate.slice(dot + 1);
  }
}

/** Everything about a host name that does not depend on the rest of the URL (memoised). */
interface HostFacts {
  isIp: boolean;
  registrable: string | null;
  unicode: string;
  official?: OfficialDomain;
  officialShortlink: boolean;
  /** A short link in the form of Amazon's share links, on a domain not confirmed as Amazon's. */
  unconfirmedShortlink: boolean;
  shortener: boolean;
  hosting?: string;
  brandOnHostingHost: boolean;
  marketplace?: string;
  /** Impersonation reasons read from the host alone. */
  impersonation: LinkReasonCode[];
  /** Other warning signs of the host (suspicious TLD, IDN, many subdomains). */
  warnings: LinkReasonCode[];
  /**
   * The brand only inside a longer ordinary word ("amazonas"), with no second sign in the host:
   * where it is ('brand-in-domain' or 'brand-in-subdomain'), so a sign-in path can still make
   * it impersonation; otherwise the URL reports `brand-inside-word`.
   */
  brandInsideWord?: 'brand-in-domain' | 'brand-in-subdomain';
  /**
   * The registrable name is exactly Amazon's usual abbreviation ("amzn.com", "amzn.jp") on a TLD
   * phishing does not favour: domain-facts lists amzn.to and amzn.asia as Amazon's and says nothing
   * of these, so they are neither called Amazon's nor a fake of it (`brand-abbreviation-unconfirmed`).
   */
  brandAbbreviation?: boolean;
}

const hostMemo = new Map<string, HostFacts>();
const HOST_MEMO_LIMIT = 10_000;

function hostFacts(hostname: string): HostFacts {
  let f = hostMemo.get(hostname);
  if (f === undefined) {
    f = analyseHost(hostname);
    // A pure function of the host name, so caching is safe; the cap bounds memory on
    // adversarial input (many random hosts): we simply start over.
    if (hostMemo.size >= HOST_MEMO_LIMIT) hostMemo.clear();
    hostMemo.set(hostname, f);
  }
  return f;
}

function analyseHost(hostname: string): HostFacts {
  const facts: HostFacts = {
    isIp: false,
    registrable: null,
    unicode: hostname,
    officialShortlink: false,
    unconfirmedShortlink: false,
    shortener: false,
    brandOnHostingHost: false,
    impersonation: [],
    warnings: [],
  };
  if (isIpLiteral(hostname)) {
    facts.isIp = true;
    return facts;
  }
  const bare = hostname.replace(/\.+$/, '');
  let unicode = bare;
  if (bare.includes('xn--')) {
    const decoded = domainToUnicode(bare);
    if (decoded !== '') unicode = decoded;
  }
  facts.unicode = unicode;
  const parsed = parseDomain(bare, { allowPrivateDomains: false, extractHostname: false });
  facts.registrable = parsed.domain;
  const official = parsed.domain !== null ? OFFICIAL_BY_DOMAIN.get(parsed.domain) : undefined;
  if (official !== undefined) {
    facts.official = official;
    return facts;
  }
  facts.officialShortlink = findSuffix(bare, OFFICIAL_SHORTLINKS) !== undefined;
  facts.unconfirmedShortlink = findSuffix(bare, UNCONFIRMED_SHORTLINKS) !== undefined;
  facts.shortener = findSuffix(bare, SHORTENERS) !== undefined;
  const marketplaceSuffix = findSuffix(bare, MARKETPLACE_SUFFIXES);
  if (marketplaceSuffix !== undefined) facts.marketplace = MARKETPLACE_BY_SUFFIX.get(marketplaceSuffix);

  const isIdn = unicode !== bare || /[^\x00-\x7f]/.test(unicode);
  const labels = unicode.split('.');
  const suffixLabelCount = parsed.publicSuffix ? parsed.publicSuffix.split('.').length : 1;
  const tld = labels[labels.length - 1] ?? '';
  if (SUSPICIOUS.has(tld)) facts.warnings.push('suspicious-tld');
  if (isIdn) facts.warnings.push('idn-hostname');

  const hosting = findSuffix(bare, HOSTING);
  if (hosting !== undefined) {
    facts.hosting = hosting;
    // Brand in the part the renter chose (before the hosting domain), e.g.
    // "amazon-jp.s3.amazonaws.com" or "amazon-login.web.app".
    const own = labels.slice(0, labels.length - hosting.split('.').length);
    const matches = own.map((l) => matchBrandLabel(l));
    facts.brandOnHostingHost = matches.some((m) => m !== null && m !== 'embedded');
    if (!facts.brandOnHostingHost && matches.includes('embedded')) {
      if (hasSignInWord(own.join('.'))) facts.brandOnHostingHost = true;
      else facts.brandInsideWord = 'brand-in-subdomain';
    }
    return facts;
  }

  // A host of one label ("https://amazon-co-jp/", what is left when a line break cut off the
  // TLD) has no registrable domain; its only label is still the name a person reads.
  const regIndex = parsed.domain === null && labels.length === 1 ? 0 : labels.length - suffixLabelCount - 1;
  const subLabels = regIndex > 0 ? labels.slice(0, regIndex) : [];
  const regLabel = regIndex >= 0 ? labels[regIndex]! : '';
  const add = (code: LinkReasonCode) => {
    if (!facts.impersonation.includes(code)) facts.impersonation.push(code);
  };
  const strength = (m: BrandMatch): LinkReasonCode => (m === 'typo' ? 'typosquat' : m === 'lookalike' ? (isIdn ? 'idn-homograph' : 'lookalike-characters') : 'brand-in-domain');

  // The brand only inside a longer word: evidence only with a second sign (amazon-lookalike.ts).
  let embeddedIn: HostFacts['brandInsideWord'];
  const regMatch = matchBrandLabel(regLabel);
  if (regMatch === 'embedded') embeddedIn = 'brand-in-domain';
  else if (regLabel === BRAND_ABBREVIATION && parsed.domain !== null && !SUSPICIOUS.has(tld)) facts.brandAbbreviation = true;
  else if (regMatch !== null) {
    add(strength(regMatch));
    // "amazon.co", "am-azon.co", "amazon.shop": the brand alone on a TLD Amazon does not use
    // (domain-facts §3: "www.am●●●●●.co", .co mistaken for .co.jp).
    if (skeleton(regLabel).replace(/[-_]/g, '') === 'amazon' && !OFFICIAL_BY_DOMAIN.has('amazon.' + (parsed.publicSuffix ?? ''))) add('lookalike-tld');
  }
  for (const l of subLabels) {
    const m = matchBrandLabel(l);
    if (m === 'embedded') embeddedIn ??= 'brand-in-subdomain';
    else if (m !== null) {
      add('brand-in-subdomain');
      if (m !== 'literal') add(strength(m));
    }
  }
  if (embeddedIn !== undefined && facts.impersonation.length === 0) {
    // Second signs in the host itself: a TLD phishing favours, or sign-in words ("amazonas-login").
    if (SUSPICIOUS.has(tld) || hasSignInWord(labels.slice(0, regIndex + 1).join('.'))) add(embeddedIn);
    else facts.brandInsideWord = embeddedIn;
  }
  const meaningfulSubs = subLabels.filter((l) => l !== 'www');
  if (meaningfulSubs.length >= 3 && facts.impersonation.length === 0) facts.warnings.push('many-subdomains');
  return facts;
}

/** A URL wrapped inside another (translate proxy, redirector). */
interface Wrapped {
  kind: 'translate-proxy' | 'redirect-wrapper';
  inner: string;
}

// Google Translate proxy hosts encode the original host: "." → "-", "-" → "--".
// (Abused for ~8.5% of phishing in Jul 2025, domain-facts §3.)
function decodeTranslateGooHost(label: string): string {
  return label.replaceAll('--', '\u0000').replaceAll('-', '.').replaceAll('\u0000', '-');
}

function unwrap(u: URL, host: string, facts: HostFacts): Wrapped | null {
  if (host.endsWith('.translate.goog')) {
    const label = host.slice(0, -'.translate.goog'.length);
    const params = new URLSearchParams(u.search);
    for (const key of [...params.keys()]) if (key.startsWith('_x_tr_')) params.delete(key);
    const query = params.toString();
    return { kind: 'translate-proxy', inner: `https://${decodeTranslateGooHost(label)}${u.pathname}${query ? '?' + query : ''}${u.hash}` };
  }
  const reg = facts.registrable ?? '';
  if (reg.startsWith('google.') || reg === 'googleusercontent.com') {
    if (host.startsWith('translate.')) {
      const inner = u.searchParams.get('u');
      if (inner) return { kind: 'translate-proxy', inner };
    }
    if (u.pathname === '/url') {
      const inner = u.searchParams.get('q') ?? u.searchParams.get('url');
      if (inner && /^https?:/i.test(inner)) return { kind: 'redirect-wrapper', inner };
    }
  }
  return null;
}

function result(input: string, url: string, host: string, facts: HostFacts | null, verdict: LinkVerdict, reasons: LinkReasonCode[]): LinkCheck {
  const check: LinkCheck = { input, url, host, registrableDomain: facts?.registrable ?? null, verdict, reasons };
  if (facts !== null && facts.unicode !== host && facts.unicode !== host.replace(/\.+$/, '')) check.hostUnicode = facts.unicode;
  return check;
}

function pushUnique(list: LinkReasonCode[], ...codes: LinkReasonCode[]): void {
  for (const c of codes) if (!list.includes(c)) list.push(c);
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Percent-escapes decoded where they form valid UTF-8; the rest left as written. Never throws. */
function decodeLoosely(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s.replace(/%([0-7][0-9a-f])/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  }
}

const DRESSABLE_SCHEMES: ReadonlySet<string> = new Set(['javascript:', 'vbscript:', 'data:', 'intent:']);

/**
 * The address a link forwards to, read from a redirect parameter (REDIRECT_PARAMS) that holds an
 * absolute web address, checked in turn; null when there is none. Bing's "u=a1" + base64url
 * form is decoded. Cheap when the query holds no "http" (most links).
 */
function redirectTarget(u: URL, href: string, depth: number, params: ReadonlySet<string> = REDIRECT_PARAMS): LinkCheck | null {
  const q = href.indexOf('?');
  if (q === -1) return null;
  const lower = href.slice(q).toLowerCase();
  if (!lower.includes('http') && !lower.includes('=a1') && !lower.includes('=//') && !lower.includes('=%2f%2f')) return null;
  let found: LinkCheck | null = null;
  // "q" is a search on search pages ("google.com/search?q=https://…"), not a destination.
  const isSearch = /\/(search|results)\/?$/i.test(u.pathname);
  for (const [key, raw] of new URLSearchParams(u.search)) {
    const name = key.toLowerCase();
    if (!params.has(name) || (name === 'q' && isSearch)) continue;
    let value = raw.trim();
    if (value.startsWith('a1') && /^a1[A-Za-z0-9_-]{12,}={0,2}$/.test(value)) value = Buffer.from(value.slice(2), 'base64url').toString('utf8');
    // Absolute ("https://…", and the sloppy "https:/…", "https:\\…" browsers accept) or
    // scheme-relative ("//evil.example/"); a path on the same site ("/gp/…") is no way out.
    if (!/^(https?:[/\\]*|[/\\]{2})[^/\\]/i.test(value)) continue;
    const inner = classifyParsed(value, parseUrlText(value), depth + 1);
    // The worst one wins: an official address in one parameter does not hide a fake in another.
    if (found === null || worseVerdict(found.verdict, inner.verdict) !== found.verdict) found = inner;
  }
  return found;
}

/** Whether `host` is the store front itself ("www.amazon.com", "amazon.com", "m.amazon.com") rather than another Amazon site on its domain. */
function isStoreFrontHost(host: string, domain: string): boolean {
  const sub = host.length > domain.length ? host.slice(0, host.length - domain.length - 1) : '';
  return sub === '' || sub === 'www' || sub === 'm' || sub === 'smile';
}

/**
 * An open redirect on a genuine host ("https://www.amazon.co.jp/gp/redirect.html?location=https://evil.example/"):
 * the link shows Amazon's address to be trusted and leads to the one inside, so it is dressed as Amazon.
 */
function openRedirect(input: string, href: string, host: string, facts: HostFacts, reasons: LinkReasonCode[], outside: LinkCheck): LinkCheck {
  pushUnique(reasons, 'amazon-redirect-outside', 'redirect-wrapper', ...outside.reasons.filter((r) => r !== 'not-on-known-lists'));
  return result(input, href, host, facts, 'impersonation', reasons);
}

/**
 * Amazon's own sign-in page sending the user on to another site afterwards: "Login with Amazon"
 * (/ap/oa?redirect_uri=…) and Amazon Pay do this for the shops that use them, and Amazon only sends a
 * user back to an address registered with it. The sign-in really is Amazon's, so this is not dressed as
 * Amazon; where the user ends up is the site inside, and the link gets that site's verdict (a fake of
 * Amazon stays one).
 */
function signInReturningOutside(input: string, href: string, host: string, facts: HostFacts, reasons: LinkReasonCode[], outside: LinkCheck): LinkCheck {
  pushUnique(reasons, 'signin-returns-outside', ...outside.reasons.filter((r) => r !== 'not-on-known-lists'));
  return result(input, href, host, facts, outside.verdict, reasons);
}

/**
 * Classifies one URL (absolute, scheme-less or full-width) into one verdict with reason codes
 * and, for genuine Amazon pages, the listing facts. Pure and synchronous; never throws and never
 * touches the network (short links are only recognised here; see expand-link.ts).
 */
export function classifyUrl(url: string): LinkCheck {
  const input = typeof url === 'string' ? url : String(url);
  try {
    return classifyParsed(input, parseUrlText(input), 0);
  } catch {
    // Defensive: nothing above is expected to throw, but a verdict must always come back.
    return { input, url: input, host: '', registrableDomain: null, verdict: 'unknown-site', reasons: ['invalid-url', 'not-on-known-lists'] };
  }
}

function classifyParsed(input: string, u: URL | null, depth: number): LinkCheck {
  if (u === null) {
    return result(input, input.trim(), '', null, 'unknown-site', ['invalid-url', 'not-on-known-lists']);
  }
  // Each URL getter builds a string: read every part once.
  const href = u.href;
  const protocol = u.protocol;
  const reasons: LinkReasonCode[] = [];
  const hostname = u.hostname;
  if (protocol !== 'http:' && protocol !== 'https:') {
    // "javascript:…//www.amazon.co.jp", "intent://www.amazon.co.jp#Intent;…fallback_url=…": code
    // or an app link wearing Amazon's name (the extractor reports such links whole).
    if (DRESSABLE_SCHEMES.has(protocol) && mentionsBrand(decodeLoosely(href.toLowerCase()))) {
      return result(input, href, hostname, null, 'impersonation', ['unsupported-scheme', 'brand-in-path']);
    }
    return result(input, href, hostname, null, 'unknown-site', ['unsupported-scheme', 'not-on-known-lists']);
  }
  if (hostname === '') return result(input, href, '', null, 'unknown-site', ['invalid-url', 'not-on-known-lists']);
  const facts = hostFacts(hostname);
  if (protocol === 'http:') reasons.push('plain-http');
  if (u.port !== '') reasons.push('nonstandard-port');
  // user info only exists when '@' precedes the host; skip two getters on ordinary links.
  const userinfo = href.indexOf('@') === -1 ? '' : u.username + (u.password ? ':' + u.password : '');
  if (userinfo !== '') reasons.push('userinfo-in-url');

  // 1. Genuine Amazon. Nothing in the path or user info can make this less genuine: the page
  //    really is served by Amazon (user info is ignored by browsers for the destination).
  if (facts.official !== undefined) {
    const official = facts.official;
    const page = readAmazonPage(u, official.domain, official.marketplaceId);
    // Another country's store, on the store's own host: "pay.amazon.com" or "developer.amazon.com"
    // are Amazon services, not a store front whose prices and rules differ.
    if (official.kind === 'shop' && official.country !== 'JP' && !page.reasons.includes('seller-central') && isStoreFrontHost(hostname, official.domain)) {
      reasons.push('non-jp-marketplace');
    }
    const outside = depth < 3 ? redirectTarget(u, href, depth) : null;
    if (outside !== null && !outside.verdict.startsWith('official')) {
      // Only the address Amazon's sign-in itself returns to, and only when that is no fake of Amazon, is
      // read as a shop's "Login with Amazon"; any other forwarding parameter is an open redirect.
      const viaSignIn =
        page.pageKind === 'signin' && outside.verdict !== 'impersonation' && redirectTarget(u, href, depth, NON_SIGNIN_REDIRECT_PARAMS)?.verdict.startsWith('official') !== false;
      const check = viaSignIn ? signInReturningOutside(input, href, hostname, facts, reasons, outside) : openRedirect(input, href, hostname, facts, reasons, outside);
      check.wrapped = outside;
      return check;
    }
    const isListing = LISTING_PAGE_KINDS.has(page.pageKind) && (page.asin !== undefined || page.sellerId !== undefined);
    if (isListing) reasons.push('seller-not-assessed');
    pushUnique(reasons, ...page.reasons);
    const check = result(input, href, hostname, facts, isListing ? 'official-listing' : 'official-other', reasons);
    if (official.kind === 'shop') {
      check.pageKind = page.pageKind;
      if (page.asin !== undefined) check.asin = page.asin;
      if (page.sellerId !== undefined) check.sellerId = page.sellerId;
      if (page.marketplace !== undefined) check.marketplace = page.marketplace;
      if (page.affiliateTag !== undefined) check.affiliateTag = page.affiliateTag;
      if (page.canonicalUrl !== undefined) check.canonicalUrl = page.canonicalUrl;
    }
    return check;
  }

  // 2. Wrappers: classify what is inside too. Amazon dressing inside a wrapper is impersonation.
  const wrapped = depth < 3 ? unwrap(u, hostname, facts) : null;
  if (wrapped !== null) {
    const inner = classifyParsed(wrapped.inner, parseUrlText(wrapped.inner), depth + 1);
    reasons.push(wrapped.kind);
    // Through a redirector (not a proxy that serves the page itself) to a genuine Amazon page:
    // the page reached is Amazon's, so it is not dressed up as anything, only not checkable here.
    const toGenuine = wrapped.kind === 'redirect-wrapper' && inner.verdict.startsWith('official');
    const branded = !toGenuine && (inner.verdict === 'impersonation' || inner.verdict.startsWith('official') || mentionsBrand(inner.url.toLowerCase()));
    if (branded) reasons.push('brand-in-wrapped-url');
    if (toGenuine) reasons.push('wrapped-official');
    pushUnique(reasons, ...inner.reasons.filter((r) => r !== 'seller-not-assessed'));
    const verdict: LinkVerdict = branded ? 'impersonation' : worseVerdict('unknown-site', inner.verdict);
    if (verdict === 'unknown-site') pushUnique(reasons, 'not-on-known-lists');
    const check = result(input, href, hostname, facts, verdict, reasons);
    check.wrapped = inner;
    return check;
  }

  // Everything after the host, lower case (href minus origin and user info).
  const lowerRest = href.slice(href.indexOf('/', protocol.length + 2) === -1 ? href.length : href.indexOf('/', protocol.length + 2)).toLowerCase();
  // On a shop's Amazon Pay return page the brand is the name of the way of paying (see
  // isAmazonPayReturn): the brand is looked for in the rest without it.
  const payReturn = isAmazonPayReturn(lowerRest);
  const brandRest = payReturn ? lowerRest.replace(AMAZON_PAY_NAMES, '') : lowerRest;
  // Percent-escapes decoded ("/%61mazon/", "/%E3%83%AD%E3%82%B0…"): a browser shows them decoded.
  const escaped = brandRest.includes('%');
  const brandInRest = mentionsBrand(brandRest) || (escaped && mentionsBrand(decodeLoosely(brandRest).toLowerCase()));

  // 3. Raw IP address: Amazon never links to one (domain-facts §3).
  if (facts.isIp) {
    reasons.push('raw-ip-address');
    const brandInUserinfo = userinfo !== '' && mentionsBrand(safeDecode(userinfo).toLowerCase());
    if (brandInUserinfo) reasons.push('userinfo-brand-trick');
    if (brandInRest || brandInUserinfo) {
      reasons.push('brand-on-raw-ip');
      return result(input, href, hostname, facts, 'impersonation', reasons);
    }
    reasons.push('not-on-known-lists');
    return result(input, href, hostname, facts, 'unknown-site', reasons);
  }

  // 4. Amazon's own short links.
  if (facts.officialShortlink) {
    reasons.push('shortlink-not-expanded');
    return result(input, href, hostname, facts, 'official-shortlink', reasons);
  }
  // 4b. Short links in the form of Amazon's share links, on a domain domain-facts does not confirm
  //     as Amazon's (a.co, amzn.eu): neither called Amazon's nor a fake of it, a short link whose
  //     owner and destination are unknown until it is expanded.
  if (facts.unconfirmedShortlink) {
    reasons.push('shortlink-owner-unconfirmed');
    return result(input, href, hostname, facts, 'shortener', reasons);
  }

  let impersonating = false;
  // 5. "https://amazon.co.jp@evil.example/": the part before @ is only a user name.
  if (userinfo !== '' && mentionsBrand(safeDecode(userinfo).toLowerCase())) {
    reasons.push('userinfo-brand-trick');
    impersonating = true;
  }
  // 5b. A redirector we do not know by name (l.facebook.com/l.php?u=, youtube.com/redirect?q=,
  //     bing.com/ck/a?u=a1…): an Amazon look-alike in the address it forwards to.
  const forwarded = depth < 3 && facts.shortener === false ? redirectTarget(u, href, depth) : null;
  if (forwarded !== null && forwarded.verdict === 'impersonation') {
    pushUnique(reasons, 'redirect-wrapper', 'brand-in-wrapped-url', ...forwarded.reasons);
    impersonating = true;
  }
  // 6. Rented hosting (including Amazon's own cloud, which is not the shop).
  if (facts.hosting !== undefined) {
    reasons.push('generic-hosting');
    if (AMAZON_CLOUD_HOSTING.has(facts.hosting)) reasons.push('amazon-cloud-hosting');
    if (facts.brandOnHostingHost || brandInRest) {
      reasons.push('brand-on-generic-hosting');
      impersonating = true;
    }
  }
  // 7. The host name itself imitates Amazon. A host with the brand inside a longer word
  //    ("amazonas") does only with a sign-in path ("/ap/signin", "/account/verify").
  if (facts.impersonation.length > 0) {
    pushUnique(reasons, ...facts.impersonation);
    impersonating = true;
  } else if (facts.brandInsideWord !== undefined && hasSignInWord(decodedPathOf(lowerRest))) {
    pushUnique(reasons, facts.hosting !== undefined ? 'brand-on-generic-hosting' : facts.brandInsideWord);
    impersonating = true;
  }
  pushUnique(reasons, ...facts.warnings);
  if (impersonating) {
    const check = result(input, href, hostname, facts, 'impersonation', reasons);
    if (forwarded !== null && forwarded.verdict === 'impersonation') check.wrapped = forwarded;
    return check;
  }

  // 8. Third-party short links: destination unknown until expanded.
  if (facts.shortener) {
    if (brandInRest) reasons.push('brand-in-path');
    reasons.push('shortener-destination-unknown');
    return result(input, href, hostname, facts, 'shortener', reasons);
  }
  // 9. Other shops.
  if (facts.marketplace !== undefined) {
    reasons.push('other-marketplace-site');
    const check = result(input, href, hostname, facts, 'other-marketplace', reasons);
    check.otherMarketplace = facts.marketplace;
    return check;
  }
  // 10. Anything else. The brand plus a login/account word in the path of an unknown site is a
  //     fake sign-in page; the brand alone (a blog post about Amazon) is only noted.
  //     Only the path counts for that: a search or share URL may carry the brand in its query
  //     ("google.com/search?q=amazon.co.jp+login") without pretending to be anything.
  // On an "amzn" domain (brandAbbreviation) the brand in the path is no sign of anything: whose the
  // domain is, is the open question.
  if (brandInRest && facts.brandAbbreviation !== true) {
    reasons.push('brand-in-path');
    const lowerPath = decodedPathOf(brandRest);
    if (mentionsBrand(lowerPath) && (LURE_WORDS.some((w) => lowerPath.includes(w)) || /amazon[.-]co[.-]jp|amazon\.com/.test(lowerPath))) {
      return result(input, href, hostname, facts, 'impersonation', reasons);
    }
  }
  if (payReturn) reasons.push('amazon-pay-return');
  if (facts.brandInsideWord !== undefined) reasons.push('brand-inside-word');
  if (facts.brandAbbreviation === true) reasons.push('brand-abbreviation-unconfirmed');
  reasons.push('not-on-known-lists');
  return result(input, href, hostname, facts, 'unknown-site', reasons);
}

// After paying, Amazon Pay sends the buyer back to the shop's own page (checkoutReviewReturnUrl,
// checkoutResultReturnUrl) with the checkout session ID as a query parameter (Amazon Pay API v2:
// developer.amazon.com/ja/docs/amazon-pay-checkout/ja-verify-and-complete-checkout.md), named
// amazonCheckoutSessionId in shop integrations (Shopware, Adyen, invoicing plug-ins read it from
// the query), and shops name those pages after it ("/amazon-pay/confirm", "/amazonpay/review").
// Nothing in domain-facts is about these pages: the check says only what the address shows.
const AMAZON_PAY_RETURN_PARAM = /[?&]amazoncheckoutsessionid=[^&#]/;
const AMAZON_PAY_NAMES = /amazoncheckoutsessionid|amazon[-_]?pay(?:ments?)?/g;

/**
 * Whether "everything after the host" (lower case) is that of a shop's Amazon Pay return page: the
 * parameter is there and the path holds no sign-in word. The page is the shop's, so it is not
 * Amazon; the brand in its path is the name of the way of paying, not a disguise. A sign-in word
 * ("/amazon-pay/signin") is no part of a return page, so it leaves the brand to count as usual.
 */
function isAmazonPayReturn(lowerRest: string): boolean {
  return AMAZON_PAY_RETURN_PARAM.test(lowerRest) && !hasSignInWord(decodedPathOf(lowerRest));
}

/** The path part of "everything after the host" (query and fragment cut off), percent-escapes decoded. */
function decodedPathOf(lowerRest: string): string {
  const q = lowerRest.search(/[?#]/);
  const path = q === -1 ? lowerRest : lowerRest.slice(0, q);
  return path.includes('%') ? decodeLoosely(path).toLowerCase() : path;
}

/**
 * Finds every link in a text and classifies each (no network). Links are reported once each,
 * in order of first appearance, with `input` as typed.
 */
export function checkText(text: string): LinkCheck[] {
  const found = findUrls(text);
  if (found.length === 0) return [];
  const checks: LinkCheck[] = [];
  let seen: Set<string> | undefined;
  for (const e of found) {
    if (found.length > 1) {
      seen ??= new Set();
      if (seen.has(e.url)) continue;
      seen.add(e.url);
    }
    let check: LinkCheck;
    try {
      check = classifyParsed(e.url, e.parsed, 0);
    } catch {
      check = classifyUrl(e.url);
    }
    check.input = e.input;
    checks.push(check);
  }
  try {
    return checkInContext(text, found, checks);
  } catch {
    return checks; // defensive, as above
  }
}

/**
 * What the text around the links says about them, applied to their checks: a link written with
 * a reordering bidirectional control, links whose label shows Amazon while the href is not
 * (see checkAnchors), and links written defanged (see checkDefanged). `checks` holds one check
 * per distinct `url` of `found`, in order of first appearance (as checkText and
 * checkTextExpanded build them); returns the checks to report.
 */
export function checkInContext(text: string, found: readonly ExtractedUrl[], checks: LinkCheck[]): LinkCheck[] {
  for (const c of checks) if (hasReorderingBidiControl(c.input)) markBidi(c, c.input);
  checkGluedToText(text, found, checks);
  const shown = withAnchors(text, found, checks);
  return shown.some((c) => isDefanged(c.input)) ? shown.map((c) => (isDefanged(c.input) ? checkDefanged(c) : c)) : shown;
}

// What a check says of the address itself, not of the genuine page it named: kept when a glued reading replaces it.
const ADDRESS_REASONS: ReadonlySet<LinkReasonCode> = new Set(['plain-http', 'nonstandard-port', 'userinfo-in-url', 'defanged-link', 'bidi-control']);
// Public suffixes under which a name may only be ASCII (JPRS' attribute-type .jp domains): a Japanese run glued
// before "amazon.co.jp" cannot make another registrable name, so it is no second reading.
const ASCII_ONLY_SUFFIXES: ReadonlySet<string> = new Set(['co.jp', 'ne.jp', 'or.jp', 'ac.jp', 'ad.jp', 'ed.jp', 'go.jp', 'gr.jp', 'lg.jp']);

/**
 * 「ログインamazon.jp」 with no scheme: this extractor reads Japanese before a name as prose, but Telegram's clients
 * (tdlib) and other linkifiers take the glued letters into the host, and "ログインamazon.jp" is another registrable
 * name (.jp, .com and most TLDs take Japanese names), not Amazon's. Such a genuine-looking link is then not called
 * Amazon's: it is an unknown site (`glued-to-text`), since which of the two addresses an app opens is not known.
 * Not when the glued run can only make a subdomain of the genuine name (www.amazon.jp) or a name no registry takes
 * (under co.jp).
 */
function checkGluedToText(text: string, found: readonly ExtractedUrl[], checks: LinkCheck[]): void {
  for (const c of checks) {
    if (!c.verdict.startsWith('official') || c.registrableDomain === null || c.host !== c.registrableDomain) continue;
    // With a scheme (also full-width or defanged: "ｈｔｔｐｓ：／／", "https(:)//") the host is where it starts.
    const typed = c.input.normalize('NFKC');
    const slash = typed.indexOf('/');
    if (slash !== -1 && typed.startsWith('//', slash)) continue;
    const suffix = c.registrableDomain.slice(c.registrableDomain.indexOf('.') + 1);
    if (ASCII_ONLY_SUFFIXES.has(suffix)) continue;
    const e = found.find((f) => f.input === c.input);
    const run = e === undefined ? '' : gluedRunBefore(text, e.start);
    const other = run === '' ? null : parseUrlText(run + c.input);
    if (other === null) continue;
    // The card shows the other reading, as the user sees it in the message: 「ログインamazon.jp」.
    const otherHost = other.hostname;
    c.url = other.href;
    c.host = otherHost.includes('xn--') ? domainToUnicode(otherHost) || otherHost : otherHost;
    c.registrableDomain = hostFacts(otherHost).registrable;
    delete c.hostUnicode;
    c.verdict = 'unknown-site';
    // What was said of the genuine page (its kind, its store) is no longer said; what the address itself shows is.
    c.reasons = ['glued-to-text', ...c.reasons.filter((r) => ADDRESS_REASONS.has(r)), 'not-on-known-lists'];
    delete c.pageKind;
    delete c.asin;
    delete c.sellerId;
    delete c.canonicalUrl;
  }
}

/** checkInContext for links with a label of their own (see checkAnchors). */
function withAnchors(text: string, found: readonly ExtractedUrl[], checks: LinkCheck[]): LinkCheck[] {
  if (found.length === 0 || !mayHoldAnchor(text)) return checks;
  const index = new Map<string, number>();
  for (let i = 0; i < checks.length; i++) if (!index.has(checks[i]!.url)) index.set(checks[i]!.url, i);
  const at: number[] = [];
  for (const e of found) {
    const i = index.get(e.url);
    if (i === undefined) return checks; // not built from this list of links
    at.push(i);
  }
  const hidden = checkAnchors(text, found, at, checks);
  return hidden.size === 0 ? checks : checks.filter((_, i) => !hidden.has(i));
}

/**
 * A link written defanged ("hxxps://…[.]…"), checked as the address it stands for: said so, since
 * the host shown is not written as typed. When that address is genuine Amazon (or a short link in
 * the form of Amazon's share links) but the text as typed holds a complete other host before a
 * defanged dot ("https://evil.top[.]amazon.co.jp/"), an app may open that host from the text as
 * it stands, so the text only reads as Amazon: the check is of that host, as dressed as Amazon.
 * (A defanged dot inside Amazon's own domain, "www.amazon.co[.]jp", leaves nothing else to open.)
 */
function checkDefanged(c: LinkCheck): LinkCheck {
  pushUnique(c.reasons, 'defanged-link');
  if (!c.verdict.startsWith('official') && !c.reasons.includes('shortlink-owner-unconfirmed')) return c;
  const typed = addressBeforeDefangedDot(c.input);
  if (typed === null) return c;
  const live = classifyUrl(typed);
  // The whole registrable domain after the dot: what comes before is only a subdomain of it.
  const before = live.host.length > 0 && c.host.startsWith(live.host + '.') && c.host.length - live.host.length - 1 >= (c.registrableDomain ?? '').length;
  if (!before || live.verdict.startsWith('official')) return c;
  live.input = c.input;
  live.verdict = 'impersonation';
  live.reasons = live.reasons.filter((r) => r !== 'not-on-known-lists');
  pushUnique(live.reasons, 'link-text-mismatch', 'defanged-link');
  return live;
}

/**
 * A link holding a control that reorders how text is shown (RLO and friends): what a person reads
 * is not the address. With the brand in it either way round ("\u202e/pj.oc.nozama.www" shows as
 * "www.amazon.co.jp/") it is dressed as Amazon. A genuine Amazon host stays genuine.
 */
function markBidi(check: LinkCheck, input: string): void {
  pushUnique(check.reasons, 'bidi-control');
  if (check.verdict.startsWith('official') || check.verdict === 'impersonation') return;
  const lower = input.normalize('NFKC').toLowerCase();
  if (mentionsBrand(lower) || mentionsBrand([...lower].reverse().join(''))) {
    check.verdict = 'impersonation';
    check.reasons = check.reasons.filter((r) => r !== 'not-on-known-lists');
  }
}

/** Cheap test for text that may hold a Markdown, HTML or Slack-style link with its own label. */
function mayHoldAnchor(text: string): boolean {
  return text.includes('](') || text.includes('|') || (text.includes('=') && /href/i.test(text));
}

const LABEL_MAX = 2000;

/**
 * Links written with a label of their own — Markdown "[label](href)", HTML
 * "<a href="href">label</a>", Slack "<href|label>" — whose label shows Amazon (an Amazon address
 * or the brand's name) while the href is not Amazon: the href is dressed as Amazon
 * (`link-text-mismatch`), and an Amazon address in the label, which is only text, is not
 * reported as a link of its own. Returns the indexes of the checks to leave out.
 */
function checkAnchors(text: string, found: readonly ExtractedUrl[], at: number[], checks: LinkCheck[]): Set<number> {
  const hidden = new Set<number>();
  for (let i = 0; i < found.length; i++) {
    const e = found[i]!;
    const label = anchorLabel(text, e);
    if (label === null) continue;
    const href = checks[at[i]!]!;
    if (leadsToAmazon(href)) continue;
    const inLabel: number[] = [];
    for (let j = 0; j < found.length; j++) {
      if (j !== i && found[j]!.start >= label[0] && found[j]!.end <= label[1]) inLabel.push(at[j]!);
    }
    const labelText = text.slice(label[0], label[1]).normalize('NFKC').toLowerCase();
    const officialInLabel = inLabel.filter((c) => leadsToAmazon(checks[c]!));
    if (officialInLabel.length === 0 && !mentionsBrand(labelText)) continue;
    href.verdict = 'impersonation';
    href.reasons = href.reasons.filter((r) => r !== 'not-on-known-lists');
    pushUnique(href.reasons, 'link-text-mismatch');
    for (const c of officialInLabel) if (c !== at[i]) hidden.add(c);
  }
  // A check hidden as a label but also found as a link elsewhere in the text stays.
  for (let i = 0; i < found.length; i++) {
    if (hidden.has(at[i]!) && anchorLabelContaining(text, found, i) === false) hidden.delete(at[i]!);
  }
  return hidden;
}

/** Whether found[i] lies inside the label of some anchor in the text. */
function anchorLabelContaining(text: string, found: readonly ExtractedUrl[], i: number): boolean {
  const e = found[i]!;
  for (const other of found) {
    if (other === e) continue;
    const label = anchorLabel(text, other);
    if (label !== null && e.start >= label[0] && e.end <= label[1]) return true;
  }
  return false;
}

/** Genuine Amazon, or a short link seen to arrive there with no worse stop on the way. */
function leadsToAmazon(c: LinkCheck): boolean {
  if (c.verdict.startsWith('official')) return true;
  const hops = c.hops;
  if (hops === undefined || hops.length < 2 || c.expandedTo === undefined) return false;
  return hops[hops.length - 1]!.verdict.startsWith('official') && hops.every((h) => h.verdict !== 'impersonation');
}

/**
 * The '[' that opens the Markdown label closed at `close`: brackets inside the label are skipped
 * when balanced, as CommonMark reads them ("[amazon[.]co[.]jp](…)", a label written defanged);
 * otherwise the nearest '[' (-1 when none).
 */
function labelOpening(text: string, close: number): number {
  let depth = 0;
  for (let i = close - 1; i >= 0 && close - i <= LABEL_MAX; i--) {
    const c = text.charCodeAt(i);
    if (c === 93) depth++;
    else if (c === 91) {
      if (depth === 0) return i;
      depth--;
    }
  }
  return text.lastIndexOf('[', close);
}

/** [start, end) of the label of the anchor whose href is `e`, or null when `e` is no href. */
function anchorLabel(text: string, e: ExtractedUrl): [number, number] | null {
  let s = e.start;
  let end = e.end;
  // Markdown "[label](href)" and "[label](<href>)".
  if (text.charCodeAt(s - 1) === 60 /* < */ && text.charCodeAt(s - 2) === 40 /* ( */) s--;
  if (text.charCodeAt(s - 1) === 40 && text.charCodeAt(s - 2) === 93 /* ] */) {
    const close = s - 2;
    const open = labelOpening(text, close);
    if (open === -1 || close - open > LABEL_MAX) return null;
    return [open + 1, close];
  }
  // Slack "<href|label>".
  if (text.charCodeAt(e.start - 1) === 60 && text.charCodeAt(end) === 124 /* | */) {
    const close = text.indexOf('>', end);
    if (close === -1 || close - end > LABEL_MAX) return null;
    return [end + 1, close];
  }
  // HTML "<a … href="href" …>label</a>".
  const before = text.slice(Math.max(0, e.start - 12), e.start);
  if (/href\s*=\s*["']?$/i.test(before)) {
    const tagEnd = text.indexOf('>', end);
    if (tagEnd === -1 || tagEnd - end > LABEL_MAX) return null;
    const lower = text.slice(tagEnd + 1, tagEnd + 1 + LABEL_MAX).toLowerCase();
    const close = lower.indexOf('</a');
    if (close === -1) return null;
    return [tagEnd + 1, tagEnd + 1 + close];
  }
  return null;
}
