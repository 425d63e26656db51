#!/usr/bin/env node
// Entry point for the `mamori` command. The sources are TypeScript run directly by Node's
// built-in type stripping (on by default from Node 22.18 / 23.6); older 22.x lines need the flag,
// so we re-run ourselves with it rather than ship a build step.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

if (!process.features.typescript) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
