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
      session: { v: 2, sid: 'k3x9a1', turn: 7, lang: 'ja', at: { flow: 'secure', step: 'buyer', item: 2 }, trail: ['which'], ans: {}, resume: { flow: 'check', step: 'price' } },
      discarded: false,
    });
  });

  it('stores positions as "flow/step" or "flow/step/item", and refuses malformed ones', () => {
    const s: Session = { ...newSession(1_700_000_000_000), at: { flow: 'secure', step: 'buyer', item: 3 }, resume: { flow: 'check', step: 'listing-where' } };
    const raw = encodeSession(s);
    expect(JSON.parse(raw)).toMatchObject({ v: 2, at: 'secure/buyer/3', resume: 'check/listing-where' });
    expect(decodeSession(raw).session).toEqual(s);
    for (const at of ['secure', 'secure/', '/buyer', 'secure/buyer/x', 'secure/buyer/100', 'a/b/1/2', 42]) {
      expect(decodeSession(JSON.stringify({ v: 2, sid: 'abc', turn: 1, at })), String(at)).toEqual({ session: null, discarded: true });
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
      v: 2,
      sid: 'abc',
      turn: 3,
      lang: 'ja',
      at: { flow: 'check', step: 'price', item: 1 },
      trail: ['intro'],
      ans: { price: 2980, url: 'https://www.amazon.co.jp/dp/B000000000' },
      resume: { flow: 'secure', step: 'twofa' },
    };
    const frozen = structuredClone(original);
    const copy = copySession(original);
    expect(copy).toEqual(original);
    copy.turn++;
    copy.at!.item = 2;
    copy.resume!.step = 'x';
    copy.trail.push('price');
    copy.ans.price = 1;
    delete copy.ans.url;
    expect(original).toEqual(frozen);
  });
});
