import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { decodePayload } from '../../src/engine/button-payload.ts';
import { StoreUnavailableError } from '../../src/engine/session-store.ts';
import { MemorySessionStore } from '../../src/store/memory-session-store.ts';
import { pushRetryKeyFor } from '../../webhooks/line-webhook.ts';
import type { LineCall } from '../support/fake-line-api.ts';
import {
  LINE_GROUP_ID,
  lineBody,
  lineFollowEvent,
  lineImageEvent,
  lineJoinEvent,
  linePostbackEvent,
  lineStickerEvent,
  lineTextEvent,
  lineUnfollowEvent,
  signLine,
} from '../support/update-factories.ts';
import { LINE_SECRET, metricValue, startHarness, type Harness } from './harness.ts';
import { expectAllLineCallsWithinLimits } from './platform-limits.ts';

let h: Harness;
const ja = (key: string) => h.runtime.context.locales.ja[key]!;
const titles = () => h.runtime.context.flows.ordered.map((f) => ja(f.title));

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.close();
});
afterEach(() => {
  // Every message any test rendered is held to LINE's limits.
  expectAllLineCallsWithinLimits(h.line.calls);
  h.line.reset();
});

type QuickItem = { action: { type: string; label: string; data: string; displayText: string } };
const quickOf = (call: LineCall | undefined): QuickItem[] => (call?.body.messages.at(-1)?.quickReply?.items as QuickItem[] | undefined) ?? [];
const lastReply = () => h.line.replies.at(-1)!;
const textsOf = (call: LineCall | undefined) => ((call?.body.messages ?? []) as Array<{ type: string; text?: string }>).filter((m) => m.type === 'text').map((m) => m.text!);
const allTexts = () => h.line.replies.flatMap(textsOf).join('\n');
const isNav = (data: string) => ['b', 'm', 'r'].includes(decodePayload(data)?.action ?? '');

async function send(events: Parameters<typeof lineBody>[0]): Promise<Response> {
  return h.postLine(lineBody(events));
}

/** Taps the quick reply labelled `label` (or the first answer) under the newest reply. */
async function tap(userId: string, label?: string): Promise<Response> {
  const items = quickOf([...h.line.replies].reverse().find((r) => quickOf(r).length > 0));
  const item = label ? items.find((i) => i.action.label === label) : items.find((i) => !isNav(i.action.data));
  expect(item, `quick reply ${label ?? '(first answer)'} among ${items.map((i) => i.action.label).join(', ')}`).toBeDefined();
  return send([linePostbackEvent(item!.action.data, { userId })]);
}

describe('LINE webhook: verify, then parse', () => {
  it('answers the console\'s verification request (no events) with 200', async () => {
    const res = await h.postLine({ destination: 'Uf0000000000000000000000000000000', events: [] });
    expect(res.status).toBe(200);
    expect(h.line.calls).toHaveLength(0);
  });

  it('accepts a good signature and greets a new friend with the menu as quick replies', async () => {
    const res = await send([lineFollowEvent({ userId: 'Ufollow00000000000000000000000001' })]);
    expect(res.status).toBe(200);
    expect(h.line.replies).toHaveLength(1);
    expect(lastReply().headers.authorization).toBe('Bearer test-line-access-token');
    expect(allTexts()).toContain(ja('start.greeting'));
    expect(quickOf(lastReply()).map((i) => i.action.label)).toEqual(titles());
    for (const i of quickOf(lastReply())) expect(i.action.displayText).toBe(i.action.label);
  });

  it('checks the signature over the raw bytes: escaped emoji (\\ud83d\\ude00) pass', async () => {
    const event = lineTextEvent('PLACEHOLDER', { userId: 'Uemoji0000000000000000000000000001' });
    // Escapes exactly as LINE sends them; JSON.parse + JSON.stringify would turn them into 😀 and break the HMAC.
    const raw = JSON.stringify(lineBody([event])).replace('PLACEHOLDER', '\\ud83d\\ude00 \\u3053\\u3093\\u306b\\u3061\\u306f /help');
    expect(raw).toContain('\\ud83d\\ude00');
    const reserialised = JSON.stringify(JSON.parse(raw));
    expect(signLine(reserialised, LINE_SECRET)).not.toBe(signLine(raw, LINE_SECRET));
    const res = await h.postLine(null, { raw });
    expect(res.status).toBe(200);
    expect(h.line.replies).toHaveLength(1);
  });

  it.each([
    ['missing', null],
    ['wrong secret', signLine('{"destination":"x","events":[]}', 'another-channel-secret')],
    ['mangled', 'not*base64!!'],
    ['empty', ''],
  ])('refuses a %s signature with 401 and processes nothing', async (_name, signature) => {
    const res = await h.postLine(lineBody([lineTextEvent('/help')]), { signature });
    expect(res.status).toBe(401);
    expect(h.line.calls).toHaveLength(0);
    expect(h.logs.join('\n')).not.toContain(LINE_SECRET);
  });

  it('refuses a body changed after signing', async () => {
    const raw = JSON.stringify(lineBody([lineTextEvent('/help')]));
    const res = await h.postLine(null, { raw: raw.replace('/help', '/menu'), signature: signLine(raw, LINE_SECRET) });
    expect(res.status).toBe(401);
  });

  it('answers malformed JSON (correctly signed) with 400', async () => {
    expect((await h.postLine(null, { raw: '{"events": [' })).status).toBe(400);
    expect((await h.postLine(null, { raw: '{"destination":"x"}' })).status).toBe(400);
    expect(h.line.calls).toHaveLength(0);
  });

  it('answers an oversized body with 413', async () => {
    const res = await h.postLine(lineBody([lineTextEvent('x'.repeat(1100 * 1024))]));
    expect(res.status).toBe(413);
  });

  it('ignores unknown event types with 200', async () => {
    const beacon = { type: 'beacon', mode: 'active', timestamp: Date.now(), source: { type: 'user', userId: 'Ubeacon' }, webhookEventId: '01HZXBEACON000000000000000', deliveryContext: { isRedelivery: false }, replyToken: 'rtb', beacon: { hwid: 'd41d8cd98f', type: 'enter' } };
    const res = await h.postLine(lineBody([beacon as never, { type: 'somethingNew', webhookEventId: '01HZXNEW0000000000000000000' } as never]));
    expect(res.status).toBe(200);
    expect(h.line.calls).toHaveLength(0);
  });
});

describe('LINE webhook: a whole guide by quick replies', () => {
  it('walks the secure guide from the menu to its summary', async () => {
    const userId = 'Uwalk00000000000000000000000000001';
    expect((await send([lineFollowEvent({ userId })])).status).toBe(200);
    const secureTitle = ja(h.runtime.context.flows.byId.get('secure')!.title);
    expect((await tap(userId, secureTitle)).status).toBe(200);
    let taps = 1;
    for (; taps < 40; taps++) {
      const items = quickOf(lastReply());
      if (!items.some((i) => isNav(i.action.data)) && titles().every((t) => items.some((i) => i.action.label === t))) break;
      expect((await tap(userId)).status).toBe(200);
    }
    expect(taps).toBeGreaterThan(5);
    expect(taps).toBeLessThan(40);
    expect(allTexts()).toContain(ja('menu.after-guide'));
    // One reply per event, each with its own reply token.
    expect(new Set(h.line.replies.map((r) => r.body.replyToken)).size).toBe(h.line.replies.length);
  });

  it('walks the incident guide, whose evidence summary is a plain text of its own', async () => {
    const userId = 'Uwalk00000000000000000000000000002';
    await send([lineTextEvent('/report', { userId })]);
    let answeredOne = false;
    for (let i = 0; i < 40; i++) {
      const items = quickOf(lastReply());
      if (!items.some((x) => isNav(x.action.data))) break;
      // The first question of the summary is answered in words (a summary of nothing but skips is not shown).
      if (!answeredOne && items.some((x) => x.action.label === ja('incident.skip'))) {
        answeredOne = true;
        await send([lineTextEvent('2026年11月1日', { userId })]);
        continue;
      }
      const answer = items.find((x) => !isNav(x.action.data));
      // Questions without a skip button take typed answers.
      if (answer) await tap(userId);
      else await send([lineTextEvent('2026年11月1日', { userId })]);
    }
    const evidenceTitle = ja('evidence.title');
    const summary = h.line.replies.flatMap(textsOf).find((t) => t.startsWith(evidenceTitle));
    expect(summary, 'the evidence summary message').toBeDefined();
  });

  it('opens a guide from the rich menu (a postback carrying a slash command)', async () => {
    const userId = 'Urichmenu000000000000000000000001';
    const res = await send([linePostbackEvent('/secure', { userId })]);
    expect(res.status).toBe(200);
    expect(quickOf(lastReply()).some((i) => isNav(i.action.data))).toBe(true);
  });

  it('a stale quick reply gets "this button has expired" and the menu', async () => {
    const userId = 'Ustale00000000000000000000000001';
    await send([lineTextEvent('/menu', { userId })]);
    const old = quickOf(lastReply())[0]!.action.data;
    await tap(userId);
    h.line.reset();
    expect((await send([linePostbackEvent(old, { userId })])).status).toBe(200);
    expect(allTexts()).toContain(ja('button.expired'));
    expect(quickOf(lastReply()).map((i) => i.action.label)).toEqual(expect.arrayContaining(titles()));
  });

  it('a forged postback is refused politely', async () => {
    expect((await send([linePostbackEvent('action=buy&itemid=111', { userId: 'Uforged0000000000000000000000001' })])).status).toBe(200);
    expect(allTexts()).toContain(ja('button.invalid'));
  });
});

describe('LINE webhook: verdict cards', () => {
  it('shows a fake-Amazon link as a red Flex bubble with altText', async () => {
    const res = await send([lineTextEvent('このSMSのリンク https://amazon-co-jp.account-verify.example.com/signin', { userId: 'Uflex000000000000000000000000001' })]);
    expect(res.status).toBe(200);
    const flex = (lastReply().body.messages as any[]).find((m) => m.type === 'flex');
    expect(flex).toBeDefined();
    const bubble = flex.contents.type === 'carousel' ? flex.contents.contents[0] : flex.contents;
    expect(bubble.header.backgroundColor).toBe('#C62828');
    expect(flex.altText).toContain(ja('link.verdict.impersonation'));
  });
});

describe('LINE webhook: exactly once', () => {
  it('the same event delivered five times at once gives one reply and one state change', async () => {
    const userId = 'Udup000000000000000000000000000001';
    const body = lineBody([lineTextEvent('/secure', { userId })]);
    const results = await Promise.all(Array.from({ length: 5 }, () => h.postLine(body)));
    for (const r of results) expect([200, 503]).toContain(r.status);
    expect(h.line.replies).toHaveLength(1);
    expect((await h.store.load(`line:${userId}`)).version).toBe(1);
    expect((await h.postLine(body)).status).toBe(200);
    expect(h.line.replies).toHaveLength(1);
  });

  it('handles a batch of events in order for one user', async () => {
    const userId = 'Ubatch00000000000000000000000001';
    const res = await send([lineTextEvent('/menu', { userId }), lineTextEvent('/help', { userId })]);
    expect(res.status).toBe(200);
    expect(h.line.replies).toHaveLength(2);
    expect((await h.store.load(`line:${userId}`)).version).toBe(2);
  });
});

describe('LINE webhook: content it cannot read', () => {
  it('answers an image and a sticker politely', async () => {
    expect((await send([lineImageEvent({ userId: 'Uimage0000000000000000000000000001' })])).status).toBe(200);
    expect(textsOf(lastReply()).join('\n')).toContain(ja('unsupported.content'));
    expect((await send([lineStickerEvent({ userId: 'Usticker00000000000000000000000001' })])).status).toBe(200);
    expect(textsOf(lastReply()).join('\n')).toContain(ja('unsupported.sticker'));
  });
});

describe('LINE webhook: groups', () => {
  it('ignores chatter, answers mentions, commands and links compactly', async () => {
    expect((await send([lineTextEvent('明日の集合は10時で', { groupId: LINE_GROUP_ID })])).status).toBe(200);
    expect(h.line.replies).toHaveLength(0);

    expect((await send([lineTextEvent('@守り これ本物？', { groupId: LINE_GROUP_ID, mentionSelfAt: { index: 0, length: 3 } })])).status).toBe(200);
    expect(textsOf(lastReply()).join('\n')).toContain(ja('group.intro'));
    expect(quickOf(lastReply())).toHaveLength(0);

    expect((await send([lineTextEvent('/check', { groupId: LINE_GROUP_ID })])).status).toBe(200);
    expect(h.line.replies).toHaveLength(2);

    expect((await send([lineTextEvent('届いた https://amazon-co-jp.account-verify.example.com/signin', { groupId: LINE_GROUP_ID })])).status).toBe(200);
    expect(textsOf(lastReply()).join('\n')).toContain(ja('group.private'));
    expect((lastReply().body.messages as any[]).some((m) => m.type === 'flex')).toBe(true);
    expect((await h.store.load(`line:${LINE_GROUP_ID}`)).state).toBeNull();
  });

  it('introduces itself when it joins a group', async () => {
    expect((await send([lineJoinEvent('Cjoin0000000000000000000000000001')])).status).toBe(200);
    expect(textsOf(lastReply()).join('\n')).toContain(ja('group.intro'));
  });
});

describe('LINE webhook: unfollow', () => {
  it('deletes everything stored about the user', async () => {
    const userId = 'Uunfollow000000000000000000000001';
    await send([lineTextEvent('/secure', { userId })]);
    expect((await h.store.load(`line:${userId}`)).state).not.toBeNull();
    expect((await send([lineUnfollowEvent({ userId })])).status).toBe(200);
    expect((await h.store.load(`line:${userId}`)).state).toBeNull();
    expect(h.line.replies).toHaveLength(1);
  });
});

describe('LINE webhook: failed replies', () => {
  it('logs and counts an expired reply token, answers 200, and does not push by default', async () => {
    const event = lineTextEvent('/help', { userId: 'Uexpired000000000000000000000001' });
    h.line.expireReplyToken(event.replyToken!);
    const before = await metricValue(h.runtime, 'mamori_replies_total', { channel: 'line', result: 'failed' });
    expect((await send([event])).status).toBe(200);
    expect(h.line.replies).toHaveLength(1);
    expect(h.line.pushes).toHaveLength(0);
    expect(await metricValue(h.runtime, 'mamori_replies_total', { channel: 'line', result: 'failed' })).toBe(before + 1);
    expect(h.logs.some((l) => l.includes('MAMORI_SEND_FAILED') && l.includes('Invalid reply token'))).toBe(true);
    // Marked delivered: a redelivery does not try again.
    expect((await send([event])).status).toBe(200);
    expect(h.line.replies).toHaveLength(1);
  });

  it('a LINE server error is logged and counted too (a redelivered token could not reply anyway)', async () => {
    h.line.failNext('/v2/bot/message/reply', 500, { message: 'Internal error' });
    expect((await send([lineTextEvent('/help', { userId: 'U5xx00000000000000000000000000001' })])).status).toBe(200);
  });

  it('pushes instead when LINE_PUSH_FALLBACK=true, with a retry key that makes a second push harmless', async () => {
    const withPush = await startHarness({ LINE_PUSH_FALLBACK: 'true' });
    try {
      const userId = 'Upush0000000000000000000000000001';
      const event = lineTextEvent('/help', { userId });
      withPush.line.expireReplyToken(event.replyToken!);
      expect((await withPush.postLine(lineBody([event]))).status).toBe(200);
      const [push] = withPush.line.pushes;
      expect(push!.body.to).toBe(userId);
      expect(push!.headers['x-line-retry-key']).toBe(pushRetryKeyFor(event.webhookEventId));
      expect(push!.headers['x-line-retry-key']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      expectAllLineCallsWithinLimits(withPush.line.calls);
    } finally {
      await withPush.close();
    }
  });
});

describe('LINE webhook: store outages', () => {
  it('answers 503 quickly when the store is unreachable, replying nothing', async () => {
    const store = new MemorySessionStore();
    // Every call that reaches the backend fails (peek is memory only: the first round trip is the commit).
    store.load = store.commitChecked = async () => {
      throw new StoreUnavailableError('redis down');
    };
    const down = await startHarness({}, { store });
    try {
      const res = await down.postLine(lineBody([lineTextEvent('/start')]));
      expect(res.status).toBe(503);
      expect(down.line.calls).toHaveLength(0);
    } finally {
      await down.close();
    }
  });
});
