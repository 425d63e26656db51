// Rewrites the flow diagrams in README.md from flows/ and locales/ (npm run docs:flows).
import { readFileSync, writeFileSync } from 'node:fs';
import { loadContent } from '../src/runtime.ts';
import { renderFlowsMarkdown } from './flows-markdown.ts';

const file = new URL('../README.md', import.meta.url);
const readme = readFileSync(file, 'utf8');
const start = readme.indexOf('<!-- flows:start -->');
const endMarker = '<!-- flows:end -->';
const end = readme.indexOf(endMarker);
if (start < 0 || end < 0) throw new Error('README.md has no <!-- flows:start --> … <!-- flows:end --> section');
const { flows, locales } = loadContent();
writeFileSync(file, readme.slice(0, start) + renderFlowsMarkdown(flows, locales) + readme.slice(end + endMarker.length));
console.log(`README.md: ${flows.ordered.length} flow diagrams written`);
