import { RecentMap } from './recent-map.ts';
import { decodeSession, encodeSession, type DecodedSession, type Session } from './session.ts';
import { userKeyOf, type InboundEvent } from './inbound-event.ts';
import { translate } from './locales.ts';
import type { Reply } from './reply.ts';
import { StoreUnavailableError, type LoadedState, type RateWindow, type SessionStore } from './session-store.ts';
import { step, type AdvisorContext, type LinkFinding, type StepOutcome } from './step.ts';

/** What handling one event produced, for the channel adapter that received it. */
export type Handled =
  | {
      status: 'reply';
      replies: Reply[];
      outcome: StepOutcome;
      /** True when these replies answer again for an earlier attempt that saved but never confirmed sending. */
      resent: boolean;
      /** Call after the replies were sent (or queued): confirms delivery, runs /forget. */
      delivered: () => Promise<void>;
      /**
       * Set when the replies are only the rate-limit notice (the event itself was not handled): the seconds until the
       * limit that was passed lets events through again. A channel that can keep its buttons (the web page) may say
       * so in its own way instead of showing the notice.
       */
      limitedFor?: number;
    }
  /** The event was handled before (a redelivery): answer 2xx and send nothing. */
  | { status: 'duplicate' }
  /** Another instance is handling this very event right now and has not finished: ask for a redelivery later. */
  | { status: 'in-flight' }
  /** The user is over the rate limit and was already told: answer 2xx and send nothing (events pass again after `retryAfter` seconds). */
  | { status: 'limited'; retryAfter: number };

/**
 * What the channel knows about the request an event came in: its request logger (bound to the request id), so
 * that what the observer logs about the event can be joined with the request's own log lines.
 */
export interface RequestContext {
  log?: { info(obj: object, msg: string): void; isLevelEnabled?(level: string): boolean };
}

/** Hooks for metrics and logs; every method optional. */
export interface AdvisorObserver {
  event?(event: InboundEvent, request?: RequestContext): void;
  outcome?(outcome: StepOutcome): void;
  duplicate?(event: InboundEvent): void;
  rateLimited?(event: InboundEvent): void;
  storeError?(error: StoreUnavailableError): void;
}

/** Per-user limits on incoming events, counted in the store so they hold across instances. */
export interface RateLimit {
  perMinute: number;
  /** Events per 10 seconds. */
  burst: number;
}

export interface AdvisorOptions {
  store: SessionStore;
  context: AdvisorContext;
  /** Finds and classifies the links in a text (may expand short links: I/O at the edge, never in the step). */
  checkLinks: (text: string) => Promise<readonly LinkFinding[]>;
  now?: () => number;
  /** A pending delivery older than this is taken as abandoned (its handler died) and answered again. */
  abandonedAfterMs?: number;
  /** How long to wait for a concurrent handler of the same event before answering in-flight. */
  waitForConcurrentMs?: number;
  rateLimit?: RateLimit | null;
  observer?: AdvisorObserver;
}

/** Error code when compare-and-set kept failing (a user sending very fast from many devices). */
export const CONFLICT_ERROR_CODE = 'MAMORI_SESSION_CONFLICT';
const MAX_ATTEMPTS = 64;
/** Most events remembered as given up on (see Advisor.#gaveUp). */
const GAVE_UP_MAX = 1000;
/** Most users whose decoded session is kept (see Advisor.#decoded), and for how long. */
const DECODED_MAX = 10_000;
const DECODED_TTL_MS = 5 * 60_000;
/** Bucket of the store counter that marks a limited event at exactly the minute limit (see Advisor.#firstOfStretch). */
const RATE_NOTICE_MARK = 'n';
/** Per-minute and per-10-seconds windows of the per-user rate limit. */
const RATE_WINDOWS: readonly RateWindow[] = [
  { bucket: 'm', windowSeconds: 60 },
  { bucket: 'b', windowSeconds: 10 },
];

/** Backoff with jitter between compare-and-set attempts, so concurrent writers of one user spread out. */
function backoff(attempt: number): Promise<void> {
  const ms = Math.random() * Math.min(40, 2 * attempt);
  return new Promise((r) => setTimeout(r, ms));
}

/**
 * What a pending delivery record keeps (the store's opaque `outbox`): not the replies, but what they were
 * made from, `r1:<receivedAt>:<the state the step started from>` (empty for none). The step is pure, so
 * running it again on that state and the redelivered event gives the same replies (link checks are run
 * again: a short link's expansion could have changed in between). The state is a few hundred bytes where the
 * replies were often a kilobyte or more, serialised and written with every event and deleted once sent (in
 * `npm run bench:ab` runs against the old record: a small gain at best, within this machine's noise).
 * Records written as a JSON array of replies (before this format) are still read.
 */
const REPLAY_RECORD = /^r1:(\d{1,15}):/;

function replayRecord(previousState: string | null, receivedAt: number): string {
  return `r1:${receivedAt}:${previousState ?? ''}`;
}

/**
 * The I/O edge around the pure step: loads the session, runs the step, saves the new state with
 * compare-and-set (retrying with fresh state on conflict), and records the event's delivery so that a
 * redelivered event is recognised. Until the channel confirms sending, the delivery record keeps the state
 * the step started from (see REPLAY_RECORD), so a crash between saving and sending leads to the same answer
 * on redelivery rather than a lost one.
 */
export class Advisor {
  readonly #o: Required<AdvisorOptions>;
  /**
   * Events whose commit this instance sent but never saw answered (the store timed out): the write may
   * still land later (a hung Redis runs what it had received when it resumes). If it did, the redelivery
   * finds the event pending with no handler left, and this instance knows it can send the kept answer at
   * once rather than wait `abandonedAfterMs` for a handler that is gone. Bounded, oldest out.
   */
  readonly #gaveUp: RecentMap<true>;
  /**
   * Per user, the session this instance last wrote or validated, with its stored text: the next message of
   * the same user usually finds that text again and skips parsing and validating it. Only text that passed
   * validation (or that we encoded ourselves) gets in, so reading through it validates as decodeSession
   * does. The step never changes the session it is given (it works on a copy). Bounded, oldest out, five
   * minutes at most, and dropped at once when the user is forgotten here.
   */
  readonly #decoded = new RecentMap<{ raw: string; session: Session }>(DECODED_MAX, DECODED_TTL_MS);

  constructor(options: AdvisorOptions) {
    this.#o = { now: Date.now, abandonedAfterMs: 15_000, waitForConcurrentMs: 2_000, rateLimit: null, observer: {}, ...options };
    // A commit given up on that landed shows as a pending record younger than abandonedAfterMs; after that the
    // record is taken as abandoned anyway.
    this.#gaveUp = new RecentMap(GAVE_UP_MAX, this.#o.abandonedAfterMs);
  }

  get store(): SessionStore {
    return this.#o.store;
  }

  async handle(event: InboundEvent, request?: RequestContext): Promise<Handled> {
    const { observer } = this.#o;
    observer.event?.(event, request);
    let handled: Handled;
    try {
      handled = await this.#handle(event);
    } catch (err) {
      if (err instanceof StoreUnavailableError) observer.storeError?.(err);
      throw err;
    }
    if (handled.status === 'reply') observer.outcome?.(handled.outcome);
    else if (handled.status === 'duplicate') observer.duplicate?.(event);
    return handled;
  }

  /** The windows counted for the per-user rate limit (none for the local terminal chat). */
  #rateWindows(event: InboundEvent): readonly RateWindow[] | undefined {
    return this.#o.rateLimit && event.channel !== 'cli' ? RATE_WINDOWS : undefined;
  }

  /**
   * Decides on the counts of the user's limits. Over a limit, the first limited event after one that was
   * within both limits gets one polite notice; the rest of that stretch of limited events gets silence,
   * whichever window (per minute or per 10 seconds) was passed first, or both at once.
   */
  async #overLimit(key: string, event: InboundEvent, hits: readonly number[] | undefined): Promise<Handled | null> {
    const limit = this.#o.rateLimit;
    if (!limit || !hits) return null;
    const [perMinute = 0, burst = 0] = hits;
    if (perMinute <= limit.perMinute && burst <= limit.burst) return null;
    this.#o.observer.rateLimited?.(event);
    const retryAfter = this.#retryAfter(hits);
    if (!(await this.#firstOfStretch(key, perMinute, burst, limit))) return { status: 'limited', retryAfter };
    const lang = event.languageCode && !/^ja\b/i.test(event.languageCode) ? 'en' : 'ja';
    // The notice says when the user's next message is read again (the end of every window they passed).
    const text = translate(this.#o.context.locales, lang, 'rate.limited', { seconds: retryAfter });
    return {
      status: 'reply',
      replies: [{ kind: 'text', text }],
      outcome: { verdicts: [], linkVerdicts: [] },
      resent: false,
      delivered: async () => {},
      limitedFor: retryAfter,
    };
  }

  /**
   * Seconds until every window whose limit the counts `hits` passed has ended (the windows are fixed from the epoch,
   * as the store counts them), at least 1: when the user's next event is let through.
   */
  #retryAfter(hits: readonly number[]): number {
    const limit = this.#o.rateLimit;
    // In the order of RATE_WINDOWS, as the counts are.
    const limits = limit ? [limit.perMinute, limit.burst] : [];
    const now = this.#o.now();
    let ms = 0;
    RATE_WINDOWS.forEach((w, i) => {
      const windowMs = w.windowSeconds * 1000;
      if ((hits[i] ?? 0) > (limits[i] ?? Infinity)) ms = Math.max(ms, (Math.floor(now / windowMs) + 1) * windowMs - now);
    });
    return Math.max(1, Math.ceil(ms / 1000));
  }

  /**
   * Whether a limited event (counts `perMinute`, `burst`) is the first of its stretch, i.e. whether the event
   * counted just before it was within both limits. Every event is counted once in each window, so within a
   * window the previous event's count is this one's less one; and the 10-second windows nest in the minute
   * windows (both fixed, from the epoch). That settles it, except when this event opens a new 10-second window
   * just as it passes the minute limit (burst 1, perMinute limit + 1): the previous event lies in an earlier
   * 10-second window, whose count is gone. It was limited exactly when it was over the burst limit at a minute
   * count of exactly the limit, and such an event leaves a mark in the store (a counter for the rest of the
   * minute, RATE_NOTICE_MARK) for this one to find. A mark that cannot be read or written costs at worst one
   * notice more, never a missing one.
   */
  async #firstOfStretch(key: string, perMinute: number, burst: number, limit: RateLimit): Promise<boolean> {
    const { store } = this.#o;
    if (perMinute === limit.perMinute) {
      // Over the burst limit at exactly the minute limit: the next event may need to know (see above).
      await store.hit(key, RATE_NOTICE_MARK, 60).catch(() => undefined);
    }
    if (perMinute - 1 > limit.perMinute || burst - 1 > limit.burst) return false;
    if (burst > 1 || perMinute !== limit.perMinute + 1) return true;
    // The mark was made (count 1) unless this reading is its first hit.
    const marks = await store.hit(key, RATE_NOTICE_MARK, 60).catch(() => 1);
    return marks <= 1;
  }

  async #handle(event: InboundEvent): Promise<Handled> {
    const { store, context, now } = this.#o;
    const userKey = userKeyOf(event);
    const text = event.kind === 'text' ? event.text : event.kind === 'command' ? event.args : '';
    const links = text ? await this.#o.checkLinks(text) : [];

    if (event.chatType === 'group') {
      // Groups keep no state: only drop redeliveries, and count the group's rate.
      const groupKey = userKeyOf({ channel: event.channel, userId: `g${event.userId}` });
      if (event.eventId && !(await store.claimEvent(groupKey, event.eventId))) return { status: 'duplicate' };
      const windows = this.#rateWindows(event);
      if (windows) {
        const hits = await Promise.all(windows.map((w) => store.hit(groupKey, w.bucket, w.windowSeconds)));
        const limited = await this.#overLimit(groupKey, event, hits);
        if (limited) return limited;
      }
      const result = step(context, null, { event, links });
      return { status: 'reply', replies: result.replies, outcome: result.outcome, resent: false, delivered: async () => {} };
    }

    const waitUntil = now() + this.#o.waitForConcurrentMs;
    const windows = this.#rateWindows(event);
    // The rate limit is counted once per event: in the commit's round trip when this instance remembers the
    // user's state (the usual case: one round trip per event), else in the load's.
    let rate = windows && this.#o.rateLimit ? { windows, limits: [this.#o.rateLimit.perMinute, this.#o.rateLimit.burst] } : undefined;
    const guess = store.peek(userKey);
    let current: LoadedState;
    let guessed = guess !== null;
    if (guess) {
      current = { ...guess, delivery: null };
    } else {
      current = await store.load(userKey, event.eventId, windows);
      if (rate) {
        rate = undefined;
        const limited = current.delivery ? null : await this.#overLimit(userKey, event, current.hits);
        if (limited) return limited;
      }
    }
    for (let attempt = 0; attempt < MAX_ATTEMPTS; ) {
      const d = current.delivery;
      if (d?.status === 'done') return { status: 'duplicate' };
      if (d?.status === 'pending') {
        if (now() - d.at >= this.#o.abandonedAfterMs || this.#gaveUpOn(userKey, event.eventId!)) {
          const replies = this.#replay(d.outbox, event, links);
          return { status: 'reply', replies, outcome: { verdicts: [], linkVerdicts: [] }, resent: true, delivered: () => store.markDelivered(userKey, event.eventId!) };
        }
        if (now() >= waitUntil) return { status: 'in-flight' };
        await new Promise((r) => setTimeout(r, 25));
        current = await store.load(userKey, event.eventId);
        continue;
      }
      attempt++;
      const decoded = this.#decode(userKey, current.state);
      const result = step(context, decoded.session, { event, links, discarded: decoded.discarded });
      const state = result.session ? encodeSession(result.session) : null;
      const delivery = event.eventId ? { eventId: event.eventId, outbox: replayRecord(current.state, event.receivedAt), at: now() } : undefined;
      let committed;
      try {
        committed = await store.commitChecked(userKey, current, state, delivery, rate);
      } catch (err) {
        if (delivery && err instanceof StoreUnavailableError) this.#rememberGaveUp(userKey, delivery.eventId);
        throw err;
      }
      // The rate was counted by this round trip (when asked for): never again for this event.
      rate = undefined;
      if (committed.result === 'limited') return (await this.#overLimit(userKey, event, committed.hits)) ?? { status: 'limited', retryAfter: this.#retryAfter(committed.hits) };
      if (committed.result === 'ok') {
        if (state !== null && result.session) this.#remember(userKey, state, result.session);
        else this.#decoded.delete(userKey);
        return {
          status: 'reply',
          replies: result.replies,
          outcome: result.outcome,
          resent: false,
          delivered: async () => {
            if (event.eventId) await store.markDelivered(userKey, event.eventId);
            if (result.forget) {
              this.#decoded.delete(userKey);
              await store.forget(userKey);
            }
          },
        };
      }
      // Stale: what is stored now came back with the answer. A guess that was out of date is simply retried
      // on it; losing to a concurrent writer backs off first, so writers of one user spread out.
      current = committed.current;
      if (!guessed && !current.delivery) await backoff(attempt);
      guessed = false;
    }
    throw Object.assign(new Error(`session kept changing under ${MAX_ATTEMPTS} attempts`), { code: CONFLICT_ERROR_CODE });
  }

  /** The replies of an attempt that saved but never confirmed sending, from its pending record (see REPLAY_RECORD). */
  #replay(outbox: string, event: InboundEvent, links: readonly LinkFinding[]): Reply[] {
    if (outbox.startsWith('[')) return JSON.parse(outbox) as Reply[];
    const m = REPLAY_RECORD.exec(outbox);
    if (!m) throw new Error('unreadable pending delivery record');
    const decoded = decodeSession(outbox.slice(m[0].length) || null);
    return step(this.#o.context, decoded.session, { event: { ...event, receivedAt: Number(m[1]) }, links, discarded: decoded.discarded }).replies;
  }

  #decode(userKey: string, raw: string | null): DecodedSession {
    if (raw === null) return { session: null, discarded: false };
    const known = this.#decoded.get(userKey, this.#o.now());
    if (known && known.raw === raw) return { session: known.session, discarded: false };
    const decoded = decodeSession(raw);
    if (decoded.session) this.#remember(userKey, raw, decoded.session);
    return decoded;
  }

  #remember(userKey: string, raw: string, session: Session): void {
    this.#decoded.set(userKey, { raw, session }, this.#o.now());
  }

  #rememberGaveUp(userKey: string, eventId: string): void {
    this.#gaveUp.set(`${userKey}\u0000${eventId}`, true, this.#o.now());
  }

  /** Whether this instance gave up on the event's commit recently; asked once (the answer is then used). */
  #gaveUpOn(userKey: string, eventId: string): boolean {
    const key = `${userKey}\u0000${eventId}`;
    const gaveUp = this.#gaveUp.get(key, this.#o.now()) === true;
    this.#gaveUp.delete(key);
    return gaveUp;
  }

  /**
   * After a fault while handling `event`: the user's menu (drawn from their current state, so its
   * buttons work), to send after a short apology. Falls back to no buttons if even that fails.
   */
  async menuAfterFault(event: InboundEvent): Promise<Reply[]> {
    try {
      const { eventId: _ignored, ...origin } = event;
      const handled = await this.handle({ ...origin, kind: 'command', command: 'menu', args: '' } as InboundEvent);
      if (handled.status !== 'reply') return [];
      await handled.delivered();
      return handled.replies;
    } catch {
      return [];
    }
  }

  /** Deletes everything stored about a user (LINE unfollow, /forget). */
  forget(event: Pick<InboundEvent, 'channel' | 'userId'>): Promise<void> {
    const userKey = userKeyOf(event);
    this.#decoded.delete(userKey);
    return this.#o.store.forget(userKey);
  }
}
