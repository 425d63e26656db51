import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FlowError, lintFlows, loadFlows, parseFlow, textKeysOf } from '../../src/engine/load-flows.ts';
import { loadLocales } from '../../src/engine/locales.ts';
import { FLOWS_DIR, LOCALES_DIR } from '../../src/runtime.ts';
import { renderFlowsMarkdown } from '../../scripts/flows-markdown.ts';

describe('the shipped guides', () => {
  const flows = loadFlows(FLOWS_DIR);
  const locales = loadLocales(LOCALES_DIR);

  it('has the four guides in menu order', () => {
    expect(flows.ordered.map((f) => f.id)).toEqual(['check', 'scams', 'secure', 'incident']);
  });

  it('pass the lint: reachable, no dead ends, keys in every locale, none unused, button and text limits', () => {
    expect(lintFlows(flows, locales)).toEqual([]);
  });

  it('every case of the incident guide passes the official routes before it ends', () => {
    const incident = flows.byId.get('incident')!;
    // Every path from a case to a summary, as the lists of steps it visits.
    const paths = (from: string, seen: string[] = []): string[][] => {
      const step = incident.steps[from]!;
      if (step.type === 'summary' || seen.includes(from)) return [[...seen, from]];
      const nexts = step.type === 'choice' ? step.options.map((o) => o.next) : 'next' in step ? [step.next] : [];
      return nexts.flatMap((n) => paths(n, [...seen, from]));
    };
    const what = incident.steps[incident.start]!;
    if (what.type !== 'choice') throw new Error('the incident guide starts with a choice of cases');
    // The one option that only builds the summary for the police or 188 is not a case.
    const cases = what.options.filter((o) => o.label !== 'incident.what.summary');
    expect(cases.length).toBeGreaterThanOrEqual(6);
    for (const c of cases) for (const path of paths(c.next)) expect(path, `${c.next}: ${path.join(' → ')}`).toContain('routes');
  });

  it('README diagrams are up to date (run `npm run docs` after changing a flow)', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('<!-- flows:start -->');
    const end = readme.indexOf('<!-- flows:end -->');
    expect(start).toBeGreaterThan(-1);
    expect(readme.slice(start, end + '<!-- flows:end -->'.length)).toBe(renderFlowsMarkdown(flows, locales));
  });
});

describe('the flow lint', () => {
  const base = () => ({
    id: 'demo',
    order: 0,
    title: 'demo.title',
    command: 'demo',
    keywords: [],
    start: 'a',
    steps: {
      a: { type: 'choice', text: 'demo.a', options: [{ label: 'demo.go', next: 'b' }] },
      b: { type: 'summary', text: 'demo.b' },
    } as Record<string, unknown>,
  });
  const locales = { ja: { 'demo.title': 'デモ', 'demo.a': 'A', 'demo.go': '進む', 'demo.b': 'B' }, en: { 'demo.title': 'Demo', 'demo.a': 'A', 'demo.go': 'Go', 'demo.b': 'B' } };
  const lint = (flow: ReturnType<typeof base>, loc = locales) => lintFlows({ byId: new Map([['demo', parseFlow(flow, 'demo')]]), ordered: [parseFlow(flow, 'demo')] }, loc);

  it('accepts a clean flow', () => expect(lint(base())).toEqual([]));

  it('names the flow and step of a broken edge or a bad step', () => {
    const f = base();
    (f.steps.a as { options: { next: string }[] }).options[0]!.next = 'nowhere';
    expect(() => parseFlow(f, 'demo')).toThrow(new FlowError('demo', 'a', 'goes to "nowhere", which does not exist'));
    const g = base();
    g.steps.b = { type: 'summary' };
    expect(() => parseFlow(g, 'demo')).toThrow(/flow "demo", step "b"/);
  });

  it('finds unreachable steps, dead ends, missing and unused keys, long labels', () => {
    const f = base();
    f.steps.orphan = { type: 'summary', text: 'demo.b' };
    f.steps.loop = { type: 'message', text: 'demo.a', next: 'loop' };
    expect(lint(f).join('\n')).toMatch(/step "orphan": not reachable/);
    expect(lint(f).join('\n')).toMatch(/step "loop": a dead end/);
    // A loop with a way out is no dead end, whichever step of it is looked at first.
    // (ring2's only way on is back to ring1, which a depth-first walk from ring1 had not finished yet.)
    const g = base();
    g.steps.a = { type: 'choice', text: 'demo.a', options: [{ label: 'demo.go', next: 'ring1' }] };
    g.steps.ring1 = { type: 'choice', text: 'demo.a', options: [{ label: 'demo.go', next: 'ring2' }, { label: 'demo.go', next: 'b' }] };
    g.steps.ring2 = { type: 'message', text: 'demo.a', next: 'ring1' };
    expect(lint(g).join('\n')).not.toMatch(/a dead end/);
    const missing = { ja: { ...locales.ja, 'demo.extra': 'x' }, en: { ...locales.en, 'demo.go': 'A label that is far too long' } };
    const problems = lint(base(), missing).join('\n');
    expect(problems).toMatch(/"demo.extra" is missing in en.json/);
    expect(problems).toMatch(/"demo.extra" is not used/);
    expect(problems).toMatch(/label "demo.go" in en is longer than 20/);
  });

  it('refuses a guide whose shortcut buttons would not fit in a payload', () => {
    const f = { ...base(), shortcuts: [{ step: 'b', keywords: ['demo'] }] };
    expect(lint(f)).toEqual([]);
    // "j" + a 40-character id + "-10" is one character more than an action may have.
    const long = { ...f, id: 'd'.repeat(40), shortcuts: Array.from({ length: 11 }, () => ({ step: 'b', keywords: ['demo'] })) };
    const flow = parseFlow(long, long.id);
    expect(lintFlows({ byId: new Map([[flow.id, flow]]), ordered: [flow] }, locales).join('\n')).toMatch(/shortcuts do not fit in a payload/);
  });
});

describe('locale keys outside the guides', () => {
  it('every key is used by code (as a literal, or a known family of codes) — no unused keys', async () => {
    const { readdirSync, readFileSync: read, statSync } = await import('node:fs');
    const { join } = await import('node:path');
    const { LINK_REASON_CODES, LINK_VERDICTS } = await import('../../src/listing/link-check.ts');
    const { SELLER_REASON_CODES, SELLER_RISK_LEVELS } = await import('../../src/listing/assess-seller-risk.ts');
    const { COMMANDS } = await import('../../src/engine/inbound-event.ts');
    const { TYPED_ACTIONS } = await import('../../src/engine/step.ts');
    const { DESCRIBED_TEXT_KEYS } = await import('../../src/listing/describe-seller.ts');
    const flows = loadFlows(FLOWS_DIR);
    const locales = loadLocales(LOCALES_DIR);
    const root = new URL('../../', import.meta.url).pathname;
    const sources: string[] = [];
    const walk = (dir: string) => {
      for (const name of readdirSync(dir)) {
        const p = join(dir, name);
        if (statSync(p).isDirectory()) walk(p);
        else if (/\.(ts|js|html)$/.test(name)) sources.push(read(p, 'utf8'));
      }
    };
    for (const dir of ['src', 'webhooks', 'web']) walk(join(root, dir));
    const code = sources.join('\n');
    const families: Record<string, readonly string[]> = {
      'link.reason.': LINK_REASON_CODES,
      'link.verdict.': LINK_VERDICTS,
      'seller.reason.': SELLER_REASON_CODES,
      'seller.advice.': SELLER_REASON_CODES,
      'seller.level.': SELLER_RISK_LEVELS,
      'seller.note.': SELLER_RISK_LEVELS,
      'telegram.command.': COMMANDS,
      'line.richmenu.hint.': flows.ordered.map((f) => f.command),
      'unsupported.': ['sticker', 'content'],
      'input.': TYPED_ACTIONS,
      'described.': DESCRIBED_TEXT_KEYS,
    };
    const usedByFlows = new Set<string>();
    for (const f of flows.ordered) {
      usedByFlows.add(f.title);
      for (const s of Object.values(f.steps)) {
        const { texts, labels } = textKeysOf(s);
        for (const k of [...texts, ...labels]) usedByFlows.add(k);
      }
    }
    const unused = Object.keys(locales.ja).filter((key) => {
      if (usedByFlows.has(key)) return false;
      if (code.includes(`'${key}'`) || code.includes(`"${key}"`) || code.includes(`\`${key}\``)) return false;
      return !Object.entries(families).some(([prefix, codes]) => key.startsWith(prefix) && codes.includes(key.slice(prefix.length)));
    });
    expect(unused).toEqual([]);
  });
});

describe('the wording of the incident and secure guides', () => {
  const flows = loadFlows(FLOWS_DIR);
  const locales = loadLocales(LOCALES_DIR);
  /** Ends of sentences in plain form (「変える。」「しないこと。」「〜から。」), where the guides ask politely. */
  const PLAIN_END = /(?:(?<![まで])す|(?<!ましょ|でしょ)う|[るくぐつぬぶむ]|(?<!ませ)ん|こと|ない|(?<![まし])た|だ|から)$/;

  it('asks in polite Japanese: no step text ends a sentence in plain form', () => {
    const plain: string[] = [];
    for (const id of ['incident', 'secure']) {
      for (const s of Object.values(flows.byId.get(id)!.steps)) {
        for (const key of textKeysOf(s).texts) {
          for (const sentence of locales.ja[key]!.split(/[。\n]/)) {
            if (PLAIN_END.test(sentence.trim())) plain.push(`${key}: …${sentence.trim().slice(-20)}`);
          }
        }
      }
    }
    expect(plain).toEqual([]);
  });

  it('the check catches the plain forms it is meant to', () => {
    for (const s of ['すぐにパスワードを変える', '共有のパソコンではしないこと', '「編集」から', '確かめる']) expect(s).toMatch(PLAIN_END);
    for (const s of ['変えてください', '閉じましょう', '届くことがあります', 'ありません', '使えました']) expect(s).not.toMatch(PLAIN_END);
  });
});
