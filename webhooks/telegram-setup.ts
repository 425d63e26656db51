import type { BotCommand } from 'telegraf/types';
import type { Config } from '../src/config.ts';
import { COMMANDS, type Command } from '../src/engine/inbound-event.ts';
import { translate, type Language, type Locales } from '../src/engine/locales.ts';
import { TelegramApi, TelegramApiError } from './telegram-api.ts';
import { TELEGRAM_WEBHOOK_PATH } from './telegram-webhook.ts';

/** Where setup commands write (the CLI's standard streams; tests collect them). */
export interface SetupIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

/** Update types the webhook handles; Telegram sends no others (fewer wasted requests). */
export const TELEGRAM_ALLOWED_UPDATES = ['message', 'callback_query', 'my_chat_member'] as const;
/** Commands offered in groups: the bot only gives quick link checks there. */
const GROUP_COMMANDS: readonly Command[] = ['check', 'help'];

/** The command list for one language, descriptions from `telegram.command.<name>`. */
export function telegramCommands(locales: Locales, lang: Language, names: readonly Command[] = COMMANDS): BotCommand[] {
  return names.map((command) => {
    const description = translate(locales, lang, `telegram.command.${command}`);
    // setMyCommands: name 1–32 of [a-z0-9_], description 1–256 characters.
    if (!/^[a-z0-9_]{1,32}$/.test(command) || description.length < 1 || description.length > 256 || description === `telegram.command.${command}`) {
      throw new Error(`locale key telegram.command.${command} is missing or too long in ${lang}.json`);
    }
    return { command, description };
  });
}

/**
 * `mamori telegram:setup`: points the bot at `${PUBLIC_URL}/webhooks/telegram` with the secret token
 * and the update types we handle, and sets the command menu in Japanese (`language_code: "ja"`) and
 * English (the default for every other language), for private chats and, shorter, for groups.
 * Prints what it did; never prints the token or the secret. Returns the exit code.
 */
export async function setupTelegram(config: Config, locales: Locales, io: SetupIo): Promise<number> {
  const missing = (['TELEGRAM_BOT_TOKEN', 'TELEGRAM_WEBHOOK_SECRET', 'PUBLIC_URL'] as const).filter((k) => !config[k]);
  if (missing.length) {
    for (const k of missing) io.stderr(`mamori telegram:setup: ${k} is required`);
    return 2;
  }
  const url = `${config.PUBLIC_URL}${TELEGRAM_WEBHOOK_PATH}`;
  if (!url.startsWith('https://')) io.stderr(`mamori telegram:setup: warning: Telegram only delivers to https:// addresses (PUBLIC_URL is ${config.PUBLIC_URL})`);
  const api = new TelegramApi({ token: config.TELEGRAM_BOT_TOKEN!, apiRoot: config.TELEGRAM_API_ROOT ?? 'https://api.telegram.org', timeoutMs: 15_000 });
  try {
    const me = await api.call('getMe', {});
    io.stdout(`bot: @${me.username ?? '?'} (id ${me.id})`);
    await api.call('setWebhook', { url, secret_token: config.TELEGRAM_WEBHOOK_SECRET!, allowed_updates: [...TELEGRAM_ALLOWED_UPDATES], max_connections: 40 });
    io.stdout(`setWebhook: ${url} (allowed_updates: ${TELEGRAM_ALLOWED_UPDATES.join(', ')})`);
    await api.call('setMyCommands', { commands: telegramCommands(locales, 'ja'), language_code: 'ja' });
    await api.call('setMyCommands', { commands: telegramCommands(locales, 'en') });
    await api.call('setMyCommands', { commands: telegramCommands(locales, 'ja', GROUP_COMMANDS), scope: { type: 'all_group_chats' }, language_code: 'ja' });
    await api.call('setMyCommands', { commands: telegramCommands(locales, 'en', GROUP_COMMANDS), scope: { type: 'all_group_chats' } });
    io.stdout(`setMyCommands: ${COMMANDS.length} commands in Japanese (ja) and English (default); ${GROUP_COMMANDS.length} in groups`);
    const info = await api.call('getWebhookInfo', {});
    io.stdout(`webhook info: pending updates ${info.pending_update_count}${info.last_error_message ? `, last error: ${info.last_error_message}` : ''}`);
    return 0;
  } catch (err) {
    if (err instanceof TelegramApiError) {
      io.stderr(`mamori telegram:setup: ${err.message}`);
      return 1;
    }
    throw err;
  } finally {
    api.close();
  }
}
