import { describe, expect, it } from 'vitest';
import { encodePayload } from '../../src/engine/button-payload.ts';
import type { Reply, VerdictLevel } from '../../src/engine/reply.ts';
import { LEVEL_COLOURS, renderForLine } from '../../webhooks/render-for-line.ts';
import { expectWithinLineLimits } from './platform-limits.ts';

const b = (label: string, action: string) => ({ label, payload: encodePayload('k3x9a', 41, action) });
const verdict = (level: VerdictLevel, title = `${level} card`): Reply => ({ kind: 'verdict', level, title, lines: ['• 理由', '  → すること'] });

describe('renderForLine', () => {
  it('colours verdict bubbles by risk level, with altText', () => {
    for (const level of ['danger', 'high', 'medium', 'low', 'unknown'] as const) {
      const [m] = renderForLine([verdict(level, '販売者のリスク：高')]) as any[];
      expect(m.type).toBe('flex');
      expect(m.contents.header.backgroundColor).toBe(LEVEL_COLOURS[level].background);
      expect(m.altText).toContain('販売者のリスク：高');
    }
    expect(new Set(Object.values(LEVEL_COLOURS).map((c) => c.background)).size).toBe(5);
  });

  it('gives a seller card an altText that reads as a sentence (no bullet after the dash)', () => {
    // altText is what the talk list and the notification show.
    const [m] = renderForLine([
      { kind: 'verdict', level: 'high', title: '危険度：高い', lines: ['• 相場の10分の1以下の価格です。', '  → 購入は控えてください。'] },
    ]) as any[];
    expect(m.altText).toBe('危険度：高い — 相場の10分の1以下の価格です。');
    const [link] = renderForLine([{ kind: 'verdict', level: 'danger', title: 'Amazonを装ったリンクです', lines: ['ドメイン: amazon.example.xyz'] }]) as any[];
    expect(link.altText).toBe('Amazonを装ったリンクです — ドメイン: amazon.example.xyz');
  });

  it('merges texts, keeps the summary on its own, and puts quick replies on the last message', () => {
    const out = renderForLine([
      { kind: 'text', text: 'a' },
      { kind: 'summary', title: '相談用のまとめ', text: 'いつ: 昨日' },
      { kind: 'text', text: 'b' },
      { kind: 'text', text: 'c', buttons: [b('はい', 'o0'), b('戻る', 'b')] },
    ]) as any[];
    expect(out.map((m) => m.text)).toEqual(['a', '相談用のまとめ\nいつ: 昨日', 'b\n\nc']);
    expect(out[2].quickReply.items.map((i: any) => i.action.label)).toEqual(['はい', '戻る']);
    expect(out[2].quickReply.items[0].action).toMatchObject({ type: 'postback', displayText: 'はい', data: encodePayload('k3x9a', 41, 'o0') });
    expectWithinLineLimits(out);
  });

  it('puts several verdicts in one carousel', () => {
    const out = renderForLine([verdict('danger'), verdict('medium'), verdict('unknown'), { kind: 'text', text: 'more' }]) as any[];
    expect(out).toHaveLength(2);
    expect(out[0].contents.type).toBe('carousel');
    expect(out[0].contents.contents).toHaveLength(3);
    expectWithinLineLimits(out);
  });

  it('never exceeds five messages or the text limit, however much the engine says', () => {
    const huge = 'あ'.repeat(12_000);
    const replies: Reply[] = [];
    for (let i = 0; i < 6; i++) replies.push(verdict('high'), { kind: 'summary', title: `まとめ${i}`, text: huge }, { kind: 'text', text: huge });
    replies.push({ kind: 'text', text: 'last', buttons: Array.from({ length: 20 }, (_, i) => b(`ボタン${i}の長い長い長い長いラベルです`, `o${i % 10}`)) });
    const out = renderForLine(replies);
    expectWithinLineLimits(out);
    expect((out.at(-1) as any).quickReply.items).toHaveLength(13);
  });

  it('counts UTF-16 units (emoji take two) when splitting', () => {
    const out = renderForLine([{ kind: 'text', text: '😀'.repeat(3000) }]) as any[];
    expect(out.length).toBe(2);
    for (const m of out) expect(m.text.length).toBeLessThanOrEqual(5000);
    expect(out.map((m) => m.text).join('')).toBe('😀'.repeat(3000));
  });
});
