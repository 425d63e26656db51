import type { SensitiveKind } from '../engine/inbound-event.ts';

/** What masking found and the text with those parts replaced. */
export interface MaskResult {
  text: string;
  found: SensitiveKind[];
}

const MASK = '****';

// Card numbers: 13–19 digits, optionally grouped by spaces or hyphens (full-width handled by NFKC first).
const CARD_CANDIDATE = /(?<![\d])(?:\d[ -]?){12,18}\d(?![\d])/g;
// A value right after a password label (パスワード / 暗証番号 / password / pw): passwords are ASCII in practice,
// so only printable ASCII is taken, which keeps 「パスワードを変更しました」 untouched.
const PASSWORD_LABELLED = /((?:パスワード|暗証番号|password|passwd|passcode|pw)(?:\s*(?:is|は|が|:|=)\s*|\s+)[「『"'“]?)([\x21-\x7E]{4,64})/giu;
// A 4–8 digit code right after a one-time-code label.
const OTP_LABELLED = /((?:認証コード|確認コード|セキュリティコード|ワンタイムパスワード|ワンタイムコード|otp|one[- ]time (?:code|password)|verification code|security code|code|コード|pin)\s*(?:is|は|が|:|：|=|＝|\s)?\s*)(\d{4,8})(?!\d)/giu;

// Amazon order numbers (250-1234567-1234567) belong in evidence summaries; never mask them.
const AMAZON_ORDER = /^\d{3}-\d{7}-\d{7}$/;

/** Card numbers are written whole or in groups of four (Amex: 4-6-5, Diners: 4-6-4). */
function isCardShaped(groups: readonly string[]): boolean {
  const lengths = groups.map((g) => g.length);
  const total = lengths.reduce((a, b) => a + b, 0);
  if (total < 13 || total > 19) return false;
  if (lengths.length === 1) return true;
  if (lengths.join() === '4,6,5' || lengths.join() === '4,6,4') return true;
  return lengths.slice(0, -1).every((l) => l === 4) && lengths.at(-1)! >= 1 && lengths.at(-1)! <= 4;
}

/** Luhn checksum, used so that order numbers and phone numbers are not mistaken for cards. */
export function passesLuhn(digits: string): boolean {
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * Masks card numbers (13–19 digits passing Luhn), labelled passwords and labelled one-time codes.
 * Runs on every user text before it reaches the session, the store or a log line. Amazon order
 * numbers (3-7-7 digits) fail Luhn or have the wrong length often enough; when one passes Luhn we
 * still mask it, erring on the side of privacy.
 */
export function maskSensitive(input: string): MaskResult {
  const found = new Set<SensitiveKind>();
  const text = input.normalize('NFKC');
  let out = text.replace(CARD_CANDIDATE, (m) => {
    if (AMAZON_ORDER.test(m)) return m;
    const groups = m.split(/[ -]/);
    const digits = groups.join('');
    if (isCardShaped(groups) && passesLuhn(digits)) {
      found.add('card');
      return MASK;
    }
    // Not one card as a whole: a card may still stand inside the run, next to other numbers.
    return groups
      .map((g) => {
        if (g.length >= 13 && g.length <= 19 && passesLuhn(g)) {
          found.add('card');
          return MASK;
        }
        return g;
      })
      .join(m.includes('-') ? '-' : ' ');
  });
  out = out.replace(PASSWORD_LABELLED, (_m, label: string, value: string) => {
    found.add('password');
    return `${label}${MASK}`;
  });
  out = out.replace(OTP_LABELLED, (_m, label: string) => {
    found.add('otp');
    return `${label}${MASK}`;
  });
  if (found.size === 0) return { text: input, found: [] };
  return { text: out, found: [...found] };
}
