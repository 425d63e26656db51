import { flowSetOf, parseFlow, textKeysOf } from '../../src/engine/load-flows.ts';
import type { Locales } from '../../src/engine/locales.ts';
import type { AdvisorContext, FlowSet, SellerAssessment } from '../../src/engine/step.ts';

/** A small guide set using every step type, independent of the shipped content. */
export function fixtureFlows(): FlowSet {
  const check = parseFlow(
    {
      id: 'check',
      order: 0,
      title: 'fx.check.title',
      command: 'check',
      keywords: ['チェック', 'check'],
      start: 'ask',
      steps: {
        ask: {
          type: 'link-check',
          text: 'fx.check.ask',
          routes: { fake: 'fake', listing: 'price', official: 'done', shortlink: 'done', marketplace: 'done', unknown: 'done' },
        },
        fake: { type: 'summary', text: 'fx.check.fake' },
        price: { type: 'question', text: 'fx.check.price', field: 'price', input: 'yen', next: 'typical' },
        typical: { type: 'question', text: 'fx.check.typical', field: 'typicalPrice', input: 'yen', skip: 'fx.skip', next: 'ship' },
        ship: {
          type: 'choice',
          text: 'fx.check.ship',
          options: [
            { label: 'fx.ship.amazon', next: 'result', set: { fulfilment: 'amazon' } },
            { label: 'fx.ship.seller', next: 'result', set: { fulfilment: 'seller' } },
          ],
        },
        result: { type: 'summary', text: 'fx.check.result', show: 'seller-risk' },
        done: { type: 'summary', text: 'fx.check.done' },
      },
    },
    'check',
  );
  const secure = parseFlow(
    {
      id: 'secure',
      order: 1,
      title: 'fx.secure.title',
      command: 'secure',
      keywords: ['2段階認証', 'パスワード', 'セキュリティ'],
      start: 'intro',
      steps: {
        intro: { type: 'message', text: 'fx.secure.intro', next: 'list' },
        list: { type: 'checklist', text: 'fx.secure.list', items: [{ text: 'fx.secure.i1' }, { text: 'fx.secure.i2' }, { text: 'fx.secure.i3' }], next: 'end' },
        end: { type: 'summary', text: 'fx.secure.end' },
      },
    },
    'secure',
  );
  const report = parseFlow(
    {
      id: 'incident',
      order: 2,
      title: 'fx.incident.title',
      command: 'report',
      keywords: ['乗っ取り', '届かない', '乗っ取り対策'],
      start: 'when',
      steps: {
        when: { type: 'question', text: 'fx.incident.when', field: 'when', input: 'date', skip: 'fx.skip', next: 'what' },
        what: { type: 'question', text: 'fx.incident.what', field: 'what', input: 'text', skip: 'fx.skip', next: 'amount' },
        amount: { type: 'question', text: 'fx.incident.amount', field: 'amount', input: 'yen', skip: 'fx.skip', next: 'sum' },
        sum: {
          type: 'summary',
          text: 'fx.incident.sum',
          show: 'evidence',
          fields: [
            { label: 'fx.incident.l-when', field: 'when' },
            { label: 'fx.incident.l-what', field: 'what' },
            { label: 'fx.incident.l-amount', field: 'amount' },
          ],
        },
      },
    },
    'incident',
  );
  return flowSetOf([check, secure, report]);
}

/** Locales where every text is its own key (English marks it so tests can tell the language). */
export function fixtureLocales(flows: FlowSet): Locales {
  const keys = new Set<string>();
  for (const f of flows.ordered) {
    keys.add(f.title);
    for (const s of Object.values(f.steps)) {
      const { texts, labels } = textKeysOf(s);
      for (const k of [...texts, ...labels]) keys.add(k);
    }
  }
  const ja: Record<string, string> = {};
  const en: Record<string, string> = {};
  for (const k of keys) {
    ja[k] = k;
    en[k] = `en:${k}`;
  }
  ja['checklist.progress'] = '{n}/{total}';
  en['checklist.progress'] = '{n}/{total}';
  ja['command.unknown'] = 'unknown {command}';
  en['command.unknown'] = 'unknown {command}';
  return { ja, en };
}

/** A seller assessment stand-in: high when the price is under a third of the usual price. */
export function fakeAssess(signals: Record<string, unknown>): SellerAssessment {
  const p = signals.price as number | undefined;
  const t = signals.typicalPrice as number | undefined;
  if (p !== undefined && t !== undefined && p * 3 < t) return { level: 'high', score: 80, reasons: ['price-far-below'] };
  return { level: 'unknown', score: 0, reasons: [] };
}

export function fixtureContext(): AdvisorContext {
  const flows = fixtureFlows();
  return { flows, locales: fixtureLocales(flows), assessSeller: fakeAssess };
}
