import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/**
 * Debian's Chromium for the browser tests, headless, driven by playwright-core. Without it a browser test is skipped
 * locally (with a message), but under CI (CI set) it must run: .ci/run installs the `chromium` package.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const haveChromium = existsSync(CHROMIUM);
export const mustRunBrowserTests = Boolean(process.env.CI);
/** Where browser tests leave their screenshots (git ignores it). */
export const ARTIFACTS = fileURLToPath(new URL('../../../test-artifacts/', import.meta.url));

export interface ChromiumPage {
  context: BrowserContext;
  page: Page;
  /** Page errors, console errors and Content Security Policy reports seen so far: a test expects none. */
  problems: string[];
  close(): Promise<void>;
}

/**
 * A fresh Chromium profile with one phone-sized page (390×844, Japanese) that records its problems. Chromium logs
 * every non-2xx fetch as a console error: `expected(text)` says which of those a test provokes on purpose.
 */
export async function openChromium(options: { expected?: (consoleText: string) => boolean } = {}): Promise<ChromiumPage> {
  if (!haveChromium) throw new Error(`CI is set but there is no Chromium at ${CHROMIUM}`);
  const profile = mkdtempSync(join(tmpdir(), 'mamori-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    viewport: { width: 390, height: 844 },
    locale: 'ja-JP',
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? (await context.newPage());
  const problems: string[] = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (options.expected?.(msg.text())) return;
    if (msg.type() === 'error' || /Content Security Policy/i.test(msg.text())) problems.push(`console ${msg.type()}: ${msg.text()}`);
  });
  mkdirSync(ARTIFACTS, { recursive: true });
  return {
    context,
    page,
    problems,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
