// IP literal parsing and the "is this address on the public Internet?" test used by the SSRF
// guard of the link expander. Hand-written rather than net.BlockList so that IPv4-mapped IPv6 and
// friends are handled the same on every Node version, and so that anything we cannot parse is
// refused (fail closed).

/** Parses a canonical dotted-quad IPv4 address ("192.0.2.1") into 4 bytes, or null. */
export function parseIpv4(text: string): number[] | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  const bytes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p)) return null;
    const v = Number(p);
    if (v > 255) return null;
    bytes.push(v);
  }
  return bytes;
}

/**
 * Parses an IPv6 address (brackets allowed, `::` compression, embedded dotted IPv4) into eight
 * 16-bit words, or null. Zone IDs (`fe80::1%eth0`) are rejected: never a public address.
 */
export function parseIpv6(text: string): number[] | null {
  let s = text;
  if (s.startsWith('[') && s.endsWith(']')) s = s.slice(1, -1);
  if (s.length === 0 || s.includes('%')) return null;
  const lastColon = s.lastIndexOf(':');
  if (lastColon === -1) return null;
  if (s.includes('.', lastColon)) {
    // Embedded IPv4 ("::ffff:127.0.0.1"): rewrite as two hex groups.
    const v4 = parseIpv4(s.slice(lastColon + 1));
    if (v4 === null) return null;
    s = s.slice(0, lastColon + 1) + ((v4[0]! << 8) | v4[1]!).toString(16) + ':' + ((v4[2]! << 8) | v4[3]!).toString(16);
  }
  const halves = s.split('::');
  if (halves.length > 2) return null;
  const parse = (part: string): number[] | null => {
    if (part === '') return [];
    const words: number[] = [];
    for (const g of part.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(g)) return null;
      words.push(parseInt(g, 16));
    }
    return words;
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (head === null || rest === null) return null;
  const words = [...head, ...rest];
  if (halves.length === 2) {
    const missing = 8 - words.length;
    if (missing < 1) return null;
    return [...head, ...new Array<number>(missing).fill(0), ...rest];
  }
  return words.length === 8 ? words : null;
}

/** True when the host name is an IP literal (dotted IPv4 or bracketed/bare IPv6). */
export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== null || (host.includes(':') && parseIpv6(host) !== null);
}

// IPv4 ranges that must never be fetched: RFC 6890 special-purpose registry
// (https://www.iana.org/assignments/iana-ipv4-special-registry/) plus multicast and reserved.
const IPV4_FORBIDDEN: ReadonlyArray<readonly [number, number, number, number, number]> = [
  [0, 0, 0, 0, 8], // "this network" incl. 0.0.0.0 (unspecified)
  [10, 0, 0, 0, 8], // private (RFC 1918)
  [100, 64, 0, 0, 10], // carrier-grade NAT (RFC 6598)
  [127, 0, 0, 0, 8], // loopback
  [169, 254, 0, 0, 16], // link-local, incl. cloud metadata 169.254.169.254
  [172, 16, 0, 0, 12], // private
  [192, 0, 0, 0, 24], // IETF protocol assignments
  [192, 0, 2, 0, 24], // TEST-NET-1
  [192, 88, 99, 0, 24], // 6to4 relay anycast (deprecated)
  [192, 168, 0, 0, 16], // private
  [198, 18, 0, 0, 15], // benchmarking
  [198, 51, 100, 0, 24], // TEST-NET-2
  [203, 0, 113, 0, 24], // TEST-NET-3
  [224, 0, 0, 0, 4], // multicast
  [240, 0, 0, 0, 4], // reserved, incl. 255.255.255.255 broadcast
];

function v4ToInt(b: readonly number[]): number {
  return ((b[0]! << 24) >>> 0) + (b[1]! << 16) + (b[2]! << 8) + b[3]!;
}

function isForbiddenV4(bytes: readonly number[]): boolean {
  const ip = v4ToInt(bytes);
  for (const [a, b, c, d, bits] of IPV4_FORBIDDEN) {
    const mask = bits === 0 ? 0 : (0xffffffff << (32 - bits)) >>> 0;
    if (((ip & mask) >>> 0) === ((v4ToInt([a, b, c, d]) & mask) >>> 0)) return true;
  }
  return false;
}

/**
 * True unless the address is a public unicast address we may connect to. For IPv6 only global
 * unicast 2000::/3 is allowed, minus the IETF/documentation/6to4 blocks
 * (https://www.iana.org/assignments/iana-ipv6-special-registry/); that excludes loopback,
 * unspecified, IPv4-mapped (::ffff:0:0/96), NAT64, ULA (fc00::/7), link-local (fe80::/10) and
 * multicast (ff00::/8) in one rule. Unparseable input is forbidden.
 */
export function isForbiddenAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4 !== null) return isForbiddenV4(v4);
  const v6 = parseIpv6(address);
  if (v6 === null) return true;
  const w0 = v6[0]!;
  if ((w0 & 0xe000) !== 0x2000) return true; // not 2000::/3
  if (w0 === 0x2001 && v6[1]! < 0x0200) return true; // 2001::/23 IETF protocol assignments (Teredo…)
  if (w0 === 0x2001 && v6[1] === 0x0db8) return true; // documentation
  if (w0 === 0x2002) return true; // 6to4: embeds an IPv4 address we did not check
  if (w0 === 0x3fff && (v6[1]! & 0xf000) === 0) return true; // 3fff::/20 documentation
  return false;
}
