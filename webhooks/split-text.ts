/**
 * Splits a text into pieces of at most `max` units as measured by `measure` (UTF-16 code units by
 * default: LINE counts those, and so does Telegram after entity parsing), preferring line breaks,
 * then spaces, and never cutting a surrogate pair in half.
 */
export function splitText(text: string, max: number, measure: (s: string) => number = (s) => s.length): string[] {
  if (measure(text) <= max) return [text];
  const pieces: string[] = [];
  let rest = text;
  while (measure(rest) > max) {
    // Longest prefix (in whole code points) that fits.
    const chars = [...rest];
    let lo = 1;
    let hi = chars.length;
    while (lo < hi) {
      const mid = Math.ceil((lo + hi) / 2);
      if (measure(chars.slice(0, mid).join('')) <= max) lo = mid;
      else hi = mid - 1;
    }
    const fit = chars.slice(0, lo).join('');
    // Prefer to cut at the last line break, else the last space, in the second half of what fits.
    let cut = fit.lastIndexOf('\n');
    if (cut < fit.length / 2) cut = Math.max(cut, fit.lastIndexOf(' '));
    if (cut < fit.length / 2) cut = fit.length;
    pieces.push(fit.slice(0, cut).trimEnd());
    rest = fit.length === cut ? rest.slice(cut) : rest.slice(cut + 1);
  }
  if (rest.trim()) pieces.push(rest);
  return pieces.filter((p) => p.length > 0);
}

/**
 * Shortens a text to at most `max` UTF-16 code units (so also at most `max` characters), marking the cut
 * with an ellipsis and never splitting a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let out = '';
  for (const ch of text) {
    if (out.length + ch.length + 1 > max) break;
    out += ch;
  }
  return `${out}…`;
}
