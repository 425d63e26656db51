// Follows short links (amzn.to, amzn.asia, a.co, bit.ly …) to find where they really go, then
// classifies every hop. This is the only part of the link checker that touches the network, so it
// is fenced in:
//  - bounded: at most `maxHops` requests and `timeoutMs` in total (defaults 5 and 3 s);
//  - only http/https on ports 80/443; GET, headers only (the body is never read);
//  - SSRF guard: every hop's host is resolved first and refused if ANY address is private,
//    loopback, link-local, CGNAT, multicast, unspecified, IPv4-mapped IPv6 or otherwise not
//    public (ip-address.ts). The connection then goes to exactly the address that was checked
//    (http.request `lookup` option), so a second DNS answer cannot swap it (DNS rebinding);
//  - never throws: every failure becomes a reason code.

import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import type { LookupFunction } from 'node:net';
import { checkInContext, classifyUrl } from './classify-url.ts';
import { EXPANSION_TTL_MS, MemoryExpansionCache, type ExpansionCache, type ExpansionRecord } from './expansion-cache.ts';
import { extractUrls, isDefanged } from './extract-urls.ts';
import { isForbiddenAddress, isIpLiteral } from './ip-address.ts';
import { VERDICT_SEVERITY, type LinkCheck, type LinkHop, type LinkReasonCode, type LinkVerdict } from './link-check.ts';

export { MemoryExpansionCache, EXPANSION_TTL_MS, type ExpansionCache, type ExpansionRecord } from './expansion-cache.ts';

/** One address a host name resolves to. */
export interface ResolvedAddress {
  address: string;
  family: 4 | 6;
}

/** DNS lookup used by the expander; injectable so tests never use real DNS. */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

/** Options of expandLink / checkTextExpanded. */
export interface ExpandOptions {
  /** False turns expansion off (the `EXPAND_LINKS=false` setting); short links then say so. Default true. */
  enabled?: boolean;
  /** DNS lookup. Default: the system resolver (dns.lookup, all addresses). */
  resolver?: Resolver;
  /** Total time for one link, all hops together. Default 3000 ms. */
  timeoutMs?: number;
  /** Most HTTP requests for one link. Default 5. */
  maxHops?: number;
  /** Where results are kept for a day. Default: one shared in-memory LRU; null disables caching. */
  cache?: ExpansionCache | null;
  /**
   * TEST HOOK ONLY: exact `host:port` pairs (as in the URL, e.g. `bit.ly:43567`) exempt from the
   * port rule and the private-address rule. Lets tests run a redirecting server on 127.0.0.1.
   * Never set it from configuration.
   */
  allowPrivateFor?: readonly string[];
  /** User-Agent header sent. */
  userAgent?: string;
}

const DEFAULT_TIMEOUT_MS = 3000;
const DEFAULT_MAX_HOPS = 5;
const DEFAULT_USER_AGENT = 'Mozilla/5.0 (compatible; MamoriLinkCheck/0.1; +https://github.com/mamori)';
const sharedCache = new MemoryExpansionCache({ maxEntries: 5000 });

/** Verdicts whose destination is unknown until the link is followed. */
const EXPANDABLE: ReadonlySet<LinkVerdict> = new Set(['shortener', 'official-shortlink']);
/** Hops we do not need to request: we already know what they are. */
const NO_FETCH: ReadonlySet<LinkVerdict> = new Set(['impersonation', 'official-listing', 'official-other', 'other-marketplace']);
const UNRESOLVED_REASONS: ReadonlySet<LinkReasonCode> = new Set(['shortlink-not-expanded', 'shortlink-owner-unconfirmed', 'shortener-destination-unknown']);

const defaultResolver: Resolver = async (hostname) => {
  const answers = await dns.lookup(hostname, { all: true, verbatim: true });
  return answers.map((a) => ({ address: a.address, family: a.family === 6 ? 6 : 4 }));
};

type HopOutcome = { status: number; location?: string } | { failure: NonNullable<ExpansionRecord['failure']> };

class Deadline {
  readonly controller = new AbortController();
  readonly #timer: ReturnType<typeof setTimeout>;
  constructor(ms: number) {
    this.#timer = setTimeout(() => this.controller.abort(), Math.max(0, ms));
    this.#timer.unref?.();
  }
  get signal(): AbortSignal {
    return this.controller.signal;
  }
  /** Races a promise against the deadline. */
  race<T>(p: Promise<T>): Promise<T> {
    const signal = this.signal;
    if (signal.aborted) return Promise.reject(new Error('deadline'));
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => reject(new Error('deadline'));
      signal.addEventListener('abort', onAbort, { once: true });
      p.then(
        (v) => {
          signal.removeEventListener('abort', onAbort);
          resolve(v);
        },
        (e: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(e);
        },
      );
    });
  }
  dispose(): void {
    clearTimeout(this.#timer);
  }
}

function requestHeaders(u: URL, target: ResolvedAddress, port: number, deadline: Deadline, userAgent: string): Promise<{ status: number; location?: string }> {
  return new Promise((resolve, reject) => {
    const host = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
    // Connect to the address we checked, whatever DNS would say now.
    const lookup: LookupFunction = (_hostname, options, callback) => {
      if (options.all) callback(null, [{ address: target.address, family: target.family }]);
      else callback(null, target.address, target.family);
    };
    const requestOptions: https.RequestOptions = {
      method: 'GET',
      host,
      port,
      path: u.pathname + u.search,
      headers: { 'user-agent': userAgent, accept: 'text/html,*/*;q=0.8', 'accept-language': 'ja,en;q=0.8' },
      agent: false,
      signal: deadline.signal,
      lookup,
    };
    const onResponse = (res: http.IncomingMessage) => {
      const status = res.statusCode ?? 0;
      const location = res.headers.location;
      // Headers are all we need: never read the body.
      res.destroy();
      req.destroy();
      resolve(typeof location === 'string' ? { status, location } : { status });
    };
    const req = u.protocol === 'https:' ? https.request(requestOptions, onResponse) : http.request(requestOptions, onResponse);
    req.on('error', reject);
    req.end();
  });
}

async function requestHop(url: string, options: Required<Pick<ExpandOptions, 'resolver' | 'userAgent'>> & ExpandOptions, deadline: Deadline): Promise<HopOutcome> {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return { failure: 'expansion-failed' };
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return { failure: 'expansion-failed' };
  const port = u.port === '' ? (u.protocol === 'https:' ? 443 : 80) : Number(u.port);
  const exempt = options.allowPrivateFor?.includes(`${u.hostname}:${port}`) === true;
  if (!exempt && u.port !== '') return { failure: 'expansion-blocked-port' };

  const bare = u.hostname.startsWith('[') ? u.hostname.slice(1, -1) : u.hostname;
  let addresses: ResolvedAddress[];
  if (isIpLiteral(bare)) {
    addresses = [{ address: bare, family: bare.includes(':') ? 6 : 4 }];
  } else {
    try {
      addresses = await deadline.race(options.resolver(bare));
    } catch {
      return { failure: deadline.signal.aborted ? 'expansion-timeout' : 'expansion-failed' };
    }
  }
  if (!Array.isArray(addresses) || addresses.length === 0) return { failure: 'expansion-failed' };
  // Any internal answer refuses the hop: a name with one public and one private address is an
  // attack, not an accident.
  if (!exempt && addresses.some((a) => isForbiddenAddress(a.address))) return { failure: 'expansion-blocked-address' };

  try {
    return await requestHeaders(u, addresses[0]!, port, deadline, options.userAgent);
  } catch {
    return { failure: deadline.signal.aborted ? 'expansion-timeout' : 'expansion-failed' };
  }
}

/** Follows redirects from `start`; pure record of what was seen (classified later). */
async function follow(start: string, options: Required<Pick<ExpandOptions, 'resolver' | 'userAgent'>> & ExpandOptions): Promise<ExpansionRecord> {
  const maxHops = Math.max(1, options.maxHops ?? DEFAULT_MAX_HOPS);
  const deadline = new Deadline(options.timeoutMs ?? DEFAULT_TIMEOUT_MS);
  const hops: ExpansionRecord['hops'] = [];
  try {
    let current = start;
    let requests = 0;
    for (;;) {
      const hop: ExpansionRecord['hops'][number] = { url: current };
      hops.push(hop);
      const check = classifyUrl(current);
      if (hops.length > 1 && NO_FETCH.has(check.verdict)) return { hops };
      if (check.reasons.includes('invalid-url') || check.reasons.includes('unsupported-scheme')) return { hops };
      if (requests >= maxHops) return { hops, failure: 'expansion-too-many-hops' };
      const outcome = await requestHop(current, options, deadline);
      requests++;
      if ('failure' in outcome) return { hops, failure: outcome.failure };
      hop.status = outcome.status;
      if (outcome.status < 300 || outcome.status > 399 || outcome.location === undefined) return { hops };
      let nextUrl: string;
      try {
        nextUrl = new URL(outcome.location, current).href;
      } catch {
        return { hops, failure: 'expansion-failed' };
      }
      current = nextUrl;
    }
  } finally {
    deadline.dispose();
  }
}

function pushUnique(list: LinkReasonCode[], codes: readonly LinkReasonCode[]): void {
  for (const c of codes) if (!list.includes(c)) list.push(c);
}

/**
 * Turns an expansion record into the final LinkCheck. Each hop is classified again; hops that
 * were short links and redirected onwards are resolved and do not count, every other hop does,
 * and the verdict is the worst of them (VERDICT_SEVERITY).
 */
function summarise(first: LinkCheck, record: ExpansionRecord): LinkCheck {
  const checks = record.hops.map((h) => classifyUrl(h.url));
  const hops: LinkHop[] = record.hops.map((h, i) => {
    const hop: LinkHop = { url: h.url, verdict: checks[i]!.verdict };
    if (h.status !== undefined) hop.status = h.status;
    return hop;
  });
  const last = checks[checks.length - 1]!;
  const reasons: LinkReasonCode[] = [];
  if (checks.length > 1) reasons.push('short-link-expanded');
  let verdict: LinkVerdict | undefined;
  for (let i = checks.length - 1; i >= 0; i--) {
    const c = checks[i]!;
    const resolved = i < checks.length - 1 && EXPANDABLE.has(c.verdict);
    if (resolved) continue;
    if (verdict === undefined || VERDICT_SEVERITY[c.verdict] > VERDICT_SEVERITY[verdict]) verdict = c.verdict;
    const own = i === checks.length - 1 || !EXPANDABLE.has(c.verdict) ? c.reasons : c.reasons.filter((r) => !UNRESOLVED_REASONS.has(r));
    pushUnique(reasons, own);
  }
  if (record.failure !== undefined) pushUnique(reasons, [record.failure]);
  else if (EXPANDABLE.has(last.verdict)) pushUnique(reasons, ['expansion-no-redirect']);

  const out: LinkCheck = {
    input: first.input,
    url: first.url,
    host: first.host,
    registrableDomain: first.registrableDomain,
    verdict: verdict ?? first.verdict,
    reasons,
  };
  if (first.hostUnicode !== undefined) out.hostUnicode = first.hostUnicode;
  for (const key of ['pageKind', 'asin', 'sellerId', 'marketplace', 'affiliateTag', 'canonicalUrl', 'otherMarketplace', 'wrapped'] as const) {
    if (last[key] !== undefined) (out as unknown as Record<string, unknown>)[key] = last[key];
  }
  if (checks.length > 1) out.expandedTo = last.url;
  out.hops = hops;
  return out;
}

/** The check of a short link written defanged, which is not followed (see checkTextExpanded). */
function notFollowed(url: string): LinkCheck {
  const check = classifyUrl(url);
  if (EXPANDABLE.has(check.verdict)) check.reasons.push('defanged-link', 'expansion-skipped-defanged');
  return check;
}

/**
 * Classifies a URL and, when it is a short link, follows it to its destination (bounded,
 * SSRF-guarded, cached for a day) and reports the worst verdict seen along the way. Other URLs
 * are classified without any network access. Never throws.
 */
export async function expandLink(url: string, options: ExpandOptions = {}): Promise<LinkCheck> {
  const first = classifyUrl(url);
  if (!EXPANDABLE.has(first.verdict)) return first;
  if (options.enabled === false) {
    first.reasons.push('expansion-disabled');
    return first;
  }
  try {
    const cache = options.cache === undefined ? sharedCache : options.cache;
    const key = first.url;
    let record: ExpansionRecord | undefined;
    if (cache !== null) record = await cache.get(key).catch(() => undefined);
    if (record === undefined || !Array.isArray(record.hops) || record.hops.length === 0) {
      record = await follow(first.url, { ...options, resolver: options.resolver ?? defaultResolver, userAgent: options.userAgent ?? DEFAULT_USER_AGENT });
      // Time-outs and network errors are passing faults: do not remember them for a day.
      const transient = record.failure === 'expansion-timeout' || record.failure === 'expansion-failed';
      if (cache !== null && !transient) await cache.set(key, record, EXPANSION_TTL_MS).catch(() => undefined);
    }
    return summarise(first, record);
  } catch {
    first.reasons.push('expansion-failed');
    return first;
  }
}

/**
 * Like checkText, but short links are expanded (see expandLink). Links are checked in parallel;
 * each keeps its own time budget. Never throws.
 *
 * A short link written only defanged ("hxxps://bit[.]ly/…") is not followed. Whoever wrote it so
 * meant it not to be opened: most often a warning the user was given, which prints the links of a
 * campaign (or made-up examples of them), not one the user must open. Following it would request
 * the scammer's link (and count as a click on it) to learn what the warning already says, and an
 * example may lead to someone else's page. The check says the short link was not opened and that
 * its destination is unknown (`expansion-skipped-defanged`). The same link also written live in
 * the text is followed as any live link.
 */
export async function checkTextExpanded(text: string, options: ExpandOptions = {}): Promise<LinkCheck[]> {
  const found = extractUrls(text);
  const seen = new Set<string>();
  const live = new Set<string>();
  const unique = found.filter((e) => {
    if (!isDefanged(e.input)) live.add(e.url);
    if (seen.has(e.url)) return false;
    seen.add(e.url);
    return true;
  });
  const checks = await Promise.all(
    unique.map(async (e) => {
      const check = live.has(e.url) || options.enabled === false ? await expandLink(e.url, options) : notFollowed(e.url);
      check.input = e.input;
      return check;
    }),
  );
  try {
    return checkInContext(text, found, checks);
  } catch {
    return checks;
  }
}
