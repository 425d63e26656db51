/**
 * The per-user rate limit's notice (locale `rate.limited`) as a pattern: its words around `{seconds}`, with the
 * seconds captured, so that a test can recognise the notice in a reply and read how long it asked the user to wait.
 */
export function rateNoticePattern(template: string): RegExp {
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  return new RegExp(`^${template.split('{seconds}').map(escape).join('(\\d+)')}$`);
}
