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
 * checklist = subroutine, link check = hexagon, summary = stadium), edges labelled with button texts, and
 * each shortcut as a flag with its first typed words and a dotted edge to the step it opens.
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
      for (const o of step.options ?? []) lines.push(`  ${id(stepId)} -->|"${label(texts[o.label] ?? o.label, 16)}"| ${id(o.next)}`);
      // A description of a listing instead of a link (its facts answer the questions; see describe-seller.ts).
      if (step.describe) lines.push(`  ${id(stepId)} -->|described| ${id(step.describe)}`);
    } else {
      for (const next of nextStepsOf(step)) lines.push(`  ${id(stepId)} --> ${id(next)}`);
    }
  }
  // Shortcuts: typed words that open a step directly (a flag shape with the first words, a dotted edge).
  (flow.shortcuts ?? []).forEach((shortcut, i) => {
    const words = shortcut.keywords.slice(0, 2).map((k) => `「${k.replace(/\+/g, '…')}」`).join('');
    lines.push(`  ${flow.id}_typed_${i}>"${label(`${words}${shortcut.keywords.length > 2 ? ' …' : ''}`, 30)}"] -.-> ${id(shortcut.step)}`);
  });
  return lines.join('\n');
}
