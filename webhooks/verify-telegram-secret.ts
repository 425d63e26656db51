import { secretCheck } from '../src/server/secret-check.ts';

/**
 * A check that the `X-Telegram-Bot-Api-Secret-Token` header equals the configured secret (set with
 * setWebhook's `secret_token`: 1–256 characters of A–Z, a–z, 0–9, `_` and `-`), in constant time for a value
 * of the right length (see secretCheck). Neither value is ever logged: telegraf logs the expected token on
 * mismatch in debug mode (platform-facts.md), which is the trap this avoids.
 */
export function telegramSecretVerifier(expected: string): (given: string | string[] | undefined) => boolean {
  return secretCheck(expected);
}
