import { describe, expect, it } from 'vitest';
import { buttonEvent, textEvent, unsupportedEvent, followEvent } from '../../src/engine/make-event.ts';
import { buttonsOf, type Reply } from '../../src/engine/reply.ts';
import { defang, LINK_SEVERITY, step, type LinkFinding } from '../../src/engine/step.ts';
import { VERDICT_SEVERITY } from '../../src/listing/link-check.ts';
import { fixtureContext } from './fixtures.ts';
import { translate } from '../../src/engine/locales.ts';
import { Talk as SharedTalk } from '../support/talk.ts';

const ctx = fixtureContext();
const origin = (n: number) => ({ channel: 'cli' as const, userId: 'u1', receivedAt: 1_700_000_000_000 + n });

/** The shared driver (tests/support/talk.ts) on the fixture guides; texts() gives a card by its title. */
class Talk extends SharedTalk {
  constructor() {
    super(ctx, origin);
  }
  texts(): string[] {
    return this.last.replies.map((r: Reply) => (r.kind === 'verdict' ? r.title : r.text));
  }
}

const fakeLink: LinkFinding = { url: 'https://amazon.co.jp.evil.xyz/', host: 'amazon.co.jp.evil.xyz', verdict: 'impersonation', reasons: ['brand-in-subdomain'] };
const realLink: LinkFinding = { url: 'https://www.amazon.co.jp/dp/B0ABCDEFGH', host: 'www.amazon.co.jp', verdict: 'official-listing', reasons: [], asin: 'B0ABCDEFGH' };

describe('step', () => {
  it('greets on /start and shows the menu with every guide', () => {
    const t = new Talk();
    t.say('/start');
    expect(t.texts()).toContain('start.greeting');
    expect(t.labels()).toEqual(['fx.check.title', 'fx.secure.title', 'fx.incident.title']);
  });

  it('walks a checklist with progress, and back/menu/resume keep the place', () => {
    const t = new Talk();
    t.say('/secure');
    expect(t.texts()).toEqual(['fx.secure.intro']);
    expect(t.labels()).toEqual(['nav.next', 'nav.back', 'nav.menu', 'nav.restart']);
    t.press('nav.next');
    expect(t.texts()).toEqual(['fx.secure.list', '1/3\nfx.secure.i1']);
    t.press('checklist.done');
    expect(t.texts()).toEqual(['2/3\nfx.secure.i2']);
    t.press('nav.menu');
    expect(t.labels()[0]).toBe('menu.resume');
    t.press('menu.resume');
    expect(t.texts()).toEqual(['resume.done', '2/3\nfx.secure.i2']);
    t.press('nav.back');
    expect(t.texts()).toEqual(['fx.secure.list', '1/3\nfx.secure.i1']);
    t.press('checklist.later');
    t.press('checklist.done');
    t.press('checklist.done');
    expect(t.texts()).toContain('fx.secure.end');
    expect(t.labels()).toEqual(['fx.check.title', 'fx.secure.title', 'fx.incident.title']);
    expect(t.last!.outcome.guideCompleted).toBe('secure');
  });

  it('a URL anywhere starts the listing check; a fake link gets a danger card', () => {
    const t = new Talk();
    t.say('これ大丈夫？ amazon.co.jp.evil.xyz', [fakeLink]);
    const card = t.last!.replies.find((r) => r.kind === 'verdict');
    expect(card).toMatchObject({ kind: 'verdict', level: 'danger', title: 'link.verdict.impersonation' });
    expect(t.texts()).toContain('fx.check.fake');
    expect(t.last!.outcome.linkVerdicts).toEqual(['impersonation']);
  });

  it('a card shows the host of a fake, unknown or short link defanged, and a genuine one as it is', () => {
    const base = fixtureContext();
    const withHost = { ...base, locales: { ...base.locales, ja: { ...base.locales.ja, 'link.host': 'host {host}', 'link.expanded-to': 'to {url}' } } };
    const cardOf = (link: LinkFinding) => {
      const result = step(withHost, null, { event: textEvent(origin(1), link.url), links: [link] });
      return result.replies.find((r) => r.kind === 'verdict') as Extract<Reply, { kind: 'verdict' }>;
    };
    const fake = cardOf(fakeLink);
    expect(fake.lines[0]).toBe('host amazon[.]co[.]jp[.]evil[.]xyz');
    expect(fake.lines.at(-1)).toBe('link.shown-defanged');
    const short = cardOf({ url: 'https://bit.ly/x', host: 'bit.ly', verdict: 'shortener', reasons: [], expandedTo: 'https://amazon.co.jp.evil.xyz/ap/signin?next=http://x.example' });
    expect(short.lines.slice(0, 2)).toEqual(['host bit[.]ly', 'to hxxps://amazon[.]co[.]jp[.]evil[.]xyz/ap/signin?next=hxxp://x[.]example']);
    const real = cardOf(realLink);
    expect(real.lines[0]).toBe(`host ${realLink.host}`);
    expect(real.lines).not.toContain('link.shown-defanged');
    expect(defang('HTTPS://A.B/c')).toBe('HXXPS://A[.]B/c');
  });

  it('a card of a wrapper or redirect shows the innermost address, defanged unless it is Amazon\'s own', () => {
    const base = fixtureContext();
    const ctxWith = { ...base, locales: { ...base.locales, ja: { ...base.locales.ja, 'link.host': 'host {host}', 'link.wrapped-to': 'inside {url}' } } };
    const cardOf = (link: LinkFinding) =>
      step(ctxWith, null, { event: textEvent(origin(1), link.url), links: [link] }).replies.find((r) => r.kind === 'verdict') as Extract<Reply, { kind: 'verdict' }>;
    const twice = cardOf({
      url: 'https://www.google.com/url?q=x',
      host: 'www.google.com',
      verdict: 'unknown-site',
      reasons: ['redirect-wrapper'],
      wrapped: { url: 'https://l.example/?u=x', verdict: 'unknown-site', wrapped: { url: 'https://evil.example/login', verdict: 'unknown-site' } },
    });
    expect(twice.lines.slice(0, 2)).toEqual(['host www[.]google[.]com', 'inside hxxps://evil[.]example/login']);
    const toAmazon = cardOf({
      url: 'https://www.google.com/url?q=x',
      host: 'www.google.com',
      verdict: 'official-other',
      reasons: ['wrapped-official'],
      wrapped: { url: 'https://www.amazon.co.jp/gp/css/order-history', verdict: 'official-other' },
    });
    expect(toAmazon.lines[1]).toBe('inside https://www.amazon.co.jp/gp/css/order-history');
    expect(cardOf(fakeLink).lines.some((l) => l.startsWith('inside'))).toBe(false);
  });

  it('ranks link verdicts exactly as the link checker does', () => {
    expect(LINK_SEVERITY).toEqual(VERDICT_SEVERITY);
  });

  it('a genuine listing is never called safe and leads to seller questions and a risk verdict', () => {
    const t = new Talk();
    t.say('https://www.amazon.co.jp/dp/B0ABCDEFGH', [realLink]);
    const card = t.last!.replies.find((r) => r.kind === 'verdict');
    expect(card).toMatchObject({ level: 'unknown' });
    expect(t.texts()).toContain('fx.check.price');
    t.say('マイナス');
    expect(t.texts()).toEqual(['answer.invalid.yen', 'fx.check.price']);
    t.say('１，９８０円');
    t.say('3万');
    t.press('fx.ship.seller');
    const verdict = t.last!.replies.find((r) => r.kind === 'verdict');
    expect(verdict).toMatchObject({ level: 'high' });
    expect(t.session!.ans).toMatchObject({ price: 1980, typicalPrice: 30000, fulfilment: 'seller', url: 'https://www.amazon.co.jp/dp/B0ABCDEFGH' });
    // What decided the route (verdict, ASIN, seller) is not kept: only what the guide still uses.
    for (const dropped of ['asin', 'sellerId', 'linkVerdict']) expect(t.session!.ans).not.toHaveProperty(dropped);
  });

  it('a link pasted where a number is asked for is checked, not refused as a number', () => {
    const t = new Talk();
    t.say('https://www.amazon.co.jp/dp/B0ABCDEFGH', [realLink]);
    expect(t.texts()).toContain('fx.check.price');
    t.say('こっちのリンクは？ amazon.co.jp.evil.xyz', [fakeLink]);
    expect(t.last!.replies.find((r) => r.kind === 'verdict')).toMatchObject({ level: 'danger' });
    expect(t.texts()).not.toContain('answer.invalid.yen');
    expect(t.session!.at).toEqual({ flow: 'check', step: 'fake' });
    // A number with a link is still the number.
    const u = new Talk();
    u.say('https://www.amazon.co.jp/dp/B0ABCDEFGH', [realLink]);
    u.say('2980円でした https://www.amazon.co.jp/dp/B0ABCDEFGH', [realLink]);
    expect(u.session!.ans).toMatchObject({ price: 2980 });
    expect(u.texts()).toContain('fx.check.typical');
  });

  it('skip buttons store "unknown" and the evidence summary shows what was given', () => {
    const t = new Talk();
    t.say('/report');
    t.say('11月3日');
    t.press('fx.skip');
    t.say('12,800円');
    const summary = t.last!.replies.find((r) => r.kind === 'summary');
    expect(summary).toMatchObject({ kind: 'summary', title: 'evidence.title' });
    expect(summary?.kind === 'summary' && summary.text).toBe('evidence.made-on\nfx.incident.l-when: 11月3日\nfx.incident.l-what: evidence.unanswered\nfx.incident.l-amount: answer.yen');
  });

  it('routes free text by keyword, longest match first, after NFKC and kana folding', () => {
    const t = new Talk();
    t.say('アカウントが乗っ取りされたかも');
    expect(t.session!.at?.flow).toBe('incident');
    const t2 = new Talk();
    t2.say('ｾｷｭﾘﾃｨを強化したい');
    expect(t2.session!.at?.flow).toBe('secure');
  });

  it('unknown text gets a short help and the menu', () => {
    const t = new Talk();
    t.say('こんにちは');
    expect(t.texts()[0]).toBe('text.not-understood');
    expect(t.labels()).toContain('fx.check.title');
  });

  it('a stale button (older turn) gets "expired" and the menu; a forged one is refused', () => {
    const t = new Talk();
    t.say('/secure');
    const old = buttonsOf(t.last!.replies)[0]!.payload;
    t.press('nav.next');
    // A button of the latest prompt: channels may answer in place of that prompt.
    expect(t.last!.outcome.pressedLatestPrompt).toBe(true);
    t.pressRaw(old);
    expect(t.texts()[0]).toBe('button.expired');
    expect(t.last!.outcome.pressedLatestPrompt).toBeUndefined();
    expect(t.labels()).toContain('fx.check.title');
    for (const forged of ['', 'x', '../../etc', 'a.b.c.d', '{"json":1}', 'zz.zz.g' + 'x'.repeat(80), '🙂']) {
      t.pressRaw(forged);
      expect(t.texts()[0]).toBe('button.invalid');
      expect(t.last!.outcome.pressedLatestPrompt).toBeUndefined();
    }
    // A payload from another conversation (reset changes the id).
    const before = buttonsOf(t.last!.replies)[0]!.payload;
    t.say('/reset');
    t.pressRaw(before);
    expect(t.texts()[0]).toBe('button.expired');
  });

  describe('guides left half-way', () => {
    /** The listing check at its second price question, with the link and the first price answered. */
    const atTypical = () => {
      const t = new Talk();
      t.say('/check');
      t.say('https://www.amazon.co.jp/dp/B0ABCDEFGH', [realLink]);
      t.say('1980');
      expect(t.session!.at).toEqual({ flow: 'check', step: 'typical' });
      return t;
    };

    it('at a number question, words for another guide get the question again with that guide as a button', () => {
      const t = atTypical();
      t.say('パスワードが心配です');
      expect(t.session!.at).toEqual({ flow: 'check', step: 'typical' });
      expect(t.texts()).toEqual(['answer.invalid.yen', 'route.offer', 'fx.check.typical']);
      expect(t.labels()).toEqual(['fx.skip', 'fx.secure.title', 'nav.back', 'nav.menu', 'nav.restart']);
      t.press('fx.secure.title');
      expect(t.texts()).toEqual(['route.paused', 'fx.secure.intro']);
      expect(t.session!.paused).toEqual([
        { at: { flow: 'check', step: 'typical' }, trail: ['ask', 'price'], ans: { url: realLink.url, price: 1980 } },
      ]);
      // Without words for another guide, only the question again.
      const u = atTypical();
      u.say('よくわからないです、たぶん');
      expect(u.texts()).toEqual(['answer.invalid.yen', 'fx.check.typical']);
    });

    it('at a free-text question, words for another guide are the answer', () => {
      const t = new Talk();
      t.say('/report');
      t.say('昨日');
      t.say('パスワードを盗まれて乗っ取りにあった');
      expect(t.session!.at).toEqual({ flow: 'incident', step: 'amount' });
      expect(t.session!.ans).toMatchObject({ when: '昨日', what: 'パスワードを盗まれて乗っ取りにあった' });
      expect(t.session!.paused).toEqual([]);
    });

    it('a command for another guide keeps this one; opening it again swaps them, each with its place', () => {
      const t = atTypical();
      t.say('/secure');
      expect(t.texts()[0]).toBe('route.paused');
      t.press('nav.next');
      t.press('checklist.done');
      t.say('/check');
      expect(t.texts()).toEqual(['route.paused', 'resume.done', 'fx.check.typical']);
      expect(t.session!.ans).toEqual({ url: realLink.url, price: 1980 });
      expect(t.session!.paused).toEqual([{ at: { flow: 'secure', step: 'list', item: 1 }, trail: ['intro'], ans: {} }]);
      // "Back" walks the steps the continued guide had come by.
      t.press('nav.back');
      expect(t.session!.at).toEqual({ flow: 'check', step: 'price' });
      // A finished guide no longer waits; the other one still does, and "continue" is offered after the summary.
      t.say('1980');
      t.say('9000');
      t.press('fx.ship.seller');
      expect(t.last!.outcome.guideCompleted).toBe('check');
      expect(t.labels()[0]).toBe('menu.resume');
      t.press('menu.resume');
      expect(t.texts()).toEqual(['resume.done', '2/3\nfx.secure.i2']);
    });

    it('keeps at most two besides the open one: the one left longest ago goes', () => {
      const t = atTypical();
      t.say('/secure');
      t.press('nav.next');
      t.say('/report');
      t.say('昨日');
      t.press('nav.menu');
      expect(t.session!.paused.map((p) => p.at.flow)).toEqual(['incident', 'secure']);
      expect(t.texts()[0]).toBe('menu.text\nmenu.resume-hint-two');
    });

    it('a guide not begun (its first step, nothing answered) is simply left', () => {
      const t = new Talk();
      t.say('/secure');
      t.say('/report');
      expect(t.texts()).toEqual(['fx.incident.when']);
      t.press('nav.menu');
      expect(t.session!.paused).toEqual([]);
      expect(t.labels()).not.toContain('menu.resume');
    });

    it('words that point to the guide already open do not start it over', () => {
      const t = atTypical();
      t.say('9000');
      expect(t.session!.at).toEqual({ flow: 'check', step: 'ship' });
      t.say('これもチェックしてほしい');
      expect(t.texts()).toEqual(['text.use-buttons', 'fx.check.ship']);
      expect(t.session!.ans).toEqual({ url: realLink.url, price: 1980, typicalPrice: 9000 });
    });
  });

  it('a button pressed twice (the second press is stale) costs nothing: the menu continues the guide where it was', () => {
    const t = new Talk();
    t.say('/secure');
    t.press('nav.next');
    const done = buttonsOf(t.last!.replies).find((b) => b.label === 'checklist.done')!.payload;
    t.pressRaw(done);
    expect(t.texts()).toEqual(['2/3\nfx.secure.i2']);
    // The second press of a double tap comes with the old turn.
    t.pressRaw(done);
    expect(t.texts()[0]).toBe('button.expired');
    expect(t.labels()[0]).toBe('menu.resume');
    t.press('menu.resume');
    expect(t.texts()).toEqual(['resume.done', '2/3\nfx.secure.i2']);
    // Pressing the guide's own menu button after /help continues it too, rather than starting it over.
    t.say('/help');
    t.press('fx.secure.title');
    expect(t.texts()).toEqual(['resume.done', '2/3\nfx.secure.i2']);
  });

  it('bad input is answered politely, never thrown', () => {
    const inputs = ['', '   ', '\u200b\u200b', '😀😀😀', 'a'.repeat(10_000), '\u0000\u0007\u001b[31m', '\ud800', '/', '/unknowncmd', '／ｓｔａｒｔ'];
    for (const text of inputs) {
      const t = new Talk();
      expect(() => t.say(text)).not.toThrow();
      expect(t.last!.replies.length).toBeGreaterThan(0);
      expect(t.labels().length).toBeGreaterThan(0);
    }
    const t = new Talk();
    t.run(step(ctx, null, { event: unsupportedEvent(origin(1), 'photo') }));
    expect(t.texts()[0]).toBe('unsupported.content');
    t.run(step(ctx, t.session, { event: unsupportedEvent(origin(2), 'sticker') }));
    expect(t.texts()[0]).toBe('unsupported.sticker');
  });

  it('a masked card number triggers the warning and never reaches the session', () => {
    const t = new Talk();
    t.say('/report');
    t.say('カード 4111 1111 1111 1111 を入れてしまいました');
    expect(t.texts()[0]).toBe('sensitive.warning');
    expect(JSON.stringify(t.session)).not.toMatch(/4111/);
  });

  it('/forget asks first, then reports forget', () => {
    const t = new Talk();
    t.say('/forget');
    expect(t.labels()).toEqual(['forget.yes', 'forget.no']);
    t.press('forget.yes');
    expect(t.last!.forget).toBe(true);
    expect(t.last!.session).toBeNull();
  });

  it('language follows the platform code and /lang switches it', () => {
    const t = new Talk();
    t.run(step(ctx, null, { event: textEvent({ ...origin(1), languageCode: 'en-US' }, '/menu') }));
    expect(t.session!.lang).toBe('en');
    t.say('/lang ja');
    expect(t.session!.lang).toBe('ja');
    t.say('/lang');
    expect(t.labels()).toEqual(['lang.ja', 'lang.en']);
    t.press('lang.en');
    expect(t.session!.lang).toBe('en');
  });

  it('groups get compact answers and no stored state', () => {
    const ev = textEvent({ ...origin(1), chatType: 'group' }, 'https://amazon.co.jp.evil.xyz');
    const r = step(ctx, null, { event: ev, links: [fakeLink] });
    expect(r.session).toBeNull();
    expect(r.replies.map((x) => x.kind)).toEqual(['verdict', 'text']);
    expect(step(ctx, null, { event: followEvent(origin(2)) }).replies.length).toBeGreaterThan(0);
  });

  it('is pure: the same input gives the same output and the input session is not changed', () => {
    const t = new Talk();
    t.say('/secure');
    const frozen = structuredClone(t.session);
    const ev = buttonEvent(origin(99), buttonsOf(t.last!.replies)[0]!.payload);
    const a = step(ctx, t.session, { event: ev });
    const b = step(ctx, t.session, { event: ev });
    expect(a).toEqual(b);
    expect(t.session).toEqual(frozen);
  });
});

describe('/forget answered in words (shipped texts)', async () => {
  const { loadContent } = await import('../../src/runtime.ts');
  const shipped = { ...ctx, ...loadContent() };
  const talk = () => new SharedTalk(shipped, origin);

  it('「はい」 or 「削除して」 right after the question deletes; 「やめる」 keeps everything', () => {
    for (const yes of ['はい', 'はい、削除してください', '削除して', 'yes']) {
      const t = talk();
      t.say('/report');
      t.say('/forget');
      t.say(yes);
      expect(t.last!.forget, yes).toBe(true);
      expect(t.last!.session).toBeNull();
    }
    const t = talk();
    t.say('/report');
    t.say('/forget');
    t.say('やめる');
    expect(t.last!.forget).toBeUndefined();
    expect(t.last!.replies[0]).toMatchObject({ text: translate(shipped.locales, 'ja', 'forget.cancelled') });
    expect(t.session!.at?.flow).toBe('incident');
  });

  it('a 「はい」 after something else deletes nothing', () => {
    const t = talk();
    t.say('/forget');
    t.say('/report');
    t.say('はい');
    expect(t.last!.forget).toBeUndefined();
    expect(t.session).not.toBeNull();
    // Nor does an old confirmation button.
    const u = talk();
    u.say('/forget');
    const yes = buttonsOf(u.last!.replies)[0]!.payload;
    u.say('/menu');
    u.pressRaw(yes);
    expect(u.last!.forget).toBeUndefined();
  });

  it('asking in words to delete one’s data asks the same question', () => {
    for (const text of ['履歴を全部消してください', 'データを削除したい', '私の個人情報を消してほしい', 'delete my data']) {
      const t = talk();
      t.say(text);
      expect(buttonsOf(t.last!.replies).map((b) => b.label), text).toEqual([translate(shipped.locales, text.startsWith('delete') ? 'en' : 'ja', 'forget.yes'), translate(shipped.locales, text.startsWith('delete') ? 'en' : 'ja', 'forget.no')]);
    }
    // Amazon's own order history is another matter.
    const t = talk();
    t.say('注文履歴を削除したい');
    expect(t.last!.replies.some((r) => r.kind === 'text' && r.text === translate(shipped.locales, 'ja', 'forget.confirm'))).toBe(false);
  });
});

describe('an order that never came asks how it was paid (shipped guides)', async () => {
  const { loadContent } = await import('../../src/runtime.ts');
  const shipped = { ...ctx, ...loadContent() };

  it.each([
    ['Amazonで払った（カード等）', 'order-atoz'],
    ['振込などAmazonの外で払った', 'paid'],
    ['銀行振込で払いました', 'paid'],
    ['クレジットカードです', 'order-atoz'],
  ])('%s → %s', (answer, next) => {
    const t = new SharedTalk(shipped, origin);
    t.say('注文した商品が届きません');
    expect(t.session!.at).toEqual({ flow: 'incident', step: 'order' });
    if (buttonsOf(t.last!.replies).some((b) => b.label === answer)) t.press(answer);
    else t.say(answer);
    expect(t.session!.at?.step).toBe(next);
  });
});

describe('the listing check’s questions answered in words (shipped guides)', async () => {
  const { loadContent } = await import('../../src/runtime.ts');
  const shipped = { ...ctx, ...loadContent() };
  const realListing: LinkFinding = { url: 'https://www.amazon.co.jp/dp/B0CX23V2ZK', host: 'www.amazon.co.jp', verdict: 'official-listing', reasons: [], asin: 'B0CX23V2ZK', pageKind: 'product' };

  it('a price typed on the "where to look" advice answers the price question', () => {
    const t = new SharedTalk(shipped, origin);
    t.say('https://www.amazon.co.jp/dp/B0CX23V2ZK', [realListing]);
    t.say('次へ');
    t.say('3000円');
    expect(t.session!.ans.price).toBe(3000);
    expect(t.session!.at?.step).toBe('q-typical');
    // "back" shows the advice the answer went past.
    t.say('戻る');
    expect(t.session!.at?.step).toBe('q-price');
    // Words that are no price on the advice are still not understood there.
    const u = new SharedTalk(shipped, origin);
    u.say('https://www.amazon.co.jp/dp/B0CX23V2ZK', [realListing]);
    u.say('次へ');
    const at = u.session!.at;
    u.say('えーと');
    expect(u.session!.at).toEqual(at);
  });

  it.each([
    ['q-new-seller', 'うん', 'newSeller', true],
    ['q-new-seller', '新規出品者って書いてある', 'newSeller', true],
    ['q-new-seller', 'ちがう', 'newSeller', false],
    ['q-business-info', 'いいえ', 'hasBusinessInfo', false],
    ['q-business-info', '住所が中国', 'hasBusinessInfo', false],
    ['q-business-info', 'はい', 'hasBusinessInfo', true],
    ['q-off-platform', 'いいえ', 'offPlatformRequest', false],
    ['q-off-platform', 'されてない', 'offPlatformRequest', false],
    ['q-off-platform', 'LINEはない', 'offPlatformRequest', false],
    ['q-off-platform', 'LINEに誘われた', 'offPlatformRequest', true],
    ['q-off-platform', 'メールで振込してって言われた', 'offPlatformRequest', true],
  ])('at %s, 「%s」 answers %s', (stepId, text, field, value) => {
    const flow = shipped.flows.byId.get('check')!;
    const option = (flow.steps[stepId] as { options: { set?: Record<string, unknown> }[] }).options.find((o) => o.set && field in o.set)!;
    expect(option).toBeDefined();
    const t = new SharedTalk(shipped, origin);
    t.run(step(shipped, { v: 3, sid: 's1', turn: 3, lang: 'ja', at: { flow: 'check', step: stepId }, trail: [], ans: {}, paused: [] }, { event: textEvent(origin(5), text) }));
    expect(t.session!.ans[field]).toBe(value);
  });
});
