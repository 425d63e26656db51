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
});
