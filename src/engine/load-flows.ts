import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decodePayload, encodePayload, MAX_PAYLOAD_BYTES, shortcutAction } from './button-payload.ts';
import { FlowSchema, keywordParts, type Flow, type FlowStep } from './flow-schema.ts';
import { LANGUAGES, type Locales } from './locales.ts';
import type { FlowSet } from './step.ts';

/** A flow that cannot be used; the message names the flow and the step. Start-up stops on it. */
export class FlowError extends Error {
  readonly flowId: string;
  readonly stepId: string | null;
  constructor(flowId: string, stepId: string | null, problem: string) {
    super(`flow "${flowId}"${stepId ? `, step "${stepId}"` : ''}: ${problem}`);
    this.name = 'FlowError';
    this.flowId = flowId;
    this.stepId = stepId;
  }
}

/** Buttons the engine adds to every step that is not a summary (back, menu, start over). */
const NAV_BUTTONS = 3;
/** Quick replies are capped at 13 on LINE; we hold every step to that. */
export const MAX_BUTTONS = 13;
/** LINE quick reply labels are at most 20 characters. */
export const MAX_LABEL_LENGTH = 20;
/** Telegram's message text limit; LINE allows 5000 UTF-16 units. */
export const MAX_MESSAGE_LENGTH = 4096;

/** Edges leaving a step. */
export function nextStepsOf(step: FlowStep): string[] {
  switch (step.type) {
    case 'message':
    case 'question':
    case 'checklist':
      return [step.next];
    case 'choice':
      return step.options.map((o) => o.next);
    case 'link-check':
      return [...Object.values(step.routes), ...(step.options ?? []).map((o) => o.next), ...(step.describe ? [step.describe] : [])];
    case 'summary':
      return [];
    default:
      step satisfies never;
      return [];
  }
}

/** Text keys a step uses (texts and button labels). */
export function textKeysOf(step: FlowStep): { texts: string[]; labels: string[] } {
  switch (step.type) {
    case 'message':
      return { texts: [step.text], labels: step.button ? [step.button] : [] };
    case 'choice':
      return { texts: [step.text], labels: step.options.map((o) => o.label) };
    case 'question':
      return { texts: [step.text], labels: step.skip ? [step.skip] : [] };
    case 'checklist':
      return { texts: [step.text, ...step.items.map((i) => i.text)], labels: [] };
    case 'link-check':
      return { texts: [step.text], labels: (step.options ?? []).map((o) => o.label) };
    case 'summary':
      return { texts: [step.text], labels: (step.fields ?? []).map((f) => f.label) };
    default:
      step satisfies never;
      return { texts: [], labels: [] };
  }
}

/** Parses one flow and checks its edges; throws FlowError naming the flow and step. */
export function parseFlow(json: unknown, fallbackId: string): Flow {
  const parsed = FlowSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const stepIdx = issue.path[0] === 'steps' ? issue.path.indexOf('steps') : -1;
    const stepId = stepIdx >= 0 && typeof issue.path[stepIdx + 1] === 'string' ? (issue.path[stepIdx + 1] as string) : null;
    const id = typeof (json as { id?: unknown })?.id === 'string' ? (json as { id: string }).id : fallbackId;
    throw new FlowError(id, stepId, `${issue.path.join('.') || '(root)'}: ${issue.message}`);
  }
  const flow = parsed.data;
  if (!flow.steps[flow.start]) throw new FlowError(flow.id, flow.start, 'the start step does not exist');
  for (const [id, step] of Object.entries(flow.steps)) {
    for (const next of nextStepsOf(step)) {
      if (!flow.steps[next]) throw new FlowError(flow.id, id, `goes to "${next}", which does not exist`);
    }
  }
  for (const shortcut of flow.shortcuts ?? []) {
    if (!flow.steps[shortcut.step]) throw new FlowError(flow.id, shortcut.step, 'a shortcut goes to this step, which does not exist');
    if (shortcut.step === flow.start) throw new FlowError(flow.id, shortcut.step, 'a shortcut goes to the start step (put its words in "keywords")');
  }
  for (const keyword of [...flow.keywords, ...(flow.shortcuts ?? []).flatMap((s) => s.keywords)]) {
    if (keywordParts(keyword).some((part) => !part)) throw new FlowError(flow.id, null, `keyword "${keyword}" has a part that is empty once folded`);
  }
  for (const [id, step] of Object.entries(flow.steps)) {
    if (step.type !== 'choice' && step.type !== 'link-check') continue;
    for (const keyword of (step.options ?? []).flatMap((o) => o.keywords ?? [])) {
      if (keywordParts(keyword).some((part) => !part)) throw new FlowError(flow.id, id, `option keyword "${keyword}" has a part that is empty once folded`);
    }
  }
  return flow;
}

/** Reads and validates every flows/*.json. Throws FlowError (or a message naming the file) on the first broken one. */
export function loadFlows(dir: string): FlowSet {
  const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
  const flows: Flow[] = [];
  for (const file of files) {
    const id = file.replace(/\.json$/, '');
    let json: unknown;
    try {
      json = JSON.parse(readFileSync(join(dir, file), 'utf8'));
    } catch (err) {
      throw new FlowError(id, null, `${file} is not valid JSON: ${(err as Error).message}`);
    }
    const flow = parseFlow(json, id);
    if (flow.id !== id) throw new FlowError(flow.id, null, `the file is named ${file}; the id must match it`);
    flows.push(flow);
  }
  if (!flows.length) throw new Error(`no flows found in ${dir}`);
  return flowSetOf(flows);
}

/** Builds the lookup structure the step uses. */
export function flowSetOf(flows: readonly Flow[]): FlowSet {
  const ordered = [...flows].sort((a, b) => a.order - b.order);
  return { byId: new Map(ordered.map((f) => [f.id, f])), ordered };
}

/** Locale keys the engine itself uses outside flows (kept here so the lint can find unused keys). */
export const ENGINE_KEY_PREFIXES = [
  'notice.', 'sensitive.', 'group.', 'start.', 'unsupported.', 'command.', 'help.', 'reset.', 'forget.', 'lang.',
  'button.', 'text.', 'link.', 'restart.', 'resume.', 'answer.', 'nav.', 'menu.', 'checklist.', 'evidence.', 'seller.',
  'error.', 'rate.', 'web.', 'telegram.', 'line.', 'input.', 'route.', 'described.',
] as const;

/**
 * Checks a flow set against the product's rules: every step reachable, no dead end (every path ends at a
 * summary, which offers the menu), every key present in every locale, at most 13 buttons per step, labels
 * of at most 20 characters, payloads of at most 64 bytes, messages of at most 4096 characters. Also
 * reports locale keys no flow and no engine part uses. Returns problems; empty means clean.
 */
export function lintFlows(flows: FlowSet, locales: Locales): string[] {
  const problems: string[] = [];
  const used = new Set<string>();
  const where = (f: Flow, s: string | null) => `flow "${f.id}"${s ? `, step "${s}"` : ''}`;
  const checkKey = (f: Flow, s: string | null, key: string, kind: 'text' | 'label') => {
    used.add(key);
    for (const lang of LANGUAGES) {
      const value = locales[lang][key];
      if (value === undefined) {
        problems.push(`${where(f, s)}: key "${key}" is missing in ${lang}.json`);
        continue;
      }
      if (kind === 'label' && [...value].length > MAX_LABEL_LENGTH) problems.push(`${where(f, s)}: label "${key}" in ${lang} is longer than ${MAX_LABEL_LENGTH} characters`);
      if (value.length > MAX_MESSAGE_LENGTH) problems.push(`${where(f, s)}: text "${key}" in ${lang} is longer than ${MAX_MESSAGE_LENGTH} characters`);
    }
  };
  for (const flow of flows.ordered) {
    checkKey(flow, null, flow.title, 'label');
    // Reachability from the start.
    const seen = new Set<string>([flow.start]);
    const queue = [flow.start];
    while (queue.length) {
      const id = queue.shift()!;
      for (const next of nextStepsOf(flow.steps[id]!)) if (!seen.has(next)) (seen.add(next), queue.push(next));
    }
    for (const id of Object.keys(flow.steps)) if (!seen.has(id)) problems.push(`${where(flow, id)}: not reachable from the start`);
    // No dead end: from every step some summary must be reachable. Worked backwards from the summaries (a depth-
    // first walk that cut cycles remembered a step in a loop as a dead end even when the loop had a way out).
    const finishes = new Set<string>();
    const before = new Map<string, string[]>();
    for (const [id, step] of Object.entries(flow.steps)) {
      if (step.type === 'summary') finishes.add(id);
      for (const next of nextStepsOf(step)) before.set(next, [...(before.get(next) ?? []), id]);
    }
    const back = [...finishes];
    while (back.length) {
      for (const prev of before.get(back.pop()!) ?? []) if (!finishes.has(prev)) (finishes.add(prev), back.push(prev));
    }
    const canFinish = (id: string): boolean => finishes.has(id);
    for (const [id, step] of Object.entries(flow.steps)) {
      if (!canFinish(id)) problems.push(`${where(flow, id)}: a dead end (no path from here reaches a summary)`);
      const { texts, labels } = textKeysOf(step);
      for (const k of texts) checkKey(flow, id, k, 'text');
      for (const k of labels) checkKey(flow, id, k, step.type === 'summary' ? 'text' : 'label');
      const buttons =
        step.type === 'summary'
          ? flows.ordered.length + 1
          : labels.length + NAV_BUTTONS + (step.type === 'message' ? 1 - labels.length : 0) + (step.type === 'checklist' ? 2 : 0);
      if (buttons > MAX_BUTTONS) problems.push(`${where(flow, id)}: ${buttons} buttons, more than ${MAX_BUTTONS}`);
      if (step.type === 'checklist' && step.items.length > 99) problems.push(`${where(flow, id)}: too many checklist items`);
    }
    const longest = encodePayload('zzzzzz', 36 ** 7 - 1, `g${flow.id}`);
    if (Buffer.byteLength(longest) > MAX_PAYLOAD_BYTES) problems.push(`${where(flow, null)}: button payloads can exceed ${MAX_PAYLOAD_BYTES} bytes`);
    // A question offers another guide's shortcut as a button (see offerElsewhere in step.ts): its payload must fit too.
    const shortcuts = flow.shortcuts?.length ?? 0;
    const offer = shortcuts ? encodePayload('zzzzzz', 36 ** 7 - 1, shortcutAction(flow.id, shortcuts - 1)) : '';
    if (offer && (Buffer.byteLength(offer) > MAX_PAYLOAD_BYTES || !decodePayload(offer))) {
      problems.push(`${where(flow, null)}: the buttons that open its shortcuts do not fit in a payload (shorten the guide's id)`);
    }
  }
  // Every key in every locale, and no unused keys.
  const all = new Set([...Object.keys(locales.ja), ...Object.keys(locales.en)]);
  for (const key of all) {
    for (const lang of LANGUAGES) if (locales[lang][key] === undefined) problems.push(`locale key "${key}" is missing in ${lang}.json`);
    if (!used.has(key) && !ENGINE_KEY_PREFIXES.some((p) => key.startsWith(p))) problems.push(`locale key "${key}" is not used by any flow or engine part`);
  }
  // Placeholders must match between languages.
  for (const key of all) {
    const names = (s: string | undefined) => [...(s ?? '').matchAll(/\{([a-zA-Z]+)\}/g)].map((m) => m[1]).sort().join(',');
    if (locales.ja[key] !== undefined && locales.en[key] !== undefined && names(locales.ja[key]) !== names(locales.en[key])) {
      problems.push(`locale key "${key}": placeholders differ between ja and en`);
    }
  }
  return problems;
}
