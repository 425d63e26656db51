import { describe, expect, it } from 'vitest';
import { Advisor } from '../../src/engine/advisor.ts';
import { buttonEvent, textEvent } from '../../src/engine/make-event.ts';
import { buttonsOf } from '../../src/engine/reply.ts';
import { decodeSession } from '../../src/engine/session.ts';
import { StoreUnavailableError } from '../../src/engine/session-store.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { fixtureContext } from './fixtures.ts';

const context = fixtureContext();
const noLinks = async () => [];

function setup(now = () => Date.now()) {
  const store = new MemorySessionStore({ now });
  const advisor = new Advisor({ store, context, checkLinks: noLinks, now, waitForConcurrentMs: 500 });
  return { store, advisor };
}
const origin = (eventId?: string) => ({ channel: 'telegram' as const, userId: '42', receivedAt: Date.now(), ...(eventId ? { eventId } : {}) });

describe('Advisor', () => {
  it('the same event delivered five times at once gives one reply and one state change', async () => {
    const { store, advisor } = setup();
    const ev = textEvent(origin('1001'), '/secure');
    const results = await Promise.all(Array.from({ length: 5 }, () => advisor.handle(ev)));
    const replies = results.filter((r) => r.status === 'reply');
    expect(replies).toHaveLength(1);
    // The others wait for the first to confirm; while it has not, they are in-flight, after it duplicate.
    expect(results.filter((r) => r.status === 'in-flight' || r.status === 'duplicate')).toHaveLength(4);
    const loaded = await store.load('tg:42');
    expect(loaded.version).toBe(1);
    if (replies[0]!.status === 'reply') await replies[0]!.delivered();
    expect((await advisor.handle(ev)).status).toBe('duplicate');
  });

  it('retries compare-and-set with fresh state so concurrent distinct events are all applied', async () => {
    const { store, advisor } = setup();
    const first = await advisor.handle(textEvent(origin('1'), '/report'));
    if (first.status === 'reply') await first.delivered();
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => advisor.handle(textEvent(origin(`e${i}`), `answer ${i}`))));
    expect(results.every((r) => r.status === 'reply')).toBe(true);
    const loaded = await store.load('tg:42');
    expect(loaded.version).toBe(21);
    expect(decodeSession(loaded.state).session!.turn).toBe(21);
  });

  it('re-sends the outbox when an earlier attempt saved but never confirmed sending', async () => {
    let clock = 1_000_000;
    const { advisor } = setup(() => clock);
    const ev = textEvent({ ...origin('77'), receivedAt: clock }, '/menu');
    const first = await advisor.handle(ev);
    expect(first.status).toBe('reply');
    // The process "crashed" here: delivered() never ran. The platform redelivers later.
    clock += 20_000;
    const again = await advisor.handle(ev);
    expect(again.status).toBe('reply');
    if (again.status === 'reply' && first.status === 'reply') {
      expect(again.resent).toBe(true);
      expect(again.replies).toEqual(first.replies);
      await again.delivered();
    }
    expect((await advisor.handle(ev)).status).toBe('duplicate');
  });

  it('answers a redelivery mid-guide with the same replies, from the state before the event, without advancing twice', async () => {
    let clock = 1_000_000;
    const listing = { url: 'https://www.amazon.co.jp/dp/B0ABCDEFGH', host: 'www.amazon.co.jp', verdict: 'official-listing', reasons: [] };
    const store = new MemorySessionStore({ now: () => clock });
    const advisor = new Advisor({ store, context, checkLinks: async (text) => (text.includes('amazon') ? [listing] : []), now: () => clock });
    const go = async (text: string, id: string) => {
      const r = await advisor.handle(textEvent({ ...origin(id), receivedAt: clock }, text));
      if (r.status !== 'reply') throw new Error(`expected a reply, got ${r.status}`);
      return r;
    };
    await (await go('https://www.amazon.co.jp/dp/B0ABCDEFGH', 'm1')).delivered();
    const before = await store.load('tg:42');
    // The typed price moves the guide on; the process "crashes" before sending.
    const first = await go('1,000円', 'm2');
    const saved = await store.load('tg:42', 'm2');
    expect(saved.version).toBe(before.version + 1);
    // The record keeps the state the step started from, not the replies.
    expect(saved.delivery).toMatchObject({ status: 'pending' });
    const record = saved.delivery?.status === 'pending' ? saved.delivery.outbox : '';
    expect(record).toBe(`r1:1000000:${before.state}`);
    for (const reply of first.replies) if (reply.kind === 'text') expect(record).not.toContain(reply.text);
    clock += 20_000;
    const again = await go('1,000円', 'm2');
    expect(again.resent).toBe(true);
    expect(again.replies).toEqual(first.replies);
    await again.delivered();
    const after = await store.load('tg:42', 'm2');
    expect(after.version).toBe(saved.version);
    expect(after.state).toBe(saved.state);
    expect(after.delivery).toEqual({ status: 'done' });
  });

  it('answers a redelivery again with the notice when the state before the event was unreadable', async () => {
    let clock = 1_000_000;
    const { store, advisor } = setup(() => clock);
    await store.commit('tg:42', 0, '{"v":1,"broken":true}');
    const ev = textEvent({ ...origin('b1'), receivedAt: clock }, '/menu');
    const first = await advisor.handle(ev);
    expect(first.status === 'reply' && first.replies[0]).toMatchObject({ kind: 'text', text: 'notice.restarted' });
    clock += 20_000;
    const again = await advisor.handle(ev);
    expect(again.status === 'reply' && again.replies).toEqual(first.status === 'reply' && first.replies);
  });

  it('still sends a pending record written as a JSON array of replies (the format before the replay record)', async () => {
    let clock = 1_000_000;
    const { store, advisor } = setup(() => clock);
    const kept = [{ kind: 'text', text: 'kept.reply' }];
    await store.commit('tg:42', 0, null, { eventId: 'old1', outbox: JSON.stringify(kept), at: clock });
    clock += 20_000;
    const again = await advisor.handle(textEvent({ ...origin('old1'), receivedAt: clock }, '/menu'));
    expect(again).toMatchObject({ status: 'reply', resent: true, replies: kept });
  });

  it('fails loudly on a pending record it cannot read, rather than answering from the wrong state', async () => {
    let clock = 1_000_000;
    const { store, advisor } = setup(() => clock);
    await store.commit('tg:42', 0, null, { eventId: 'x1', outbox: 'something else', at: clock });
    clock += 20_000;
    await expect(advisor.handle(textEvent({ ...origin('x1'), receivedAt: clock }, '/menu'))).rejects.toThrow('unreadable pending delivery record');
  });

  it('re-sends at once when its own commit timed out but landed (a hung store ran it later)', async () => {
    // A clock that moves a little on every reading (the in-flight wait needs time to pass).
    let clock = 1_000_000;
    const { store, advisor } = setup(() => (clock += 5));
    const commitChecked = store.commitChecked.bind(store);
    let hang = true;
    // The write reaches the store, but the answer never comes back in time.
    store.commitChecked = async (...args) => {
      const answer = await commitChecked(...args);
      if (hang) throw new StoreUnavailableError('no answer in time');
      return answer;
    };
    const ev = textEvent({ ...origin('88'), receivedAt: clock }, '/menu');
    await expect(advisor.handle(ev)).rejects.toBeInstanceOf(StoreUnavailableError);
    hang = false;
    // The redelivery, at the same moment: no waiting for abandonedAfterMs, the kept answer goes out.
    const again = await advisor.handle(ev);
    expect(again).toMatchObject({ status: 'reply', resent: true });
    // Another instance (no memory of giving up) would wait: here a second redelivery is in-flight until then.
    const third = await advisor.handle(ev);
    expect(third.status).toBe('in-flight');
  });

  it('replaces unreadable stored state with a fresh session and says so', async () => {
    const { store, advisor } = setup();
    await store.commit('tg:42', 0, '{"v":1,"broken":true}');
    const r = await advisor.handle(textEvent(origin(), '/menu'));
    expect(r.status === 'reply' && r.replies[0]).toMatchObject({ kind: 'text', text: 'notice.restarted' });
    expect(decodeSession((await store.load('tg:42')).state).discarded).toBe(false);
  });

  it('/forget removes every key of the user once confirmed', async () => {
    const { store, advisor } = setup();
    let r = await advisor.handle(textEvent(origin('a1'), '/forget'));
    if (r.status !== 'reply') throw new Error('expected reply');
    await r.delivered();
    const yes = buttonsOf(r.replies)[0]!.payload;
    r = await advisor.handle(buttonEvent(origin('a2'), yes));
    if (r.status !== 'reply') throw new Error('expected reply');
    await r.delivered();
    expect(store.size()).toBe(0);
  });

  it('a step that throws saves nothing', async () => {
    const { store } = setup();
    const listing = { url: 'https://www.amazon.co.jp/dp/B0ABCDEFGH', host: 'www.amazon.co.jp', verdict: 'official-listing', reasons: [] };
    const broken = new Advisor({
      store,
      context: { ...context, assessSeller: () => { throw new Error('boom'); } },
      checkLinks: async (text) => (text.includes('amazon') ? [listing] : []),
    });
    const go = async (text: string, id: string) => {
      const r = await broken.handle(textEvent(origin(id), text));
      if (r.status === 'reply') await r.delivered();
      return r;
    };
    await go('https://www.amazon.co.jp/dp/B0ABCDEFGH', 'y1');
    await go('1000', 'y2');
    const last = await go('3000', 'y3');
    const sellerShips = last.status === 'reply' ? buttonsOf(last.replies)[1]!.payload : '';
    const before = await store.load('tg:42');
    // The seller-risk summary throws: nothing may be written, not even the delivery record.
    await expect(broken.handle(buttonEvent(origin('y4'), sellerShips))).rejects.toThrow('boom');
    const after = await store.load('tg:42', 'y4');
    expect(after.version).toBe(before.version);
    expect(after.state).toBe(before.state);
    expect(after.delivery).toBeNull();
  });
});

describe('Advisor rate limit', () => {
  it('gives one polite notice over the limit, then silence, counted in the store', async () => {
    const store = new MemorySessionStore();
    const locales = { ...context.locales, ja: { ...context.locales.ja, 'rate.limited': 'ちょっと待って' } };
    const seen: string[] = [];
    const advisor = new Advisor({
      store,
      context: { ...context, locales },
      checkLinks: noLinks,
      rateLimit: { perMinute: 30, burst: 3 },
      observer: { rateLimited: () => seen.push('limited') },
    });
    const statuses: string[] = [];
    for (let i = 0; i < 6; i++) {
      const r = await advisor.handle(textEvent(origin(`r${i}`), '/menu'));
      statuses.push(r.status === 'reply' ? (r.replies[0]!.kind === 'text' ? r.replies[0]!.text : 'reply') : r.status);
      if (r.status === 'reply') await r.delivered();
    }
    expect(statuses.slice(3)).toEqual(['ちょっと待って', 'limited', 'limited']);
    expect(seen).toEqual(['limited', 'limited', 'limited']);
  });

  it('says how long until events pass again: the end of the window whose limit was passed', async () => {
    // 3.2 s into a 10-second window and 23.2 s into a minute.
    let clock = 1_700_000_003_200;
    const store = new MemorySessionStore({ now: () => clock });
    const advisor = new Advisor({ store, context, checkLinks: noLinks, now: () => clock, rateLimit: { perMinute: 5, burst: 3 } });
    const send = (i: number) => advisor.handle(textEvent({ ...origin(`w${i}`), receivedAt: clock }, '/menu'));
    for (let i = 0; i < 3; i++) expect((await send(i)).status).toBe('reply');
    // Over the burst: the notice, marked as such, then silence, both until the 10-second window ends.
    const notice = await send(3);
    expect(notice.status === 'reply' && notice.limitedFor).toBe(7);
    expect(await send(4)).toEqual({ status: 'limited', retryAfter: 7 });
    // In the next 10-second window the burst is fine again, but the minute's 5 are used: until the minute ends.
    clock += 7_000;
    const minute = await send(5);
    expect(minute.status === 'reply' ? minute.limitedFor : minute.status === 'limited' ? minute.retryAfter : undefined).toBe(30);
    // An ordinary reply carries no such mark.
    clock += 40_000;
    const ok = await send(6);
    expect(ok.status === 'reply' && ok.limitedFor).toBeUndefined();
  });
});
