import { CONFIG_VARIABLES } from '../src/config.ts';

/** `.env.example`: every variable with its default and meaning, from the zod-validated config table. */
export function renderEnvExample(): string {
  const lines = ['# Mamori configuration. Every variable is optional; the values shown are the defaults.', '# Generated from src/config.ts by `npm run docs`; a test checks that this file, the README and the schema agree.', ''];
  for (const [name, v] of Object.entries(CONFIG_VARIABLES)) {
    // A variable marked so is shown commented out: a value in a file given to `docker run --env-file` would
    // override the image's own (HOST=0.0.0.0).
    const line = `${name}=${v.default}`;
    lines.push(`# ${v.meaning}`, 'commentedOutInExample' in v && v.commentedOutInExample ? `# ${line}` : line, '');
  }
  return lines.join('\n');
}

/** The README's configuration table (between the config markers). */
export function renderConfigTable(): string {
  const rows = Object.entries(CONFIG_VARIABLES).map(([name, v]) => `| \`${name}\` | ${v.default ? `\`${v.default}\`` : '(unset)'} | ${v.meaning.replace(/\|/g, '\\|')} |`);
  return ['<!-- config:start -->', '| Variable | Default | Meaning |', '|---|---|---|', ...rows, '<!-- config:end -->'].join('\n');
}
