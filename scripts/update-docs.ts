// Regenerates the parts of the docs that are derived from code: the README's flow diagrams and
// configuration table, and .env.example (npm run docs). Tests fail when these are stale.
import { readFileSync, writeFileSync } from 'node:fs';
import { loadContent } from '../src/runtime.ts';
import { renderConfigTable, renderEnvExample } from './config-docs.ts';
import { renderFlowsMarkdown } from './flows-markdown.ts';

const file = new URL('../README.md', import.meta.url);
let readme = readFileSync(file, 'utf8');
function replaceSection(name: string, content: string): void {
  const start = readme.indexOf(`<!-- ${name}:start -->`);
  const endMarker = `<!-- ${name}:end -->`;
  const end = readme.indexOf(endMarker);
  if (start < 0 || end < 0) throw new Error(`README.md has no <!-- ${name}:start --> … ${endMarker} section`);
  readme = readme.slice(0, start) + content + readme.slice(end + endMarker.length);
}
const { flows, locales } = loadContent();
replaceSection('flows', renderFlowsMarkdown(flows, locales));
replaceSection('config', renderConfigTable());
writeFileSync(file, readme);
writeFileSync(new URL('../.env.example', import.meta.url), renderEnvExample());
console.log('README.md (flows, config) and .env.example updated');
