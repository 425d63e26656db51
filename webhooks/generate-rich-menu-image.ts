/**
 * Makes assets/richmenu.png (2500×1686, under 1 MB) from assets/richmenu.html, which this script writes
 * from the shipped guides and locales: each tile shows the guide's Japanese title (the same text the
 * tap shows in the chat), a short hint, and the English title. Run once after changing the guides'
 * titles, and commit both files:
 *
 *   node webhooks/generate-rich-menu-image.ts
 *
 * Needs Debian's Chromium and Japanese fonts (`apt-get install -y chromium fonts-noto-cjk`); it takes a
 * headless screenshot of the page. The server never runs this: `mamori line:richmenu` uploads the
 * committed PNG.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { translate } from '../src/engine/locales.ts';
import { loadContent } from '../src/runtime.ts';
import { pngSize, RICH_MENU_IMAGE_PATH, RICH_MENU_SIZE, richMenuTiles } from './line-rich-menu.ts';

const HTML_PATH = fileURLToPath(new URL('../assets/richmenu.html', import.meta.url));

/** One colour per tile, readable with white text (WCAG AA at these sizes). */
const COLOURS = ['#1565C0', '#D84315', '#2E7D32', '#6A1B9A'];
/** Simple line icons (no emoji font needed): magnifier, warning sign, shield, clipboard. */
const ICONS = [
  '<circle cx="44" cy="44" r="28" fill="none" stroke="currentColor" stroke-width="10"/><line x1="66" y1="66" x2="92" y2="92" stroke="currentColor" stroke-width="12" stroke-linecap="round"/>',
  '<path d="M50 8 L94 90 L6 90 Z" fill="none" stroke="currentColor" stroke-width="9" stroke-linejoin="round"/><line x1="50" y1="38" x2="50" y2="62" stroke="currentColor" stroke-width="10" stroke-linecap="round"/><circle cx="50" cy="76" r="6" fill="currentColor"/>',
  '<path d="M50 6 L88 20 V48 C88 72 70 88 50 96 C30 88 12 72 12 48 V20 Z" fill="none" stroke="currentColor" stroke-width="9" stroke-linejoin="round"/><path d="M32 50 L45 63 L70 36" fill="none" stroke="currentColor" stroke-width="10" stroke-linecap="round" stroke-linejoin="round"/>',
  '<rect x="16" y="14" width="68" height="82" rx="8" fill="none" stroke="currentColor" stroke-width="9"/><rect x="34" y="4" width="32" height="18" rx="5" fill="currentColor"/><line x1="30" y1="46" x2="70" y2="46" stroke="currentColor" stroke-width="8" stroke-linecap="round"/><line x1="30" y1="66" x2="60" y2="66" stroke="currentColor" stroke-width="8" stroke-linecap="round"/>',
];

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function richMenuHtml(): string {
  const { flows, locales } = loadContent();
  const tiles = richMenuTiles(flows, locales, 'ja');
  const en = richMenuTiles(flows, locales, 'en');
  const cells = tiles
    .map((t, i) => {
      const hint = translate(locales, 'ja', `line.richmenu.hint.${t.command}`);
      return `<div class="tile" style="left:${t.bounds.x}px;top:${t.bounds.y}px;width:${t.bounds.width}px;height:${t.bounds.height}px">
  <div class="card" style="background:${COLOURS[i % COLOURS.length]}">
    <svg viewBox="0 0 100 100" class="icon">${ICONS[i % ICONS.length]}</svg>
    <div class="title">${esc(t.title)}</div>
    <div class="hint">${esc(hint)}</div>
    <div class="en">${esc(en[i]!.title)}</div>
  </div>
</div>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="ja"><head><meta charset="utf-8"><title>Mamori rich menu</title>
<style>
  html, body { margin: 0; width: ${RICH_MENU_SIZE.width}px; height: ${RICH_MENU_SIZE.height}px; overflow: hidden; background: #ECEFF1; }
  body { position: relative; font-family: "Noto Sans CJK JP", "Noto Sans JP", sans-serif; }
  .tile { position: absolute; box-sizing: border-box; padding: 28px; }
  .card { width: 100%; height: 100%; border-radius: 48px; color: #fff; display: flex; flex-direction: column; align-items: center; justify-content: center; }
  .icon { width: 220px; height: 220px; color: #fff; margin-bottom: 36px; }
  .title { font-size: 112px; font-weight: 700; letter-spacing: 2px; line-height: 1.1; white-space: nowrap; text-align: center; }
  .hint { font-size: 68px; margin-top: 30px; opacity: .95; }
  .en { font-size: 52px; margin-top: 22px; opacity: .8; font-family: "Noto Sans", "DejaVu Sans", sans-serif; }
</style></head>
<body>
${cells}
</body></html>
`;
}

function main(): void {
  const html = richMenuHtml();
  writeFileSync(HTML_PATH, html);
  const dir = mkdtempSync(join(tmpdir(), 'mamori-richmenu-'));
  try {
    execFileSync(
      'chromium',
      ['--headless', '--no-sandbox', '--disable-gpu', '--hide-scrollbars', '--force-device-scale-factor=1', `--user-data-dir=${dir}`, `--window-size=${RICH_MENU_SIZE.width},${RICH_MENU_SIZE.height}`, `--screenshot=${RICH_MENU_IMAGE_PATH}`, `file://${HTML_PATH}`],
      { stdio: 'inherit', timeout: 60_000 },
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const size = pngSize(readFileSync(RICH_MENU_IMAGE_PATH));
  const bytes = statSync(RICH_MENU_IMAGE_PATH).size;
  if (!size || size.width !== RICH_MENU_SIZE.width || size.height !== RICH_MENU_SIZE.height) throw new Error(`unexpected image size ${JSON.stringify(size)}`);
  if (bytes >= 1024 * 1024) throw new Error(`${RICH_MENU_IMAGE_PATH} is ${bytes} bytes; LINE needs under 1 MB`);
  process.stdout.write(`${RICH_MENU_IMAGE_PATH}: ${size.width}×${size.height}, ${bytes} bytes\n`);
}

if (import.meta.url === `file://${process.argv[1]}`) main();
