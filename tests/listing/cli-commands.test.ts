// `mamori check` / `mamori assess` through a fake CliIo: output shape, --lines, bad input.
import { describe, expect, it } from 'vitest';
import { runAssess, runCheck, type CliIo } from '../../src/listing/cli-commands.ts';
import { SELLER_REASON_CODES } from '../../src/listing/assess-seller-risk.ts';

function fakeIo(stdin: string[] = [], env: Record<string, string | undefined> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    stdout: (t) => out.push(t),
    stderr: (t) => err.push(t),
    stdinLines: async function* () {
      yield* stdin;
    },
    env,
  };
  return { io, out, err, stdout: () => out.join(''), stderr: () => err.join('') };
}

// Expansion must never reach the network in tests: a resolver that refuses everything.
const offline = { resolver: async () => Promise.reject(new Error('offline test')), cache: null };

describe('mamori check', () => {
  it('prints one JSON object with the contract fields', async () => {
    const f = fakeIo();
    const code = await runCheck(['--no-expand', 'これは', 'https://www.amazon.co.jp/dp/B01N5QTFAK?th=1', 'と', 'amazon-co-jp.top'], f.io, offline);
    expect(code).toBe(0);
    expect(f.stderr()).toBe('');
    expect(f.stdout().endsWith('\n')).toBe(true);
    const parsed = JSON.parse(f.stdout());
    expect(parsed).toEqual({
      urls: [
        {
          input: 'https://www.amazon.co.jp/dp/B01N5QTFAK?th=1',
          url: 'https://www.amazon.co.jp/dp/B01N5QTFAK?th=1',
          host: 'www.amazon.co.jp',
          verdict: 'official-listing',
          reasons: ['seller-not-assessed'],
          asin: 'B01N5QTFAK',
          pageKind: 'product',
        },
        {
          input: 'amazon-co-jp.top',
          url: 'https://amazon-co-jp.top/',
          host: 'amazon-co-jp.top',
          verdict: 'impersonation',
          reasons: ['brand-in-domain', 'suspicious-tld'],
        },
      ],
    });
    // Only the contract keys, nothing else leaks into the stable output.
    for (const u of parsed.urls) {
      for (const k of Object.keys(u)) expect(['input', 'url', 'host', 'verdict', 'reasons', 'asin', 'sellerId', 'pageKind', 'expandedTo']).toContain(k);
    }
  });

  it('prints an empty list for text without links', async () => {
    const f = fakeIo();
    expect(await runCheck(['こんにちは'], f.io, offline)).toBe(0);
    expect(f.stdout()).toBe('{"urls":[]}\n');
  });

  it('reports seller IDs', async () => {
    const f = fakeIo();
    await runCheck(['--no-expand', 'https://www.amazon.co.jp/sp?seller=A1B2C3D4E5F6G7'], f.io, offline);
    expect(JSON.parse(f.stdout()).urls[0]).toMatchObject({ sellerId: 'A1B2C3D4E5F6G7', pageKind: 'seller-profile', verdict: 'official-listing' });
  });

  it('--no-expand and EXPAND_LINKS=false leave short links unexpanded, with a reason', async () => {
    for (const [args, env] of [
      [['--no-expand', 'https://bit.ly/abc'], {}],
      [['https://bit.ly/abc'], { EXPAND_LINKS: 'false' }],
    ] as const) {
      const f = fakeIo([], env);
      expect(await runCheck([...args], f.io, offline)).toBe(0);
      const u = JSON.parse(f.stdout()).urls[0];
      expect(u.verdict).toBe('shortener');
      expect(u.reasons).toContain('expansion-disabled');
      expect(u.expandedTo).toBeUndefined();
    }
  });

  it('expands by default (here the offline resolver makes it fail, as a reason)', async () => {
    const f = fakeIo();
    expect(await runCheck(['https://amzn.asia/d/abc1234'], f.io, offline)).toBe(0);
    const u = JSON.parse(f.stdout()).urls[0];
    expect(u.verdict).toBe('official-shortlink');
    expect(u.reasons).toContain('expansion-failed');
  });

  it('--lines prints one JSON object per input line', async () => {
    const f = fakeIo(['https://amazon-co-jp.top/', '', 'メモ amzn.asia/d/abc1234 と bit.ly/x']);
    expect(await runCheck(['--lines', '--no-expand'], f.io, offline)).toBe(0);
    const lines = f.stdout().split('\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(3);
    const objs = lines.map((l) => JSON.parse(l));
    expect(objs[0].urls.map((u: { verdict: string }) => u.verdict)).toEqual(['impersonation']);
    expect(objs[1]).toEqual({ urls: [] });
    expect(objs[2].urls.map((u: { verdict: string }) => u.verdict)).toEqual(['official-shortlink', 'shortener']);
  });

  it.each([
    [['--bogus', 'x'], /unknown option '--bogus'/],
    [['-x'], /unknown option '-x'/],
    [[], /no text given/],
    [['--lines', 'text'], /--lines reads standard input/],
  ])('bad usage %j → exit 2 with one line on stderr', async (args, message) => {
    const f = fakeIo();
    expect(await runCheck(args, f.io, offline)).toBe(2);
    expect(f.stdout()).toBe('');
    expect(f.stderr()).toMatch(message);
    expect(f.stderr().trimEnd().split('\n')).toHaveLength(1);
  });

  it('"--" ends the options', async () => {
    const f = fakeIo();
    expect(await runCheck(['--no-expand', '--', '--not-an-option', 'amazon.co.jp'], f.io, offline)).toBe(0);
    expect(JSON.parse(f.stdout()).urls).toHaveLength(1);
  });
});

describe('mamori assess', () => {
  it('prints level, score and reasons', async () => {
    const f = fakeIo();
    const code = await runAssess(['{"price":2000,"typicalPrice":30000,"fulfilment":"overseas","newSeller":true}'], f.io);
    expect(code).toBe(0);
    const r = JSON.parse(f.stdout());
    expect(Object.keys(r)).toEqual(['level', 'score', 'reasons']);
    expect(r.level).toBe('high');
    expect(r.reasons[0]).toBe('classic-scam-pattern');
    for (const code of r.reasons) expect(SELLER_REASON_CODES).toContain(code);
  });

  it('joins split arguments (unquoted JSON in a shell)', async () => {
    const f = fakeIo();
    expect(await runAssess(['{"offPlatformRequest":', 'true}'], f.io)).toBe(0);
    expect(JSON.parse(f.stdout()).level).toBe('high');
  });

  it('no signals at all → unknown', async () => {
    const f = fakeIo();
    expect(await runAssess(['{}'], f.io)).toBe(0);
    expect(JSON.parse(f.stdout())).toMatchObject({ level: 'unknown' });
  });

  it.each([
    [['{price: 1}'], /^mamori assess: invalid JSON: /],
    [['{"price":-5}'], /^mamori assess: invalid signal 'price': must be 0 or more/],
    [['{"fulfilment":"drone"}'], /^mamori assess: invalid signal 'fulfilment': must be one of amazon, seller, overseas, unknown/],
    [['[1,2]'], /^mamori assess: signals must be a JSON object, got an array/],
    [['42'], /^mamori assess: signals must be a JSON object, got number/],
    [['null'], /^mamori assess: signals must be a JSON object, got null/],
    [['{"pirce":100}'], /^mamori assess: unknown signal 'pirce'/],
    [['{"newSeller":"yes"}'], /^mamori assess: invalid signal 'newSeller': must be a boolean or null/],
    [['{"positivePercent":150}'], /^mamori assess: invalid signal 'positivePercent': must be between 0 and 100/],
    [['--verbose', '{}'], /^mamori assess: unknown option '--verbose'/],
    [[], /^mamori assess: missing JSON/],
  ])('%j → exit 2 with one clear line', async (args, message) => {
    const f = fakeIo();
    expect(await runAssess(args, f.io)).toBe(2);
    expect(f.stdout()).toBe('');
    expect(f.stderr()).toMatch(message);
    expect(f.stderr().endsWith('\n')).toBe(true);
    expect(f.stderr().trimEnd()).not.toContain('\n');
    expect(f.stderr()).not.toMatch(/\bat .*\.ts:\d+/); // no stack trace
  });
});
