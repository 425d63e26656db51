import { describe, expect, it } from 'vitest';
import { copySession, decodeSession, encodeSession, newSession, SESSION_MIGRATIONS, SESSION_VERSION, type Session } from '../../src/engine/session.ts';

describe('session state', () => {
  it('round-trips and stays small', () => {
    const s = { ...newSession(1_700_000_000_000), at: { flow: 'check', step: 'typical' }, trail: ['ask', 'price'], ans: { price: 1980, url: 'https://www.amazon.co.jp/dp/B0ABCDEFGH' } };
    const raw = encodeSession(s);
    expect(decodeSession(raw)).toEqual({ session: s, discarded: false });
    expect(raw.length).toBeLessThan(200);
  });

  it('stores the language only when it is not the default Japanese, and reads old states that name it', () => {
    const ja = newSession(1_700_000_000_000);
    expect(encodeSession(ja)).not.toContain('lang');
    expect(decodeSession(encodeSession(ja)).session!.lang).toBe('ja');
    const en = { ...ja, lang: 'en' as const };
    expect(decodeSession(encodeSession(en)).session!.lang).toBe('en');
    expect(decodeSession('{"v":1,"sid":"abc","turn":2,"lang":"ja"}').session!.lang).toBe('ja');
  });

  it('reports unreadable state as discarded instead of throwing', () => {
    for (const raw of ['', 'not json', '[]', '42', 'null', '{"v":1}', '{"v":999,"sid":"a"}', JSON.stringify({ v: 1, sid: 'x', turn: -1, lang: 'ja' })]) {
      expect(decodeSession(raw)).toEqual({ session: null, discarded: true });
    }
    expect(decodeSession(null)).toEqual({ session: null, discarded: false });
  });

  it('migrates older layouts through SESSION_MIGRATIONS before validating', () => {
    const previous = SESSION_VERSION - 1;
    const shipped = SESSION_MIGRATIONS[previous];
    SESSION_MIGRATIONS[previous] = (old) => ({ ...old, v: SESSION_VERSION, lang: old.language ?? 'ja' });
    try {
      const { session, discarded } = decodeSession(JSON.stringify({ v: previous, sid: 'abc', turn: 3, language: 'en' }));
      expect(discarded).toBe(false);
      expect(session).toMatchObject({ v: SESSION_VERSION, sid: 'abc', turn: 3, lang: 'en' });
      // Without a migration an old layout is discarded, not misread.
      delete SESSION_MIGRATIONS[previous];
      expect(decodeSession(JSON.stringify({ v: previous, sid: 'abc', turn: 3 })).discarded).toBe(true);
    } finally {
      if (shipped) SESSION_MIGRATIONS[previous] = shipped;
      else delete SESSION_MIGRATIONS[previous];
    }
  });

  it('reads version 1 states (positions as objects), which users still have after an upgrade', () => {
    const v1 = '{"v":1,"sid":"k3x9a1","turn":7,"at":{"flow":"secure","step":"buyer","item":2},"trail":["which"],"ans":{},"resume":{"flow":"check","step":"price"}}';
    expect(decodeSession(v1)).toEqual({
      session: {
        v: 3,
        sid: 'k3x9a1',
        turn: 7,
        lang: 'ja',
        at: { flow: 'secure', step: 'buyer', item: 2 },
        trail: ['which'],
        ans: {},
        paused: [{ at: { flow: 'check', step: 'price' }, trail: [], ans: {} }],
      },
      discarded: false,
    });
  });

  it('reads version 2 states: a guide left for the menu keeps the answers it had, and goes on being offered', () => {
    // At the menu: the answers stored beside `resume` were that guide's.
    const atMenu = '{"v":2,"sid":"k3x9a1","turn":9,"ans":{"price":3000,"typicalPrice":30000},"resume":"check/q-fulfilment"}';
    expect(decodeSession(atMenu).session).toEqual({
      v: 3,
      sid: 'k3x9a1',
      turn: 9,
      lang: 'ja',
      trail: [],
      ans: {},
      paused: [{ at: { flow: 'check', step: 'q-fulfilment' }, trail: [], ans: { price: 3000, typicalPrice: 30000 } }],
    });
    // In another guide: its answers stay its own; the paused guide's place is kept (its answers were lost before).
    const inGuide = '{"v":2,"sid":"k3x9a1","turn":9,"at":"incident/ev-what","trail":["what","ev-when"],"ans":{"when":"昨日"},"resume":"check/q-fulfilment"}';
    expect(decodeSession(inGuide).session).toMatchObject({
      at: { flow: 'incident', step: 'ev-what' },
      ans: { when: '昨日' },
      paused: [{ at: { flow: 'check', step: 'q-fulfilment' }, trail: [], ans: {} }],
    });
    // Nothing left half-way: nothing paused.
    expect(decodeSession('{"v":2,"sid":"k3x9a1","turn":2,"at":"secure/which"}').session).toMatchObject({ v: 3, paused: [] });
  });

  it('stores a paused guide with its place packed, its trail and answers only when it has them', () => {
    const s: Session = {
      ...newSession(1_700_000_000_000),
      paused: [
        { at: { flow: 'check', step: 'q-fulfilment' }, trail: ['paste', 'q-price'], ans: { price: 3000 } },
        { at: { flow: 'secure', step: 'buyer', item: 2 }, trail: [], ans: {} },
      ],
    };
    const raw = encodeSession(s);
    expect(JSON.parse(raw).paused).toEqual([{ at: 'check/q-fulfilment', trail: ['paste', 'q-price'], ans: { price: 3000 } }, { at: 'secure/buyer/2' }]);
    expect(decodeSession(raw).session).toEqual(s);
    expect(encodeSession(newSession(1_700_000_000_000))).not.toContain('paused');
    // More than MAX_PAUSED, or a malformed position, is refused like any other broken state.
    const three = JSON.stringify({ v: 3, sid: 'abc', turn: 1, paused: [{ at: 'a/b' }, { at: 'c/d' }, { at: 'e/f' }] });
    expect(decodeSession(three).discarded).toBe(true);
    expect(decodeSession(JSON.stringify({ v: 3, sid: 'abc', turn: 1, paused: [{ at: 'a' }] })).discarded).toBe(true);
  });

  it('stores positions as "flow/step" or "flow/step/item", and refuses malformed ones', () => {
    const s: Session = { ...newSession(1_700_000_000_000), at: { flow: 'secure', step: 'buyer', item: 3 }, paused: [{ at: { flow: 'check', step: 'listing-where' }, trail: [], ans: {} }] };
    const raw = encodeSession(s);
    expect(JSON.parse(raw)).toMatchObject({ v: 3, at: 'secure/buyer/3', paused: [{ at: 'check/listing-where' }] });
    expect(decodeSession(raw).session).toEqual(s);
    for (const at of ['secure', 'secure/', '/buyer', 'secure/buyer/x', 'secure/buyer/100', 'a/b/1/2', 42]) {
      expect(decodeSession(JSON.stringify({ v: 3, sid: 'abc', turn: 1, at })), String(at)).toEqual({ session: null, discarded: true });
    }
  });

  it('picks English for non-Japanese platform languages', () => {
    expect(newSession(1).lang).toBe('ja');
    expect(newSession(1, 'ja').lang).toBe('ja');
    expect(newSession(1, 'ja-JP').lang).toBe('ja');
    expect(newSession(1, 'en').lang).toBe('en');
    expect(newSession(1, 'vi').lang).toBe('en');
  });
});

describe('copySession', () => {
  it('copies every part a step may change, so the original stays as it was', () => {
    const original: Session = {
      v: 3,
      sid: 'abc',
      turn: 3,
      lang: 'ja',
      at: { flow: 'check', step: 'price', item: 1 },
      trail: ['intro'],
      ans: { price: 2980, url: 'https://www.amazon.co.jp/dp/B000000000' },
      paused: [{ at: { flow: 'secure', step: 'twofa' }, trail: ['which'], ans: { done: true } }],
    };
    const frozen = structuredClone(original);
    const copy = copySession(original);
    expect(copy).toEqual(original);
    copy.turn++;
    copy.at!.item = 2;
    copy.paused[0]!.at.step = 'x';
    copy.paused[0]!.trail.push('x');
    copy.paused[0]!.ans.done = false;
    copy.trail.push('price');
    copy.ans.price = 1;
    delete copy.ans.url;
    expect(original).toEqual(frozen);
  });
});
