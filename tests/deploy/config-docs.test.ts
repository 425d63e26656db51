import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CONFIG_VARIABLES, loadConfig } from '../../src/config.ts';
import { renderConfigTable, renderEnvExample } from '../../scripts/config-docs.ts';

const read = (p: string) => readFileSync(new URL(`../../${p}`, import.meta.url), 'utf8');

describe('configuration docs agree with the schema (run `npm run docs` after changing src/config.ts)', () => {
  it('.env.example lists every variable with its default', () => {
    expect(read('.env.example')).toBe(renderEnvExample());
  });

  it('the README table lists every variable', () => {
    expect(read('README.md')).toContain(renderConfigTable());
  });

  it('every documented default is what the schema really uses', () => {
    const defaults = loadConfig({});
    const env: Record<string, string> = {};
    for (const [name, v] of Object.entries(CONFIG_VARIABLES)) if (v.default) env[name] = v.default;
    const explicit = loadConfig(env);
    expect(explicit).toEqual(defaults);
  });

  it('`docker run --env-file .env` with a copy of .env.example keeps the image\'s HOST=0.0.0.0; `npm start` stays on loopback', () => {
    // What Docker does with --env-file: KEY=VALUE lines set (and override the image's ENV), # lines are comments.
    const fromFile: Record<string, string> = {};
    for (const line of read('.env.example').split('\n')) {
      const m = /^([A-Z][A-Z0-9_]*)=(.*)$/.exec(line);
      if (m) fromFile[m[1]!] = m[2]!;
    }
    const imageEnv: Record<string, string> = {};
    const dockerfile = read('Dockerfile');
    for (const line of dockerfile.split('\n').filter((l) => l.startsWith('ENV '))) for (const m of line.matchAll(/(\w+)=(\S+)/g)) imageEnv[m[1]!] = m[2]!;
    expect(imageEnv.HOST).toBe('0.0.0.0');
    expect(loadConfig({ ...imageEnv, ...fromFile }).HOST).toBe('0.0.0.0');
    expect(read('.env.example')).toMatch(/^# HOST=127\.0\.0\.1$/m);
    expect(loadConfig(fromFile).HOST).toBe('127.0.0.1');
  });
});
