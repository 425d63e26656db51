// Finds links in free text as people paste it into a chat: Japanese sentences glued to URLs,
// full-width characters, links without a scheme, Markdown, angle brackets, several per message,
// and links written defanged in security warnings ("hxxps://amazon-co-jp[.]example[.]com").
//
// One left-to-right scan, no backtracking regexes: every candidate starts at a boundary and the
// scan resumes after it, so the cost is linear in the text length (chat input is untrusted and a
// catastrophic regex would be a denial of service). A text whose spaced defanged notation reads
// as no address is scanned again without it, a bounded number of times (findUrls), which keeps it
// linear. Characters are folded on the fly
// (full-width ASCII → ASCII) so the raw `input` substring can be reported as it was typed.

import { domainToASCII } from 'node:url';
import { parse as parseDomain } from 'tldts';
import { SUSPICIOUS_TLDS } from './domain-lists.ts';

/** One link found in a text. */
export interface ExtractedUrl {
  /** The link exactly as it appears in the text. */
  input: string;
  /**
   * Normalised absolute URL (NFKC, zero-width characters removed, scheme added, defanged notation
   * such as "hxxps" and "[.]" undone, WHATWG `href`).
   */
  url: string;
  /** Start offset of `input` in the text (UTF-16 code units). */
  start: number;
  /** End offset (exclusive). */
  end: number;
}

// ASCII character classes, one bit each, precomputed once.
const C_ALNUM = 1;
const C_HOST = 2; // may appear in a host name
const C_PATH = 4; // may appear in path, query or fragment
const C_AUTH = 8; // extra characters allowed in an authority after an explicit scheme
const C_TRAIL = 16; // trimmed from the end: sentence punctuation
const C_KEEP = 32; // after a non-ASCII run inside a path, these say the run is a slug, not prose
const ASCII = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  const ch = String.fromCharCode(c);
  let f = 0;
  if (/[A-Za-z0-9]/.test(ch)) f |= C_ALNUM | C_HOST | C_PATH;
  if ('-_.'.includes(ch)) f |= C_HOST;
  // RFC 3986 unreserved + reserved + '%'. Excluded on purpose: space, < > " ` { } | \ ^, which
  // end a link in chat text (angle brackets around links, quotes).
  if ("-._~:/?#[]@!$&'()*+,;=%".includes(ch)) f |= C_PATH;
  if ("[]%~!$&'*+,;=".includes(ch)) f |= C_AUTH;
  if ('.,!?:;\'"*'.includes(ch)) f |= C_TRAIL;
  if ('/-_?#&=%+'.includes(ch)) f |= C_KEEP;
  ASCII[c] = f;
}

/** Full-width ASCII (U+FF01–FF5E) folds to ASCII; everything else is returned unchanged. */
function fold(c: number): number {
  return c >= 0xff01 && c <= 0xff5e ? c - 0xfee0 : c;
}

/**
 * Zero-width and invisible formatting characters: dropped inside a link. Bidirectional controls
 * (LRM/RLM/ALM, embeddings and overrides U+202A–202E, isolates U+2066–2069) are among them: apps
 * wrap links in them, and a phisher can hide them inside a host ("amazon.co.jp\u2066.evil.top")
 * so that the text a person reads differs from what a strict parser accepts. Dropping them
 * checks the address the person sees (classify-url.ts also flags the reordering ones).
 */
function isIgnorable(c: number): boolean {
  return (
    c === 0x200b ||
    c === 0x200c ||
    c === 0x200d ||
    c === 0x2060 ||
    c === 0xfeff ||
    c === 0xad ||
    c === 0x180e ||
    c === 0x200e ||
    c === 0x200f ||
    c === 0x061c ||
    (c >= 0x202a && c <= 0x202e) ||
    (c >= 0x2066 && c <= 0x2069)
  );
}

/** Whether `s` holds a bidirectional control that reorders the text shown (embedding, override, isolate). */
export function hasReorderingBidiControl(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if ((c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069)) return true;
  }
  return false;
}

/** Ideographic full stops, which IDNA maps to '.' in host names (`amazon。co。jp`). */
function isIdeographicDot(c: number): boolean {
  return c === 0x3002 || c === 0xff61;
}

/**
 * Non-ASCII letters that may start a link and always continue a host: Latin with diacritics, IPA,
 * Greek, Cyrillic, Armenian — the scripts homograph attacks borrow from. Other non-ASCII
 * characters (Japanese, Chinese, emoji…) may be host too, but text written in them is glued to
 * links all the time, so where they belong is decided by the rules at HOST RUNS below.
 */
function isHostLetter(c: number): boolean {
  return (c >= 0xc0 && c <= 0x2af && c !== 0xd7 && c !== 0xf7) || (c >= 0x370 && c <= 0x58f) || (c >= 0x1e00 && c <= 0x1eff);
}

/** Characters that always end a link: spaces, CJK punctuation and quotes, line separators. */
function isBreak(c: number): boolean {
  if (c <= 0x20 || c === 0x7f) return true;
  if (c < 0x80) return false;
  return (
    c === 0x85 ||
    c === 0xa0 ||
    c === 0x1680 ||
    (c >= 0x2000 && c <= 0x200a) ||
    (c >= 0x2010 && c <= 0x202f) || // dashes, quotes, bullets, ellipsis, line separators
    c === 0x205f ||
    (c >= 0x3000 && c <= 0x3004) || // ideographic space, 、。〃〄
    (c >= 0x3008 && c <= 0x3020) || // 〈〉《》「」『』【】〔〕〖〗〘〙〚〛〜〝〞〟〠
    (c >= 0xff5f && c <= 0xff65) // ｟｠｡｢｣､･
  );
}

/**
 * A character a URL parser would take into an internationalised host label: non-ASCII (and not
 * full-width ASCII), not a break, not an ideographic full stop, not invisible.
 */
function isIdnChar(raw: number): boolean {
  return raw >= 0x80 && fold(raw) >= 0x80 && !isBreak(raw) && !isIgnorable(raw) && !isIdeographicDot(raw);
}

// HOST RUNS. A run of non-ASCII characters (isIdnChar) met while reading a host is
//  1. host when it starts the host ("https://アマゾン.co.jp"; "アマゾン.co.jp" in text, where the
//     name after it is only a public suffix and cannot stand alone — before a complete name,
//     "ソニー.amazon.co.jp", "です．amzn.to", the run is prose, as ASCII prose before one is);
//  2. host when, after a scheme, it starts a label of its own (after '.' or '@'):
//     "https://amazon.co.jp.アマゾン.com/" is a host under アマゾン.com whatever the TLD, exactly as
//     a browser reads it;
//  3. otherwise host only if the whole host then ends in a TLD on the Public Suffix List, and
//     - glued to the label before it ("amazon.co.jpアマゾン.com"): only when that label goes on to
//       a dot and more host. Without a scheme the run itself must end at the dot; with one, ASCII
//       letters may follow it inside the label ("https://amazon.co.jpアマゾンjp.com").
//     - after a dot, without a scheme ("amazon.co.jp.アマゾン.com"): no other condition.
//    If not, the host ends where the run starts and the run is prose: "amazon.co.jpで買った",
//    "https://www.amazon.co.jpです", "amazon.co.jp.で買った".
// Why: a run glued after a complete host with no dot after it is how Japanese sentences continue
// ("…jpで", "…jpです"), while a label followed by a dot and more host can only be a host name. A
// link with a scheme is opened as the browser parses it, so any label it would read as host is
// host. Without a scheme nothing is opened until an app guesses a link, and link detectors
// (linkify-it, linkifyjs, twitter-text) accept scheme-less names only when they end in a known
// TLD; there, Japanese between two names joined by a particle ("amazon.co.jpとrakuten.co.jp") is
// prose, and so is Japanese right before a name ("詳しくはamazon.co.jp"; where such letters and the name would make
// another registrable name, "ログインamazon.jp", classify-url.ts says so: see gluedRunBefore). A TLD that does not exist cannot be reached, so
// reading such a run as prose cannot hide a reachable non-Amazon host. Ideographic full stops
// followed by non-ASCII text, and CJK punctuation, stay sentence breaks (registries do not allow
// punctuation in names).
/** DNS limits (RFC 1035): bounds every look-ahead, so the scan stays linear. */
const MAX_LABEL = 63;
const MAX_HOST = 253;

/**
 * Rule 3, glued case: from `from` (a non-ASCII run glued to a label), whether the label goes on
 * to a dot followed by more host. `mixed`: ASCII letters, digits, '-' and '_' may come between.
 */
function labelGoesOnToDot(text: string, from: number, mixed: boolean): boolean {
  const n = text.length;
  const limit = Math.min(n, from + MAX_LABEL);
  for (let j = from; j < limit; j++) {
    const raw = text.charCodeAt(j);
    const c = fold(raw);
    if (c === 46) {
      if (j + 1 >= n) return false;
      const next = fold(text.charCodeAt(j + 1));
      return next < 128 ? (ASCII[next]! & C_HOST) !== 0 : isIdnChar(text.charCodeAt(j + 1));
    }
    if (c < 128) {
      if (!mixed || !(ASCII[c]! & C_HOST)) return false;
    } else if (!isIdnChar(raw) && !isIgnorable(raw)) return false;
  }
  return false;
}

/**
 * A host with a scheme cut by a line break right after '.' or '-' at `lineBreak`, as text copied
 * from a wrapped e-mail or a narrow screen arrives: "https://www.amazon.co.jp.\nsecure-login.top/".
 * Read as two links, the first would look like genuine Amazon while the address really opened is
 * www.amazon.co.jp.secure-login.top. Returns where the host goes on (after the line break), or -1.
 * It goes on only when the next line starts with host characters, up to the end of the host,
 * that end in a known TLD, and when they hold a dot themselves unless the text before the break
 * is no complete name yet ("https://amazon-co-jp.\ntop/"): so "https://www.amazon.co.jp.\nShop
 * now" stays a link followed by prose. URL parsers drop ASCII line breaks, so the joined input
 * parses as the joined host.
 */
function hostContinuesAfterLineBreak(text: string, authStart: number, lineBreak: number, interiorDot: boolean): number {
  const n = text.length;
  const last = fold(text.charCodeAt(lineBreak - 1));
  if (lineBreak - 1 <= authStart || last >= 128 || !(ASCII[last]! & C_HOST)) return -1;
  let j = lineBreak;
  if (text.charCodeAt(j) === 13) j++;
  if (j < n && text.charCodeAt(j) === 10) j++;
  // Cut before the dot instead ("https://www.amazon.co.jp\n.evil.top/"): a line does not start
  // with a dot in prose.
  const leadingDot = j < n && fold(text.charCodeAt(j)) === 46;
  if (last !== 46 && last !== 45 && !leadingDot) return -1;
  if (leadingDot && (last === 46 || last === 45)) return -1;
  const from = leadingDot ? j + 1 : j;
  let e = from;
  let lastDot = -1;
  while (e < n && e - from <= MAX_HOST) {
    const c = fold(text.charCodeAt(e));
    if (c >= 128 || !(ASCII[c]! & C_HOST)) break;
    if (c === 46) lastDot = e;
    e++;
  }
  if (e === from || e - from > MAX_HOST || !(ASCII[fold(text.charCodeAt(from))]! & C_ALNUM)) return -1;
  // The host must end here: end of text, a break, a path, a port, or text in another script.
  if (e < n) {
    const raw = text.charCodeAt(e);
    const c = fold(raw);
    if (c < 128 ? !(c === 47 || c === 63 || c === 35 || c === 58 || c <= 32 || ASCII[c]! & C_TRAIL) : !isBreak(raw) && !isIdnChar(raw)) return -1;
  }
  let end = e;
  while (end > from && fold(text.charCodeAt(end - 1)) === 46) end--;
  const dot = lastDot >= end ? -1 : lastDot;
  if (dot === -1 && interiorDot && !leadingDot) return -1;
  let tld = '';
  for (let x = dot === -1 ? from : dot + 1; x < end; x++) tld += String.fromCharCode(fold(text.charCodeAt(x)));
  tld = tld.toLowerCase();
  if (!/^[a-z]{2,}$/.test(tld) && !tld.startsWith('xn--')) return -1;
  return isKnownTld(tld) ? j : -1;
}

/** End of a run of non-ASCII host characters starting at `from`. */
function skipIdnRun(text: string, from: number): number {
  let j = from;
  while (j < text.length) {
    const raw = text.charCodeAt(j);
    if (isIdnChar(raw) || isIgnorable(raw)) j++;
    else break;
  }
  return j;
}

/** Whether the host in `text[from, to)` (an authority: user info and port allowed) ends in a known TLD. */
function endsInKnownTld(text: string, from: number, to: number): boolean {
  let host = '';
  for (let h = from; h < to; h++) {
    const raw = text.charCodeAt(h);
    if (isIgnorable(raw)) continue;
    host += isIdeographicDot(raw) ? '.' : String.fromCharCode(fold(raw));
  }
  host = host.slice(host.lastIndexOf('@') + 1).toLowerCase();
  const colon = host.indexOf(':');
  if (colon !== -1) host = host.slice(0, colon);
  host = host.replace(/\.+$/, '');
  let tld = host.slice(host.lastIndexOf('.') + 1);
  if (tld.length === 0) return false;
  if (hasNonAscii(tld)) {
    tld = domainToASCII(tld);
    if (tld === '') return false;
  }
  return isKnownTld(tld);
}

/**
 * When the last label of the host in `text[from, to)` is non-ASCII text that begins with a known
 * TLD ("みんなです"), where that TLD ends; else -1.
 */
function knownTldGluedToText(text: string, from: number, to: number): number {
  while (to > from && fold(text.charCodeAt(to - 1)) === 46) to--; // "…みんなを見て."
  let labelStart = to;
  while (labelStart > from) {
    const raw = text.charCodeAt(labelStart - 1);
    if (!isIdnChar(raw) && !isIgnorable(raw)) break;
    labelStart--;
  }
  if (labelStart === to || labelStart === from || fold(text.charCodeAt(labelStart - 1)) !== 46) return -1;
  for (let e = Math.min(to - 1, labelStart + 12); e > labelStart; e--) {
    const tld = domainToASCII(text.slice(labelStart, e));
    if (tld !== '' && isKnownTld(tld)) return e;
  }
  return -1;
}

const SCHEMES = new Map<string, string>([
  ['http', 'http'],
  ['https', 'https'],
  // 2ch-style "ttp://" (the h dropped to stop auto-linking) and defanged "hxxp://".
  ['ttp', 'http'],
  ['ttps', 'https'],
  ['hxxp', 'http'],
  ['hxxps', 'https'],
]);
const SCHEMES_LONGEST_FIRST = [...SCHEMES.keys()].sort((a, b) => b.length - a.length);

// TLDs that are also common file extensions: a bare "README.md" or "setup.py" is not a link.
// Only applied to a bare host with no scheme, no "www." and no path.
const FILE_LIKE_TLDS = new Set(['md', 'py', 'sh', 'rs', 'pl', 'pm', 'ps', 'so', 'zip', 'mov', 'cc', 'ts', 'js', 'json', 'csv', 'txt', 'png', 'jpg', 'gif', 'pdf']);

const tldCache = new Map<string, boolean>();
/** True when the TLD is on the ICANN section of the Public Suffix List. */
function isKnownTld(tld: string): boolean {
  let known = tldCache.get(tld);
  if (known === undefined) {
    known = parseDomain('x.' + tld, { allowPrivateDomains: false, extractHostname: false, validateHostname: false }).isIcann === true;
    if (tldCache.size > 4096) tldCache.clear();
    tldCache.set(tld, known);
  }
  return known;
}

function isIpv4Dotted(host: string): boolean {
  const parts = host.split('.');
  if (parts.length !== 4) return false;
  for (const p of parts) {
    if (p.length === 0 || p.length > 3) return false;
    for (let i = 0; i < p.length; i++) {
      const c = p.charCodeAt(i);
      if (c < 48 || c > 57) return false;
    }
    if (Number(p) > 255) return false;
  }
  return true;
}

/** Host-name validation for a link found without a scheme (prose is full of "word.word"). */
function isPlausibleBareHost(host: string, hasPathOrPort: boolean): boolean {
  if (hasNonAscii(host)) {
    // Judge an internationalised name by its ASCII (punycode) form, as the URL parser will.
    host = domainToASCII(host);
    if (host === '') return false;
  }
  if (isIpv4Dotted(host)) return hasPathOrPort;
  const lastDot = host.lastIndexOf('.');
  if (lastDot <= 0) return false;
  const first = host.charCodeAt(0);
  if (first === 45 /* - */ || first === 46 /* . */ || first === 95 /* _ */) return false;
  if (host.includes('..')) return false;
  const tld = host.slice(lastDot + 1);
  if (tld.length < 2) return false;
  if (!tld.startsWith('xn--')) {
    for (let i = 0; i < tld.length; i++) {
      const c = tld.charCodeAt(i);
      if (c < 97 || c > 122) return false;
    }
  }
  if (!isKnownTld(tld)) return false;
  if (!hasPathOrPort && FILE_LIKE_TLDS.has(tld) && !host.startsWith('www.')) return false;
  return true;
}

function hasNonAscii(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (s.charCodeAt(i) >= 0x80) return true;
  return false;
}

function stripIgnorables(s: string): string {
  let out = '';
  let from = 0;
  for (let i = 0; i < s.length; i++) {
    if (isIgnorable(s.charCodeAt(i))) {
      out += s.slice(from, i);
      from = i + 1;
    }
  }
  return from === 0 ? s : out + s.slice(from);
}

const SCHEME_RE = /^([a-z][a-z0-9+-]*):/i;

/**
 * Parses a link as typed (full-width, zero-width characters, missing or defanged scheme) into a
 * WHATWG URL, or null when it is not a URL at all. Never throws.
 */
export function parseUrlText(raw: string): URL | null {
  // Fast path: already an ASCII http(s) URL (what the extractor and most callers hand over).
  const c0 = raw.charCodeAt(0);
  if ((c0 === 104 || c0 === 72) && /^https?:\/\//i.test(raw) && !hasNonAscii(raw)) return URL.parse(raw);
  let s = raw.trim();
  if (hasNonAscii(s)) s = stripIgnorables(s).normalize('NFKC');
  const m = SCHEME_RE.exec(s);
  let scheme = m ? m[1]!.toLowerCase() : null;
  // "localhost:8080/x" or "example:80": what looks like a scheme is a host with a port.
  if (scheme !== null && /^\d/.test(s.slice(scheme.length + 1))) scheme = null;
  if (scheme === null) {
    s = 'https://' + s.replace(/^\/+/, '');
  } else if (SCHEMES.has(scheme) && scheme !== 'http' && scheme !== 'https') {
    s = SCHEMES.get(scheme)! + s.slice(scheme.length);
  }
  return URL.parse(s);
}

/** Like parseUrlText, but returns the normalised absolute URL string (`href`). */
export function normaliseUrlText(raw: string): string | null {
  const parsed = parseUrlText(raw);
  return parsed === null ? null : parsed.href;
}

/**
 * Quick rejection: every link needs a dot (ASCII, full-width or ideographic) or a colon
 * (scheme, IPv6). Most chat messages have neither, or only the Japanese full stop.
 */
function mayContainUrl(text: string): boolean {
  return (
    text.indexOf('.') !== -1 ||
    text.indexOf(':') !== -1 ||
    text.indexOf('\uff0e') !== -1 ||
    text.indexOf('\uff1a') !== -1 ||
    text.indexOf('\u3002') !== -1 ||
    text.indexOf('\uff61') !== -1
  );
}

function isHostStart(c: number): boolean {
  return c < 128 ? (ASCII[c]! & C_ALNUM) !== 0 : isHostLetter(c);
}

/**
 * Finds every link in `text`, in order. Handles full-width characters, links glued to Japanese
 * text and punctuation, scheme-less links with a known TLD, Markdown and angle brackets, and
 * keeps `user@host` links whole so the classifier sees the trick. Never throws.
 */
export function extractUrls(text: string): ExtractedUrl[] {
  return findUrls(text).map(({ input, url, start, end }) => ({ input, url, start, end }));
}

/** An extracted link plus its parsed URL (internal: saves the classifier a second parse). */
export interface FoundUrl extends ExtractedUrl {
  parsed: URL;
}

/** extractUrls, keeping the parsed URL of each link. For the classifier; prefer extractUrls. */
export function findUrls(text: string): FoundUrl[] {
  if (typeof text !== 'string' || text.length === 0) return [];
  // Spaced notations are kept only inside links that read as addresses (see SPACED NOTATION);
  // the others are left as the text they are and the text is read again. Each round leaves out
  // more of them, so this ends; after MAX_SPACED_ROUNDS (never in practice) all are left out.
  let refused: Set<number> | 'all' | undefined;
  for (let round = 1; ; round++) {
    const refanged = refang(text, refused);
    if (refanged === null) return scanText(text);
    // Scan the address each defanged link stands for; report it as it was typed (offsets into `text`).
    const found = scanText(refanged.text);
    const unread = spacedOutsideAddresses(refanged, found);
    if (unread.length > 0) {
      if (round >= MAX_SPACED_ROUNDS) refused = 'all';
      else {
        refused = refused instanceof Set ? refused : new Set();
        for (const at of unread) refused.add(at);
      }
      continue;
    }
    for (const f of found) {
      f.start = refanged.from[f.start]!;
      f.end = refanged.from[f.end]!;
      f.input = text.slice(f.start, f.end);
    }
    return found;
  }
}

// DEFANGED LINKS. Security warnings (the Council of Anti-Phishing Japan, CERTs, news sites,
// companies' notices) print a dangerous address so that no app turns it into a link, and a
// person who got a message may paste one and ask whether it is the page they got. Each such link
// is read as the address it stands for ("refanged") and gets the verdict that address gets:
//  - "hxxp", "hxxps" (any case) before "://" or a colon written as below: "http", "https";
//  - "[:]", "(:)", "{:}" between a scheme's letters and "//": ":"; "[://]" before a host: "://";
//  - "[.]", "(.)", "{.}", "[dot]", "(dot)", "{dot}" between two labels of a host: ".";
//  - "[/]", "(/)", "{/}" right after a host or path character: "/".
// Full-width brackets, dots and letters count too ("［.］", "[．]"). A notation counts only where
// it joins parts of an address, which keeps prose as it is: brackets around words, "[.]" on its
// own, an emoticon "(.)", a Markdown label "[amazon.co.jp](…)". Square brackets may also touch a
// non-ASCII label ("アマゾン[.]com"); round and curly ones, common in prose and emoticons, join
// only ASCII. Invisible characters next to a dot are looked through, and the dot may end or
// start a line (a host wrapped in the warning: hostContinuesAfterLineBreak decides whether the
// lines join, as it does for an ordinary link).
//
// SPACED NOTATION. Some warnings also put a space on each side of a dot ("example [.] com",
// "amazon-co-jp [.] secure-verify [.] top/login") or around a scheme's colon ("hxxps [:] //…",
// "hxxps[:] //…"). One space (ASCII, no-break or ideographic) counts, between ASCII labels only
// (Japanese text is written with spaces around brackets too: 「正規表現の [.] は」), and a colon
// only after a whole scheme ("hxxps", "https"…). Spaced, the notation also sits between two
// words of a sentence about notation ("The pattern [.] is a literal dot", "Use [.] to match"),
// whose next word is often a TLD (.is, .to, .in, .me, even .next …). So a spaced notation is kept
// only inside a link that reads as an address by more than the word after its last dot: one with
// a scheme, with a path, query, fragment or port, with two spaced dots or more, or whose TLD is
// one of SPACED_HOST_TLDS, unless the word after its last dot is capitalised like the first word of a
// sentence ("amazon.co.jp [.] Shop now": hosts are typed in one case, and .shop is a TLD). Any other is
// left as text, and so cannot join a word to a link before it either ("See amazon.co.jp [.] Next
// time" keeps amazon.co.jp). A slash between spaces is a
// slash between words ("A [/] B"), never read.

/** The text with defanged notation undone (see DEFANGED LINKS), and where each character came from. */
interface Refanged {
  text: string;
  /** Start offset in the original text of each character of `text`, then the original length. */
  from: Int32Array;
  /** The spaced notations undone (SPACED NOTATION), in order: offset in `text`, offset in the original, whether a dot. */
  spaced: Array<{ at: number; start: number; dot: boolean }>;
}

/** Invisible characters looked through on each side of a defanged dot (bounded: the scan stays linear). */
const DEFANG_LOOK = 4;

/** Rounds of findUrls that leave out spaced notations which read as no address, before leaving out all. */
const MAX_SPACED_ROUNDS = 3;

/**
 * TLDs that make a host with a spaced dot an address on their own ("example [.] com"): the generic
 * ones, Japan's, .co (mistaken for .co.jp, domain-facts §3), the ones phishing favours
 * (SUSPICIOUS_TLDS) and some country ones. Not the TLDs that are also short English words (is,
 * in, to, me, at, it, us, be, do, my, so, no, next …), which follow a spaced "[.]" in sentences
 * about notation. Any other TLD still counts in a link that reads as an address otherwise.
 */
const SPACED_HOST_TLDS: ReadonlySet<string> = new Set([
  ...['com', 'net', 'org', 'info', 'biz', 'jp', 'co', 'io', 'asia'],
  ...SUSPICIOUS_TLDS.map((t) => t.tld),
  ...['de', 'uk', 'fr', 'nl', 'eu', 'pl', 'cz', 'ru', 'ua', 'kr', 'tw', 'hk', 'vn', 'br', 'au', 'ca'],
]);

/** Closing bracket for an opening one (after fold), or 0. */
function closingBracket(c: number): number {
  return c === 91 ? 93 : c === 40 ? 41 : c === 123 ? 125 : 0;
}

function isAsciiLetter(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
}

/** A space that may stand on each side of a spaced notation: ASCII, no-break or ideographic. */
function isNotationSpace(c: number): boolean {
  return c === 32 || c === 0xa0 || c === 0x3000;
}

/** An ASCII label character next to a spaced dot: letters and digits, and '-' or '_' ending the label before. */
function isSpacedLabelChar(raw: number, before: boolean): boolean {
  const c = fold(raw);
  return c < 128 && ((ASCII[c]! & C_ALNUM) !== 0 || (before && (c === 45 || c === 95)));
}

/** Whether a scheme ("hxxps", "https", "ttp"…) ends at `end` (exclusive), alone or glued to a word before it. */
function schemeEndsAt(text: string, end: number): boolean {
  let word = '';
  for (let k = end - 1; k >= 0 && end - k <= 8; k--) {
    const c = fold(text.charCodeAt(k));
    if (!isAsciiLetter(c)) break;
    word = String.fromCharCode(c | 0x20) + word;
  }
  for (const scheme of SCHEMES_LONGEST_FIRST) if (word === scheme || (scheme.startsWith('h') && word.endsWith(scheme))) return true;
  return false;
}

/**
 * Whether a defanged dot whose brackets span [i, end) joins two labels: a label character on each
 * side (ASCII letters and digits, '-' and '_' at a label's end; non-ASCII host characters only
 * for square brackets), past invisible characters and one line break.
 */
function dotJoinsLabels(text: string, i: number, end: number, square: boolean): boolean {
  const joins = (raw: number, before: boolean): boolean => {
    const c = fold(raw);
    if (c < 128) return (ASCII[c]! & C_ALNUM) !== 0 || (before && (c === 45 || c === 95));
    return square && (isHostLetter(c) || isIdnChar(raw));
  };
  let b = i - 1;
  while (b >= 0 && i - b <= DEFANG_LOOK && isIgnorable(text.charCodeAt(b))) b--;
  if (b >= 0 && text.charCodeAt(b) === 10) b--;
  if (b >= 0 && text.charCodeAt(b) === 13) b--;
  if (b < 0 || !joins(text.charCodeAt(b), true)) return false;
  const n = text.length;
  let a = end;
  while (a < n && a - end < DEFANG_LOOK && isIgnorable(text.charCodeAt(a))) a++;
  if (a < n && text.charCodeAt(a) === 13) a++;
  if (a < n && text.charCodeAt(a) === 10) a++;
  return a < n && joins(text.charCodeAt(a), false);
}

/** One defanged notation in a text: the span it covers and what it stands for. */
interface Notation {
  start: number;
  length: number;
  stands: string;
  /** Written with a space on a side (SPACED NOTATION); the span includes the spaces. */
  spaced: boolean;
}

/**
 * The defanged notation whose bracket opens at `i` (its span may start at the space before it):
 * null when there is none there, or the text around it is not an address's.
 */
function notationAt(text: string, i: number): Notation | null {
  const open = fold(text.charCodeAt(i));
  const close = closingBracket(open);
  if (close === 0 || i === 0) return null;
  const n = text.length;
  // What is inside: ".", "dot", ":", "://" or "/" (any case, full-width folded).
  let inner = '';
  let j = i + 1;
  while (j < n && j - i <= 4) {
    const c = fold(text.charCodeAt(j));
    if (c === close) break;
    inner += String.fromCharCode(c);
    j++;
  }
  if (j >= n || fold(text.charCodeAt(j)) !== close) return null;
  const end = j + 1;
  const length = end - i;
  inner = inner.toLowerCase();
  if (inner === '.' || inner === 'dot') {
    if (dotJoinsLabels(text, i, end, open === 91)) return { start: i, length, stands: '.', spaced: false };
    // "example [.] com": one space on each side, ASCII labels around.
    if (i >= 2 && end + 1 < n && isNotationSpace(text.charCodeAt(i - 1)) && isNotationSpace(text.charCodeAt(end)) && isSpacedLabelChar(text.charCodeAt(i - 2), true) && isSpacedLabelChar(text.charCodeAt(end + 1), false)) {
      return { start: i - 1, length: length + 2, stands: '.', spaced: true };
    }
    return null;
  }
  if (inner === '/') {
    // "evil[.]top[/]login": right after a host or path character.
    const c = fold(text.charCodeAt(i - 1));
    return c < 128 && ((ASCII[c]! & C_ALNUM) !== 0 || c === 45 || c === 95 || c === 126 || c === 37 || c === 61) ? { start: i, length, stands: '/', spaced: false } : null;
  }
  if (inner !== ':' && inner !== '://') return null;
  // A scheme's letters right before, or one space after a whole scheme ("hxxps [:] //").
  let start = i;
  if (!isAsciiLetter(fold(text.charCodeAt(i - 1)))) {
    if (i < 2 || !isNotationSpace(text.charCodeAt(i - 1)) || !schemeEndsAt(text, i - 1)) return null;
    start = i - 1;
  }
  // "[:]" is followed by the two slashes, "[://]" by the host; either may come after one space.
  const follows = (at: number): boolean => {
    if (at >= n) return false;
    if (inner === ':') return at + 1 < n && fold(text.charCodeAt(at)) === 47 && fold(text.charCodeAt(at + 1)) === 47;
    const raw = text.charCodeAt(at);
    const c = fold(raw);
    return c < 128 ? (ASCII[c]! & C_ALNUM) !== 0 : isHostLetter(c) || isIdnChar(raw);
  };
  if (follows(end)) return { start, length: end - start, stands: inner, spaced: start < i };
  if (end < n && isNotationSpace(text.charCodeAt(end)) && follows(end + 1)) return { start, length: end + 1 - start, stands: inner, spaced: true };
  return null;
}

/** Whether `c` (a UTF-16 code unit, not folded) may open a defanged notation. */
function isOpeningBracket(c: number): boolean {
  return c === 91 || c === 40 || c === 123 || c === 0xff3b || c === 0xff08 || c === 0xff5b;
}

/** Whether a defanged scheme "hxxp" or "hxxps" starts at `i` (followed by "://" or a colon written as above). */
function isDefangedSchemeAt(text: string, i: number): boolean {
  const n = text.length;
  if (i + 6 >= n || (fold(text.charCodeAt(i + 1)) | 0x20) !== 120 /* x */) return false;
  let word = '';
  for (let k = i; k < i + 5; k++) word += String.fromCharCode(fold(text.charCodeAt(k)));
  word = word.toLowerCase();
  if (!word.startsWith('hxxp')) return false;
  let k = word.endsWith('s') ? i + 5 : i + 4;
  const c = fold(text.charCodeAt(k));
  if (c === 58) return k + 2 < n && fold(text.charCodeAt(k + 1)) === 47 && fold(text.charCodeAt(k + 2)) === 47;
  if (isNotationSpace(text.charCodeAt(k))) k++; // "hxxps [:] //"
  if (k >= n || !isOpeningBracket(text.charCodeAt(k))) return false;
  const stands = notationAt(text, k)?.stands;
  return stands === ':' || stands === '://';
}

/**
 * Undoes defanged notation (see DEFANGED LINKS); null when the text holds none. Linear. Spaced
 * notations starting at an offset in `refused` are left as they are; all of them with 'all'.
 */
function refang(text: string, refused?: ReadonlySet<number> | 'all'): Refanged | null {
  const n = text.length;
  let parts: string[] | null = null;
  let from: number[] | null = null;
  const spaced: Refanged['spaced'] = [];
  let copied = 0; // text before this offset is already in `parts`
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    let start = i;
    let length: number;
    let stands: string;
    if (c === 104 || c === 72 || c === 0xff48 || c === 0xff28) {
      // h, H
      if (!isDefangedSchemeAt(text, i)) continue;
      length = 4;
      stands = 'http';
    } else if (isOpeningBracket(c)) {
      const notation = notationAt(text, i);
      if (notation === null || notation.start < copied) continue;
      if (notation.spaced && (refused === 'all' || refused?.has(notation.start) === true)) continue;
      ({ start, length, stands } = notation);
      if (notation.spaced) spaced.push({ at: (from?.length ?? 0) + start - copied, start, dot: stands === '.' });
    } else continue;
    parts ??= [];
    from ??= [];
    parts.push(text.slice(copied, start), stands);
    for (let x = copied; x < start; x++) from.push(x);
    // One character for one ("hxxp"), or the first character for the opening bracket (or the
    // space before it) and the last ones for the last characters: offsets keep increasing and the
    // notation is covered whole.
    if (stands.length === length) for (let k = 0; k < length; k++) from.push(start + k);
    else {
      from.push(start);
      for (let k = 1; k < stands.length; k++) from.push(start + length - stands.length + k);
    }
    copied = start + length;
    i = copied - 1;
  }
  if (parts === null || from === null) return null;
  parts.push(text.slice(copied));
  for (let x = copied; x < n; x++) from.push(x);
  from.push(n);
  return { text: parts.join(''), from: Int32Array.from(from), spaced };
}

/**
 * The original offsets of the spaced notations of `refanged` that are not inside a link of
 * `found` reading as an address (SPACED NOTATION). Both lists are in text order: one walk.
 */
function spacedOutsideAddresses(refanged: Refanged, found: readonly FoundUrl[]): number[] {
  const out: number[] = [];
  let f = 0;
  let s = 0;
  const { spaced } = refanged;
  while (s < spaced.length) {
    const at = spaced[s]!.at;
    while (f < found.length && found[f]!.end <= at) f++;
    const link = found[f];
    if (link === undefined || link.start > at) {
      out.push(spaced[s++]!.start);
      continue;
    }
    // Every spaced notation inside this link: kept or refused together.
    const first = s;
    let dots = 0;
    for (; s < spaced.length && spaced[s]!.at < link.end; s++) if (spaced[s]!.dot) dots++;
    if (!readsAsAddress(refanged.text.slice(link.start, link.end), link.parsed, dots)) for (let k = first; k < s; k++) out.push(spaced[k]!.start);
  }
  return out;
}

/**
 * Whether a link holding spaced notation (refanged; `spacedDots` of its dots written spaced) reads
 * as an address by more than the word after its last dot (SPACED NOTATION).
 */
function readsAsAddress(link: string, u: URL, spacedDots: number): boolean {
  const folded = hasNonAscii(link) ? link.normalize('NFKC') : link;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(folded)) return true;
  if (/[/?#]/.test(folded) || u.port !== '') return true;
  // A capitalised word after the last dot starts a sentence ("amazon.co.jp [.] Shop now"): hosts are typed in one case.
  const typed = folded.replace(/\.+$/, '');
  if (/^[A-Z][a-z]+$/.test(typed.slice(typed.lastIndexOf('.') + 1))) return false;
  const host = u.hostname.replace(/\.+$/, '');
  return spacedDots >= 2 || SPACED_HOST_TLDS.has(host.slice(host.lastIndexOf('.') + 1));
}

/**
 * Whether a link as typed (`ExtractedUrl.input`) is written defanged (see DEFANGED LINKS). The
 * 2ch-style "ttp://" does not count: people use it to share a link, not to warn about one.
 */
/**
 * The run of letters a chat app could read as the start of the host right before `start` in `text`: non-ASCII
 * host characters (kana, kanji, Cyrillic…; not punctuation, spaces or full-width ASCII) glued to it, at most one
 * DNS label long; '' when there is none. tdlib (Telegram's own clients) takes such a run into the host of a
 * schemeless link ("ログインamazon.jp" whole), where this extractor reads it as prose (HOST RUNS above).
 */
export function gluedRunBefore(text: string, start: number): string {
  let r = start;
  while (r > 0 && start - r < MAX_LABEL && isGluedLetter(text, r - 1)) r--;
  // A label too long to be one: no such reading.
  if (r > 0 && start - r >= MAX_LABEL && isGluedLetter(text, r - 1)) return '';
  return text.slice(r, start);
}

/** A letter, mark or digit outside ASCII (kana, kanji, Cyrillic…) at `i`: not arrows, symbols or emoji. */
function isGluedLetter(text: string, i: number): boolean {
  const c = text.charCodeAt(i);
  return isIdnChar(c) && GLUED_LETTER.test(text[i]!);
}
const GLUED_LETTER = /[\p{L}\p{M}\p{Nd}]/u;

export function isDefanged(input: string): boolean {
  return refang(input) !== null;
}

/**
 * The link as typed up to its first defanged dot, its scheme refanged, when that is an address an
 * app may still open from the text as it stands: a host name with a known TLD, or an IP address
 * ("https://evil.top[.]amazon.co.jp" opens evil.top, however the whole reads). Null otherwise,
 * and when the link holds no defanged dot.
 */
export function addressBeforeDefangedDot(input: string): string | null {
  for (let i = 1; i < input.length; i++) {
    if (!isOpeningBracket(input.charCodeAt(i))) continue;
    const notation = notationAt(input, i);
    if (notation?.stands !== '.') continue;
    const before = input.slice(0, notation.start);
    const address = refang(before)?.text ?? before;
    const host = parseUrlText(address)?.hostname.replace(/\.+$/, '') ?? '';
    const dot = host.lastIndexOf('.');
    if (host.startsWith('[') || isIpv4Dotted(host) || (dot > 0 && isKnownTld(host.slice(dot + 1)))) return address;
    return null;
  }
  return null;
}

/** findUrls on text with no defanged notation left in it. */
function scanText(text: string): FoundUrl[] {
  const out: FoundUrl[] = [];
  if (!mayContainUrl(text)) return out;
  const n = text.length;
  let i = 0;
  // Start of the text no candidate has read yet: a host may be extended back to it (rule 1).
  let floor = 0;
  while (i < n) {
    if (HOST_START[text.charCodeAt(i)] === 0) {
      i++;
      continue;
    }
    i = Math.max(i + 1, scanCandidate(text, i, floor, out));
    floor = i;
  }
  return out;
}

/** isHostStart(fold(c)) for every UTF-16 code unit, precomputed: the scan's inner loop is a lookup. */
const HOST_START = new Uint8Array(65536);
for (let c = 0; c < 65536; c++) HOST_START[c] = isHostStart(fold(c)) ? 1 : 0;

/**
 * Tries to read one link starting at `s` (a host-start character); returns where to resume (> s).
 * Text from `floor` to `s` was skipped by the scan and may hold the start of the host.
 */
function scanCandidate(text: string, s: number, floor: number, out: FoundUrl[]): number {
  const n = text.length;
  // 1. Scheme: a run of letters followed by "://". A run glued to a word before it
  //    ("URLhttps://") keeps only the scheme at its end.
  let j = s;
  while (j < n && j - s < 24) {
    const c = fold(text.charCodeAt(j));
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) j++;
    else break;
  }
  if (j < n - 1 && j - s >= 4 && j - s <= 10 && fold(text.charCodeAt(j)) === 58) {
    const end = nonWebLinkEnd(text, s, j);
    if (end !== -1) return emit(text, s, end, j + 1, out);
  }
  let start = s;
  let hasScheme = false;
  let authStart = s;
  if (j < n - 2 && fold(text.charCodeAt(j)) === 58 && fold(text.charCodeAt(j + 1)) === 47 && fold(text.charCodeAt(j + 2)) === 47) {
    let word = '';
    for (let k = s; k < j; k++) word += String.fromCharCode(fold(text.charCodeAt(k)));
    word = word.toLowerCase();
    for (const scheme of SCHEMES_LONGEST_FIRST) {
      // Exact, or glued to a word before it ("URLhttps://"); "xttps" alone is not "ttps".
      if (word === scheme || (scheme.startsWith('h') && word.endsWith(scheme))) {
        start = j - scheme.length;
        hasScheme = true;
        authStart = j + 3;
        break;
      }
    }
  }

  // A scheme-less host may begin with a non-ASCII label the scan skipped ("アマゾン.co.jp"):
  // extend back over "label." runs of non-ASCII characters (HOST RUNS rule 1).
  if (!hasScheme) {
    let b = s;
    while (b - 2 >= floor && fold(text.charCodeAt(b - 1)) === 46 && isIdnChar(text.charCodeAt(b - 2))) {
      let r = b - 2;
      while (r > floor && b - r <= MAX_LABEL && (isIdnChar(text.charCodeAt(r - 1)) || isIgnorable(text.charCodeAt(r - 1)))) r--;
      if (b - r > MAX_LABEL) break;
      b = r;
    }
    start = b;
    authStart = b;
  }

  // 2. Authority: [userinfo@]host[:port].
  let k = authStart;
  let at = -1;
  // A bare host needs a dot between two host characters ("example.com", not "word." or "PS4").
  // Tracked during the scan so most words of prose are rejected without building any string.
  let afterDot = false;
  let interiorDot = false;
  // At the first character of a label (start of the authority, after '.' or '@').
  let labelStart = true;
  // Where the first run taken under HOST RUNS rule 3 began: the host is cut back to it unless
  // it ends in a known TLD. -1 when there is none.
  let speculative = -1;
  while (k < n) {
    const raw = text.charCodeAt(k);
    const c = fold(raw);
    if (c < 128) {
      const f = ASCII[c]!;
      if (f & C_ALNUM) {
        if (afterDot) interiorDot = true;
        afterDot = false;
        labelStart = false;
        k++;
      } else if (f & C_HOST) {
        afterDot = c === 46;
        labelStart = afterDot;
        k++;
      } else if (c === 64 /* @ */) {
        at = k;
        labelStart = true;
        k++;
      } else if (c === 58 /* : */) {
        // "URL:https://…": the word before a link is not a host with a port.
        if (!hasScheme && startsScheme(text, k + 1)) break;
        labelStart = false;
        k++;
      } else if (hasScheme && f & C_AUTH) {
        labelStart = false;
        k++;
      } else if ((c === 10 || c === 13) && hasScheme && at === -1 && k > authStart) {
        // A host cut by a line break right after '.' or '-' (text copied from a wrapped e-mail).
        const next = hostContinuesAfterLineBreak(text, authStart, k, interiorDot);
        if (next === -1) break;
        labelStart = true;
        k = next;
      } else break;
    } else if (isIgnorable(raw)) {
      k++;
    } else if (isHostLetter(c)) {
      if (afterDot) interiorDot = true;
      afterDot = false;
      labelStart = false;
      k++;
    } else if (isIdeographicDot(raw) && k + 1 < n && isHostStart(fold(text.charCodeAt(k + 1)))) {
      afterDot = true;
      labelStart = true;
      k++;
    } else if (isIdnChar(raw)) {
      // A run of other non-ASCII characters: HOST RUNS above.
      if (labelStart && (k < s || k === authStart || hasScheme)) {
        // rules 1 and 2: host (k < s: the labels found by extending back).
      } else if (labelStart || labelGoesOnToDot(text, k, hasScheme)) {
        if (speculative === -1) speculative = k; // rule 3
      } else break;
      if (afterDot) interiorDot = true;
      afterDot = false;
      labelStart = false;
      k = skipIdnRun(text, k);
    } else break;
    if (speculative !== -1 && k - speculative > MAX_HOST) break;
  }
  if (speculative !== -1 && (k - speculative > MAX_HOST || !endsInKnownTld(text, authStart, k))) {
    // Not a host after all: the run is the text that follows the link. Unless the last label
    // is a non-ASCII TLD with prose glued to it ("….みんなです"): then the host ends after it.
    const tldEnd = k - speculative > MAX_HOST ? -1 : knownTldGluedToText(text, speculative, k);
    k = tldEnd === -1 ? speculative : tldEnd;
    if (at >= k) {
      at = -1;
      for (let x = authStart; x < k; x++) if (fold(text.charCodeAt(x)) === 64) at = x;
    }
  }
  let authEnd = k;
  if (authEnd === authStart) return Math.max(s + 1, authEnd);
  if (!hasScheme && !interiorDot) return authEnd;

  const next0 = authEnd < n ? fold(text.charCodeAt(authEnd)) : -1;
  const pathFollows = next0 === 47 || next0 === 63 || next0 === 35; // / ? #
  if (at >= 0 && !hasScheme && !pathFollows) {
    // "name@example.com": an e-mail address, not a link. Skip it whole.
    return authEnd;
  }
  let hostStart = at >= 0 ? at + 1 : authStart;
  if (start < s && at < 0 && standsAlone(text, s, authEnd)) {
    // "詳しくは．amzn.to/…": the name is complete without the text before it, which is prose.
    start = s;
    authStart = s;
    hostStart = s;
  }

  // Port: the first ':' after the host (IPv6 literals are bracketed).
  let hostEnd = authEnd;
  let q = hostStart;
  if (q < authEnd && fold(text.charCodeAt(q)) === 91 /* [ */) {
    while (q < authEnd && fold(text.charCodeAt(q)) !== 93) q++;
    hostEnd = Math.min(q + 1, authEnd);
    q = hostEnd;
  }
  let hasPort = false;
  for (; q < authEnd; q++) {
    if (fold(text.charCodeAt(q)) === 58) {
      hostEnd = q;
      let d = q + 1;
      while (d < authEnd && isDigit(fold(text.charCodeAt(d)))) d++;
      if (d > q + 1 && d === authEnd) hasPort = true;
      else authEnd = q; // "example.com:" at the end of a sentence, or junk after the colon
      break;
    }
  }

  // Host text, folded; ideographic dots become '.'. Only a bare host needs it (with a scheme the
  // URL parser judges the host), and plain ASCII needs no folding.
  let host = '';
  let lastIdeoDot = -1;
  if (!hasScheme) {
    let ascii = true;
    for (let h = hostStart; h < hostEnd && ascii; h++) if (text.charCodeAt(h) >= 128) ascii = false;
    if (ascii) host = text.slice(hostStart, hostEnd);
    else {
      for (let h = hostStart; h < hostEnd; h++) {
        const raw = text.charCodeAt(h);
        if (isIgnorable(raw)) continue;
        if (isIdeographicDot(raw)) {
          lastIdeoDot = h;
          host += '.';
          continue;
        }
        host += String.fromCharCode(fold(raw));
      }
    }
    host = host.toLowerCase();
  } else if (hostEnd > hostStart) {
    host = 'x'; // non-empty marker; the URL parser validates the real host
  }

  const hasPath = authEnd === k && pathFollows;
  // A dot at the very end of a bare host is the end of a sentence.
  if (!hasPort && !hasPath) {
    while (hostEnd > hostStart && (fold(text.charCodeAt(hostEnd - 1)) === 46 || isIgnorable(text.charCodeAt(hostEnd - 1)))) {
      hostEnd--;
      authEnd = hostEnd;
    }
    host = hasScheme ? (hostEnd > hostStart ? 'x' : '') : host.replace(/\.+$/, '');
  }

  if (host.length === 0) return Math.max(s + 1, authEnd);
  if (!hasScheme && !isPlausibleBareHost(host, hasPath || hasPort)) {
    // "example.com。次は…": an ideographic full stop may have ended the sentence after all;
    // retry with the host cut at the last one.
    if (lastIdeoDot > hostStart && !hasPort) {
      const cut = host.slice(0, host.lastIndexOf('.')).replace(/\.+$/, '');
      if (cut.length > 0 && !/[\u3002\uff61]/.test(text.slice(hostStart, lastIdeoDot)) && isPlausibleBareHost(cut, false)) {
        return emit(text, start, lastIdeoDot, lastIdeoDot, out);
      }
    }
    return Math.max(s + 1, authEnd);
  }

  // 3. Path, query, fragment.
  let p = authEnd;
  if (hasPath) {
    // Up to this index a look-ahead already found more URL structure (see below).
    let keepUntil = -1;
    while (p < n) {
      const raw = text.charCodeAt(p);
      const c = fold(raw);
      if (c < 128) {
        // "[https://www.amazon.co.jp/](https://evil.example/)": "](" ends a Markdown link label.
        // Never seen inside a real URL (']' is not allowed unescaped in a path or query).
        if (c === 93 && p + 1 < n && fold(text.charCodeAt(p + 1)) === 40) break;
        if (ASCII[c]! & C_PATH) {
          p++;
          continue;
        }
        break;
      }
      if (isIgnorable(raw)) {
        p++;
        continue;
      }
      if (isBreak(raw)) break;
      // A run of other non-ASCII characters (Japanese, emoji…). It belongs to the URL when the
      // URL goes on after it, as in a product slug `ソニー純正PS4-コントローラー/dp/…`, or when it is a
      // query value at the very end (`?k=ソニー`). Otherwise it is the prose that follows the link.
      let r = p;
      while (r < n) {
        const rc = text.charCodeAt(r);
        if (rc < 128 || fold(rc) < 128 || isBreak(rc)) break;
        r++;
      }
      if (r <= keepUntil) {
        p = r;
        continue;
      }
      const after = r < n ? fold(text.charCodeAt(r)) : -1;
      const before = fold(text.charCodeAt(p - 1));
      if ((after >= 0 && after < 128 && ASCII[after]! & C_KEEP) || (before === 61 /* = */ && (after === -1 || isBreak(text.charCodeAt(r))))) {
        p = r;
        continue;
      }
      const structure = findUrlStructure(text, r);
      if (structure !== -1) {
        keepUntil = structure;
        p = r;
        continue;
      }
      break;
    }
  }
  return emit(text, start, p, hostEnd, out);
}

/**
 * Looks ahead from `from` through characters a path may hold for a '/', '?' or '#' that shows
 * the URL continues; -1 when a break, another link ("://", "www.") or the end comes first.
 * Look-aheads never overlap (a later one stops at the '/' an earlier one found), so the scan
 * stays linear.
 */
function findUrlStructure(text: string, from: number): number {
  const n = text.length;
  if (text.slice(from, from + 4).toLowerCase() === 'www.') return -1;
  for (let i = from; i < n; i++) {
    const raw = text.charCodeAt(i);
    const c = fold(raw);
    if (c < 128) {
      if (c === 58 /* : */ && i + 2 < n && fold(text.charCodeAt(i + 1)) === 47 && fold(text.charCodeAt(i + 2)) === 47) return -1;
      if (c === 47 || c === 63 || c === 35) return i;
      if (!(ASCII[c]! & C_PATH)) return -1;
    } else if (isBreak(raw)) return -1;
  }
  return -1;
}

/** Whether the host in `text[from, to)` (port allowed) has a registrable domain of its own. */
function standsAlone(text: string, from: number, to: number): boolean {
  let host = '';
  for (let h = from; h < to; h++) {
    const raw = text.charCodeAt(h);
    if (!isIgnorable(raw)) host += isIdeographicDot(raw) ? '.' : String.fromCharCode(fold(raw));
  }
  const colon = host.indexOf(':');
  host = (colon === -1 ? host : host.slice(0, colon)).toLowerCase().replace(/\.+$/, '');
  if (hasNonAscii(host)) host = domainToASCII(host);
  return host !== '' && parseDomain(host, { allowPrivateDomains: false, extractHostname: false }).domain !== null;
}

// Schemes that run code or carry a whole page, and Android intents (whose fallback URL is opened
// when no app answers). Reported whole — never opened — so that an Amazon address inside one
// ("javascript:location='https://evil.example'//www.amazon.co.jp") is not found on its own and
// shown as a genuine Amazon link. Each with what must follow the colon to count as a link.
const NON_WEB_SCHEMES: ReadonlyMap<string, RegExp> = new Map([
  ['javascript', /^[^\s]/],
  ['vbscript', /^[^\s]/],
  ['data', /^([a-z]+\/[a-z0-9.+-]+)?[;,]/i],
  ['intent', /^(\/\/|#)/],
]);

/**
 * When `text[s, colon)` is one of NON_WEB_SCHEMES followed by what such a link holds, the end of
 * the link (the next break: space, line break, CJK punctuation); else -1.
 */
function nonWebLinkEnd(text: string, s: number, colon: number): number {
  let word = '';
  for (let k = s; k < colon; k++) word += String.fromCharCode(fold(text.charCodeAt(k)));
  const follows = NON_WEB_SCHEMES.get(word.toLowerCase());
  if (follows === undefined || !follows.test(text.slice(colon + 1, colon + 80))) return -1;
  let e = colon + 1;
  while (e < text.length && !isBreak(text.charCodeAt(e))) e++;
  return e;
}

/** Whether a scheme ("https://", "ttp://", or "://" alone) starts at `from`. */
function startsScheme(text: string, from: number): boolean {
  let j = from;
  while (j < text.length && j - from <= 8) {
    const c = fold(text.charCodeAt(j));
    if ((c >= 65 && c <= 90) || (c >= 97 && c <= 122)) j++;
    else break;
  }
  return j + 2 < text.length && fold(text.charCodeAt(j)) === 58 && fold(text.charCodeAt(j + 1)) === 47 && fold(text.charCodeAt(j + 2)) === 47;
}

function isDigit(c: number): boolean {
  return c >= 48 && c <= 57;
}

/** Trims trailing punctuation, normalises and records the link; returns where to resume. */
function emit(text: string, start: number, end: number, hostEnd: number, out: FoundUrl[]): number {
  // Bracket balance over the whole candidate, counted once (only if a closing bracket ends it)
  // and updated while trimming, so a closing bracket is kept only when the link itself opened it
  // ("…/Foo_(bar)").
  let parens = 0;
  let squares = 0;
  let balanced = false;
  let e = end;
  while (e > hostEnd) {
    const raw = text.charCodeAt(e - 1);
    if (isIgnorable(raw)) {
      e--;
      continue;
    }
    const c = fold(raw);
    if (c < 128 && ASCII[c]! & C_TRAIL) {
      e--;
      continue;
    }
    if ((c === 41 || c === 93) && !balanced) {
      balanced = true;
      for (let x = start; x < e; x++) {
        const fx = fold(text.charCodeAt(x));
        if (fx === 40) parens++;
        else if (fx === 41) parens--;
        else if (fx === 91) squares++;
        else if (fx === 93) squares--;
      }
    }
    if (c === 41 /* ) */ && parens < 0) {
      parens++;
      e--;
      continue;
    }
    if (c === 93 /* ] */ && squares < 0) {
      squares++;
      e--;
      continue;
    }
    break;
  }
  const input = text.slice(start, e);
  const parsed = parseUrlText(input);
  if (parsed !== null) out.push({ input, url: parsed.href, start, end: e, parsed });
  return Math.max(start + 1, e);
}
