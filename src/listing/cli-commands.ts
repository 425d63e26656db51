// `mamori check` and `mamori assess`: a stable JSON contract other tools depend on. The process
// wiring (argv, stdin, exit) lives in src/cli.ts; these functions only talk through CliIo, so
// tests call them directly.

import { assessSellerRisk, SellerSignalsSchema } from './assess-seller-risk.ts';
import { checkTextExpanded, type ExpandOptions } from './expand-link.ts';
import type { LinkCheck } from './link-check.ts';

/** What a CLI command may touch. `stdout`/`stderr` write text as is (commands add the newline). */
export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  stdinLines(): AsyncIterable<string>;
  env: Record<string, string | undefined>;
}

/** Exit codes: 0 success, 1 unexpected failure, 2 bad usage or bad input. */
const EXIT_OK = 0;
const EXIT_FAILURE = 1;
const EXIT_USAGE = 2;

const CHECK_USAGE = 'usage: mamori check [--no-expand] TEXT…  |  mamori check [--no-expand] --lines < FILE';
const ASSESS_USAGE = `usage: mamori assess '{"price":2000,"typicalPrice":30000,"fulfilment":"overseas"}'`;

/** One link in `mamori check` output: a fixed subset of LinkCheck. */
interface CheckOutputUrl {
  input: string;
  url: string;
  host: string;
  verdict: string;
  reasons: string[];
  asin?: string;
  sellerId?: string;
  pageKind?: string;
  expandedTo?: string;
}

function toOutput(c: LinkCheck): CheckOutputUrl {
  const o: CheckOutputUrl = { input: c.input, url: c.url, host: c.host, verdict: c.verdict, reasons: [...c.reasons] };
  if (c.asin !== undefined) o.asin = c.asin;
  if (c.sellerId !== undefined) o.sellerId = c.sellerId;
  if (c.pageKind !== undefined) o.pageKind = c.pageKind;
  if (c.expandedTo !== undefined) o.expandedTo = c.expandedTo;
  return o;
}

/** `EXPAND_LINKS=false` (also 0/no/off) turns short-link expansion off. */
function expansionDisabledByEnv(env: Record<string, string | undefined>): boolean {
  const v = env.EXPAND_LINKS?.trim().toLowerCase();
  return v === 'false' || v === '0' || v === 'no' || v === 'off';
}

function oneLine(text: string): string {
  return text.replace(/\s*[\r\n]+\s*/g, ' ').trim();
}

function isOption(arg: string): boolean {
  return /^--?[A-Za-z]/.test(arg);
}

/**
 * `mamori check [--no-expand] TEXT…` prints `{"urls":[…]}` for the text (arguments joined with
 * spaces); `--lines` prints one such object per standard-input line (JSON Lines). Expansion is
 * on unless `--no-expand` or `EXPAND_LINKS=false`. Returns the exit code.
 */
export async function runCheck(args: string[], io: CliIo, options: ExpandOptions = {}): Promise<number> {
  let noExpand = false;
  let lines = false;
  const words: string[] = [];
  let optionsEnded = false;
  for (const arg of args) {
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && arg === '--no-expand') noExpand = true;
    else if (!optionsEnded && arg === '--lines') lines = true;
    else if (!optionsEnded && (arg === '--help' || arg === '-h')) {
      io.stdout(CHECK_USAGE + '\n');
      return EXIT_OK;
    } else if (!optionsEnded && isOption(arg)) {
      io.stderr(`mamori check: unknown option '${oneLine(arg)}' (${CHECK_USAGE})\n`);
      return EXIT_USAGE;
    } else words.push(arg);
  }
  if (lines && words.length > 0) {
    io.stderr('mamori check: --lines reads standard input; do not also pass TEXT\n');
    return EXIT_USAGE;
  }
  if (!lines && words.length === 0) {
    io.stderr(`mamori check: no text given (${CHECK_USAGE})\n`);
    return EXIT_USAGE;
  }
  const expand: ExpandOptions = { ...options, enabled: options.enabled !== false && !noExpand && !expansionDisabledByEnv(io.env) };
  const render = async (text: string) => JSON.stringify({ urls: (await checkTextExpanded(text, expand)).map(toOutput) }) + '\n';
  try {
    if (!lines) {
      io.stdout(await render(words.join(' ')));
      return EXIT_OK;
    }
    for await (const line of io.stdinLines()) io.stdout(await render(line));
    return EXIT_OK;
  } catch (err) {
    io.stderr(`mamori check: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT_FAILURE;
  }
}

/** Turns the first zod issue into one readable line naming the field. */
function describeIssue(issue: { code: string; path: PropertyKey[]; message: string; keys?: string[]; values?: unknown[]; expected?: string }): string {
  const field = issue.path.map(String).join('.');
  if (issue.code === 'unrecognized_keys' && issue.keys) {
    const known = Object.keys(SellerSignalsSchema.shape).join(', ');
    return `unknown signal ${issue.keys.map((k) => `'${k}'`).join(', ')} (known: ${known})`;
  }
  if (issue.code === 'invalid_value' && issue.values) return `invalid signal '${field}': must be one of ${issue.values.map(String).join(', ')}`;
  if (issue.code === 'invalid_type' && issue.expected) return `invalid signal '${field}': must be a ${issue.expected} or null`;
  return `invalid signal '${field}': ${issue.message}`;
}

/**
 * `mamori assess 'JSON'` prints `{"level","score","reasons"}` for seller signals. Bad JSON, a
 * non-object, an unknown or out-of-range field, or an unknown option → exit 2 with one line on
 * standard error.
 */
export async function runAssess(args: string[], io: CliIo): Promise<number> {
  const words: string[] = [];
  let optionsEnded = false;
  for (const arg of args) {
    if (!optionsEnded && arg === '--') optionsEnded = true;
    else if (!optionsEnded && (arg === '--help' || arg === '-h')) {
      io.stdout(ASSESS_USAGE + '\n');
      return EXIT_OK;
    } else if (!optionsEnded && isOption(arg)) {
      io.stderr(`mamori assess: unknown option '${oneLine(arg)}' (${ASSESS_USAGE})\n`);
      return EXIT_USAGE;
    } else words.push(arg);
  }
  if (words.length === 0) {
    io.stderr(`mamori assess: missing JSON (${ASSESS_USAGE})\n`);
    return EXIT_USAGE;
  }
  let value: unknown;
  try {
    value = JSON.parse(words.join(' '));
  } catch (err) {
    io.stderr(`mamori assess: invalid JSON: ${oneLine(err instanceof Error ? err.message : String(err))}\n`);
    return EXIT_USAGE;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    io.stderr(`mamori assess: signals must be a JSON object, got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value}\n`);
    return EXIT_USAGE;
  }
  const parsed = SellerSignalsSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    io.stderr(`mamori assess: ${oneLine(describeIssue(issue as Parameters<typeof describeIssue>[0]))}\n`);
    return EXIT_USAGE;
  }
  const risk = assessSellerRisk(parsed.data);
  io.stdout(JSON.stringify({ level: risk.level, score: risk.score, reasons: risk.reasons }) + '\n');
  return EXIT_OK;
}
