import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * True when `x-line-signature` is base64(HMAC-SHA256(channel secret, raw body bytes)). The check runs
 * on the bytes exactly as received, before any JSON parsing: parsing and re-serialising changes escapes
 * such as `\ud83d\ude00` and breaks the signature (line-bot-sdk-nodejs#922, #46). A missing header is a
 * failure, never a pass (line-bot-sdk-nodejs#25). Same approach as the SDK's validateSignature.
 */
export function lineSignatureMatches(rawBody: Buffer, signature: string | string[] | undefined, channelSecret: string): boolean {
  if (typeof signature !== 'string' || signature.length === 0) return false;
  const expected = createHmac('sha256', channelSecret).update(rawBody).digest();
  const given = Buffer.from(signature, 'base64');
  // The HMAC has a fixed length (32 bytes), so checking the length reveals nothing about the secret.
  if (given.length !== expected.length) return false;
  return timingSafeEqual(given, expected);
}
