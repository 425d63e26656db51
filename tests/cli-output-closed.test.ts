// The command line when its reader goes away early (`mamori flows --mermaid | head`): no stack trace, exit 0.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const bin = fileURLToPath(new URL('../bin/mamori.js', import.meta.url));

/** Runs `mamori args`, closes its output after the first chunk, and returns its exit code and standard error. */
function runAndCloseOutput(args: string[], input: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [bin, ...args], { env: { PATH: process.env.PATH, EXPAND_LINKS: 'false', LOG_LEVEL: 'silent', NODE_NO_WARNINGS: '1' } });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout.once('data', () => child.stdout.destroy());
    child.on('close', (code) => resolve({ code, stderr }));
    // The command may stop before it has read all of its input: writing the rest then fails here, as intended.
    child.stdin.on('error', () => undefined);
    child.stdin.end(input);
  });
}

describe('output closed by the reader', () => {
  it.each([
    ['check --lines', ['check', '--lines'], 'https://amazon.co.jp.example.top/ また https://www.amazon.co.jp/dp/B01N5QTFAK\n'.repeat(20_000)],
    ['chat', ['chat'], '/check\n'.repeat(3_000)],
  ])('%s stops without a stack trace', async (_name, args, input) => {
    const { code, stderr } = await runAndCloseOutput(args, input);
    expect(stderr).not.toMatch(/EPIPE|Error|at /);
    expect(code).toBe(0);
  }, 30_000);
});
