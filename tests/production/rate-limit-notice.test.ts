/**
 * The per-user rate limit's notice: the first limited event after one within both limits gets exactly one
 * polite notice, and every later event of that stretch gets silence, whichever window (per minute, per 10
 * seconds) is passed first, or both at once. Counted in a private Redis (and, the same rule, in memory), on
 * a test clock so that the fixed windows can be crossed without waiting.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Advisor, type Handled } from '../../src/engine/advisor.ts';
import { textEvent } from '../../src/engine/make-event.ts';
import type { SessionStore } from '../../src/engine/session-store.ts';
import { loadContent } from '../../src/runtime.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { RedisSessionStore } from '../../src/store/redis-session-store.ts';
import { rateNoticePattern } from '../support/rate-notice.ts';
import { redisServerAvailable, startRedisServer, stopAllRedisServers, type RedisServerHandle } from '../support/redis-server.ts';

const enabled = redisServerAvailable('rate-limit notice tests');
const { flows, locales } = loadContent();
const NOTICE = rateNoticePattern(locales.ja['rate.limited']!);
/** The seconds a notice asks the user to wait, or null for a text that is not the notice. */
const noticeSeconds = (text: string): number | null => {
  const m = NOTICE.exec(text);
  return m ? Number(m[1]) : null;
};
/** A time on a minute boundary (so a 10-second and a minute window start together). */
const T0 = 1_800_000_000_000 - (1_800_000_000_000 % 60_000);

type Outcome = 'answer' | 'notice' | 'silence';
/** The waits the notices asked for, in order (see sender). */
const waits: number[] = [];

/** One user sending `/help` events on a test clock; each event's outcome in order. */
function sender(store: SessionStore, clock: { now: number }, limits: { perMinute: number; burst: number }, userId: string) {
  const advisor = new Advisor({
    store,
    context: { flows, locales, assessSeller: () => { throw new Error('not used'); } },
    checkLinks: async () => [],
    rateLimit: limits,
    now: () => clock.now,
  });
  let n = 0;
  return async (count = 1): Promise<Outcome[]> => {
    const out: Outcome[] = [];
    for (let i = 0; i < count; i++) {
      const h: Handled = await advisor.handle(textEvent({ channel: 'telegram', userId, chatType: 'private', eventId: String(1000 + n++), receivedAt: clock.now }, '/help'));
      if (h.status === 'reply') {
        await h.delivered();
        const seconds = h.replies.length === 1 && h.replies[0]!.kind === 'text' ? noticeSeconds(h.replies[0]!.text) : null;
        if (seconds !== null) waits.push(seconds);
        out.push(seconds !== null ? 'notice' : 'answer');
      } else {
        expect(h.status).toBe('limited');
        out.push('silence');
      }
    }
    return out;
  };
}

describe.skipIf(!enabled)('rate-limit notice', () => {
  let redis: RedisServerHandle;
  const stores: SessionStore[] = [];
  beforeAll(async () => {
    redis = await startRedisServer();
  });
  afterAll(async () => {
    await Promise.all(stores.map((s) => s.close()));
    await stopAllRedisServers();
  });

  const kinds = {
    redis: (clock: { now: number }) => new RedisSessionStore({ url: redis.url, now: () => clock.now }),
    memory: (clock: { now: number }) => new MemorySessionStore({ now: () => clock.now }),
  };
  let user = 0;
  const setup = (kind: keyof typeof kinds, limits: { perMinute: number; burst: number }) => {
    const clock = { now: T0 + 60_000 * ++user };
    const store = kinds[kind](clock);
    stores.push(store);
    return { clock, send: sender(store, clock, limits, `77${user}`) };
  };

  for (const kind of ['redis', 'memory'] as const) {
    describe(kind, () => {
      it('says how long to wait: until the end of every window passed', async () => {
        // Burst passed 3 s into a 10-second window: 7 s. The minute passed 25 s into it: 35 s.
        const burst = setup(kind, { perMinute: 100, burst: 2 });
        burst.clock.now += 3_000;
        waits.length = 0;
        expect(await burst.send(3)).toEqual(['answer', 'answer', 'notice']);
        const minute = setup(kind, { perMinute: 2, burst: 100 });
        minute.clock.now += 25_000;
        expect(await minute.send(3)).toEqual(['answer', 'answer', 'notice']);
        expect(waits).toEqual([7, 35]);
      });

      it('burst first, then the minute limit in a later 10-second window: one notice for the whole stretch', async () => {
        const { clock, send } = setup(kind, { perMinute: 5, burst: 3 });
        expect(await send(5)).toEqual(['answer', 'answer', 'answer', 'notice', 'silence']);
        clock.now += 10_000;
        // The 6th event of the minute opens a new 10-second window but passes the minute limit: same stretch.
        expect(await send(3)).toEqual(['silence', 'silence', 'silence']);
        clock.now += 50_000;
        expect(await send(1)).toEqual(['answer']);
      });

      it('the minute limit first, then the burst limit too: one notice', async () => {
        const { clock, send } = setup(kind, { perMinute: 4, burst: 3 });
        expect(await send(3)).toEqual(['answer', 'answer', 'answer']);
        clock.now += 10_000;
        expect(await send(4)).toEqual(['answer', 'notice', 'silence', 'silence']);
        clock.now += 10_000;
        expect(await send(1)).toEqual(['silence']);
      });

      it('both limits passed by the same event: one notice (not silence)', async () => {
        const { send } = setup(kind, { perMinute: 3, burst: 3 });
        expect(await send(6)).toEqual(['answer', 'answer', 'answer', 'notice', 'silence', 'silence']);
      });

      it('a burst stretch that ends (the 10 seconds pass) and a new one: a notice each', async () => {
        const { clock, send } = setup(kind, { perMinute: 10, burst: 2 });
        expect(await send(4)).toEqual(['answer', 'answer', 'notice', 'silence']);
        clock.now += 10_000;
        expect(await send(3)).toEqual(['answer', 'answer', 'notice']);
      });

      it('a burst stretch at exactly the minute limit, then the minute limit after a pause: one notice', async () => {
        const { clock, send } = setup(kind, { perMinute: 4, burst: 2 });
        expect(await send(1)).toEqual(['answer']);
        clock.now += 10_000;
        // The 4th event of the minute (exactly the minute limit) is the first over the burst limit.
        expect(await send(3)).toEqual(['answer', 'answer', 'notice']);
        clock.now += 10_000;
        // The 5th opens a new 10-second window and passes the minute limit: the stretch goes on.
        expect(await send(2)).toEqual(['silence', 'silence']);
      });
    });
  }
});
