/**
 * The command line of a benchmark script: its flags and the options that take a value. Anything else, or an option
 * without its value, is refused (the script's name, the problem and its usage on stderr, exit 2) rather than ignored.
 */
export function benchOptions(script: string, usage: string, flags: readonly string[], withValue: readonly string[]) {
  const args = process.argv.slice(2);
  const options = new Map<string, string | true>();
  const fail = (message: string): never => {
    console.error(`${script}: ${message}\n${usage}`);
    process.exit(2);
  };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (flags.includes(a)) options.set(a, true);
    else if (withValue.includes(a) && args[i + 1] !== undefined) options.set(a, args[++i]!);
    else fail(`unknown or incomplete argument ${a}`);
  }
  /** The option's number (`fallback` when absent); refused unless it is more than 0 (and whole, with `whole`). */
  const positive = (name: string, fallback: number, whole = false): number => {
    const v = options.get(name);
    if (v === undefined) return fallback;
    const n = Number(v);
    if (!(n > 0) || (whole && !Number.isInteger(n))) fail(`${name} needs a positive ${whole ? 'whole ' : ''}number`);
    return n;
  };
  return { options, fail, positive };
}
