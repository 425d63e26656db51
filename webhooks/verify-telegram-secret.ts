import { createHash, timingSafeEqual } from 'node:crypto';

const digest = (s: string) => createHash('sha256').update(s, 'utf8').digest();

/**
 * True when the `X-Telegram-Bot-Api-Secret-Token` header equals the configured secret (set with
 * setWebhook's `secret_token`). Both sides are hashed first so that the comparison takes the same time
 * whatever the given value's length (timingSafeEqual needs equal lengths; comparing lengths first would
 * leak the secret's length). Neither value is ever logged: telegraf logs the expected token on
 * mismatch in debug mode (platform-facts.md), which is the trap this avoids.
 */
export function verifyTelegramSecretHeader(given: string | string[] | undefined, expected: string): boolean {
  if (typeof given !== 'string' || given.length === 0) return false;
  return timingSafeEqual(digest(given), digest(expected));
}
