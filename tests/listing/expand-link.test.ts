// Short-link expansion against a local HTTP server on 127.0.0.1. The server is reached as
// "bit.ly:<port>" through an injected resolver and the explicit test allowance; every other hop
// goes through the real guard. Nothing here touches the internet.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { checkTextExpanded, expandLink, MemoryExpansionCache, type ExpandOptions, type ResolvedAddress } from '../../src/listing/expand-link.ts';

let server: http.Server;
let port = 0;
let hits: string[] = [];

/** Redirect table: path → Location. "/hang" never answers; anything else answers 200. */
const redirects: Record<string, string> = {
  '/amazon': 'https://www.amazon.co.jp/dp/B01N5QTFAK?tag=x-22&th=1',
  '/fake': 'https://amazon-co-jp.top/ap/signin',
  '/to-loopback': 'http://127.0.0.1/',
  '/to-loopback-port': 'http://127.0.0.1:PORT/x',
  '/to-private': 'http://10.1.2.3/',
  '/to-metadata': 'http://169.254.169.254/latest/meta-data/',
  '/to-ipv6-loopback': 'http://[::1]/',
  '/to-mapped': 'http://[::ffff:127.0.0.1]/',
  '/to-cgnat': 'http://100.64.0.1/',
  '/to-decimal-loopback': 'http://2130706433/',
  '/to-internal-name': 'http://internal.example/admin',
  '/to-mixed-name': 'http://mixed.example/',
  '/to-localhost': 'http://localhost/',
  '/to-port': 'http://public.example:8080/',
  '/to-shortener-private': 'http://tinyurl.com/abc',
  '/to-ftp': 'ftp://example.com/file',
  '/chain1': '/chain2',
  '/chain2': 'https://amzn.asia/d/abc1234',
};

const resolver = async (hostname: string): Promise<ResolvedAddress[]> => {
  switch (hostname) {
    case 'bit.ly':
      return [{ address: '127.0.0.1', family: 4 }];
    case 'internal.example':
      return [{ address: '10.0.0.5', family: 4 }];
    case 'mixed.example':
      return [
        { address: '93.184.216.34', family: 4 },
        { address: '192.168.1.10', family: 4 },
      ];
    case 'localhost':
      return [{ address: '::1', family: 6 }];
    case 'tinyurl.com':
      return [{ address: '169.254.169.254', family: 4 }];
    case 'never.example':
      return new Promise(() => undefined);
    default:
      throw new Error(`test resolver: unexpected lookup of ${hostname}`);
  }
};

function opts(extra: ExpandOptions = {}): ExpandOptions {
  return { resolver, allowPrivateFor: [`bit.ly:${port}`], cache: null, timeoutMs: 2000, ...extra };
}

const link = (path: string) => `http://bit.ly:${port}${path}`;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const path = req.url ?? '/';
    hits.push(path);
    if (path === '/hang') return; // never answers
    if (path.startsWith('/loop')) {
      res.writeHead(302, { location: `/loop${Number(path.slice(5) || 0) + 1}` });
      res.end();
      return;
    }
    const target = redirects[path];
    if (target !== undefined) {
      res.writeHead(301, { location: target.replace('PORT', String(port)) });
      res.end();
      return;
    }
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>interstitial</html>');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

beforeEach(() => {
  hits = [];
});

describe('expandLink', () => {
  it('follows a short link to a genuine Amazon listing and reports its facts', async () => {
    const r = await expandLink(link('/amazon'), opts());
    expect(r.verdict).toBe('official-listing');
    expect(r.asin).toBe('B01N5QTFAK');
    expect(r.expandedTo).toBe('https://www.amazon.co.jp/dp/B01N5QTFAK?tag=x-22&th=1');
    expect(r.reasons).toContain('short-link-expanded');
    expect(r.reasons).not.toContain('shortener-destination-unknown');
    expect(r.hops?.map((h) => h.status)).toEqual([301, undefined]);
    // Amazon itself is never requested: only the short link was.
    expect(hits).toEqual(['/amazon']);
  });

  it('reports impersonation behind a short link', async () => {
    const r = await expandLink(link('/fake'), opts());
    expect(r.verdict).toBe('impersonation');
    expect(r.reasons).toEqual(expect.arrayContaining(['short-link-expanded', 'brand-in-domain']));
  });

  it('resolves relative redirects and chains through another short link (worst verdict kept)', async () => {
    const r = await expandLink(link('/chain1'), opts());
    // amzn.asia is a real host: the guard refuses it because the test resolver does not know it,
    // so the chain ends unresolved at Amazon's own short link.
    expect(r.hops?.map((h) => h.url)).toEqual([link('/chain1'), link('/chain2'), 'https://amzn.asia/d/abc1234']);
    expect(r.verdict).toBe('official-shortlink');
    expect(r.reasons).toContain('expansion-failed');
  });

  it('does not expand links that are not short links', async () => {
    const r = await expandLink('https://www.amazon.co.jp/dp/B01N5QTFAK', opts());
    expect(r.verdict).toBe('official-listing');
    expect(r.hops).toBeUndefined();
    expect(hits).toEqual([]);
  });

  it('says so when the short link does not redirect', async () => {
    const r = await expandLink(link('/interstitial'), opts());
    expect(r.verdict).toBe('shortener');
    expect(r.reasons).toContain('expansion-no-redirect');
  });

  it('refuses a redirect to a non-web scheme without requesting it', async () => {
    const r = await expandLink(link('/to-ftp'), opts());
    expect(r.expandedTo).toBe('ftp://example.com/file');
    expect(r.reasons).toContain('unsupported-scheme');
  });
});

describe('SSRF guard', () => {
  it.each([
    ['/to-loopback', 'http://127.0.0.1/'],
    ['/to-loopback-port', 'http://127.0.0.1:PORT/x'],
    ['/to-private', 'http://10.1.2.3/'],
    ['/to-metadata', 'http://169.254.169.254/latest/meta-data/'],
    ['/to-ipv6-loopback', 'http://[::1]/'],
    ['/to-mapped', 'http://[::ffff:7f00:1]/'],
    ['/to-cgnat', 'http://100.64.0.1/'],
    ['/to-decimal-loopback', 'http://127.0.0.1/'],
    ['/to-internal-name', 'http://internal.example/admin'],
    ['/to-mixed-name', 'http://mixed.example/'],
    ['/to-localhost', 'http://localhost/'],
    ['/to-shortener-private', 'http://tinyurl.com/abc'],
  ])('refuses the hop after %s', async (path, target) => {
    const r = await expandLink(link(path), opts());
    expect(r.expandedTo).toBe(target.replace('PORT', String(port)));
    // The hop was refused before any connection: the server saw only the first request…
    expect(hits).toEqual([path]);
    // …for a reason the user can read.
    expect(r.reasons).toContain(path === '/to-loopback-port' ? 'expansion-blocked-port' : 'expansion-blocked-address');
    expect(r.verdict).not.toMatch(/^official/);
  });

  it('refuses a non-standard port unless the test allowance names it', async () => {
    const r = await expandLink(link('/to-port'), opts());
    expect(r.reasons).toContain('expansion-blocked-port');
    const refused = await expandLink(link('/amazon'), opts({ allowPrivateFor: [] }));
    expect(refused.reasons).toContain('expansion-blocked-port');
    expect(hits).toEqual(['/to-port']);
  });

  it('refuses the first hop too when it resolves to a private address without the allowance', async () => {
    const r = await expandLink(`http://bit.ly/abc`, opts({ allowPrivateFor: [] }));
    expect(r.verdict).toBe('shortener');
    expect(r.reasons).toContain('expansion-blocked-address');
    expect(hits).toEqual([]);
  });

  it('stops after the hop limit', async () => {
    const r = await expandLink(link('/loop'), opts({ maxHops: 5 }));
    expect(r.reasons).toContain('expansion-too-many-hops');
    expect(hits).toHaveLength(5);
    expect(r.verdict).toBe('shortener');
  });

  it('gives up after the total time budget on a server that never answers', async () => {
    const started = Date.now();
    const r = await expandLink(link('/hang'), opts({ timeoutMs: 300 }));
    const took = Date.now() - started;
    expect(r.reasons).toContain('expansion-timeout');
    expect(r.verdict).toBe('shortener');
    expect(took).toBeGreaterThanOrEqual(250);
    expect(took).toBeLessThan(2000);
  });

  it('gives up when DNS never answers', async () => {
    const r = await expandLink('https://bit.ly/slow', opts({ timeoutMs: 200, resolver: () => new Promise(() => undefined) }));
    expect(r.reasons).toContain('expansion-timeout');
  });

  it('treats a failing resolver as a failed expansion, not an exception', async () => {
    const r = await expandLink('https://bit.ly/x', opts({ resolver: async () => Promise.reject(new Error('ENOTFOUND')) }));
    expect(r.reasons).toContain('expansion-failed');
  });
});

describe('cache and switches', () => {
  it('answers a repeated link from the cache without a request', async () => {
    const cache = new MemoryExpansionCache();
    const first = await expandLink(link('/amazon'), opts({ cache }));
    const second = await expandLink(link('/amazon'), opts({ cache }));
    expect(hits).toEqual(['/amazon']);
    expect(second).toEqual(first);
  });

  it('does not cache time-outs', async () => {
    const cache = new MemoryExpansionCache();
    await expandLink(link('/hang'), opts({ cache, timeoutMs: 100 }));
    expect(cache.size).toBe(0);
  });

  it('expires entries after the TTL and drops the least recently used beyond the cap', async () => {
    let now = 0;
    const cache = new MemoryExpansionCache({ maxEntries: 2, now: () => now });
    await cache.set('a', { hops: [{ url: 'a' }] }, 1000);
    await cache.set('b', { hops: [{ url: 'b' }] }, 1000);
    expect(await cache.get('a')).toBeDefined(); // a is now most recent
    await cache.set('c', { hops: [{ url: 'c' }] }, 1000);
    expect(await cache.get('b')).toBeUndefined();
    expect(await cache.get('a')).toBeDefined();
    now = 1000;
    expect(await cache.get('c')).toBeUndefined();
  });

  it('a broken cache is only a miss', async () => {
    const broken = { get: () => Promise.reject(new Error('down')), set: () => Promise.reject(new Error('down')) };
    const r = await expandLink(link('/amazon'), opts({ cache: broken }));
    expect(r.verdict).toBe('official-listing');
  });

  it('disabled expansion makes no request and says the destination is unknown', async () => {
    const r = await expandLink(link('/amazon'), opts({ enabled: false }));
    expect(r.verdict).toBe('shortener');
    expect(r.reasons).toEqual(expect.arrayContaining(['shortener-destination-unknown', 'expansion-disabled']));
    expect(hits).toEqual([]);
  });

  it('checkTextExpanded expands every short link in a message and keeps the typed input', async () => {
    const text = `これ本物？ ${link('/amazon')} と ${link('/fake')}、あと https://www.amazon.co.jp/dp/B0CHX1W1XY`;
    const r = await checkTextExpanded(text, opts());
    expect(r.map((c) => c.verdict)).toEqual(['official-listing', 'impersonation', 'official-listing']);
    expect(r[0]!.input).toBe(link('/amazon'));
    expect(r[2]!.asin).toBe('B0CHX1W1XY');
  });

  it('checkTextExpanded reads the text around links as checkText does (labels, bidi controls)', async () => {
    const text = `[https://www.amazon.co.jp/](${link('/fake')}) <a href="https://evil.example/">Amazon.co.jp</a> [Amazon](${link('/amazon')}) https://evil.example\u202e/pj.oc.nozama.www`;
    const r = await checkTextExpanded(text, opts());
    expect(r.map((c) => [c.verdict, c.reasons.includes('link-text-mismatch')])).toEqual([
      ['impersonation', true],
      ['impersonation', true],
      ['official-listing', false],
      ['impersonation', false],
    ]);
    expect(r[3]!.reasons).toContain('bidi-control');
  });

  it('checkTextExpanded reads defanged links as checkText does, and does not follow a defanged short link', async () => {
    const short = link('/amazon').replace('http://bit.ly', 'hxxp://bit[.]ly');
    const text = `注意：${short} と hxxps://amazon-co-jp[.]top/login と https://evil.top[.]amazon.co.jp/`;
    const r = await checkTextExpanded(text, opts());
    expect(r.map((c) => [c.input, c.verdict])).toEqual([
      [short, 'shortener'],
      ['hxxps://amazon-co-jp[.]top/login', 'impersonation'],
      ['https://evil.top[.]amazon.co.jp/', 'impersonation'],
    ]);
    for (const c of r) expect(c.reasons).toContain('defanged-link');
    // Written so that it is not opened: it was not, and the check says what it could not tell.
    expect(hits).toEqual([]);
    expect(r[0]!.reasons.slice(-3)).toEqual(['shortener-destination-unknown', 'defanged-link', 'expansion-skipped-defanged']);
    expect(r[0]!.hops).toBeUndefined();
    expect(r[0]!.expandedTo).toBeUndefined();
    expect(r[2]!.reasons).toContain('link-text-mismatch');
  });

  it('does not follow a defanged short link in any notation, Amazon\'s own included', async () => {
    const never: ExpandOptions['resolver'] = async (hostname) => {
      throw new Error(`looked up ${hostname}`);
    };
    const text = 'hxxps://bit[.]ly/3xYzAbC hxxps [:] //tinyurl [.] com/abc hxxps[:]//amzn[.]asia[/]d[/]abc1234 hxxps://a[.]co/d/xyz';
    const r = await checkTextExpanded(text, opts({ resolver: never }));
    expect(r.map((c) => c.verdict)).toEqual(['shortener', 'shortener', 'official-shortlink', 'shortener']);
    for (const c of r) {
      expect(c.reasons).toEqual(expect.arrayContaining(['defanged-link', 'expansion-skipped-defanged']));
      expect(c.reasons).not.toContain('expansion-failed');
    }
    expect(hits).toEqual([]);
  });

  it('follows a short link also written live in the same text, and says nothing of skipping', async () => {
    const live = link('/fake');
    const text = `${live.replace('http://bit.ly', 'hxxp://bit[.]ly')} と ${live}`;
    const r = await checkTextExpanded(text, opts());
    expect(r).toHaveLength(1);
    expect(r[0]!.verdict).toBe('impersonation');
    expect(r[0]!.reasons).toEqual(expect.arrayContaining(['short-link-expanded', 'defanged-link']));
    expect(r[0]!.reasons).not.toContain('expansion-skipped-defanged');
    expect(hits).toEqual(['/fake']);
  });

  it('with expansion turned off, a defanged short link says expansion is off (nothing to paste again for)', async () => {
    const r = await checkTextExpanded(link('/amazon').replace('http://bit.ly', 'hxxp://bit[.]ly'), opts({ enabled: false }));
    expect(r[0]!.reasons).toEqual(expect.arrayContaining(['expansion-disabled', 'defanged-link']));
    expect(r[0]!.reasons).not.toContain('expansion-skipped-defanged');
  });

  it('expands a short link in the form of Amazon\'s share links whose owner is not confirmed', async () => {
    // amzn.eu served by the loopback server: a short link like any other until it is followed.
    const server = `http://amzn.eu:${port}/amazon`;
    const r = await expandLink(server, opts({ allowPrivateFor: [`amzn.eu:${port}`], resolver: async () => [{ address: '127.0.0.1', family: 4 }] }));
    expect(r.verdict).toBe('official-listing');
    expect(r.reasons).toContain('short-link-expanded');
    expect(r.reasons).not.toContain('shortlink-owner-unconfirmed');
    expect(r.hops?.[0]).toMatchObject({ url: server, verdict: 'shortener', status: 301 });
    const failed = await expandLink('https://amzn.eu/d/abc', opts({ resolver: async () => Promise.reject(new Error('ENOTFOUND')) }));
    expect(failed.verdict).toBe('shortener');
    expect(failed.reasons).toEqual(expect.arrayContaining(['shortlink-owner-unconfirmed', 'expansion-failed']));
  });
});
