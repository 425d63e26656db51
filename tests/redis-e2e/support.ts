/**
 * Helpers for the whole-app Redis tests: a Telegram conversation driven through one or more running apps
 * (in-process harnesses or spawned `bin/mamori.js serve` processes), its transcript as the fake Bot API
 * recorded it, and raw reads of everything in a Redis server (never through the store under test).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import type { User } from 'telegraf/types';
import { decodePayload } from '../../src/engine/button-payload.ts';
import { decodeSession, type Session } from '../../src/engine/session.ts';
import type { SessionStore } from '../../src/engine/session-store.ts';
import type { FakeTelegramApi, TelegramCall } from '../support/fake-telegram-api.ts';
import { freePort, waitForHttp } from '../support/free-port.ts';
import { tgCallbackUpdate, tgTextUpdate } from '../support/update-factories.ts';
import { TG_SECRET, TG_TOKEN, type Harness } from '../webhooks/harness.ts';

export const BIN = fileURLToPath(new URL('../../bin/mamori.js', import.meta.url));

/** High per-user limits, so the rate limit never interferes with these tests. */
export const NO_RATE_LIMIT = { USER_RATE_LIMIT: '10000', USER_RATE_BURST: '10000' } as const;

/** Somewhere Telegram updates can be posted to, with the fake Bot API that app sends its answers to. */
export interface TgEndpoint {
  readonly name: string;
  readonly telegram: FakeTelegramApi;
  post(update: unknown): Promise<Response>;
}

export function harnessEndpoint(name: string, h: Harness): TgEndpoint {
  return { name, telegram: h.telegram, post: (update) => h.postTelegram(update) };
}

export function urlEndpoint(name: string, base: string, telegram: FakeTelegramApi): TgEndpoint {
  return {
    name,
    telegram,
    post: (update) =>
      fetch(`${base}/webhooks/telegram`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TG_SECRET },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(15_000),
      }),
  };
}

export interface Button {
  label: string;
  data: string;
}

/** One sendMessage as the fake Bot API received it. */
export interface SentMessage {
  text: string;
  buttons: Button[][];
  messageId: number;
  /** The endpoint that sent it. */
  via: string;
}

export function buttonsOf(call: TelegramCall): Button[][] {
  const rows = (call.payload.reply_markup?.inline_keyboard ?? []) as Array<Array<{ text: string; callback_data: string }>>;
  return rows.map((row) => row.map((b) => ({ label: b.text, data: b.callback_data })));
}

let bodyMessageId = 900_000;

/**
 * A message the webhook answer itself carries, for the chat `chatId`: a new one (`{"method":"sendMessage",…}`,
 * which Telegram executes) or a pressed prompt replaced in place (`editMessageText`, same message id); null for
 * an empty answer or another method. Telegram gives a new message an id we never learn; a made-up one stands in.
 */
export function messageInAnswer(status: number, body: string, chatId: number): Omit<SentMessage, 'via'> | null {
  if (status !== 200 || !body.trim().startsWith('{')) return null;
  let parsed: Record<string, any>;
  try {
    parsed = JSON.parse(body) as Record<string, any>;
  } catch {
    return null;
  }
  if ((parsed.method !== 'sendMessage' && parsed.method !== 'editMessageText') || parsed.chat_id !== chatId) return null;
  const messageId = parsed.method === 'editMessageText' ? Number(parsed.message_id) : bodyMessageId++;
  return { text: String(parsed.text), buttons: buttonsOf({ method: parsed.method, token: '', payload: parsed, at: 0 } as TelegramCall), messageId };
}

/**
 * sendMessage calls the app made to one chat through the Bot API. A method the app answered in a webhook
 * body is read from that body (messageInAnswer), so it is left out here even where the test harness has
 * the fake record it too (`via: 'webhook-answer'`).
 */
export function sentTo(telegram: FakeTelegramApi, chatId: number): TelegramCall[] {
  return telegram.callsOf('sendMessage').filter((c) => c.payload.chat_id === chatId && (c as { via?: string }).via !== 'webhook-answer');
}

/**
 * A payload without its conversation id (`<sid>.<turn>.<action>` → `<turn>.<action>`): the sid comes from
 * the clock at the first message, so two runs of the same conversation differ only there.
 */
export function withoutSid(data: string): string {
  const p = decodePayload(data);
  return p ? `${p.turn.toString(36)}.${p.action}` : `!${data}`;
}

/** What a transcript is compared on: every text and every button (label and turn.action), in order. */
export function comparable(messages: readonly SentMessage[]): Array<{ text: string; buttons: string[][] }> {
  return messages.map((m) => ({ text: m.text, buttons: m.buttons.map((row) => row.map((b) => `${b.label} | ${withoutSid(b.data)}`)) }));
}

export interface PostResult {
  status: number;
  ms: number;
  /** The messages this update produced (sendMessage calls to the user's chat while it was handled). */
  messages: SentMessage[];
}

/**
 * One user's Telegram conversation, one update at a time, possibly over several endpoints. The transcript
 * collects, per update, the sendMessage calls the handling endpoint's fake API received for this chat
 * while the update was handled (the webhook answers only after sending, so they are all in by then).
 */
export class TgConversation {
  readonly transcript: SentMessage[] = [];
  /** The last update posted, to redeliver it. */
  lastUpdate: unknown;

  readonly user: User;
  readonly ja: Readonly<Record<string, string>>;

  constructor(user: User, ja: Readonly<Record<string, string>>) {
    this.user = user;
    this.ja = ja;
  }

  async post(ep: TgEndpoint, update: unknown): Promise<PostResult> {
    const before = sentTo(ep.telegram, this.user.id).length;
    this.lastUpdate = update;
    const started = performance.now();
    const res = await ep.post(update);
    const body = await res.text();
    const ms = performance.now() - started;
    const messages: SentMessage[] = sentTo(ep.telegram, this.user.id)
      .slice(before)
      .map((c) => ({ text: String(c.payload.text), buttons: buttonsOf(c), messageId: c.messageId ?? 0, via: ep.name }));
    const inBody = messageInAnswer(res.status, body, this.user.id);
    if (inBody) messages.push({ ...inBody, via: ep.name });
    if (res.status === 200) this.transcript.push(...messages);
    return { status: res.status, ms, messages };
  }

  text(ep: TgEndpoint, text: string): Promise<PostResult> {
    return this.post(ep, tgTextUpdate(text, { user: this.user }));
  }

  /** The newest message of the transcript that has buttons. */
  lastKeyboard(): SentMessage {
    const m = [...this.transcript].reverse().find((x) => x.buttons.length > 0);
    if (!m) throw new Error('no message with buttons yet');
    return m;
  }

  /** The update a press on `label` (a label, or a ja locale key) under the newest keyboard would be. */
  pressUpdate(label: string, on: SentMessage = this.lastKeyboard()) {
    const wanted = this.ja[label] ?? label;
    const button = on.buttons.flat().find((b) => b.label === wanted);
    if (!button) throw new Error(`no button "${wanted}" among: ${on.buttons.flat().map((b) => b.label).join(' / ')}`);
    return tgCallbackUpdate(button.data, { user: this.user, messageId: on.messageId });
  }

  press(ep: TgEndpoint, label: string, on?: SentMessage): Promise<PostResult> {
    return this.post(ep, this.pressUpdate(label, on));
  }
}

/** Expects a 200 and returns the texts sent. */
export function ok(r: PostResult): string[] {
  if (r.status !== 200) throw new Error(`expected 200, got ${r.status}`);
  return r.messages.map((m) => m.text);
}

// ---------------------------------------------------------------- raw Redis

/** A plain client for reading what is in Redis, outside the app and its store. */
export function rawClient(url: string): Redis {
  return new Redis(url, { lazyConnect: false, maxRetriesPerRequest: 1, enableOfflineQueue: true, connectionName: 'mamori-test-inspector' });
}

export interface DumpedKey {
  key: string;
  type: string;
  /** Milliseconds to live (-1: none). */
  pttl: number;
  /** The value as text: the string, or every field and value of a hash, list, set or sorted set. */
  value: string;
}

/** Every key in one Redis server (SCAN over the whole keyspace), with its type, TTL and value. */
export async function dumpAll(url: string): Promise<DumpedKey[]> {
  const r = rawClient(url);
  try {
    const keys = new Set<string>();
    let cursor = '0';
    do {
      const [next, batch] = await r.scan(cursor, 'COUNT', 1000);
      for (const k of batch) keys.add(k);
      cursor = next;
    } while (cursor !== '0');
    const out: DumpedKey[] = [];
    for (const key of keys) {
      const type = await r.type(key);
      let value = '';
      if (type === 'string') value = (await r.get(key)) ?? '';
      else if (type === 'hash') value = JSON.stringify(await r.hgetall(key));
      else if (type === 'list') value = JSON.stringify(await r.lrange(key, '0', '-1'));
      else if (type === 'set') value = JSON.stringify(await r.smembers(key));
      else if (type === 'zset') value = JSON.stringify(await r.zrange(key, '0', '-1', 'WITHSCORES'));
      else if (type === 'stream') value = JSON.stringify(await r.xrange(key, '-', '+'));
      else if (type === 'none') continue; // expired or deleted meanwhile
      out.push({ key, type, pttl: await r.pttl(key), value });
    }
    return out;
  } finally {
    r.disconnect();
  }
}

/**
 * The user's stored session and its compare-and-set version, read through a store of the test's own (so the
 * check does not depend on the key layout): version = number of commits, `session.turn` = turns taken.
 */
export async function readStoredSession(store: SessionStore, userKey: string): Promise<{ version: number; session: Session } | null> {
  const loaded = await store.load(userKey);
  if (loaded.state === null) return null;
  const decoded = decodeSession(loaded.state);
  if (!decoded.session) throw new Error(`stored session does not decode: ${loaded.state}`);
  return { version: loaded.version, session: decoded.session };
}

/** Whether the store has `eventId` of the user recorded as handled and sent. */
export async function deliveredMark(store: SessionStore, userKey: string, eventId: string | number): Promise<string> {
  const { delivery } = await store.load(userKey, String(eventId));
  return delivery?.status ?? 'none';
}

/** Retries `check` until it stops throwing (for work the app finishes after answering, such as the sent mark). */
export async function eventually<T>(what: string, check: () => Promise<T>, timeoutMs = 5000): Promise<T> {
  const until = performance.now() + timeoutMs;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (performance.now() > until) throw new Error(`${what}: still failing after ${timeoutMs} ms: ${(err as Error).message}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

// ---------------------------------------------------------------- spawned server

export interface ServeProcess {
  readonly child: ChildProcess;
  readonly base: string;
  readonly port: number;
  output(): string;
  /** SIGKILL, and wait for the exit. */
  kill(): Promise<void>;
}

/**
 * `node bin/mamori.js serve` with Telegram pointed at a fake Bot API and sessions in Redis (`env` adds or
 * overrides variables, e.g. REDIS_URL or REDIS_CLUSTER_NODES). Resolves once /readyz answers 200.
 */
export async function startServe(env: Record<string, string>, telegram: FakeTelegramApi): Promise<ServeProcess> {
  const port = await freePort();
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: {
      PATH: process.env.PATH ?? '',
      PORT: String(port),
      HOST: '127.0.0.1',
      LOG_LEVEL: 'info',
      EXPAND_LINKS: 'false',
      WEB_CHAT: 'false',
      TELEGRAM_BOT_TOKEN: TG_TOKEN,
      TELEGRAM_WEBHOOK_SECRET: TG_SECRET,
      TELEGRAM_API_ROOT: telegram.apiRoot,
      TELEGRAM_BOT_USERNAME: 'MamoriTestBot',
      ...NO_RATE_LIMIT,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d) => (out += d));
  child.stderr!.on('data', (d) => (out += d));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const base = `http://127.0.0.1:${port}`;
  const handle: ServeProcess = {
    child,
    base,
    port,
    output: () => out,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
  try {
    await eventually(
      'the spawned server to be ready',
      async () => {
        if (child.exitCode !== null) throw new Error(`exited with ${child.exitCode}:\n${out}`);
        const res = await waitForHttp(`${base}/readyz`, 1000);
        if (res.status !== 200) throw new Error(`/readyz ${res.status}`);
      },
      20_000,
    );
  } catch (err) {
    await handle.kill();
    throw new Error(`${(err as Error).message}\n--- server output ---\n${out}`);
  }
  return handle;
}
