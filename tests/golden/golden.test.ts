import { execFile } from 'node:child_process';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * Golden transcripts: scripted `mamori chat` runs, one per branch of every guide. Each file is the
 * whole transcript; its `> ` lines are the user's messages and are fed back in. When a guide changes
 * on purpose, regenerate with `npm run golden:update` and review the diff like any other change.
 */
const dir = fileURLToPath(new URL('./transcripts/', import.meta.url));
const bin = fileURLToPath(new URL('../../bin/mamori.js', import.meta.url));
const run = promisify(execFile);

async function chat(input: string): Promise<string> {
  const child = run(process.execPath, [bin, 'chat'], {
    env: { PATH: process.env.PATH, EXPAND_LINKS: 'false', LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' },
    timeout: 20_000,
  });
  child.child.stdin!.end(input);
  const { stdout } = await child;
  return stdout;
}

const files = readdirSync(dir).filter((f) => f.endsWith('.txt')).sort();

describe('golden transcripts', () => {
  it('cover every guide', () => {
    for (const guide of ['check', 'scams', 'secure', 'incident']) expect(files.some((f) => f.startsWith(guide))).toBe(true);
  });

  it.each(files)('%s', async (file) => {
    const path = `${dir}${file}`;
    const expected = readFileSync(path, 'utf8');
    const input = expected
      .split('\n')
      .filter((l) => l.startsWith('> '))
      .map((l) => l.slice(2))
      .join('\n');
    // The evidence summary says the day it was made: kept as a placeholder, so a transcript holds on any day.
    // So is the day a "when" answer such as 「昨日の夜」 names, written after it in the summary.
    const actual = (await chat(`${input}\n`))
      .replace(/^(\s*│?\s*(?:まとめた日|Made on \(まとめた日\)): )\d{4}(?:年\d{1,2}月\d{1,2}日|\/\d{1,2}\/\d{1,2})$/gm, '$1<date>')
      .replace(/^(\s*│.*)(（\d{4}年\d{1,2}月\d{1,2}日）| \(\d{4}\/\d{1,2}\/\d{1,2}\))$/gm, (_, line: string, day: string) => `${line}${day.startsWith('（') ? '（<day>）' : ' (<day>)'}`);
    if (process.env.UPDATE_GOLDEN) writeFileSync(path, actual);
    else expect(actual).toBe(expected);
  });
});
