import { execFileSync, spawn } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort, waitForHttp } from '../support/free-port.ts';

/**
 * Docker cannot run on the project's machines, so this test runs the Dockerfile's steps as shell
 * commands: the same files copied, the same `npm ci` flags, the same ENV, entry point and health check.
 * If the Dockerfile names a folder that does not exist, or the entry point stops working with
 * production dependencies only, this fails.
 */
const root = fileURLToPath(new URL('../../', import.meta.url));
const dockerfile = readFileSync(join(root, 'Dockerfile'), 'utf8').replace(/\\\n\s*/g, ' ');
const stages = dockerfile.split(/^FROM /m).slice(1);
const finalStage = stages.at(-1)!;
const depsStage = stages[0]!;
const work = mkdtempSync(join(tmpdir(), 'mamori-docker-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

const instructions = (stage: string, name: string) => stage.split('\n').filter((l) => l.startsWith(`${name} `)).map((l) => l.slice(name.length + 1).trim());

describe('Dockerfile', () => {
  it('is multi-stage on node:24-slim and runs as a non-root user with a health check', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    for (const s of stages) expect(s.startsWith('node:24-slim')).toBe(true);
    expect(instructions(finalStage, 'USER')).toEqual(['node']);
    expect(finalStage).toMatch(/HEALTHCHECK .*\/healthz/);
    expect(instructions(finalStage, 'STOPSIGNAL')).toEqual(['SIGTERM']);
  });

  it('builds and starts with the same steps, answers /healthz, and exits 0 on SIGTERM', async () => {
    // Stage 1: production dependencies with the Dockerfile's own npm command.
    for (const copy of instructions(depsStage, 'COPY')) {
      const parts = copy.split(/\s+/);
      for (const src of parts.slice(0, -1)) cpSync(join(root, src), join(work, src));
    }
    const npmRun = instructions(depsStage, 'RUN')[0]!;
    expect(npmRun).toMatch(/^npm ci --omit=dev/);
    execFileSync('sh', ['-c', `${npmRun} --prefer-offline`], { cwd: work, stdio: 'pipe', timeout: 240_000 });
    expect(existsSync(join(work, 'node_modules', 'fastify'))).toBe(true);
    expect(existsSync(join(work, 'node_modules', 'vitest'))).toBe(false);

    // Final stage: every COPY'd path must exist in the repository.
    for (const copy of instructions(finalStage, 'COPY')) {
      if (copy.startsWith('--from=')) continue;
      const [src] = copy.split(/\s+/);
      expect(existsSync(join(root, src!)), `Dockerfile copies ${src}, which must exist`).toBe(true);
      cpSync(join(root, src!), join(work, src!), { recursive: true });
    }
    const env: Record<string, string> = {};
    for (const line of instructions(finalStage, 'ENV')) for (const m of line.matchAll(/(\w+)=(\S+)/g)) env[m[1]!] = m[2]!;
    const cmd = JSON.parse(instructions(finalStage, 'CMD')[0]!) as string[];
    expect(cmd[0]).toBe('node');
    const port = await freePort();
    // Only loopback in tests: the image's HOST=0.0.0.0 is replaced by 127.0.0.1.
    const child = spawn(process.execPath, cmd.slice(1), {
      cwd: work,
      env: { PATH: process.env.PATH ?? '', ...env, HOST: '127.0.0.1', PORT: String(port), LOG_LEVEL: 'warn' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    try {
      const res = await waitForHttp(`http://127.0.0.1:${port}/healthz`);
      expect(res.status, stderr).toBe(200);
      // The HEALTHCHECK command itself.
      const hc = /HEALTHCHECK .*CMD (\[.*\])/.exec(finalStage)![1]!;
      const hcCmd = JSON.parse(hc) as string[];
      execFileSync(process.execPath, hcCmd.slice(1), { env: { PORT: String(port) }, timeout: 5000 });
    } finally {
      const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
      child.kill('SIGTERM');
      const code = await Promise.race([exited, new Promise<'timeout'>((r) => setTimeout(() => r('timeout'), 10_000))]);
      expect(code, stderr).toBe(0);
    }
  }, 300_000);
});
