// What the webhook benchmarks share (bench/run.ts, bench/ab.ts): the load (realistic updates from many users,
// autocannon's settings), Mamori's benchmark configuration, the fake API, and reading a process's CPU time.
import autocannon from 'autocannon';
import type { Redis } from 'ioredis';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { freePort, waitForHttp } from '../tests/support/free-port.ts';

/** Connections the load generator keeps open (the issue's setting). */
export const CONNECTIONS = 50;
export const TOKEN = '7000001:AAHbenchTokenForMamoriBenchmarks_xyz';
export const SECRET = 'bench-webhook-secret';
export const LINE_SECRET = 'bench-line-channel-secret';
/** This checkout's root. */
export const root = fileURLToPath(new URL('../', import.meta.url));

/** Mamori's configuration for a benchmark server (`env.API_ROOT`: the fake Bot/LINE API). */
export const mamoriEnv = (env: Record<string, string>) => ({
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_ROOT: env.API_ROOT!,
  TELEGRAM_BOT_USERNAME: 'bench_bot',
  LINE_CHANNEL_SECRET: LINE_SECRET,
  LINE_CHANNEL_ACCESS_TOKEN: 'bench-line-token',
  LINE_API_BASE_URL: env.API_ROOT!,
  WEB_CHAT: 'false',
  LOG_LEVEL: 'warn',
  // The load sends each user about one update a second, far above what a person types, and over the default
  // limits (30 a minute, 10 in 10 s) a user is answered with silence, which costs less than a reply. The
  // limits are still counted on every update; raising them keeps every update on the full path.
  USER_RATE_LIMIT: '10000',
  USER_RATE_BURST: '10000',
});

/**
 * Realistic traffic: each user pastes a URL, presses a button, then types an answer, round-robin over `users`.
 * On Telegram a press uses a button of the last keyboard that user was answered with (read from the webhook
 * answer, where Mamori puts its reply), as a person would press the prompt they just got; the telegraf
 * baseline answers through the API instead, so its presses carry a made-up payload (its handler does not
 * read it). On LINE the reply goes through the reply API, out of the load generator's sight, so presses
 * carry a made-up payload too and Mamori answers them as expired buttons (with the menu).
 */
export interface Traffic {
  next(): { body: string; headers: Record<string, string> };
  /** Reads a webhook answer for the keyboard it carries (autocannon's onResponse). */
  onResponse(status: number, body: string): void;
}

const CALLBACK_DATA = /"callback_data":"([^"\\]{1,64})"/;
const CHAT_ID = /"chat_id":(-?\d+)/;
const MESSAGE_ID = /"message_id":(\d+)/;

export function makeTraffic(channel: 'telegram' | 'line', users: number, firstUser = TIMED_FIRST_USER): Traffic {
  let n = 0;
  const urls = [
    'これ大丈夫ですか？ https://www.amazon.co.jp/ソニー-PlayStation-4/dp/B01N5QTFAK/ref=sr_1_1?th=1&psc=1',
    'https://amazon.co.jp.sign-in-xyz.top/login 届いたSMSのリンクです',
    '出品者が怪しい https://www.amazon.co.jp/sp?seller=A1B2C3D4E5F6G7&marketplaceID=A1VC38T7YXB528',
  ];
  /** chat id → the first button's callback_data and the message it sits on, from the latest answer. */
  const keyboards = new Map<number, { data: string; messageId: number }>();
  const next = () => {
    const i = n++;
    const user = firstUser + (i % users);
    const round = Math.floor(i / users) % 3;
    const text = round === 0 ? urls[i % urls.length]! : round === 2 ? '2,980円くらいです' : null;
    const fallbackData = `k${(i % 7).toString(36)}.1.n`;
    if (channel === 'telegram') {
      const from = { id: user, is_bot: false, first_name: 'U', language_code: 'ja' };
      const chat = { id: user, type: 'private', first_name: 'U' };
      const date = Math.floor(Date.now() / 1000);
      const pressed = keyboards.get(user);
      const update =
        text !== null
          ? { update_id: i + 1, message: { message_id: i + 1, date, from, chat, text } }
          : {
              update_id: i + 1,
              callback_query: {
                id: `cb${i}`,
                from,
                chat_instance: 'ci',
                data: pressed?.data ?? fallbackData,
                message: { message_id: pressed?.messageId ?? i, date, chat, from: { id: 7000001, is_bot: true, first_name: 'B' }, text: 'x' },
              },
            };
      const headers: Record<string, string> = { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': SECRET };
      return { body: JSON.stringify(update), headers };
    }
    const source = { type: 'user', userId: `U${user.toString(16).padStart(32, '0')}` };
    const base = { source, timestamp: 1_763_700_000_000 + i, mode: 'active', webhookEventId: `01BENCH${i.toString(36).toUpperCase().padStart(19, '0')}`, deliveryContext: { isRedelivery: false }, replyToken: `rt${i}` };
    const event = text !== null ? { ...base, type: 'message', message: { id: String(i), type: 'text', quoteToken: 'q', text } } : { ...base, type: 'postback', postback: { data: fallbackData } };
    const body = JSON.stringify({ destination: 'Ubench', events: [event] });
    const signature = createHmac('sha256', LINE_SECRET).update(body).digest('base64');
    const headers: Record<string, string> = { 'content-type': 'application/json', 'x-line-signature': signature };
    return { body, headers };
  };
  // Read with three small patterns rather than JSON.parse: the load generator shares the machine with the
  // server, and its own cost per answer should stay small and alike for every scenario.
  const onResponse = (status: number, body: string) => {
    if (status !== 200 || body.length < 20) return;
    const data = CALLBACK_DATA.exec(body)?.[1];
    const chatId = CHAT_ID.exec(body)?.[1];
    if (data && chatId) keyboards.set(Number(chatId), { data, messageId: Number(MESSAGE_ID.exec(body)?.[1] ?? 1) });
  };
  return { next, onResponse };
}

export const requestsOf = (traffic: Traffic) => [
  {
    setupRequest: (req: autocannon.Request) => ({ ...req, ...traffic.next() }),
    onResponse: (status: number, body: string) => traffic.onResponse(status, body),
  },
];

/** The users of the timed load are numbered from here; the warm-up's come right after them (see warmUp). */
export const TIMED_FIRST_USER = 100_000;
/** Seconds of each warm-up run whose updates/s warmUp reports. */
export const WARM_UP_STEP_SECONDS = 5;

/**
 * Puts a freshly started server under the same load for `seconds` before anything is timed, so that the timed
 * figures are those of a server that has run a while (V8 optimises the hot code, the heap settles to its size)
 * rather than of its first seconds. Measured on this machine: Mamori's first 5 seconds ran at about 260 µs of
 * server CPU per update and reached about 120 from 20 s on; telegraf went from about 340 to 200 within 10 s; the
 * bare route from 29 to 26. The warm-up load comes from other users than the timed load, so the timed users start
 * with no history (their first update still finds nothing cached), and the caller can drop the warm-up's keys.
 * Returns the updates/s of each step of WARM_UP_STEP_SECONDS (the last step may be shorter).
 */
export async function warmUp(url: string, channel: 'telegram' | 'line', users: number, seconds: number, traffic = warmUpTraffic(channel, users)): Promise<number[]> {
  const steps: number[] = [];
  for (let done = 0; done < seconds; done += WARM_UP_STEP_SECONDS) {
    const duration = Math.min(WARM_UP_STEP_SECONDS, seconds - done);
    const result = await autocannon({ url, connections: CONNECTIONS, duration, method: 'POST', requests: requestsOf(traffic) as never });
    steps.push(Math.round(result.requests.total / duration));
  }
  return steps;
}

/** The warm-up's own users and updates (see warmUp); one per server, so that warming up in parts goes on where it stopped. */
export function warmUpTraffic(channel: 'telegram' | 'line', users: number): Traffic {
  return makeTraffic(channel, users, TIMED_FIRST_USER + users);
}

/**
 * Makes a benchmark that stops with nothing left to wait for say so, with what became of its servers, and exit 1:
 * Node's own word for it is only "unsettled top-level await" (exit 13). Seen in session 11 a few times after a long
 * warm-up, every server process already gone (their exit not seen, the cause not found); `done()` once finished.
 */
export function reportIfStranded(children: () => readonly ChildProcess[]): { done(): void } {
  let finished = false;
  process.on('beforeExit', () => {
    if (finished) return;
    const states = children().map((c) => `pid ${c.pid}: ${c.exitCode !== null ? `exit ${c.exitCode}` : c.signalCode ? `signal ${c.signalCode}` : 'running'}`);
    process.stderr.write(`bench: stopped before the end with nothing left to wait for (servers: ${states.join(', ') || 'none'}); run it again\n`);
    process.exit(1);
  });
  return { done: () => void (finished = true) };
}

export async function waitReady(child: ChildProcess, port: number): Promise<void> {
  const lines = createInterface({ input: child.stdout! });
  await Promise.race([
    new Promise<void>((resolve) => lines.on('line', (l) => l.includes('ready') && resolve())),
    waitForHttp(`http://127.0.0.1:${port}/healthz`, 20_000).then(() => undefined),
  ]);
}

/**
 * Starts a benchmark server (`bin/mamori.js` gets `serve`) with a clean environment on loopback `port`, in the
 * checkout `cwd` (this one by default); `profile` writes a CPU profile to bench/profiles/.
 */
export function startServer(script: string, port: number, env: Record<string, string>, options: { cwd?: string; profile?: boolean } = {}): ChildProcess {
  return spawn(process.execPath, [...(options.profile ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : []), script, ...(script.endsWith('mamori.js') ? ['serve'] : [])], {
    cwd: options.cwd ?? root,
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
}

/** Starts the fake Bot/LINE API (bench/servers/fake-bot-api.ts) on a free loopback port. */
export async function startFakeApi(): Promise<{ child: ChildProcess; root: string }> {
  const port = await freePort();
  const child = startServer('bench/servers/fake-bot-api.ts', port, {});
  await new Promise<void>((r) => createInterface({ input: child.stdout! }).once('line', () => r()));
  return { child, root: `http://127.0.0.1:${port}` };
}

/** CPU seconds a process has used so far (Linux /proc), or null where that cannot be read. */
export function processCpuSeconds(pid: number | undefined): number | null {
  if (pid === undefined) return null;
  try {
    // Fields after the command name (which may contain spaces): utime and stime are the 12th and 13th.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return null;
  }
}
/** CPU seconds a Redis server has used so far (user + system, from `INFO cpu`). */
export async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const num = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return num('used_cpu_sys') + num('used_cpu_user');
}

/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;
