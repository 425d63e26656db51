import { describe, expect, it } from 'vitest';
import { lineSignatureMatches } from '../../webhooks/verify-line-signature.ts';
import { telegramSecretVerifier } from '../../webhooks/verify-telegram-secret.ts';

describe('lineSignatureMatches', () => {
  // Known vectors computed independently with `openssl dgst -sha256 -hmac testsecret -binary | base64`.
  const emojiBody = '{"destination":"U0","events":[{"type":"message","message":{"type":"text","text":"\\ud83d\\ude00"}}]}';
  const emptyBody = '{"destination":"U0","events":[]}';

  it('accepts the known vectors', () => {
    expect(lineSignatureMatches(Buffer.from(emojiBody), 'hmSq2oC9ieHLhYX8Ah+Gt3k83csKPT6g1Oxkoo+p5rs=', 'testsecret')).toBe(true);
    expect(lineSignatureMatches(Buffer.from(emptyBody), 'gRM7CuYTzNkYFQE8Cr/LnqWq8Q1y6k8cFzWU8qk5DFA=', 'testsecret')).toBe(true);
  });

  it('fails once the escaped emoji body is re-serialised', () => {
    const reserialised = JSON.stringify(JSON.parse(emojiBody));
    expect(reserialised).toContain('😀');
    expect(lineSignatureMatches(Buffer.from(reserialised), 'hmSq2oC9ieHLhYX8Ah+Gt3k83csKPT6g1Oxkoo+p5rs=', 'testsecret')).toBe(false);
  });

  it('rejects missing, empty, mangled, truncated and wrong-secret signatures', () => {
    const body = Buffer.from(emptyBody);
    const good = 'gRM7CuYTzNkYFQE8Cr/LnqWq8Q1y6k8cFzWU8qk5DFA=';
    expect(lineSignatureMatches(body, undefined, 'testsecret')).toBe(false);
    expect(lineSignatureMatches(body, '', 'testsecret')).toBe(false);
    expect(lineSignatureMatches(body, [good, good], 'testsecret')).toBe(false);
    expect(lineSignatureMatches(body, '%%%not-base64%%%', 'testsecret')).toBe(false);
    expect(lineSignatureMatches(body, good.slice(0, 20), 'testsecret')).toBe(false);
    expect(lineSignatureMatches(body, `h${good.slice(1)}`, 'testsecret')).toBe(false);
    expect(lineSignatureMatches(body, good, 'othersecret')).toBe(false);
  });
});

describe('telegramSecretVerifier', () => {
  it('accepts only the exact secret', () => {
    const verify = telegramSecretVerifier('s3cret_-A');
    expect(verify('s3cret_-A')).toBe(true);
    for (const given of [undefined, '', 's3cret_-a', 's3cret_-A ', 's3cret_', 's3cret_-AA', ['s3cret_-A']]) {
      expect(verify(given)).toBe(false);
    }
  });

  it('compares by bytes: a value of the same length in characters but not in bytes is refused, not thrown on', () => {
    const verify = telegramSecretVerifier('abc');
    expect(verify('abç')).toBe(false);
    expect(verify('日本')).toBe(false);
    expect(verify('abc')).toBe(true);
  });
});
