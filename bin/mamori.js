#!/usr/bin/env node
// Entry point for the `mamori` command. The sources are TypeScript run directly by Node's
// built-in type stripping (on by default from Node 22.18 / 23.6); older 22.x lines need the flag,
// so we re-run ourselves with it rather than ship a build step.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const major = Number(process.versions.node.split('.')[0]);
if (major < 22) {
  process.stderr.write(`mamori: needs Node.js 22 or newer (24 LTS recommended); this is ${process.version}\n`);
  process.exit(1);
}
if (!process.features.typescript) {
  const self = fileURLToPath(import.meta.url);
  const r = spawnSync(process.execPath, ['--experimental-strip-types', '--no-warnings', self, ...process.argv.slice(2)], { stdio: 'inherit' });
  process.exit(r.status ?? 1);
}
const { main } = await import('../src/cli.ts');
process.exitCode = await main(process.argv.slice(2));
