import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLocales, translate } from '../../src/engine/locales.ts';
import { LOCALES_DIR } from '../../src/runtime.ts';
import { ARTIFACTS, CHROMIUM, haveChromium, mustRunBrowserTests, openChromium, type ChromiumPage } from './support/chromium-page.ts';
import { realWebApp } from './support/real-web-app.ts';

/**
 * A fast tapper in a real browser (Debian's Chromium, as in web-chat-browser.test.ts), on a server whose
 * per-user burst is small enough to reach with a few presses: over the limit, the page keeps the buttons it
 * shows, waits as long as the server says, sends nothing meanwhile, and gives the buttons back by itself.
 */
if (!haveChromium && !mustRunBrowserTests) console.warn(`web chat rate-limit browser test skipped: no Chromium at ${CHROMIUM}`);

const locales = loadLocales(LOCALES_DIR);
const ja = (key: string) => translate(locales, 'ja', key);
/** Events per user per 10 seconds on this server: the start and three presses. */
const BURST = 4;

describe.skipIf(!haveChromium && !mustRunBrowserTests)('web chat in Chromium, over the per-user limit', () => {
  let app: FastifyInstance;
  let base: string;
  let browser: ChromiumPage;
  let page: Page;
  let problems: string[] = [];
  const sent: string[] = [];

  beforeAll(async () => {
    ({ app } = await realWebApp({ USER_RATE_BURST: String(BURST), USER_RATE_LIMIT: '30' }));
    base = await app.listen({ port: 0, host: '127.0.0.1' });
    // Chromium logs every non-2xx fetch: the 429 this test provokes is expected.
    browser = await openChromium({ expected: (text) => /status of 429/.test(text) });
    ({ page, problems } = browser);
    page.on('request', (req) => {
      if (req.url().endsWith('/api/chat/message')) sent.push(req.postData() ?? '');
    });
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await app?.close();
  });

  const chips = () => page.locator('#log .chip');
  const liveChips = () => page.locator('#log .chip:not([disabled])');
  const waitIdle = () => page.waitForFunction(() => document.getElementById('composer')?.getAttribute('aria-busy') !== 'true' && document.querySelectorAll('#log .chip').length > 0);
  async function pressChip(label: string): Promise<void> {
    await page.evaluate(() => document.querySelector('#log .msg:last-child')?.setAttribute('data-seen', ''));
    await liveChips().filter({ hasText: label }).first().click();
    await page.waitForFunction(() => !document.querySelector('#log .msg:last-child')?.hasAttribute('data-seen'));
    await waitIdle();
  }
  const [waitBefore, waitAfter] = ja('web.error.rate-limited').split('{seconds}') as [string, string];

  it('keeps the buttons, waits as long as the server says, sends nothing meanwhile, then goes on', async () => {
    // All presses inside one fixed 10-second window (counted since the epoch), with time to spare.
    const msIntoWindow = Date.now() % 10_000;
    if (msIntoWindow > 4_000) await new Promise((r) => setTimeout(r, 10_000 - msIntoWindow + 50));
    await page.goto(`${base}/`);
    await waitIdle();
    await pressChip(ja('scams.title'));
    await pressChip(ja('scams.intro.flags'));
    await pressChip(ja('scams.flag.next'));
    const shown = await page.locator('#log .msg').allTextContents();
    const labels = await chips().allTextContents();
    const before = sent.length;

    // One press more than the burst allows.
    await liveChips().filter({ hasText: ja('scams.flag.next') }).first().click();
    await expect.poll(() => page.locator('#status').textContent()).toContain(waitBefore);
    const status = (await page.locator('#status').textContent())!;
    expect(status.endsWith(waitAfter)).toBe(true);
    const seconds = Number(status.slice(waitBefore.length, status.length - waitAfter.length));
    expect(seconds).toBeGreaterThanOrEqual(1);
    expect(seconds).toBeLessThanOrEqual(10);
    // Nothing was added, the same buttons are still there, disabled, and Send too.
    expect(await page.locator('#log .msg').allTextContents()).toEqual(shown);
    expect(await chips().allTextContents()).toEqual(labels);
    expect(await liveChips().count()).toBe(0);
    expect(await page.locator('#send').isDisabled()).toBe(true);
    await page.screenshot({ path: join(ARTIFACTS, 'web-chat-wait-phone.png') });

    // Pressing and typing meanwhile sends nothing (so it does not count against the limit either).
    await chips().first().click({ force: true, timeout: 2_000 }).catch(() => undefined);
    await page.locator('#input').fill('次へ');
    await page.locator('#input').press('Enter');
    await page.waitForTimeout(300);
    expect(sent.length).toBe(before + 1);
    expect(await page.locator('#input').inputValue()).toBe('次へ');
    await page.locator('#input').fill('');

    // When the time is up the buttons come back by themselves, it is said so, and the next press is answered.
    await page.waitForFunction(() => document.querySelectorAll('#log .chip:not([disabled])').length > 0, undefined, { timeout: (seconds + 3) * 1000 });
    expect(await page.locator('#status').textContent()).toBe(ja('web.ready'));
    expect(await page.locator('#send').isDisabled()).toBe(false);
    // The "ready again" note goes by itself after a while: it does not stay until the next send.
    await expect.poll(() => page.locator('#status').textContent(), { timeout: 10_000 }).toBe('');
    await pressChip(ja('scams.flag.next'));
    const newest = (await page.locator('#log .msg.bot').allTextContents()).slice(-2).join('\n');
    expect(newest).toContain('【見分け方 3/7】');
    expect(newest).not.toContain(ja('button.expired'));
    expect(await page.locator('#log').textContent()).not.toContain(ja('rate.limited'));
  }, 60_000);

  it('raised no page error, CSP violation or unexpected console error', () => {
    expect(problems).toEqual([]);
  });
});
