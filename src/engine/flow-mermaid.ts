import type { Flow } from './flow-schema.ts';
import { nextStepsOf } from './load-flows.ts';

const SHAPES: Record<string, [string, string]> = {
  message: ['[', ']'],
  choice: ['{', '}'],
  question: ['[/', '/]'],
  checklist: ['[[', ']]'],
  'link-check': ['{{', '}}'],
  summary: ['([', '])'],
};

function label(text: string, max = 24): string {
  const oneLine = text.replace(/\s+/g, ' ').trim();
  const cut = [...oneLine].length > max ? `${[...oneLine].slice(0, max).join('')}…` : oneLine;
  return cut.replace(/"/g, '#quot;').replace(/[<>]/g, '');
}

/**
 * A Mermaid flowchart of one guide: steps as shapes by type (choice = diamond, question = parallelogram,
 * checklist = subroutine, link check = hexagon, summary = stadium), edges labelled with button texts.
 */
export function flowToMermaid(flow: Flow, texts: Readonly<Record<string, string>>): string {
  const id = (s: string) => `${flow.id}_${s.replace(/-/g, '_')}`;
  const lines = [`flowchart TD`];
  for (const [stepId, step] of Object.entries(flow.steps)) {
    const [open, close] = SHAPES[step.type]!;
    lines.push(`  ${id(stepId)}${open}"${label(`${stepId}: ${texts[step.text] ?? step.text}`)}"${close}`);
  }
  for (const [stepId, step] of Object.entries(flow.steps)) {
    if (step.type === 'choice') {
      for (const o of step.options) lines.push(`  ${id(stepId)} -->|"${label(texts[o.label] ?? o.label, 16)}"| ${id(o.next)}`);
    } else if (step.type === 'link-check') {
      for (const [route, next] of Object.entries(step.routes)) lines.push(`  ${id(stepId)} -->|${route}| ${id(next)}`);
    } else {
      for (const next of nextStepsOf(step)) lines.push(`  ${id(stepId)} --> ${id(next)}`);
    }
  }
  return lines.join('\n');
}
