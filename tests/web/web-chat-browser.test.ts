import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadFlows } from '../../src/engine/load-flows.ts';
import { loadLocales, translate } from '../../src/engine/locales.ts';
import { FLOWS_DIR, LOCALES_DIR } from '../../src/runtime.ts';
import { ARTIFACTS, CHROMIUM, haveChromium, mustRunBrowserTests, openChromium, type ChromiumPage } from './support/chromium-page.ts';
import { realWebApp } from './support/real-web-app.ts';

/** The web chat in a real browser (see tests/web/support/chromium-page.ts), against the real server on loopback. */
if (!haveChromium && !mustRunBrowserTests) {
  console.warn(`web chat browser test skipped: no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk; under CI=1 it is required)`);
}

const FAKE_URL = 'https://amazon.co.jp.account-verify.xyz/signin';
const locales = loadLocales(LOCALES_DIR);
const ja = (key: string) => translate(locales, 'ja', key);
const NAV = new Set([ja('nav.back'), ja('nav.menu'), ja('nav.restart')]);

/**
 * The guide the test walks: one that ends with the evidence summary (so the copy button is tested too),
 * and whose every step can be passed with a button (questions have a skip button).
 */
function guideToWalk(): { id: string; title: string } {
  const flows = loadFlows(FLOWS_DIR);
  const buttonsOnly = (f: (typeof flows.ordered)[number]) =>
    Object.values(f.steps).every((s) => s.type !== 'link-check' && (s.type !== 'question' || s.skip !== undefined));
  const flow =
    flows.ordered.find((f) => buttonsOnly(f) && Object.values(f.steps).some((s) => s.type === 'summary' && s.show === 'evidence')) ??
    flows.ordered.find(buttonsOnly);
  if (!flow) throw new Error('no guide can be walked with buttons alone');
  return { id: flow.id, title: ja(flow.title) };
}

describe.skipIf(!haveChromium && !mustRunBrowserTests)('web chat in Chromium', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: ChromiumPage;
  let context: BrowserContext;
  let page: Page;
  let problems: string[] = [];
  let expect401 = false;

  beforeAll(async () => {
    ({ app } = await realWebApp());
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    // Chromium logs every non-2xx fetch; the one 401 the session-loss test provokes is expected.
    browser = await openChromium({ expected: (text) => expect401 && /status of 401/.test(text) });
    ({ context, page, problems } = browser);
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: base });
    page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
    // Only the app itself may be contacted: anything else would be a third-party resource.
    await context.route('**/*', (route) => (route.request().url().startsWith(base) ? route.continue() : (problems.push(`outside request: ${route.request().url()}`), route.abort())));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const liveChips = () => page.locator('#log .chip:not([disabled])');
  const waitIdle = () => page.waitForFunction(() => document.getElementById('composer')?.getAttribute('aria-busy') !== 'true' && document.querySelectorAll('#log .chip').length > 0);

  async function clickChip(label: string): Promise<void> {
    const count = await page.locator('#log .msg').count();
    await liveChips().filter({ hasText: label }).first().click();
    await page.waitForFunction((n) => document.querySelectorAll('#log .msg').length > n, count);
    await waitIdle();
  }

  it('walks a whole guide by clicking chips, and copies the evidence summary', async () => {
    await page.goto(`${base}/`);
    await waitIdle();
    expect(await page.locator('html').getAttribute('lang')).toBe('ja');
    await expect.poll(() => page.locator('#log').textContent()).toContain(ja('menu.text'));

    const guide = guideToWalk();
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-start-phone.png') });
    await clickChip(guide.title);
    const finished = ja('menu.after-guide');
    for (let steps = 0; steps < 60; steps++) {
      const last = await page.locator('#log .msg.bot').last().textContent();
      if (last?.includes(finished)) break;
      const labels = await liveChips().allTextContents();
      const next = labels.find((l) => !NAV.has(l));
      expect(next, `a way forward in "${last}"`).toBeDefined();
      await clickChip(next!);
    }
    await expect.poll(() => page.locator('#log .msg.bot').last().textContent()).toContain(finished);
    expect(await page.locator('#log').textContent()).not.toContain(ja('button.expired'));

    const summary = page.locator('.summary').last();
    if (await summary.count()) {
      await summary.getByRole('button', { name: ja('web.copy') }).click();
      await expect.poll(() => summary.locator('.copy-status').textContent()).toBe(ja('web.copied'));
      const copied = await page.evaluate(() => navigator.clipboard.readText());
      expect(copied).toBe(await summary.locator('.summary-text').textContent());
      await summary.scrollIntoViewIfNeeded();
      await page.screenshot({ path: join(ARTIFACTS, 'web-chat-summary-phone.png') });
    }
  }, 120_000);

  it('shows the fake-link warning, big and as an alert, for a pasted fake-Amazon URL', async () => {
    const input = page.getByLabel(ja('web.input-label'));
    await page.evaluate((url) => navigator.clipboard.writeText(url), FAKE_URL);
    await input.focus();
    await page.keyboard.press('Control+V');
    await expect.poll(() => input.inputValue()).toBe(FAKE_URL);
    await page.keyboard.press('Enter');
    const alert = page.getByRole('alert').filter({ hasText: ja('web.danger-banner') });
    await alert.waitFor();
    expect(await alert.isVisible()).toBe(true);
    expect(await alert.getAttribute('class')).toContain('level-danger');
    expect(await alert.textContent()).toContain(ja('web.level.danger'));
    const banner = alert.locator('.verdict-banner');
    const colours = await banner.evaluate((el) => {
      const s = getComputedStyle(el);
      return { background: s.backgroundColor, size: parseFloat(s.fontSize) };
    });
    expect(colours.background).toBe('rgb(179, 0, 27)');
    expect(colours.size).toBeGreaterThanOrEqual(16);
    expect(await input.inputValue()).toBe('');
    // The user's own bubble shows the URL as text, never as a link.
    expect(await page.locator('#log a').count()).toBe(0);
    await waitIdle();
    // Phone-sized screenshot of the warning.
    await alert.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-phone.png') });
    // Nothing sticks out sideways on a 390-pixel screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  }, 60_000);

  it('finds the conversation where it was after a reload, with working chips', async () => {
    // The transcript's text, without transient "copied" notes.
    const transcript = () =>
      page.locator('#log .msg').evaluateAll((items) =>
        items.map((item) => {
          const copy = item.cloneNode(true) as HTMLElement;
          for (const note of copy.querySelectorAll('.copy-status')) note.remove();
          return copy.textContent;
        }),
      );
    const before = await transcript();
    await page.reload();
    await waitIdle();
    const after = await transcript();
    expect(after).toEqual(before);
    expect(await page.locator('.level-danger').count()).toBeGreaterThan(0);
    expect(await page.locator('#log').textContent()).toContain(FAKE_URL);
    // The newest answer's chips still work (the session cookie survived the reload).
    const label = (await liveChips().allTextContents()).find((l) => !NAV.has(l))!;
    await clickChip(label);
    const newest = await page.locator('#log .msg.bot').allTextContents();
    expect(newest.join('\n')).not.toContain(ja('button.expired'));
  }, 60_000);

  it('works from the keyboard: chips are real buttons in tab order, Enter presses them, focus stays visible', async () => {
    const count = await page.locator('#log .msg').count();
    // From the text box, Shift+Tab goes back to the newest answer's last chip.
    await page.locator('#input').focus();
    await page.keyboard.press('Shift+Tab');
    const focused = await page.evaluate(() => {
      const el = document.activeElement as HTMLElement;
      return { chip: el.classList.contains('chip'), tag: el.tagName, last: el === [...document.querySelectorAll('#log .chip')].at(-1), outline: getComputedStyle(el).outlineStyle };
    });
    expect(focused).toMatchObject({ chip: true, tag: 'BUTTON', last: true });
    expect(focused.outline).not.toBe('none');
    await page.keyboard.press('Enter');
    await page.waitForFunction((n) => document.querySelectorAll('#log .msg').length > n, count);
    await waitIdle();
    // Focus moved to the new answer's first chip, ready for the next key press.
    expect(await page.evaluate(() => document.activeElement?.classList.contains('chip'))).toBe(true);
  }, 60_000);

  it('switches to English and back, and looks right on a desktop screen', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.locator('#lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    await waitIdle();
    expect(await page.locator('#send').textContent()).toBe(translate(locales, 'en', 'web.send'));
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-desktop-en.png') });
    await page.locator('#lang-switch').click();
    await page.waitForFunction(() => document.documentElement.lang === 'ja');
    await waitIdle();
    await page.locator('.level-danger').last().scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-desktop.png') });
    expect(existsSync(join(ARTIFACTS, 'web-chat-phone.png'))).toBe(true);
    expect(existsSync(join(ARTIFACTS, 'web-chat-desktop.png'))).toBe(true);
  }, 60_000);

  it('when the session cookie is lost, starts a new conversation and says so, keeping what was shown', async () => {
    const shown = await page.locator('#log .msg').count();
    expect401 = true;
    await context.clearCookies();
    await page.locator('#input').fill('こんにちは');
    await page.keyboard.press('Enter');
    await expect.poll(() => page.locator('#status').textContent()).toBe(ja('web.session-new'));
    expect401 = false;
    expect(await page.locator('#log .msg').count()).toBeGreaterThan(shown);
    expect(await page.locator('#log').textContent()).toContain(FAKE_URL);
    // What was typed is still in the box, to send again in the new conversation.
    expect(await page.locator('#input').inputValue()).toBe('こんにちは');
    await clickChip((await liveChips().allTextContents())[0]!);
  }, 60_000);

  /**
   * Does something and waits for the answer: a new last message (counting messages would not do, the page keeps
   * only the last 80, so a long conversation stays at 80).
   */
  async function andWait(action: () => Promise<void>): Promise<void> {
    await page.evaluate(() => document.querySelector('#log .msg:last-child')?.setAttribute('data-seen', ''));
    await action();
    await page.waitForFunction(() => !document.querySelector('#log .msg:last-child')?.hasAttribute('data-seen'));
    await waitIdle();
  }
  const typeAndSend = (text: string) =>
    andWait(async () => {
      await page.locator('#input').fill(text);
      await page.keyboard.press('Enter');
    });
  const pressChip = (label: string) => andWait(() => liveChips().filter({ hasText: label }).first().click());

  it('shows back / menu / start over apart from the answers, on a row of their own', async () => {
    await page.setViewportSize({ width: 1280, height: 800 });
    await typeAndSend('/check');
    const chips = await page.locator('#log .chip:not([disabled])').evaluateAll((els) =>
      els.map((e) => ({ label: e.textContent, top: e.getBoundingClientRect().top, bottom: e.getBoundingClientRect().bottom, weight: getComputedStyle(e).fontWeight, border: getComputedStyle(e).borderColor })),
    );
    const nav = chips.filter((c) => NAV.has(c.label!));
    const answers = chips.filter((c) => !NAV.has(c.label!));
    expect(answers.map((c) => c.label)).toEqual([ja('check.paste.contact'), ja('check.paste.no-link')]);
    expect(nav.map((c) => c.label)).toEqual([ja('nav.back'), ja('nav.menu'), ja('nav.restart')]);
    // Even on a wide screen, where all four would fit on one line, the navigation starts a line of its own…
    for (const n of nav) expect(n.top).toBeGreaterThanOrEqual(Math.max(...answers.map((a) => a.bottom)));
    // …and looks secondary, so it is not mistaken for an answer.
    expect(nav[0]!.border).not.toBe(answers[0]!.border);
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-chips-desktop.png') });
  }, 60_000);

  it('indents the advice under each reason of a seller-risk card, and wrapped lines under their bullet', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await typeAndSend('https://www.amazon.co.jp/dp/B0CHX1W1XY');
    for (let i = 0; i < 3; i++) await pressChip(ja('nav.next'));
    for (const step of ['1980', '30000', ja('check.q.fulfilment.seller'), ja('check.skip'), ja('check.skip'), ja('check.skip'), ja('check.skip'), ja('check.q.business-info.odd'), ja('check.skip')]) {
      if (/^\d+$/.test(step)) await typeAndSend(step);
      else await pressChip(step);
    }
    const card = page.locator('.verdict.level-high').last();
    await card.waitFor();
    const layout = await card.evaluate((el) => {
      // Left edge of each line box of a paragraph's text.
      const lefts = (p: Element) => {
        const r = document.createRange();
        r.selectNodeContents(p);
        return [...r.getClientRects()].map((x) => Math.round(x.left));
      };
      const ps = [...el.querySelectorAll('.verdict-lines p')];
      const reasons = ps.filter((p) => p.textContent!.trim().startsWith('•')).map(lefts);
      const advice = ps.filter((p) => p.textContent!.trim().startsWith('→')).map(lefts);
      return { reasons, advice };
    });
    expect(layout.reasons.length).toBeGreaterThan(0);
    expect(layout.advice.length).toBe(layout.reasons.length);
    const bulletLeft = Math.min(...layout.reasons.map((l) => l[0]!));
    // Every line of advice, wrapped ones included, starts right of the reasons' bullets.
    for (const lines of layout.advice) for (const left of lines) expect(left).toBeGreaterThan(bulletLeft + 8);
    // A reason that wraps continues under its text, not under its bullet.
    const wrapped = layout.reasons.filter((l) => l.length > 1);
    expect(wrapped.length).toBeGreaterThan(0);
    for (const lines of wrapped) for (const left of lines.slice(1)) expect(left).toBeGreaterThan(lines[0]! + 4);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-risk-phone.png') });
  }, 90_000);

  it('keeps a defanged host and an order number whole on a phone, hangs note and summary lines, and copies what is shown', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await typeAndSend('/check');
    await typeAndSend('https://amazon-co-jp.secure-verify.top/signin');
    const card = page.locator('.verdict.level-danger').last();
    const host = card.locator('.token', { hasText: 'amazon-co-jp[.]secure-verify[.]top' });
    // The host fits on one line of the card: it is not split at "secure-" as a hyphenated word would be.
    expect(await host.evaluate((el) => el.getClientRects().length)).toBe(1);
    expect(await host.evaluate((el) => Math.round(el.getBoundingClientRect().height) < 2 * parseFloat(getComputedStyle(el).lineHeight))).toBe(true);
    // The line's text is unchanged (only elements were added around it).
    expect(await card.locator('.verdict-lines p').first().textContent()).toContain('amazon-co-jp[.]secure-verify[.]top');
    // The note under the reasons ("※ …") wraps under its text, not under the mark.
    const note = card.locator('.verdict-note');
    expect(await note.count()).toBe(1);
    const noteLines = await note.evaluate((el) => {
      const r = document.createRange();
      r.selectNodeContents(el);
      const rects = [...r.getClientRects()].filter((x) => x.width > 0);
      return { first: Math.round(rects[0]!.left), rest: rects.slice(1).map((x) => Math.round(x.left)) };
    });
    expect(noteLines.rest.length).toBeGreaterThan(0);
    for (const left of noteLines.rest) expect(left).toBeGreaterThan(noteLines.first + 8);
    await card.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-host-phone.png') });

    await typeAndSend('/report');
    await pressChip(ja('incident.what.summary'));
    const orderNumber = '249-1234567-1234567';
    const answers = ['5月10日ごろ', `出品者から届かない。ショップ名は「TOKYO-DIRECT-OUTLET-STORE」`, `注文番号 ${orderNumber}、出品者 https://www.amazon.co.jp/sp?ie=UTF8&seller=A1B2C3D4E5F6G7&asin=B0C1234567 と偽サイト https://amazon-co-jp.secure-verify.top/signin/verify-account-information?session=abcdef0123456789`, '29800', 'カード会社に連絡した。パスワードを変えた。'];
    for (const a of answers) await typeAndSend(a);
    const summary = page.locator('.summary').last();
    const text = summary.locator('.summary-text');
    const shown = (await text.textContent())!;
    expect(shown).toContain(orderNumber);
    expect(shown).toContain('amazon-co-jp[.]secure-verify[.]top');
    // The order number is never broken at a hyphen.
    const order = text.locator('.token', { hasText: orderNumber });
    expect(await order.evaluate((el) => el.getClientRects().length)).toBe(1);
    expect(await order.evaluate((el) => Math.round(el.getBoundingClientRect().height) < 2 * parseFloat(getComputedStyle(el).lineHeight))).toBe(true);
    // Every "label: value" line hangs: its wrapped lines start right of its first line.
    const hung = await text.locator('.hang').evaluateAll((els) =>
      els.map((el) => {
        const r = document.createRange();
        r.selectNodeContents(el);
        const rects = [...r.getClientRects()].filter((x) => x.width > 0);
        return { first: Math.min(...rects.filter((x) => Math.round(x.top) === Math.round(rects[0]!.top)).map((x) => x.left)), rest: rects.filter((x) => Math.round(x.top) > Math.round(rects[0]!.top)).map((x) => x.left) };
      }),
    );
    expect(hung.length).toBe(shown.split('\n').length);
    expect(hung.some((h) => h.rest.length > 0)).toBe(true);
    for (const h of hung) for (const left of h.rest) expect(left).toBeGreaterThan(h.first + 8);
    // Copying gives exactly the characters shown, in the box and when selected by hand.
    await summary.getByRole('button', { name: ja('web.copy') }).click();
    await expect.poll(() => summary.locator('.copy-status').textContent()).toBe(ja('web.copied'));
    expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(shown);
    expect(await text.evaluate((el) => (el as HTMLElement).innerText)).toBe(shown);
    // Pressed again, the note is emptied and set again, so a screen reader announces it again.
    const notes = await summary.evaluate(async (box) => {
      const seen: string[] = [];
      const status = box.querySelector('.copy-status')!;
      const watch = new MutationObserver(() => seen.push(status.textContent ?? ''));
      watch.observe(status, { childList: true, characterData: true, subtree: true });
      (box.querySelector('.copy') as HTMLButtonElement).click();
      await new Promise((done) => setTimeout(done, 300));
      watch.disconnect();
      return seen;
    });
    expect(notes.at(-1)).toBe(ja('web.copied'));
    expect(notes).toContain('');
    await summary.scrollIntoViewIfNeeded();
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-summary-links-phone.png') });
    // Nothing sticks out sideways, even on a 320-pixel screen.
    await page.setViewportSize({ width: 320, height: 640 });
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(320);
    const outside = await page.evaluate(() => [...document.querySelectorAll('#log *')].filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 0.5).length);
    expect(outside).toBe(0);
    await page.setViewportSize({ width: 390, height: 844 });
  }, 120_000);

  it('raised no page error, CSP violation or request outside the app', () => {
    expect(problems).toEqual([]);
  });
});
