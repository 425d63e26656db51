import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { messagingApi } from '@line/bot-sdk';
import type { Config } from '../src/config.ts';
import { translate, type Language, type Locales } from '../src/engine/locales.ts';
import type { FlowSet } from '../src/engine/step.ts';
import { LineApi, LineApiError } from './line-api.ts';
import { truncate } from './split-text.ts';
import type { SetupIo } from './telegram-setup.ts';

/** The committed rich menu image (made by webhooks/generate-rich-menu-image.ts). */
export const RICH_MENU_IMAGE_PATH = fileURLToPath(new URL('../assets/richmenu.png', import.meta.url));
/** 2500×1686 (the large size LINE accepts): a 2×2 grid, big enough to read without glasses. */
export const RICH_MENU_SIZE = { width: 2500, height: 1686 } as const;
/** LINE refuses rich menu images of 1 MB or more. */
const MAX_IMAGE_BYTES = 1024 * 1024;

/** One tile: the guide it opens and its place in the grid. */
export interface RichMenuTile {
  command: string;
  title: string;
  bounds: Required<messagingApi.RichMenuBounds>;
}

/** The four guides in menu order, as 2×2 tiles. */
export function richMenuTiles(flows: FlowSet, locales: Locales, lang: Language = 'ja'): RichMenuTile[] {
  const guides = flows.ordered.slice(0, 4);
  const w = RICH_MENU_SIZE.width / 2;
  const h = RICH_MENU_SIZE.height / 2;
  return guides.map((flow, i) => ({
    command: flow.command,
    title: translate(locales, lang, flow.title),
    bounds: { x: (i % 2) * w, y: Math.floor(i / 2) * h, width: w, height: h },
  }));
}

/**
 * The rich menu: each tile posts the guide's slash command (`/check`, `/scams`, `/secure`, `/report`)
 * as postback data, with the guide's title as the text shown in the chat. The webhook treats such a
 * postback exactly like the typed command, which opens the guide from any step (a typed text would be
 * taken as the answer to an open question instead).
 */
export function richMenuFor(flows: FlowSet, locales: Locales): messagingApi.RichMenuRequest {
  return {
    size: { ...RICH_MENU_SIZE },
    selected: true,
    name: 'mamori-guides',
    chatBarText: truncate(translate(locales, 'ja', 'line.richmenu.chat-bar'), 14),
    areas: richMenuTiles(flows, locales).map((tile) => ({
      bounds: tile.bounds,
      action: { type: 'postback', label: truncate(tile.title, 20), data: `/${tile.command}`, displayText: tile.title, inputOption: 'closeRichMenu' } satisfies messagingApi.PostbackAction,
    })),
  };
}

/** Width and height of a PNG, or null when the bytes are not a PNG. */
export function pngSize(bytes: Uint8Array): { width: number; height: number } | null {
  const sig = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
  if (bytes.length < 24 || sig.some((b, i) => bytes[i] !== b)) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return { width: view.getUint32(16), height: view.getUint32(20) };
}

/**
 * `mamori line:richmenu`: creates the rich menu with the four guides, uploads the committed PNG
 * (to api-data.line.me in production; to LINE_API_BASE_URL when that points elsewhere, as in tests) and
 * makes it the default for every user. Earlier menus are left alone (delete them in the LINE Official
 * Account Manager or with the API). Returns the exit code.
 */
export async function setupLineRichMenu(config: Config, content: { flows: FlowSet; locales: Locales }, io: SetupIo, imagePath = RICH_MENU_IMAGE_PATH): Promise<number> {
  if (!config.LINE_CHANNEL_ACCESS_TOKEN) {
    io.stderr('mamori line:richmenu: LINE_CHANNEL_ACCESS_TOKEN is required');
    return 2;
  }
  const image = readFileSync(imagePath);
  const size = pngSize(image);
  if (!size || size.width !== RICH_MENU_SIZE.width || size.height !== RICH_MENU_SIZE.height || image.length >= MAX_IMAGE_BYTES) {
    io.stderr(`mamori line:richmenu: ${imagePath} must be a ${RICH_MENU_SIZE.width}×${RICH_MENU_SIZE.height} PNG under 1 MB`);
    return 1;
  }
  const api = new LineApi({ channelAccessToken: config.LINE_CHANNEL_ACCESS_TOKEN, baseUrl: config.LINE_API_BASE_URL ?? 'https://api.line.me', timeoutMs: 15_000 });
  const menu = richMenuFor(content.flows, content.locales);
  try {
    const id = await api.createRichMenu(menu);
    io.stdout(`rich menu created: ${id} (${menu.areas?.length ?? 0} areas: ${richMenuTiles(content.flows, content.locales).map((t) => `/${t.command}`).join(', ')})`);
    await api.uploadRichMenuImage(id, image, 'image/png');
    io.stdout(`image uploaded: ${imagePath} (${image.length} bytes)`);
    await api.setDefaultRichMenu(id);
    io.stdout('set as the default rich menu for all users');
    return 0;
  } catch (err) {
    if (err instanceof LineApiError) {
      io.stderr(`mamori line:richmenu: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    api.close();
  }
}
