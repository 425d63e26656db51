// Free text → guide (and step) with the shipped guides and texts: what a person types as their first message.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assessSellerRisk } from '../../src/listing/assess-seller-risk.ts';
import { sellerSignalsInText } from '../../src/listing/describe-seller.ts';
import { checkTextExpanded } from '../../src/listing/expand-link.ts';
import { buttonEvent, textEvent } from '../../src/engine/make-event.ts';
import { buttonsOf } from '../../src/engine/reply.ts';
import { FlowError, parseFlow } from '../../src/engine/load-flows.ts';
import { decodeSession, encodeSession } from '../../src/engine/session.ts';
import { bareAsin, step, type AdvisorContext } from '../../src/engine/step.ts';
import { translate } from '../../src/engine/locales.ts';
import { loadContent } from '../../src/runtime.ts';
import { fixtureContext } from './fixtures.ts';
import { STUDY, STUDY_AT, STUDY_ROUND_2, expectedOf } from '../listing/describe-seller.study.ts';

const { flows, locales } = loadContent();
const ctx: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk, describeSeller: sellerSignalsInText };
const origin = { channel: 'cli' as const, userId: 'u1', receivedAt: 1_700_000_000_000 };
const first = (text: string, c: AdvisorContext = ctx) => step(c, null, { event: textEvent(origin, text) });
const ja = (key: string, vars?: Record<string, string | number>) => translate(locales, 'ja', key, vars);

describe('routing free text with the shipped guides', () => {
  it.each([
    // Asked to deal or pay outside the platform: the red flag about exactly that, at once.
    ['出品者から「注文をキャンセルしてLINEで直接取引すれば安くする」と言われました', 'scams', 'flag-6'],
    ['出品者に銀行振込で払ってほしいと言われた', 'scams', 'flag-6'],
    ['The seller asked me to pay by bank transfer outside Amazon', 'scams', 'flag-6'],
    ['注文がキャンセルされて別のサイトで買うように言われた', 'scams', 'flag-6'],
    ['ギフト券で支払ってと言われた', 'scams', 'flag-6'],
    // Questions about one red flag: that flag.
    ['相場の半額以下で売られているけど大丈夫？', 'scams', 'flag-3'],
    ['The price is too good to be true', 'scams', 'flag-3'],
    ['新しい出品者から買うのは危ない？', 'scams', 'flag-1'],
    ['出品者の評価が少ない', 'scams', 'flag-4'],
    ['出品者から発送される商品です', 'scams', 'flag-2'],
    ['海外発送で届くまで3週間かかるらしい', 'scams', 'flag-7'],
    ['長く休眠していた出品者', 'scams', 'flag-1'],
    // An incident that names its case opens that case's advice.
    ['注文した商品が1ヶ月たっても届きません', 'incident', 'order'],
    ['荷物がまだ届いていません', 'incident', 'order'],
    ['My order never arrived', 'incident', 'order'],
    ["I didn't receive my package", 'incident', 'order'],
    ['I didn’t receive my package', 'incident', 'order'],
    ['Someone logged into my account', 'incident', 'what'],
    ['The item is much cheaper than elsewhere, is it a scam?', 'scams', 'flag-3'],
    ['出品アカウントが乗っ取られて勝手に大量出品されています', 'incident', 'seller'],
    ['Amazonを名乗るSMSのリンクを開いてカード番号を入力してしまいました', 'incident', 'entered'],
    ['身に覚えのない注文がありました', 'incident', 'misuse'],
    ['Amazonから確認コードのSMSが何度も来る', 'incident', 'codes'],
    ['身に覚えのないコードが届く', 'incident', 'codes'],
    ['I keep getting codes I did not request', 'incident', 'codes'],
    ['セラーセントラルに知らないうちにログインされていた', 'incident', 'seller'],
    ['出品者と連絡が取れません', 'incident', 'order'],
    ['偽物が届いた', 'incident', 'order'],
    ['消費生活センターに相談したい', 'incident', 'routes'],
    ['被害届を出したい', 'incident', 'routes'],
    ['188に電話したい', 'incident', 'routes'],
    ['警察に相談したい', 'incident', 'routes'],
    ['マーケットプレイス保証を申請したい', 'incident', 'order-atoz'],
    ['A-to-z保証で返金してもらえますか', 'incident', 'order-atoz'],
    ['空き箱が届いた', 'incident', 'order'],
    ['注文と違う商品が届いた', 'incident', 'order'],
    ['振込先が変わっていました', 'incident', 'seller'],
    ['セラーセントラルの振込先口座が変更されていた', 'incident', 'seller'],
    // Paid off the platform: the bank first, not the guarantee (which an undelivered order would lead to).
    ['Amazonの出品者に銀行振込で3万円払ったのに商品がこない', 'incident', 'paid'],
    ['出品者にLINEで直接取引しようと言われて振り込んだ', 'incident', 'paid'],
    ['振り込んだのに届かない', 'incident', 'paid'],
    ['振込で払ってと言われた', 'scams', 'flag-6'],
    // Codes nobody asked for, however they are named: the codes case, not the prevention guide or a card's charges.
    ['身に覚えのない確認コードが届きました', 'incident', 'codes'],
    ['頼んでないのにAmazonのワンタイムパスワードがSMSで届いた', 'incident', 'codes'],
    ['セキュリティコードのメールが何通も来る', 'incident', 'codes'],
    ['ログインしてないのに認証コードが来た', 'incident', 'codes'],
    ['スマホにAmazonの確認コードが何回も届く', 'incident', 'codes'],
    ['OTP from amazon keeps coming', 'incident', 'codes'],
    // Already signed in on a fake page, or typed a password there: what to do now, not how to prevent it.
    ['怪しいメールのリンクからログインしてしまいました', 'incident', 'entered'],
    ['昨日、偽サイトにパスワード入れた', 'incident', 'entered'],
    ['詐欺られた', 'incident', 'what'],
    ['お金返して欲しい', 'incident', 'what'],
    ['証拠のまとめを作りたい', 'incident', 'ev-when'],
    ['scam call', 'check', 'contact'],
    // English words inside longer ones are not those words: an iPhone is no phone call, a charger no charge.
    ['Amazonで注文したiPhone15が届かない、出品者と連絡つかない', 'incident', 'order'],
    ['AmazonでHeadphone買ったけど届かない', 'incident', 'order'],
    ['Amazonで買ったchargerが届かない', 'incident', 'order'],
    ['I got a phone call from amazon', 'check', 'contact'],
    ['There is a charge I do not recognise', 'incident', 'misuse'],
    // Cannot sign in (a forgotten password, or a takeover): the sign-in case.
    ['確認コードが届かない', 'incident', 'signin'],
    ['確認コードのSMSが届かない', 'incident', 'signin'],
    ['パスワードを忘れてログインできません', 'incident', 'signin'],
    ['Amazonにサインインできなくなりました', 'incident', 'signin'],
    ["I can't log in to my Amazon account", 'incident', 'signin'],
    // A call or message claiming to be Amazon, with no link to check: how to check it outside the message.
    ['アマゾンを名乗る電話がかかってきた', 'check', 'contact'],
    ['Amazonから電話があってコードを教えてしまった', 'check', 'contact'],
    ['Amazonから「アカウントが停止されました」というメールが来た', 'check', 'contact'],
    ['プライム会費の支払いに問題があるというSMSが来た', 'check', 'contact'],
    ['I got a call from Amazon asking for my password', 'check', 'contact'],
    ['I got an email saying my Amazon account is suspended', 'check', 'contact'],
    // No link to paste (seen in the app): straight to where to look on the page.
    ['リンクはないです、アプリで見ました', 'check', 'nolink-intro'],
    ['アプリで見た商品なのでURLがわかりません', 'check', 'nolink-intro'],
    ["I saw it in the app, I don't have the link", 'check', 'nolink-intro'],
    // Already answered it (called the number it gave): straight to what was told.
    ['Amazonを名乗るSMSが来て、書いてあった番号に電話してしまいました', 'check', 'contact-told'],
    ['アマゾンからのメールの番号に電話をかけてしまいました', 'check', 'contact-told'],
    ['I called the number in the text from Amazon', 'check', 'contact-told'],
    // Cases that do not say which: the guide's first question.
    ['アカウントを乗っ取られたかもしれない', 'incident', 'what'],
    // A word inside a longer phrase loses to the phrase; plain words still route to a guide's start.
    ['このリンク大丈夫？', 'check', 'paste'],
    // Words that lead to the listing check, with a fact about the seller: that fact is taken as an answer.
    ['評価が3件しかない出品者から買っても大丈夫？', 'check', 'described'],
    ['Amazonで直接買った商品です。この出品者は大丈夫？', 'check', 'paste'],
    ['海外で支払った注文のリンクを確認したい', 'check', 'paste'],
    ['2段階認証を設定したい', 'secure', 'which'],
    ['ニ段階認証ってどうやるの', 'secure', 'which'],
    ['つうほうしたい', 'incident', 'what'],
    // Phrases from the first-hand accounts (shared/seeds).
    ['二段階認証したらセキュリティコードが大量に送られてくる', 'incident', 'codes'],
    ['メールで2段階認証の設定をしてくださいと来た', 'check', 'contact'],
    ['セラーアカウントの乗っ取り対策を知りたい', 'secure', 'which'],
    ['知らない人から電話があって、Amazonで私から買ったと言われた', 'incident', 'seller'],
    ['購入者からクレームが来る', 'incident', 'seller'],
    ['休眠アカウントが不正アクセスされた', 'incident', 'what'],
    ['長く使っていない出品用アカウントがある', 'secure', 'which'],
    ['個人情報が盗まれたかもしれない', 'incident', 'what'],
    ['注文がキャンセルされた', 'incident', 'order'],
    ['詐欺の見分け方を教えて', 'scams', 'intro'],
    ['How can I tell if a seller is a scam?', 'scams', 'intro'],
  ])('%s → %s / %s', (text, flow, stepId) => {
    const result = first(text);
    expect(result.session?.at).toEqual({ flow, step: stepId });
    expect(result.outcome.guideStarted).toBe(flow);
  });

  it('a shortcut says where it leads, shows the step, and "back" goes to the guide\'s start', () => {
    const result = first('注文した商品が届きません');
    const texts = result.replies.map((r) => (r.kind === 'text' ? r.text : ''));
    expect(texts[0]).toBe(ja('route.shortcut', { guide: ja('incident.title') }));
    expect(texts[1]).toBe(ja('incident.order.text'));
    expect(result.session?.trail).toEqual(['what']);
    const back = buttonsOf(result.replies).find((b) => b.label === ja('nav.back'))!;
    const after = step(ctx, result.session, { event: buttonEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, back.payload) });
    expect(after.session?.at).toEqual({ flow: 'incident', step: 'what' });
    expect(after.replies.map((r) => (r.kind === 'text' ? r.text : ''))).toContain(ja('incident.what.text'));
  });

  it('a shortcut opens its step even when the guide was left half-way through', () => {
    const started = first('注文した商品が届きません');
    const menu = step(ctx, started.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, 'メニュー') });
    expect(menu.session?.paused).toEqual([{ at: { flow: 'incident', step: 'order' }, trail: ['what'], ans: {} }]);
    const routed = step(ctx, menu.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 2 }, '身に覚えのない請求があります') });
    expect(routed.session?.at).toEqual({ flow: 'incident', step: 'misuse' });
    expect(routed.session?.paused).toEqual([]);
  });

  it('a greeting gets the welcome and the menu; in the middle of a guide, a word and the same step again', () => {
    const hello = first('こんにちは');
    expect(hello.replies[0]).toMatchObject({ kind: 'text', text: ja('start.greeting') });
    expect(buttonsOf(hello.replies).map((b) => b.label)).toContain(ja('incident.title'));
    const inGuide = first('/secure');
    const again = step(ctx, inGuide.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, 'こんにちは') });
    expect(again.session?.at).toEqual(inGuide.session?.at);
    expect(again.replies[0]).toMatchObject({ kind: 'text', text: ja('text.hello-in-guide', { guide: ja('secure.title') }) });
    const shown = inGuide.replies[inGuide.replies.length - 1]!;
    expect(again.replies[1]).toMatchObject({ kind: 'text', text: shown.kind === 'text' ? shown.text : '' });
    expect(buttonsOf(again.replies).map((b) => b.label)).toEqual(buttonsOf([shown]).map((b) => b.label));
  });

  it('thanks get a short answer and the same place again; "help" is /help', () => {
    const inGuide = first('/secure');
    const thanks = step(ctx, inGuide.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, 'ありがとうございました') });
    expect(thanks.replies[0]).toMatchObject({ kind: 'text', text: ja('text.thanks') });
    expect(thanks.session?.at).toEqual(inGuide.session?.at);
    expect(first('ヘルプ').replies[0]).toMatchObject({ kind: 'text', text: ja('help.text') });
    expect(first('/help').replies.map((r) => r.kind === 'text' && r.text)).toEqual(first('ヘルプ').replies.map((r) => r.kind === 'text' && r.text));
    // "help" is English: the answer switches to English first.
    expect(first('help').replies.map((r) => r.kind === 'text' && r.text)).toEqual([
      translate(locales, 'en', 'lang.auto-en'),
      translate(locales, 'en', 'help.text'),
      translate(locales, 'en', 'menu.text'),
    ]);
  });

  it('text that matches nothing still gets the short help and the menu', () => {
    const result = first('今日はいい天気ですね');
    expect(result.replies[0]).toMatchObject({ kind: 'text', text: ja('text.not-understood') });
    expect(result.session?.at).toBeUndefined();
  });
});

describe('any text, anywhere', () => {
  it('never throws, always answers, and leaves a state that reads back as it was written', () => {
    const words = ['届きません', '直接取引', 'コード', '何度も', 'LINE', '乗っ取', 'こんにちは', 'thanks', 'seller', "didn't", '一万五千円', '/', '+', '\u200b', '👍'];
    const text = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.string({ unit: 'grapheme', maxLength: 200 }),
      fc.array(fc.constantFrom(...words), { maxLength: 12 }).map((parts) => parts.join(' ')),
    );
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 4 }), (messages) => {
        let session = null as ReturnType<typeof first>['session'];
        messages.forEach((m, i) => {
          const result = step(ctx, session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + i }, m) });
          expect(result.replies.length).toBeGreaterThan(0);
          session = result.session;
          if (session) expect(decodeSession(encodeSession(session)).session).toEqual(session);
        });
      }),
      { numRuns: 300 },
    );
  });
});

describe('the language of the answers', () => {
  const at = (n: number) => ({ ...origin, receivedAt: origin.receivedAt + n });
  const en = (key: string) => translate(locales, 'en', key);

  it('follows the language the user writes in, says so once, and keeps it for messages that say nothing', () => {
    const english = first('My order never arrived');
    expect(english.session?.lang).toBe('en');
    expect(english.replies[0]).toMatchObject({ kind: 'text', text: en('lang.auto-en') });
    expect(english.replies[1]).toMatchObject({ kind: 'text', text: translate(locales, 'en', 'route.shortcut', { guide: en('incident.title') }) });
    const number = step(ctx, english.session, { event: textEvent(at(1), '12,800') });
    expect(number.session?.lang).toBe('en');
    expect(number.replies.map((r) => r.kind === 'text' && r.text)).not.toContain(en('lang.auto-en'));
    const japanese = step(ctx, number.session, { event: textEvent(at(2), '届いていません') });
    expect(japanese.session?.lang).toBe('ja');
    expect(japanese.replies[0]).toMatchObject({ kind: 'text', text: ja('lang.auto-ja') });
  });

  it('does not follow a message with a link: a pasted English phishing text is not the user writing English', () => {
    const sms = 'Your Amazon account has been locked. Please verify your details: https://amaz0n-verify.example/login';
    const link = { url: 'https://amaz0n-verify.example/login', host: 'amaz0n-verify.example', verdict: 'impersonation', reasons: ['lookalike'] };
    const pasted = step(ctx, null, { event: textEvent(origin, sms), links: [link] });
    expect(pasted.session?.lang).toBe('ja');
    expect(pasted.replies.map((r) => r.kind === 'text' && r.text)).not.toContain(en('lang.auto-en'));
  });

  it('does not follow an answer to a question (an order number or a seller name is data, not the reader\'s language)', () => {
    const asked = step(ctx, first('/report').session, { event: textEvent(at(1), '相談用のまとめだけ作る') });
    expect(asked.session?.at).toEqual({ flow: 'incident', step: 'ev-when' });
    const answered = step(ctx, asked.session, { event: textEvent(at(2), 'Last Friday, the order from Shop ABC') });
    expect(answered.session?.lang).toBe('ja');
    expect(answered.session?.ans).toMatchObject({ when: 'Last Friday, the order from Shop ABC' });
  });

  it('one English word switches only among the first messages, not a Japanese writer typing "help" or "Thanks"', () => {
    const hi = first('hi');
    expect(hi.session?.lang).toBe('en');
    let s = first('注文した商品が届きません').session;
    for (const [i, word] of ['help', 'Thanks'].entries()) {
      const r = step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + i + 1 }, word) });
      expect(r.session?.lang).toBe('ja');
      expect(r.replies.map((x) => (x.kind === 'text' ? x.text : ''))).not.toContain(en('lang.auto-en'));
      s = r.session;
    }
    // Outside a guide too, once the conversation is under way.
    let m = first('今日はいい天気ですね').session;
    m = step(ctx, m, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, 'メニュー') }).session;
    expect(step(ctx, m, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 2 }, 'help') }).session?.lang).toBe('ja');
    // A sentence still switches at any time.
    const sentence = step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 9 }, 'Can you help me please') });
    expect(sentence.session?.lang).toBe('en');
  });

  it('stops following once the user chose a language with /lang, also after /reset', () => {
    const chosen = step(ctx, first('/lang ja').session, { event: textEvent(at(1), 'Is this seller legit?') });
    expect(chosen.session?.lang).toBe('ja');
    expect(chosen.replies[0]).not.toMatchObject({ text: en('lang.auto-en') });
    // Kept in the stored form.
    expect(decodeSession(encodeSession(chosen.session!)).session?.langChosen).toBe(true);
    const reset = step(ctx, chosen.session, { event: textEvent(at(2), '/reset') });
    expect(step(ctx, reset.session, { event: textEvent(at(3), 'Is this seller legit?') }).session?.lang).toBe('ja');
  });
});

describe('the evidence summary', () => {
  it('with every question skipped, says what to note down instead of a summary of blanks', () => {
    let s = first('/report').session;
    s = step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, ja('incident.what.summary')) }).session;
    let last = step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 2 }, 'わからない') });
    for (let i = 0; i < 4; i++) last = step(ctx, last.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 3 + i }, 'わからない') });
    expect(last.session?.at).toEqual({ flow: 'incident', step: 'evidence' });
    expect(last.replies.some((r) => r.kind === 'summary')).toBe(false);
    expect(last.replies[0]).toMatchObject({ kind: 'text', text: ja('evidence.empty') });
  });

  /** The replies after answering the five summary questions of /report with `answers` (in order). */
  const summaryAfter = (answers: readonly string[]) => {
    let last = first('/report');
    last = step(ctx, last.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, ja('incident.what.summary')) });
    for (const [i, typed] of answers.entries()) last = step(ctx, last.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 2 + i }, typed) });
    const summary = last.replies.find((r) => r.kind === 'summary');
    return { summary, text: summary && 'text' in summary ? summary.text : '' };
  };

  it('with one answer, is shown with the others marked unanswered', () => {
    const { summary, text } = summaryAfter(['11月1日', 'わからない', 'わからない', 'わからない', 'わからない']);
    expect(summary).toMatchObject({ title: ja('evidence.title') });
    expect(text).toContain(`${ja('incident.ev.label.when')}: 11月1日`);
  });

  it('says the day it was made (Japan time) and shows links defanged, with a line saying so', () => {
    // 2023-11-14 22:13 UTC is 2023-11-15 in Japan.
    const { text } = summaryAfter(['昨日', 'SMSのリンク https://amazon-co-jp.secure.top/login を開いた', 'https://amazon-co-jp.secure.top/login', 'わからない', 'わからない']);
    expect(text.split('\n')[0]).toBe(ja('evidence.made-on', { date: '2023年11月15日' }));
    expect(text).toContain('hxxps://amazon-co-jp[.]secure[.]top/login');
    expect(text).not.toContain('https://amazon-co-jp.secure.top');
    expect(text.split('\n').at(-1)).toBe(ja('evidence.links-defanged'));
  });

  it('writes the day after a "when" answer that names it relative to today (Japan time), and leaves other answers as typed', () => {
    // 2023-11-14 22:13 UTC is Wednesday 2023-11-15 in Japan.
    expect(summaryAfter(['昨日の夜', 'わからない', 'わからない', 'わからない', 'わからない']).text).toContain(
      `${ja('incident.ev.label.when')}: ${ja('evidence.dated', { answer: '昨日の夜', date: '2023年11月14日' })}`,
    );
    expect(summaryAfter(['先週の月曜日', 'わからない', 'わからない', 'わからない', 'わからない']).text).toContain('先週の月曜日（2023年11月6日）');
    expect(summaryAfter(['11月1日', 'わからない', 'わからない', 'わからない', 'わからない']).text).toContain(`${ja('incident.ev.label.when')}: 11月1日\n`);
    // Only the "when" line: 「昨日」 in what happened stays as typed.
    expect(summaryAfter(['わからない', '昨日カードを止めた', 'わからない', 'わからない', 'わからない']).text).toContain(': 昨日カードを止めた\n');
  });

  it('defangs a host written without http too, but not an e-mail address', () => {
    const { text } = summaryAfter(['昨日', '偽サイト amazon-co-jp.secure-verify.top/signin に入力した', 'scam@evil.top からのメール', 'わからない', 'わからない']);
    expect(text).toContain('amazon-co-jp[.]secure-verify[.]top/signin');
    expect(text).toContain('scam@evil.top');
  });
});

describe('a message that is only a product number', () => {
  it.each([
    ['B08N5WRWNW', 'B08N5WRWNW'],
    ['ASIN: b01n5qtfak', 'B01N5QTFAK'],
    ['４１０１０１００１３', '4101010013'],
    ['ISBN 4-10-101001-3', '4101010013'],
  ])('%s: says it is an ASIN and asks for the page\'s link', (typed, asin) => {
    expect(bareAsin(typed)).toBe(asin);
    const result = first(typed);
    expect(result.replies[0]).toMatchObject({ kind: 'text', text: ja('text.asin-only', { asin }) });
    expect(result.session?.at).toEqual({ flow: 'check', step: 'paste' });
  });

  it.each(['0312345678', '4101010014', 'B08N5WRWN', 'B08N5WRWNW です', '1234567890'])('%s is not one', (typed) => {
    expect(bareAsin(typed)).toBeNull();
  });

  it('at the request for a link, says the same and asks again', () => {
    const paste = first('/check');
    const again = step(ctx, paste.session, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, 'B08N5WRWNW') });
    expect(again.replies[0]).toMatchObject({ kind: 'text', text: ja('text.asin-only', { asin: 'B08N5WRWNW' }) });
    expect(again.replies.map((r) => (r.kind === 'text' ? r.text : ''))).not.toContain(ja('link.none'));
    expect(again.session?.at).toEqual({ flow: 'check', step: 'paste' });
  });

  it('is an answer, not a product number, where a question asks for text', () => {
    let s = first('/report').session;
    s = step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 1 }, ja('incident.what.summary')) }).session;
    for (const [i, typed] of ['11月1日', '届かない'].entries()) s = step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 2 + i }, typed) }).session;
    expect(s?.at).toEqual({ flow: 'incident', step: 'ev-ref' });
    const answered = step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + 9 }, 'B08N5WRWNW') });
    expect(answered.session?.ans.orderRef).toBe('B08N5WRWNW');
  });
});

describe('questions answered with "I don\'t know" in words', () => {
  it('take 「わからない」 and the like typed instead of the button, and move on with no answer', async () => {
    const url = 'https://www.amazon.co.jp/dp/B01N5QTFAK';
    let s = step(ctx, null, { event: textEvent(origin, url), links: await checkTextExpanded(url, { enabled: false }) }).session;
    const t = (n: number, text: string) => step(ctx, s, { event: textEvent({ ...origin, receivedAt: origin.receivedAt + n }, text) });
    for (const [n, text] of ['次へ', '次へ', '次へ'].entries()) s = t(n + 1, text).session;
    expect(s?.at).toEqual({ flow: 'check', step: 'q-price' });
    for (const [n, text] of ['わからない', '分かりません', 'not sure'].entries()) {
      const r = t(10 + n, text);
      expect(r.replies.map((x) => (x.kind === 'text' ? x.text : ''))).not.toContain(ja('answer.invalid.yen'));
      s = r.session;
    }
    expect(s?.at).toEqual({ flow: 'check', step: 'q-ratings' });
    expect(s?.ans).toMatchObject({ price: null, typicalPrice: null });
  });
});

describe('the listing check without a link', () => {
  const later = (n: number) => ({ ...origin, receivedAt: origin.receivedAt + n });
  const atPaste = () => first('/check');

  it('offers a button for a call or message that has no link, which leads to how to check it', () => {
    const paste = atPaste();
    const contact = buttonsOf(paste.replies).find((b) => b.label === ja('check.paste.contact'))!;
    expect(buttonsOf(paste.replies).map((b) => b.label)).toEqual([ja('check.paste.contact'), ja('check.paste.no-link'), ja('nav.back'), ja('nav.menu'), ja('nav.restart')]);
    const pressed = step(ctx, paste.session, { event: buttonEvent(later(1), contact.payload) });
    expect(pressed.session?.at).toEqual({ flow: 'check', step: 'contact' });
    expect(pressed.replies.map((r) => (r.kind === 'text' ? r.text : ''))).toContain(ja('check.contact.text'));
  });

  it('takes the button\'s label or number typed instead of pressed', () => {
    for (const typed of [ja('check.paste.contact'), '1', '１']) {
      const result = step(ctx, atPaste().session, { event: textEvent(later(1), typed) });
      expect(result.session?.at).toEqual({ flow: 'check', step: 'contact' });
    }
  });

  it('sends words that point elsewhere there, and asks again for the link otherwise', () => {
    const told = step(ctx, atPaste().session, { event: textEvent(later(1), 'Amazonを名乗る電話でコードを聞かれた') });
    expect(told.session?.at).toEqual({ flow: 'check', step: 'contact' });
    const order = step(ctx, atPaste().session, { event: textEvent(later(1), '注文した商品が届きません') });
    expect(order.session?.at).toEqual({ flow: 'incident', step: 'order' });
    // Words of the listing check itself, or none at all: the same request again, with the buttons.
    for (const typed of ['この出品者は大丈夫？', 'ソニーのカメラです']) {
      const again = step(ctx, atPaste().session, { event: textEvent(later(1), typed) });
      expect(again.session?.at).toEqual({ flow: 'check', step: 'paste' });
      expect(again.replies[0]).toMatchObject({ kind: 'text', text: ja('link.none') });
      expect(buttonsOf(again.replies)[0]?.label).toBe(ja('check.paste.contact'));
    }
  });

  it('walks a call where a code was given to the password advice, the report and the summary', () => {
    let s = atPaste().session;
    const texts: string[] = [];
    for (const [i, typed] of [ja('check.paste.contact'), '次へ', ja('check.contact.told.password'), '次へ', '次へ'].entries()) {
      const r = step(ctx, s, { event: textEvent(later(i + 1), typed) });
      s = r.session;
      texts.push(...r.replies.map((x) => (x.kind === 'text' ? x.text : '')));
    }
    expect(texts).toEqual(expect.arrayContaining([ja('check.contact.told.text'), ja('check.contact.password.text'), ja('check.contact.report.text'), ja('check.contact.end.text')]));
    expect(s?.at).toEqual({ flow: 'check', step: 'contact-end' });
  });

  it('"やめる" and other words for stopping lead to the menu', () => {
    for (const typed of ['やめる', '終了', 'quit']) {
      const result = step(ctx, atPaste().session, { event: textEvent(later(1), typed) });
      expect(result.session?.at).toBeUndefined();
      // Stopped at the guide's first request, with nothing done: there is nothing to continue.
      expect(result.session?.paused).toEqual([]);
      expect(buttonsOf(result.replies).map((b) => b.label)).not.toContain(ja('menu.resume'));
    }
  });

  it('refuses a button of a link check that leads nowhere', () => {
    const check = { id: 'lc', order: 1, title: 'fx.help.title', command: 'lc', keywords: [], start: 'paste', steps: { paste: { type: 'link-check', text: 'fx.help.which', routes: { fake: 'end', listing: 'end', official: 'end', shortlink: 'end', marketplace: 'end', unknown: 'end' }, options: [{ label: 'fx.help.a', next: 'gone' }] }, end: { type: 'summary', text: 'fx.help.end' } } };
    expect(() => parseFlow(check, 'lc')).toThrow(/step "paste": goes to "gone", which does not exist/);
  });
});

describe('a listing described in words instead of a link', () => {
  const later = (n: number) => ({ ...origin, receivedAt: origin.receivedAt + n });
  const textsOf = (r: { replies: readonly { kind: string }[] }) => r.replies.map((x) => ('text' in x ? (x as { text: string }).text : ''));
  /** Sends the texts one after another from `session`; returns the last result. */
  const talk = (session: ReturnType<typeof first>['session'], ...typed: string[]) => {
    let r = { session, replies: [] } as unknown as ReturnType<typeof first>;
    for (const [i, t] of typed.entries()) r = step(ctx, r.session, { event: textEvent(later(i + 1), t) });
    return r;
  };
  const story = 'アマゾンで2万円のゲーム機が3千円で売ってて、出品者が先月できたばかりで評価が2件しかないんですが大丈夫ですか';

  it('as a first message: says what it understood, then asks only what it did not say', () => {
    const r = first(story);
    expect(r.session?.at).toEqual({ flow: 'check', step: 'described' });
    expect(r.session?.ans).toEqual({ price: 3000, typicalPrice: 20000, ratingCount: 2, newSeller: true });
    const shown = textsOf(r).join('\n');
    for (const line of [ja('described.price', { value: '3,000円' }), ja('described.typical-price', { value: '20,000円' }), ja('described.rating-count', { value: 2 }), ja('described.new-seller')]) {
      expect(shown).toContain(line);
    }
    // Price, usual price, ratings and the new-seller question are passed over; back returns to the summary of them.
    const next = talk(r.session, ja('check.described.go'));
    expect(next.session?.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
    const afterShipping = talk(next.session, ja('check.q.fulfilment.overseas'));
    expect(afterShipping.session?.at).toEqual({ flow: 'check', step: 'q-last-rating' });
    const afterListings = talk(afterShipping.session, 'わからない', 'わからない');
    expect(afterListings.session?.at).toEqual({ flow: 'check', step: 'q-business-info' });
    const back = talk(afterListings.session, '戻る', '戻る', '戻る');
    expect(back.session?.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
    expect(talk(back.session, '戻る').session?.at).toEqual({ flow: 'check', step: 'described' });
  });

  it('ends with the seller-risk card made from the description and the answers together', () => {
    const r = talk(first(story).session, ja('check.described.go'), ja('check.q.fulfilment.seller'), 'わからない', 'わからない', ja('check.q.business-info.odd'), ja('check.q.off-platform.no'));
    expect(r.session?.at).toEqual({ flow: 'check', step: 'listing-result' });
    const card = r.replies.find((x) => x.kind === 'verdict');
    expect(card).toMatchObject({ level: 'high' });
    expect((card as { lines: string[] }).lines.join('\n')).toContain(ja('seller.reason.classic-scam-pattern'));
  });

  it('"answer them all" asks every question, the described ones too, after where to look', () => {
    const r = talk(first(story).session, ja('check.described.all'));
    expect(r.session?.at).toEqual({ flow: 'check', step: 'listing-where' });
    expect(r.session?.pre).toBeUndefined();
    expect(talk(r.session, '次へ', '次へ').session?.at).toEqual({ flow: 'check', step: 'q-price' });
    expect(talk(r.session, '次へ', '次へ', '2980').session?.at).toEqual({ flow: 'check', step: 'q-typical' });
    // Said in words: 「違います」.
    expect(talk(first(story).session, '違います').session?.at).toEqual({ flow: 'check', step: 'listing-where' });
  });

  it('at the request for a link, one fact is enough; the facts of one message replace those of another', () => {
    const paste = first('/check').session;
    const one = talk(paste, '評価が0件の出品者です');
    expect(one.session?.at).toEqual({ flow: 'check', step: 'described' });
    expect(one.session?.ans).toEqual({ ratingCount: 0 });
    expect(one.session?.pre).toEqual(['ratingCount']);
    // Starting over forgets the description.
    const over = talk(one.session, '最初から');
    expect(over.session?.at).toEqual({ flow: 'check', step: 'paste' });
    expect(over.session?.pre).toBeUndefined();
    expect(over.session?.ans).toEqual({});
  });

  it('as a first message leading elsewhere, one fact is not enough: a general question keeps its advice', () => {
    expect(first('新しい出品者から買うのは危ない？').session?.at).toEqual({ flow: 'scams', step: 'flag-1' });
    expect(first('海外発送で届くまで3週間かかるらしい').session?.at).toEqual({ flow: 'scams', step: 'flag-7' });
    // Two facts: this seller's check.
    expect(first('新しい出品者で、海外発送で届くまで3週間かかるらしい').session?.at).toEqual({ flow: 'check', step: 'described' });
  });

  it('a half-done listing check is not resumed over a new description', () => {
    const left = talk(first('/check').session, ja('check.paste.no-link'), '次へ', '次へ', '次へ', 'メニュー');
    expect(left.session?.paused.map((p) => p.at)).toEqual([{ flow: 'check', step: 'q-price' }]);
    const told = talk(left.session, story);
    expect(told.session?.at).toEqual({ flow: 'check', step: 'described' });
    expect(told.session?.paused).toEqual([]);
  });

  it('a described check left for another guide comes back with what was understood, and still passes over it', () => {
    const described = talk(first(story).session, ja('check.described.go'));
    expect(described.session?.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
    const away = talk(described.session, '/secure');
    expect(away.session?.at?.flow).toBe('secure');
    expect(away.session?.pre).toBeUndefined();
    expect(away.session?.paused[0]).toMatchObject({ at: { flow: 'check', step: 'q-fulfilment' }, pre: ['price', 'typicalPrice', 'ratingCount', 'newSeller'] });
    // Stored and read back, as between two messages.
    const stored = decodeSession(encodeSession(away.session!)).session!;
    expect(stored.paused[0]?.pre).toEqual(['price', 'typicalPrice', 'ratingCount', 'newSeller']);
    const back = talk(stored, '/check');
    expect(back.session?.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
    expect(back.session?.pre).toEqual(['price', 'typicalPrice', 'ratingCount', 'newSeller']);
    // The next answer still passes over the ratings the description gave.
    expect(talk(back.session, ja('check.q.fulfilment.seller')).session?.at).toEqual({ flow: 'check', step: 'q-last-rating' });
  });

  it('inside the listing check, a description does not start it over and lose the answers given', () => {
    const at = talk(first(story).session, ja('check.described.go'), ja('check.q.fulfilment.seller'), 'わからない', 'わからない');
    expect(at.session?.at).toEqual({ flow: 'check', step: 'q-business-info' });
    const told = talk(at.session, '評価は3件で、相場は3万円くらいです');
    expect(told.session?.at?.flow).toBe('check');
    expect(told.session?.at?.step).not.toBe('described');
    expect(told.session?.ans).toMatchObject({ price: 3000, typicalPrice: 20000, ratingCount: 2, fulfilment: 'seller' });
  });

  it('a second description after "back" replaces the first one\'s facts instead of adding to them', () => {
    const again = talk(first(story).session, '戻る', '評価が0件の出品者です');
    expect(again.session?.at).toEqual({ flow: 'check', step: 'described' });
    expect(again.session?.ans).toEqual({ ratingCount: 0 });
    expect(again.session?.pre).toEqual(['ratingCount']);
  });

  it('"no link to paste" leads to where to look and the questions', () => {
    const r = talk(first('/check').session, ja('check.paste.no-link'));
    expect(r.session?.at).toEqual({ flow: 'check', step: 'nolink-intro' });
    expect(textsOf(r)).toContain(ja('check.nolink.intro.text'));
    for (const typed of ['URLがありません', 'アプリで見ました', 'no link']) expect(talk(first('/check').session, typed).session?.at).toEqual({ flow: 'check', step: 'nolink-intro' });
    expect(talk(r.session, '次へ', '次へ', '次へ').session?.at).toEqual({ flow: 'check', step: 'q-price' });
  });

  it('without a describer in the context, a description at the request for a link is asked for the link again', () => {
    const plain: AdvisorContext = { flows, locales, assessSeller: assessSellerRisk };
    const r = step(plain, first('/check', plain).session, { event: textEvent(later(1), '評価が0件の出品者です') });
    expect(r.session?.at).not.toEqual({ flow: 'check', step: 'described' });
    expect(r.session?.pre).toBeUndefined();
  });

  it('with every studied message, takes as answers exactly what the reader gives, at the request for a link and as a first message', () => {
    const at = { ...origin, receivedAt: STUDY_AT };
    const paste = step(ctx, null, { event: textEvent(at, '/check') }).session;
    for (const m of [...STUDY, ...STUDY_ROUND_2]) {
      // (No links are found here: that is the runtime's, before the step.)
      const expected = expectedOf(m);
      const told = step(ctx, paste, { event: textEvent({ ...at, receivedAt: STUDY_AT + 1 }, m.text) }).session;
      if (Object.keys(expected).length) {
        expect(told?.at, m.text).toEqual({ flow: 'check', step: 'described' });
        expect(told?.ans, m.text).toEqual(expected);
      } else expect(told?.at, m.text).not.toEqual({ flow: 'check', step: 'described' });
      // As a first message: when it is taken as a description, with exactly those facts.
      const opened = step(ctx, null, { event: textEvent(at, m.text) }).session;
      if (opened?.at?.step === 'described') expect(opened.ans, m.text).toEqual(expected);
      if (Object.keys(expected).length >= 2) expect(opened?.at, m.text).toEqual({ flow: 'check', step: 'described' });
    }
  });

  it("reads 「Amazon.co.jpが発送」 in a description as the store's name, not as a link, and checks the name sent alone", async () => {
    const withLinks = async (session: ReturnType<typeof first>['session'], text: string, n = 1) =>
      step(ctx, session, { event: textEvent(later(n), text), links: await checkTextExpanded(text, { enabled: false }) });
    const described = await withLinks(null, '評価が5件しかない出品者ですが、Amazon.co.jpが発送します。大丈夫？');
    expect(described.session?.at).toEqual({ flow: 'check', step: 'described' });
    expect(described.session?.ans).toEqual({ ratingCount: 5, fulfilment: 'amazon' });
    expect(described.replies.some((r) => r.kind === 'verdict')).toBe(false);
    // At the request for a link too.
    const paste = step(ctx, null, { event: textEvent(origin, '/check') }).session;
    expect((await withLinks(paste, 'Amazon.co.jpが発送で、評価は3件です')).session?.at).toEqual({ flow: 'check', step: 'described' });
    // The name alone, or with words that say nothing about a listing, is still checked; so is a link with a path.
    for (const text of ['amazon.co.jpって本物？', 'Amazon.co.jp', 'https://www.amazon.co.jp']) {
      const alone = await withLinks(null, text);
      expect(alone.replies.find((r) => r.kind === 'verdict'), text).toMatchObject({ title: ja('link.verdict.official-other') });
    }
    const listing = await withLinks(null, '評価が5件の出品者です amazon.co.jp/dp/B01N5QTFAK');
    expect(listing.session?.at?.step).not.toBe('described');
    expect(listing.replies.some((r) => r.kind === 'verdict')).toBe(true);
  });

  it('takes a single fact in a first message that nothing else routes as a listing to check, not as words not understood', () => {
    const one = first('セール中で1980円になってる');
    expect(one.session?.at).toEqual({ flow: 'check', step: 'described' });
    expect(one.session?.ans).toEqual({ price: 1980 });
    expect(textsOf(one)).not.toContain(ja('text.not-understood'));
    // No fact at all, or only a request to get in touch (pasted SMS say that too): still not understood, with the menu.
    expect(textsOf(first('ふむふむ'))).toContain(ja('text.not-understood'));
    const sms = first('お荷物をお届けにあがりましたが不在のため持ち帰りました。電話で連絡してください');
    expect(textsOf(sms)).toContain(ja('text.not-understood'));
    expect(sms.session?.at?.step).not.toBe('described');
  });

  it('keeps a described session small and readable after storing it', () => {
    const r = first(story);
    const stored = encodeSession(r.session!);
    expect(stored.length).toBeLessThan(300);
    expect(decodeSession(stored).session).toEqual(r.session);
  });
});

describe('a choice answered in words', () => {
  const later = (n: number) => ({ ...origin, receivedAt: origin.receivedAt + n });
  /** A session at this step of the listing check. */
  const at = (stepId: string) => decodeSession(encodeSession({ v: 3, sid: 's1', turn: 3, lang: 'ja', at: { flow: 'check', step: stepId }, trail: [], ans: {}, paused: [] })).session!;
  it.each([
    ['q-fulfilment', '出品者が中国から発送するみたいです', { fulfilment: 'overseas' }, 'q-ratings'],
    ['q-fulfilment', 'FBAでした', { fulfilment: 'amazon' }, 'q-ratings'],
    ['q-fulfilment', '出品者が発送するようです', { fulfilment: 'seller' }, 'q-ratings'],
    ['fake-entered', 'パスワードとカード番号を入れました', {}, 'fake-password-both'],
    ['fake-entered', 'カード番号を入れました', {}, 'fake-card'],
    ['fake-entered', '両方です', {}, 'fake-password-both'],
    ['fake-entered', 'いいえ、何も入力していません', {}, 'fake-report'],
    ['contact-told', '6桁のコードを教えてしまいました', {}, 'contact-password'],
    ['contact-told', 'I told them the code', {}, 'contact-password'],
  ])('at %s, 「%s」 chooses its option, not a detour', (stepId, typed, answers, next) => {
    const result = step(ctx, at(stepId), { event: textEvent(later(1), typed) });
    expect(result.session?.at).toEqual({ flow: 'check', step: next });
    expect(result.session?.ans).toMatchObject(answers);
  });

  it('at advice followed by such a question, words that answer it answer it (and "back" returns to the advice)', () => {
    const answered = step(ctx, at('fake-stop'), { event: textEvent(later(1), 'パスワードとカード番号を入れました') });
    expect(answered.session?.at).toEqual({ flow: 'check', step: 'fake-password-both' });
    const back = step(ctx, answered.session, { event: textEvent(later(2), ja('nav.back')) });
    expect(back.session?.at).toEqual({ flow: 'check', step: 'fake-entered' });
    // A bare number is not taken for an option of the question that has not been asked yet.
    expect(step(ctx, at('fake-stop'), { event: textEvent(later(1), '3') }).session?.at?.step).not.toBe('fake-card');
  });

  it('words that fit no option ask again, at the same question', () => {
    const result = step(ctx, at('q-fulfilment'), { event: textEvent(later(1), 'うーん') });
    expect(result.session?.at).toEqual({ flow: 'check', step: 'q-fulfilment' });
    expect(result.replies.map((r) => (r.kind === 'text' ? r.text : ''))).toContain(ja('text.use-buttons'));
  });
});

describe('routing keywords and shortcuts (fixture guides)', () => {
  const base = {
    id: 'help',
    order: 5,
    title: 'fx.help.title',
    command: 'help',
    start: 'which',
    steps: {
      which: { type: 'choice', text: 'fx.help.which', options: [{ label: 'fx.help.a', next: 'a' }] },
      a: { type: 'message', text: 'fx.help.a', next: 'end' },
      end: { type: 'summary', text: 'fx.help.end' },
    },
  };

  it('a keyword joined with "+" needs all its words, in any order, and scores their length together', () => {
    const fx = fixtureContext();
    const help = parseFlow({ ...base, keywords: ['注文'], shortcuts: [{ step: 'a', keywords: ['コード+何度も'] }] }, 'help');
    const c: AdvisorContext = { ...fx, flows: { byId: new Map([...fx.flows.byId, ['help', help]]), ordered: [...fx.flows.ordered, help] } };
    expect(first('何度もコードが来ます', c).session?.at).toEqual({ flow: 'help', step: 'a' });
    expect(first('ｺｰﾄﾞが何度も', c).session?.at).toEqual({ flow: 'help', step: 'a' });
    // One of the two words is not enough; the guide keyword "注文" then wins.
    expect(first('注文のコードです', c).session?.at).toEqual({ flow: 'help', step: 'which' });
    // Longer wins over a shortcut: "乗っ取り対策" (6) is the secure-looking fixture keyword of the incident guide.
    expect(first('乗っ取り対策のコードを何度も', c).session?.at).toEqual({ flow: 'incident', step: 'when' });
  });

  it('on equal length a shortcut beats a guide start', () => {
    const fx = fixtureContext();
    const help = parseFlow({ ...base, keywords: [], shortcuts: [{ step: 'a', keywords: ['届かない'] }] }, 'help');
    const c: AdvisorContext = { ...fx, flows: { byId: new Map([...fx.flows.byId, ['help', help]]), ordered: [...fx.flows.ordered, help] } };
    // The fixture incident guide has "届かない" among its keywords, and comes first in the menu.
    expect(first('届かない', fixtureContext()).session?.at?.flow).toBe('incident');
    expect(first('届かない', c).session?.at).toEqual({ flow: 'help', step: 'a' });
  });

  it('refuses a shortcut to a missing step, to the start step, or with a word that folds to nothing', () => {
    expect(() => parseFlow({ ...base, keywords: [], shortcuts: [{ step: 'nope', keywords: ['x'] }] }, 'help')).toThrow(FlowError);
    expect(() => parseFlow({ ...base, keywords: [], shortcuts: [{ step: 'nope', keywords: ['x'] }] }, 'help')).toThrow(/step "nope": a shortcut goes to this step, which does not exist/);
    expect(() => parseFlow({ ...base, keywords: [], shortcuts: [{ step: 'which', keywords: ['x'] }] }, 'help')).toThrow(/goes to the start step/);
    expect(() => parseFlow({ ...base, keywords: ['コード+'], shortcuts: [] }, 'help')).toThrow(/keyword "コード\+" has a part that is empty/);
    expect(() => parseFlow({ ...base, keywords: [], shortcuts: [{ step: 'a', keywords: ['ー ・'] }] }, 'help')).toThrow(/empty once folded/);
    expect(() => parseFlow({ ...base, keywords: [], shortcuts: [{ step: 'a', keywords: [] }] }, 'help')).toThrow(FlowError);
  });
});

describe('user study fixes in the listing-check and scams guides', () => {
  const later = (n: number) => ({ ...origin, receivedAt: origin.receivedAt + n });
  const en = (key: string, vars?: Record<string, string | number>) => translate(locales, 'en', key, vars);
  const textsOf = (r: ReturnType<typeof first>) => r.replies.map((x) => (x.kind === 'text' ? x.text : ''));
  /** A session at this step of the listing check. */
  const at = (stepId: string, lang: 'ja' | 'en' = 'ja') => decodeSession(encodeSession({ v: 3, sid: 's1', turn: 3, lang, at: { flow: 'check', step: stepId }, trail: [], ans: {}, paused: [] })).session!;
  /** Types the messages one after another from `session`; returns the last result and every text shown. */
  const walk = (session: ReturnType<typeof first>['session'], typed: readonly string[]) => {
    let last = { session } as ReturnType<typeof first>;
    const texts: string[] = [];
    typed.forEach((t, i) => {
      last = step(ctx, last.session, { event: textEvent(later(i + 1), t) });
      texts.push(...textsOf(last));
    });
    return { last, texts };
  };

  it.each([
    'Amazon called me about an unauthorized order',
    'Someone called saying they are Amazon',
    'amzon calld me and i gave them the code from sms',
    'Someone called me and said he was from Amazon',
    'I got a text claiming to be from Amazon',
  ])('「%s」 opens the advice on a call or message claiming to be Amazon', (text) => {
    expect(first(text).session?.at).toEqual({ flow: 'check', step: 'contact' });
  });

  it.each(['I called Amazon about an unauthorized order', 'I ordered from Amazon and called them but it never arrived'])(
    '「%s」 (the user calling Amazon) is not taken for a call from someone claiming to be Amazon',
    (text) => {
      expect(first(text).session?.at).not.toEqual({ flow: 'check', step: 'contact' });
    },
  );

  it.each([
    ['contact-told', 'I gave them my card number', 'contact-card'],
    ['contact-told', 'I gave them both', 'contact-password-both'],
    ["contact-told", "I'm not sure", 'contact-password-both'],
    ['contact-told', "I didn't tell them anything", 'contact-report'],
    ['contact-told', 'I hung up', 'contact-report'],
    ['contact-told', 'the verification code from the text', 'contact-password'],
    ['contact-told', '確認コードを言ってしまいました', 'contact-password'],
    ['contact-told', 'よく覚えてない', 'contact-password-both'],
    ['fake-entered', 'I only opened it', 'fake-report'],
    ['fake-entered', '開いただけです', 'fake-report'],
    ['fake-entered', 'I logged in with my password', 'fake-password'],
    ['fake-entered', 'クレカの番号とセキュリティコード', 'fake-card'],
  ])('at %s, 「%s」 chooses its option', (stepId, typed, next) => {
    const result = step(ctx, at(stepId, /[a-z]/i.test(typed) ? 'en' : 'ja'), { event: textEvent(later(1), typed) });
    expect(result.session?.at).toEqual({ flow: 'check', step: next });
  });

  it('a seller asking for a bank transfer to "re-send" gets the red flag that says plainly not to pay, and what to do', () => {
    const result = first('再送するから送料を銀行振込してくれと言われた。払ったほうがいい？');
    expect(result.session?.at).toEqual({ flow: 'scams', step: 'flag-6' });
    const shown = textsOf(result).join('\n');
    expect(shown).toContain('払わないでください');
    expect(shown).toContain('マーケットプレイス保証');
    expect(shown).toContain('スクリーンショット');
    expect(en('scams.flag6.text')).toContain("don't pay");
    expect(first('The seller says he will resend it if I pay the shipping by bank transfer').session?.at).toEqual({ flow: 'scams', step: 'flag-6' });
    // Having paid already is another case (the incident guide's), not this red flag.
    for (const paid of ['送料を振り込んでしまった', '再送するからと言われて送料を銀行振込で払ってしまった']) {
      expect(first(paid).session?.at).not.toEqual({ flow: 'scams', step: 'flag-6' });
    }
  });

  it('a short link is not to be opened, and the user is never told to ask whoever sent it', async () => {
    const url = 'https://bit.ly/3abcdef';
    const result = step(ctx, null, { event: textEvent(origin, url), links: await checkTextExpanded(url, { enabled: false }) });
    expect(result.session?.at).toEqual({ flow: 'check', step: 'shortlink' });
    const shown = textsOf(result).join('\n');
    expect(shown).toContain('開かないでください');
    expect(shown).toContain('フィッシング');
    expect(shown).not.toMatch(/送ってきた相手|送り主/);
    expect(en('check.shortlink.text')).not.toMatch(/ask the sender/i);
  });

  it('a short link written defanged is not followed, and its card says what was checked and what was not', async () => {
    // A warning passed on by the user: the link was written so that it would not be opened.
    const text = '注意喚起に載っていたURLです：hxxps [:] //bit [.] ly/3abcdef';
    const lookedUp: string[] = [];
    const links = await checkTextExpanded(text, {
      cache: null,
      resolver: async (hostname) => {
        lookedUp.push(hostname);
        throw new Error('no network in tests');
      },
    });
    expect(lookedUp).toEqual([]);
    const result = step(ctx, null, { event: textEvent(origin, text), links });
    expect(result.session?.at).toEqual({ flow: 'check', step: 'shortlink' });
    const card = result.replies.find((r) => r.kind === 'verdict');
    expect(card).toMatchObject({
      title: ja('link.verdict.shortener'),
      lines: [
        ja('link.host', { host: 'bit[.]ly' }),
        `• ${ja('link.reason.shortener-destination-unknown')}`,
        `• ${ja('link.reason.defanged-link')}`,
        `• ${ja('link.reason.expansion-skipped-defanged')}`,
        ja('link.shown-defanged'),
      ],
    });
    expect(textsOf(result)).toContain(ja('check.shortlink.text'));
  });

  it('the fake-link path ends on the menu\'s "after an incident" button, named in the text, and no step names a slash command', () => {
    const fake = { url: 'https://amazon.co.jp.sign-in.example/login', host: 'amazon.co.jp.sign-in.example', verdict: 'impersonation', reasons: ['brand-in-subdomain'] };
    const start = step(ctx, null, { event: textEvent(origin, fake.url), links: [fake] });
    expect(start.session?.at).toEqual({ flow: 'check', step: 'fake-stop' });
    // Advice, not a task: 「わかった」, which can also be typed.
    expect(buttonsOf(start.replies)[0]?.label).toBe(ja('nav.understood'));
    const { last, texts } = walk(start.session, ['わかった', 'パスワードとカード番号を入れました', '次へ', '次へ', '次へ']);
    expect(last.session?.at).toEqual({ flow: 'check', step: 'fake-end' });
    expect(texts).toContain(ja('check.fake.end.text'));
    expect(ja('check.fake.end.text')).toContain(`「${ja('incident.title')}」`);
    expect(en('check.fake.end.text')).toContain(`"${en('incident.title')}"`);
    expect(buttonsOf(last.replies).map((b) => b.label)).toContain(ja('incident.title'));
    for (const text of texts) expect(text).not.toMatch(/\/(secure|report|check|scams)\b/);
    // Seller Central already requires 2-step verification: turning it on is for a shopping account.
    expect(ja('check.fake.password.text')).toContain('買い物用のアカウントなら');
  });

  it('a genuine Amazon address: the card and the text say the same, and sellers are sent to Seller Central', () => {
    expect(ja('check.official.text')).toContain(ja('link.verdict.official-other').replace(/です$/, ''));
    expect(en('check.official.text').toLowerCase()).toContain(en('link.verdict.official-other').toLowerCase());
    expect(ja('check.official.text')).toMatch(/セラーセントラルのお知らせは/);
  });

  it('the button for a call or message is named as it is labelled, and "not understood" is worded one way', () => {
    expect(ja('link.none')).toContain(`「${ja('check.paste.contact')}」`);
    expect(en('link.none')).toContain(`"${en('check.paste.contact')}"`);
    const apology = (s: string) => s.split(/[。.]/)[0];
    expect(apology(ja('text.not-understood'))).toBe(apology(ja('text.use-buttons')));
    expect(apology(en('text.not-understood'))).toBe(apology(en('text.use-buttons')));
  });

  it.each(['30,000件', '3万件', '３００００件', '約3万'])('the listing count 「%s」 is 30,000', (typed) => {
    const result = step(ctx, at('q-listing-count'), { event: textEvent(later(1), typed) });
    expect(result.session?.at).toEqual({ flow: 'check', step: 'q-new-seller' });
    expect(result.session?.ans.listingCount).toBe(30000);
  });

  it('「まだわかりません」「知らない」「不明」 and the like skip questions and choices alike; the risk card shows its scale', async () => {
    const url = 'https://www.amazon.co.jp/dp/B01N5QTFAK';
    const start = step(ctx, null, { event: textEvent(origin, url), links: await checkTextExpanded(url, { enabled: false }) });
    const { last } = walk(start.session, ['次へ', '次へ', '次へ', 'まだわかりません', '不明', '知らない', 'わからないです', 'よくわからない', '３００００件', 'まだわからない', '表記が見つからない', '不明']);
    expect(last.session?.at).toEqual({ flow: 'check', step: 'listing-result' });
    expect(last.session?.ans).toMatchObject({
      price: null,
      typicalPrice: null,
      fulfilment: 'unknown',
      ratingCount: null,
      lastRatingYearsAgo: null,
      listingCount: 30000,
      newSeller: null,
      hasBusinessInfo: false,
      offPlatformRequest: null,
    });
    const card = last.replies.find((r) => r.kind === 'verdict');
    expect(card && 'title' in card ? card.title : '').toMatch(/（スコア \d+\/100）$/);
    expect(en('seller.title', { level: 'x', score: 65 })).toBe('x (score 65/100)');
  });
});

/** A first message with its links checked (no network: short links are not followed). */
const firstWithLinks = async (text: string) => step(ctx, null, { event: textEvent(origin, text), links: await checkTextExpanded(text, { enabled: false }) });

describe('the store’s name written as a domain', () => {
  it.each([
    // A name in a sentence whose words lead to a guide: the words decide, and no "genuine Amazon" card comes first.
    ['Amazon.co.jpで買ったPS5が届かない', 'incident', 'order'],
    ['カードの明細に見覚えのないAMAZON.CO.JPの請求が3万円ある', 'incident', 'misuse'],
    ['Amazon.co.jpの出品者にLINEに誘導された', 'scams', 'flag-6'],
    ['Amazon.co.jpを名乗るSMSが来た', 'check', 'contact'],
  ])('%s → %s / %s', async (text, flow, stepId) => {
    const r = await firstWithLinks(text);
    expect(r.session?.at).toEqual({ flow, step: stepId });
    expect(r.replies.some((x) => x.kind === 'verdict')).toBe(false);
  });

  it('is checked when asked about alone, and gets no card of its own beside a real link', async () => {
    const alone = await firstWithLinks('amazon.co.jpって本物？');
    expect(alone.replies.filter((x) => x.kind === 'verdict').map((x) => x.kind === 'verdict' && x.level)).toHaveLength(1);
    const shared = await firstWithLinks('Amazon.co.jp: Nintendo Switch(有機ELモデル) https://www.amazon.co.jp/dp/B098RKWHHZ');
    const cards = shared.replies.filter((x) => x.kind === 'verdict');
    expect(cards).toHaveLength(1);
    expect(cards[0]).toMatchObject({ title: ja('link.verdict.official-listing') });
    const mail = await firstWithLinks('Amazon.co.jp ご注文の確認\nお支払い方法に問題があります https://amazon-co-jp.verify-pay.top/signin');
    expect(mail.replies.filter((x) => x.kind === 'verdict').map((x) => x.kind === 'verdict' && x.level)).toEqual(['danger']);
  });
});

describe('a message signed as Amazon with a link to no Amazon site', () => {
  it.each([
    '【Amazon】プライム会費のお支払い方法に問題があります。更新してください https://k7xq2.top/a',
    '【Amazon】アカウントが停止されました http://203.0.113.5/jp/',
    'Amazon.co.jpより お客様のアカウントを一時停止しました https://k7xq2.top/a',
    'Amazonカスタマーサービスです。ご注文に問題があります https://order-check.example.net/',
    'Dear Amazon customer, your payment failed: https://pay-fix.example.org/',
  ])('is taken for the fake: %s', async (text) => {
    const r = await firstWithLinks(text);
    // A pasted message changes no language: the note is in Japanese for all of them.
    expect(r.replies.some((x) => x.kind === 'text' && x.text === ja('link.signed-as-amazon'))).toBe(true);
    expect(r.session?.at).toEqual({ flow: 'check', step: 'fake-stop' });
  });

  it.each([
    'このお店Amazonより安いけど大丈夫？ https://shop-xyz.com/item/1',
    'Amazonで見つけた商品の公式サイトはここ？ https://brand.example.com/',
    'https://amazon-secure.example.top/ これはAmazonですか',
  ])('is not said of a user’s own words: %s', async (text) => {
    const r = await firstWithLinks(text);
    expect(r.replies.some((x) => x.kind === 'text' && x.text === ja('link.signed-as-amazon'))).toBe(false);
  });
});

describe('a fake link sent with what was typed into it', () => {
  it.each([
    ['このサイトでカード番号入れちゃった https://amazon.jp-sign1234.xyz/login', 'check.fake.card.text'],
    ['このリンク開いてパスワード入力しちゃいました https://amazon-co-jp.verify.top/', 'check.fake.password.text'],
    ['I entered my password and card number here https://amazon-co-jp.verify.top/', ''],
  ])('answers what was typed at once: %s', async (text, key) => {
    const r = await firstWithLinks(text);
    const texts = r.replies.map((x) => (x.kind === 'text' ? x.text : ''));
    expect(texts).not.toContain(ja('check.fake.stop.text'));
    expect(r.session?.at?.step).not.toBe('fake-stop');
    expect(r.session?.trail).toContain('fake-stop');
    if (key) expect(texts.some((t) => t.startsWith(ja(key).slice(0, 12)))).toBe(true);
  });

  it.each([
    '【Amazon】カード情報を更新してください https://amazon-co-jp.verify.top/',
    'パスワードを入力しないでって言われたけどこれ本物？ https://amazon-co-jp.verify.top/',
    'これ何？ https://amazon-co-jp.verify.top/',
  ])('gives the warning first to a pasted message or a question: %s', async (text) => {
    const r = await firstWithLinks(text);
    expect(r.session?.at).toEqual({ flow: 'check', step: 'fake-stop' });
  });
});

describe('user study fixes in the incident and secure guides', () => {
  const later = (n: number) => ({ ...origin, receivedAt: origin.receivedAt + n });
  const incident = flows.byId.get('incident')!;
  const secure = flows.byId.get('secure')!;
  /** A session at this step of a guide. */
  const at = (flow: string, stepId: string) => decodeSession(encodeSession({ v: 3, sid: 's1', turn: 3, lang: 'ja', at: { flow, step: stepId }, trail: [], ans: {}, paused: [] })).session!;
  const texts = (r: ReturnType<typeof first>) => r.replies.map((x) => (x.kind === 'text' ? x.text : ''));
  /** Every path from a step to a summary, as the lists of steps it visits. */
  const paths = (flow: typeof incident, from: string, seen: string[] = []): string[][] => {
    const s = flow.steps[from]!;
    if (s.type === 'summary' || seen.includes(from)) return [[...seen, from]];
    const nexts = s.type === 'choice' ? s.options.map((o) => o.next) : 'next' in s ? [s.next] : [];
    return nexts.flatMap((n) => paths(flow, n, [...seen, from]));
  };
  const keysOn = (flow: typeof incident, path: string[]) =>
    path.flatMap((id) => {
      const s = flow.steps[id]!;
      return s.type === 'checklist' ? [s.text, ...s.items.map((i) => i.text)] : [s.text];
    });

  it.each([
    // A seller whose account was taken over, in the words people type.
    ['せらーせんとらる のっとられた', 'incident', 'seller'],
    ['セラーセントラル 乗っ取られた', 'incident', 'seller'],
    ['振込先口座かえられてる！！', 'incident', 'seller'],
    ['身に覚えのない出品が3万件', 'incident', 'seller'],
    ['出品が3万件ふえてる', 'incident', 'seller'],
    ['出品してない商品の注文がきてる 買った人から電話', 'incident', 'seller'],
    ['お客さんから電話がくる', 'incident', 'seller'],
    ['購入者から電話がかかってくる', 'incident', 'seller'],
    // A seller who cannot get in: the seller case's branch for that, not the shopping account's sign-in case.
    ['出品者アカウントが凍結された', 'incident', 'seller-locked'],
    ['サインインできない セラーセントラル', 'incident', 'seller-locked'],
    ['セラーセントラルにログインできません', 'incident', 'seller-locked'],
    ['アカウントがハッキングされた', 'incident', 'what'],
    // Seed 001: a card company's usage notice and an unknown address on the sign-in screen: stop the card first.
    ['カード会社から利用のお知らせが来て、サインイン画面に知らないメールアドレスが出ている', 'incident', 'misuse'],
    ['カードの利用のお知らせが届いて、ログインできない', 'incident', 'misuse'],
    // Already paid a scammer off Amazon.
    ['再送料の5000円もう銀行で振り込んじゃった', 'incident', 'paid'],
    ['銀行振込してしまった', 'incident', 'paid'],
    ['I already paid by bank transfer', 'incident', 'paid'],
    ['振り込んだのに商品が届かない', 'incident', 'paid'],
    // A Seller Central password typed on a fake page.
    ['偽のセラーセントラルにパスワードを入力してしまった', 'incident', 'entered-seller'],
    // Seller questions in the secure guide.
    ['昔作った出品アカウントを消したい', 'secure', 'dormant'],
    ['使わなくなった出品用アカウントを削除したい', 'secure', 'dormant'],
    ['セラーセントラルでパスキーは使える？', 'secure', 'seller-passkey'],
    ['スタッフにセラーセントラルのログインを渡したい', 'secure', 'seller-staff'],
    // Near misses that must stay where they were.
    ['出品者に銀行振込で払ってほしいと言われた', 'scams', 'flag-6'],
    ['この商品はAmazonが出品していないけど大丈夫？', 'check', 'paste'],
    ['出品者アカウントが停止されましたというメールが来た', 'check', 'contact'],
    ['パスキーを設定したい', 'secure', 'which'],
  ])('%s → %s / %s', (text, flow, stepId) => {
    expect(first(text).session?.at).toEqual({ flow, step: stepId });
  });

  it('the seller case first asks whether the seller can sign in; one who cannot is sent to Seller Support first', () => {
    const seller = incident.steps.seller!;
    expect(seller.type).toBe('choice');
    const cannot = step(ctx, at('incident', 'seller'), { event: textEvent(later(1), 'ログインできません') });
    expect(cannot.session?.at).toEqual({ flow: 'incident', step: 'seller-locked' });
    const locked = incident.steps['seller-locked']!;
    expect(locked.type === 'checklist' && locked.items[0]!.text).toBe('incident.seller.locked.support.text');
    expect(ja('incident.seller.locked.support.text')).toMatch(/公式ページ/);
    expect(ja('incident.seller.locked.support.text')).toMatch(/検索で出てきた電話番号/);
    const can = step(ctx, at('incident', 'seller'), { event: textEvent(later(1), 'サインインできました') });
    expect(can.session?.at).toEqual({ flow: 'incident', step: 'seller-in' });
  });

  it.each([
    ['seller-bank', '変えられていました', 'seller-report'],
    ['seller-bank', '知らない口座になっていた', 'seller-report'],
    ['seller-bank', 'わからない', 'seller-report'],
    ['seller-bank', '自分の口座のままでした', 'seller-listings'],
    ['seller-bank', '変わっていません', 'seller-listings'],
    ['seller-listings', 'ありました', 'seller-report'],
    ['seller-listings', 'ありませんでした', 'seller-after'],
  ])('at %s, 「%s」 leads to %s', (stepId, typed, next) => {
    const result = step(ctx, at('incident', stepId), { event: textEvent(later(1), typed) });
    expect(result.session?.at).toEqual({ flow: 'incident', step: next });
  });

  it('a changed deposit account leads straight to Seller Support and keeping evidence', () => {
    const result = step(ctx, at('incident', 'seller-bank'), { event: textEvent(later(1), '変えられていた') });
    expect(texts(result)).toContain(ja('incident.seller.report.text'));
    expect(ja('incident.seller.report.text')).toMatch(/出品者サポート/);
    expect(ja('incident.seller.report.text')).toMatch(/スクリーンショット/);
  });

  it('every path through the seller case keeps evidence, checks the sign-in details, warns against closing in a hurry, and reaches the buyers and the routes', () => {
    for (const path of paths(incident, 'seller')) {
      const keys = keysOn(incident, path);
      const where = path.join(' → ');
      expect(keys.some((k) => /evidence/.test(k)), where).toBe(true);
      expect(keys, where).toContain('incident.seller.keep.text');
      expect(keys.some((k) => /mail/.test(k)), where).toBe(true);
      expect(path, where).toContain('seller-buyers');
      expect(path, where).toContain('routes');
    }
    expect(ja('incident.seller.login.text')).toMatch(/メールアドレス/);
    expect(ja('incident.seller.login.text')).toMatch(/電話番号/);
  });

  it('a Seller Central password typed on a fake page: 2-step verification is already mandatory, and the takeover case follows', () => {
    const entered = step(ctx, at('incident', 'entered'), { event: textEvent(later(1), 'セラーセントラルのパスワード') });
    expect(entered.session?.at).toEqual({ flow: 'incident', step: 'entered-seller' });
    const s = incident.steps['entered-seller']!;
    expect(s.type === 'message' && s.next).toBe('seller');
    expect(ja('incident.entered.seller.text')).toMatch(/必須/);
    expect(ja('incident.entered.seller.text')).not.toMatch(/2段階認証を?オンにしてください/);
    expect(ja('incident.entered.seller.text')).toMatch(/振込先口座/);
  });

  it('unrequested codes are explained no more surely than the sources, with the Seller Central path too', () => {
    for (const key of ['incident.codes.text', 'secure.codes.text']) {
      expect(ja(key), key).not.toMatch(/可能性が高い|止めています|止めてくれています/);
      expect(ja(key), key).toMatch(/かもしれません/);
      expect(ja(key), key).toMatch(/再設定/);
      expect(ja(key), key).toMatch(/2段階認証がオンなら/);
    }
    expect(ja('incident.codes.settings.text')).toMatch(/「設定」→「ログイン設定」/);
    expect(ja('incident.codes.settings.text')).toMatch(/「ログインとセキュリティ」/);
  });

  it('the paid-by-transfer case: the bank first, evidence, police and 188, no more payments, and the official routes', () => {
    const paid = incident.steps.paid!;
    expect(paid.type === 'checklist' && paid.items.map((i) => i.text)).toEqual([
      'incident.paid.bank.text',
      'incident.paid.keep.text',
      'incident.paid.police.text',
      'incident.paid.more.text',
      'incident.paid.amazon.text',
    ]);
    expect(ja('incident.paid.police.text')).toMatch(/#9110/);
    expect(ja('incident.paid.police.text')).toMatch(/188/);
    expect(ja('incident.paid.more.text')).toMatch(/再送料/);
    for (const path of paths(incident, 'paid')) expect(path).toContain('routes');
  });

  it('the secure guide answers seller questions: passkeys (not confirmed), staff on the Individual plan, closing a forgotten account', () => {
    expect(ja('secure.passkey.text')).toMatch(/確かめられていません/);
    expect(ja('secure.passkey.text')).toMatch(/「ログイン設定」/);
    expect(ja('secure.seller.users.text')).toMatch(/小口/);
    const dormant = secure.steps.dormant!;
    expect(dormant.type === 'checklist' && dormant.items.map((i) => i.text)).toEqual([
      'secure.dormant.signin.text',
      'secure.dormant.password.text',
      'secure.dormant.check.text',
      'secure.dormant.close.text',
    ]);
    for (const id of ['seller-passkey', 'seller-staff', 'dormant']) expect(paths(secure, 'which').some((p) => p.includes(id)), id).toBe(true);
  });

  it('says what the sources say about dormant accounts, and does not promise that "Later" is remembered', () => {
    expect(ja('secure.buyer.dormant.text')).not.toMatch(/たくさんあります/);
    expect(ja('secure.buyer.dormant.text')).toMatch(/出品用アカウント/);
    for (const key of ['secure.buyer.done.text', 'secure.seller.done.text', 'secure.both.done.text']) {
      expect(ja(key), key).not.toMatch(/もう一度開いて確かめられます/);
      expect(ja(key), key).toMatch(/記録されない/);
    }
  });
});
