import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { COMMANDS } from '../../src/engine/inbound-event.ts';
import { parseCommand } from '../../src/engine/make-event.ts';
import { loadContent } from '../../src/runtime.ts';
import { pngSize, RICH_MENU_IMAGE_PATH, richMenuFor, setupLineRichMenu } from '../../webhooks/line-rich-menu.ts';
import { setupTelegram, TELEGRAM_ALLOWED_UPDATES } from '../../webhooks/telegram-setup.ts';
import { FakeLineApi } from '../support/fake-line-api.ts';
import { FakeTelegramApi } from '../support/fake-telegram-api.ts';
import { LINE_SECRET, LINE_TOKEN, TG_SECRET, TG_TOKEN } from './harness.ts';

const run = promisify(execFile);
const BIN = fileURLToPath(new URL('../../bin/mamori.js', import.meta.url));
const content = loadContent();

let telegram: FakeTelegramApi;
let line: FakeLineApi;
beforeAll(async () => {
  telegram = await FakeTelegramApi.start();
  line = await FakeLineApi.start();
});
afterAll(async () => {
  await telegram.close();
  await line.close();
});
beforeEach(() => {
  telegram.reset();
  line.reset();
});

const env = () => ({
  TELEGRAM_BOT_TOKEN: TG_TOKEN,
  TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
  TELEGRAM_API_ROOT: telegram.apiRoot,
  LINE_CHANNEL_SECRET: LINE_SECRET,
  LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN,
  LINE_API_BASE_URL: line.baseUrl,
  PUBLIC_URL: 'https://mamori.example.jp/',
});
const collect = () => {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) } };
};

describe('mamori telegram:setup', () => {
  it('sets the webhook with the secret and allowed_updates, and the commands in Japanese and English', async () => {
    const { out, io } = collect();
    expect(await setupTelegram(loadConfig(env()), content.locales, io)).toBe(0);
    const [hook] = telegram.callsOf('setWebhook');
    expect(hook!.payload).toMatchObject({ url: 'https://mamori.example.jp/webhooks/telegram', secret_token: TG_SECRET, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES] });
    const cmds = telegram.callsOf('setMyCommands');
    const ja = cmds.find((c) => c.payload.language_code === 'ja' && !c.payload.scope)!;
    const def = cmds.find((c) => c.payload.language_code === undefined && !c.payload.scope)!;
    expect(ja.payload.commands.map((c: { command: string }) => c.command)).toEqual([...COMMANDS]);
    expect(def.payload.commands.map((c: { command: string }) => c.command)).toEqual([...COMMANDS]);
    expect(ja.payload.commands[0].description).toBe(content.locales.ja['telegram.command.start']);
    expect(def.payload.commands[0].description).toBe(content.locales.en['telegram.command.start']);
    for (const c of cmds) {
      for (const { command, description } of c.payload.commands as Array<{ command: string; description: string }>) {
        expect(command).toMatch(/^[a-z0-9_]{1,32}$/);
        expect(description.length).toBeGreaterThan(0);
        expect(description.length).toBeLessThanOrEqual(256);
      }
    }
    expect(cmds.some((c) => c.payload.scope?.type === 'all_group_chats')).toBe(true);
    expect(out.join('\n')).not.toContain(TG_SECRET);
    expect(out.join('\n')).not.toContain(TG_TOKEN);
  });

  it('names each missing variable', async () => {
    const { err, io } = collect();
    const config = loadConfig({ LINE_CHANNEL_SECRET: LINE_SECRET, LINE_CHANNEL_ACCESS_TOKEN: LINE_TOKEN });
    expect(await setupTelegram(config, content.locales, io)).toBe(2);
    expect(err.join('\n')).toMatch(/TELEGRAM_BOT_TOKEN[\s\S]*TELEGRAM_WEBHOOK_SECRET[\s\S]*PUBLIC_URL/);
    expect(telegram.calls).toHaveLength(0);
  });

  it('runs as a CLI command', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'telegram:setup'], { env: { ...process.env, ...env() }, timeout: 30_000 });
    expect(stdout).toContain('setWebhook: https://mamori.example.jp/webhooks/telegram');
    expect(telegram.callsOf('setWebhook')).toHaveLength(1);
  });

  it('reports an API refusal with exit code 1', async () => {
    telegram.failNext('setWebhook', 400, { ok: false, error_code: 400, description: 'Bad Request: bad webhook: HTTPS url must be provided for webhook' });
    const { err, io } = collect();
    expect(await setupTelegram(loadConfig(env()), content.locales, io)).toBe(1);
    expect(err.join('\n')).toContain('HTTPS url must be provided');
  });
});

describe('mamori line:richmenu', () => {
  it('the committed image is a 2500×1686 PNG under 1 MB', () => {
    const png = readFileSync(RICH_MENU_IMAGE_PATH);
    expect(pngSize(png)).toEqual({ width: 2500, height: 1686 });
    expect(png.length).toBeLessThan(1024 * 1024);
  });

  it('has four tiles that post commands the engine understands, one per guide', () => {
    const menu = richMenuFor(content.flows, content.locales);
    expect(menu.size).toEqual({ width: 2500, height: 1686 });
    expect([...(menu.chatBarText ?? '')].length).toBeLessThanOrEqual(14);
    expect(menu.areas).toHaveLength(4);
    const commands = menu.areas!.map((a) => parseCommand((a.action as { data: string }).data)?.command);
    expect(commands.sort()).toEqual(content.flows.ordered.map((f) => f.command).sort());
    for (const c of commands) expect(COMMANDS).toContain(c);
    for (const a of menu.areas!) {
      const action = a.action as { type: string; label: string; displayText: string; data: string };
      expect(action.type).toBe('postback');
      expect([...action.label].length).toBeLessThanOrEqual(20);
      expect(action.displayText.length).toBeLessThanOrEqual(300);
      const { x, y, width, height } = a.bounds!;
      expect(x! + width!).toBeLessThanOrEqual(2500);
      expect(y! + height!).toBeLessThanOrEqual(1686);
    }
  });

  it('creates the menu, uploads the image and sets it as default', async () => {
    const { out, io } = collect();
    expect(await setupLineRichMenu(loadConfig(env()), content, io)).toBe(0);
    expect(line.calls.map((c) => `${c.method} ${c.path}`)).toEqual([
      'POST /v2/bot/richmenu',
      'POST /v2/bot/richmenu/richmenu-1/content',
      'POST /v2/bot/user/all/richmenu/richmenu-1',
    ]);
    const upload = line.calls[1]!;
    expect(upload.headers['content-type']).toBe('image/png');
    expect(upload.bytes).toBe(readFileSync(RICH_MENU_IMAGE_PATH).length);
    for (const c of line.calls) expect(c.headers.authorization).toBe(`Bearer ${LINE_TOKEN}`);
    expect(out.join('\n')).not.toContain(LINE_TOKEN);
  });

  it('runs as a CLI command', async () => {
    const { stdout } = await run(process.execPath, [BIN, 'line:richmenu'], { env: { ...process.env, ...env() }, timeout: 30_000 });
    expect(stdout).toContain('set as the default rich menu');
    expect(line.callsTo('/v2/bot/richmenu')).toHaveLength(1);
  });

  it('needs the access token', async () => {
    const { err, io } = collect();
    expect(await setupLineRichMenu(loadConfig({}), content, io)).toBe(2);
    expect(err.join('\n')).toContain('LINE_CHANNEL_ACCESS_TOKEN');
  });
});
