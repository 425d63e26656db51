// Regression: a message that points to another guide, typed in the middle of one, started the other guide and
// threw away the answers given so far, with no way back (at a choice whose options did not match, at a step of
// advice, at a checklist, with a link pasted where a number was asked for, with a /command). A guide left through
// the menu kept its place, but its answers were lost as soon as another guide was walked in between. And where a
// number was asked for, words about something else (「カードを不正利用されました」) were only asked for the number again.
import { describe, expect, it } from 'vitest';
import { Advisor } from '../../src/engine/advisor.ts';
import { translate } from '../../src/engine/locales.ts';
import { buttonEvent, textEvent } from '../../src/engine/make-event.ts';
import { buttonsOf, type Reply } from '../../src/engine/reply.ts';
import { decodeSession } from '../../src/engine/session.ts';
import { step, type AdvisorContext, type LinkFinding } from '../../src/engine/step.ts';
import { assessSellerRisk } from '../../src/listing/assess-seller-risk.ts';
import { loadContent } from '../../src/runtime.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { Talk as SharedTalk } from '../support/talk.ts';

const { flows, locales } = loadContent();
const ctx: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk };
const ja = (key: string, vars?: Record<string, string | number>) => translate(locales, 'ja', key, vars);
const T0 = 1_763_000_000_000;

const listing: LinkFinding = {
  url: 'https://www.amazon.co.jp/dp/B0ABCDEFGH',
  host: 'www.amazon.co.jp',
  verdict: 'official-listing',
  reasons: [],
  asin: 'B0ABCDEFGH',
  canonicalUrl: 'https://www.amazon.co.jp/dp/B0ABCDEFGH',
};
const fake: LinkFinding = { url: 'https://amazon-co-jp.secure-verify.top/signin', host: 'amazon-co-jp.secure-verify.top', verdict: 'impersonation', reasons: ['brand-lookalike'] };

const textsOf = (replies: readonly Reply[]) => replies.map((r) => (r.kind === 'verdict' ? [r.title, ...r.lines].join('\n') : r.text));

/** The shared driver (tests/support/talk.ts) on the shipped guides; texts() gives a card whole. */
class Talk extends SharedTalk {
  constructor() {
    super(ctx, (n) => ({ channel: 'cli', userId: 'u', receivedAt: T0 + n }));
  }
  texts(): string[] {
    return textsOf(this.last.replies);
  }
  /** Pastes a genuine listing link and answers the listing check up to its question on who ships. */
  toFulfilmentQuestion(): void {
    this.say(listing.url, [listing]);
    for (let i = 0; i < 3; i++) this.press(ja('nav.next'));
    this.say('3000円');
    this.say('3万円くらい');
    expect(this.session!.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
  }
  /** Answers the rest of the listing check with "don't know" and returns the seller-risk card's text. */
  finishListingCheck(): string {
    while (this.session!.at?.step !== 'listing-result') this.press(ja('check.skip'));
    const card = this.last.replies.find((r) => r.kind === 'verdict');
    expect(card, 'the seller-risk card').toBeDefined();
    return textsOf([card!])[0]!;
  }
}

describe('regression: a detour from the middle of a guide keeps it, with its answers', () => {
  it('at a choice: another guide opens, and "continue" brings back the listing check with its two prices', () => {
    const t = new Talk();
    t.toFulfilmentQuestion();
    t.say('注文した商品が届きません');
    expect(t.session!.at).toEqual({ flow: 'incident', step: 'order' });
    expect(t.texts()[0]).toBe(ja('route.paused', { guide: ja('check.title') }));
    // As the notice says: the listing check from the menu continues it (the guide left last is "continue").
    t.press(ja('nav.menu'));
    t.press(ja('check.title'));
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
    expect(t.session!.ans).toMatchObject({ price: 3000, typicalPrice: 30000 });
    // "Back" still leads through the questions already answered.
    t.press(ja('nav.back'));
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-typical' });
    t.say('3万円');
    t.press('出品者が発送');
    expect(t.finishListingCheck()).toContain(ja('seller.reason.price-extremely-low'));
  });

  it('at a number question: words about something else are offered as a button, and the answers wait', () => {
    const t = new Talk();
    t.say(listing.url, [listing]);
    for (let i = 0; i < 3; i++) t.press(ja('nav.next'));
    t.say('3000円');
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-typical' });
    t.say('カードを不正利用されました');
    // Still at the question (the words may be meant as an answer), with the other guide one press away.
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-typical' });
    expect(t.texts()).toContain(ja('route.offer', { guide: ja('incident.title') }));
    expect(t.labels()).toContain(ja('incident.title'));
    t.press(ja('incident.title'));
    expect(t.session!.at).toEqual({ flow: 'incident', step: 'misuse' });
    expect(t.texts()[0]).toBe(ja('route.paused', { guide: ja('check.title') }));
    // Opening the paused guide again (its command, as the menu's button would) continues it.
    t.say('/check');
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-typical' });
    expect(t.session!.ans).toMatchObject({ price: 3000 });
    t.say('30000');
    t.press('出品者が発送');
    expect(t.finishListingCheck()).toContain(ja('seller.reason.price-extremely-low'));
  });

  it('a link pasted at the evidence summary\'s amount question is checked, and the summary\'s answers wait', () => {
    const t = new Talk();
    t.say('/report');
    t.press('相談用のまとめだけ作る');
    t.say('11月1日');
    t.say('偽のAmazonのページにカード番号を入れてしまった');
    t.say('250-1234567-1234567');
    expect(t.session!.at).toEqual({ flow: 'incident', step: 'ev-amount' });
    t.say(`このページです ${fake.url}`, [fake]);
    expect(t.session!.at?.flow).toBe('check');
    expect(t.texts()).toContain(ja('route.paused', { guide: ja('incident.title') }));
    t.press(ja('nav.menu'));
    t.press(ja('incident.title'));
    expect(t.session!.at).toEqual({ flow: 'incident', step: 'ev-amount' });
    t.say('12000円');
    t.press(ja('incident.skip'));
    const summary = t.last.replies.find((r) => r.kind === 'summary');
    expect(summary?.kind === 'summary' && summary.text).toContain('250-1234567-1234567');
    expect(summary?.kind === 'summary' && summary.text).toContain('12,000円');
  });

  it('a guide left through the menu keeps its answers while another guide is walked', () => {
    const t = new Talk();
    t.toFulfilmentQuestion();
    t.press(ja('nav.menu'));
    t.press(ja('scams.title'));
    t.press('クイズだけ解く');
    t.press('買わずに別の出品を探す');
    t.press(ja('nav.menu'));
    // Both wait: "continue" is the quiz, left last; the listing check continues from its own button.
    expect(t.texts()[0]).toContain(ja('menu.resume-hint-two', { guide: ja('scams.title'), other: ja('check.title') }));
    t.press(ja('check.title'));
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
    t.press('出品者が発送');
    expect(t.finishListingCheck()).toContain(ja('seller.reason.price-extremely-low'));
    // The quiz still waits, with its point.
    t.press(ja('menu.resume'));
    expect(t.session!.at).toEqual({ flow: 'scams', step: 'q1-right' });
    expect(t.session!.ans).toEqual({ 'q:q1': 1 });
  });

  it('words that point into the listing check itself do not start it over', () => {
    const t = new Talk();
    t.toFulfilmentQuestion();
    t.press('出品者が発送');
    t.say('120件');
    t.say('1年前');
    t.say('5件');
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-new-seller' });
    // 「確認」 is one of the guide's own keywords: the question again, not the guide's first step.
    t.say('確認できませんでした');
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-new-seller' });
    expect(t.texts()[0]).toBe(ja('text.use-buttons'));
    t.press('わからない');
    t.press('わからない');
    // Another part of the same guide (a message claiming to be Amazon) opens like a next step: "back" returns.
    t.say('Amazonを名乗るメールも来ました');
    expect(t.session!.at).toEqual({ flow: 'check', step: 'contact' });
    expect(t.texts()[0]).toBe(ja('route.within'));
    t.press(ja('nav.back'));
    expect(t.session!.at).toEqual({ flow: 'check', step: 'q-off-platform' });
    t.press('すすめられた');
    expect(t.session!.ans).toMatchObject({ price: 3000, typicalPrice: 30000, fulfilment: 'seller', ratingCount: 120, listingCount: 5 });
  });

  it('through the Advisor and its store: the paused guide and its answers are stored and come back', async () => {
    const store = new MemorySessionStore();
    const advisor = new Advisor({ store, context: ctx, checkLinks: async (text) => (text.includes(listing.url) ? [listing] : []) });
    let n = 0;
    let last: Reply[] = [];
    const send = async (event: ReturnType<typeof textEvent>) => {
      const handled = await advisor.handle(event);
      expect(handled.status).toBe('reply');
      if (handled.status !== 'reply') return;
      await handled.delivered();
      last = handled.replies;
    };
    const origin = () => ({ channel: 'telegram' as const, userId: '5123456789', receivedAt: T0 + ++n * 1000, eventId: String(734_512_900 + n) });
    const say = (text: string) => send(textEvent(origin(), text));
    const press = (label: string) => {
      const b = buttonsOf(last).find((x) => x.label === label);
      if (!b) throw new Error(`no button ${label}`);
      return send(buttonEvent(origin(), b.payload));
    };
    const stored = async () => decodeSession((await store.load('tg:5123456789')).state).session!;

    await say(listing.url);
    for (let i = 0; i < 3; i++) await press(ja('nav.next'));
    await say('3000円');
    await say('カードを不正利用されました');
    await press(ja('incident.title'));
    expect((await stored()).at).toEqual({ flow: 'incident', step: 'misuse' });
    // Another part of the same guide, then the menu: both guides wait, the listing check with its answers.
    await say('注文した商品が届きません');
    await press(ja('nav.menu'));
    expect(textsOf(last)[0]).toContain(ja('menu.resume-hint-two', { guide: ja('incident.title'), other: ja('check.title') }));
    await press(ja('check.title'));
    const s = await stored();
    expect(s.at).toEqual({ flow: 'check', step: 'q-typical' });
    expect(s.ans).toMatchObject({ url: listing.canonicalUrl, price: 3000 });
    expect(textsOf(last).at(-1)).toContain('【質問 2/9】');
  });
});
