// The webhook benchmark (npm run bench [-- --quick] [-- --seconds N]).
//
// Runs, on loopback, one after another with the same load generator (autocannon, 50 connections,
// updates from 5,000 distinct users: a pasted Amazon URL, a button press, a typed answer):
//   1. ceiling          a bare Fastify route that parses the update and answers 200
//   2. telegraf+redis   the usual alternative: telegraf with its session middleware on Redis, one sendMessage
//   3. mamori-memory    Mamori's full path on the in-memory store
//   4. mamori-redis     Mamori's full path on Redis
//   5. mamori-line      Mamori's LINE path with real signatures, Redis store
// and prints updates/s, p50, p99, errors, ratios, Redis commands per update (INFO commandstats) and the
// median Redis memory per session; the same goes to bench/results.json. Not a test: it never fails on
// timing, only on a broken setup.
import autocannon from 'autocannon';
import { spawn, type ChildProcess } from 'node:child_process';
import { createHmac } from 'node:crypto';
import { connect } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { Redis } from 'ioredis';
import { RedisSessionStore, measureSessionMemory } from '../src/store/redis-session-store.ts';
import { freePort, waitForHttp } from '../tests/support/free-port.ts';
import { startRedisServer } from '../tests/support/redis-server.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const secondsArg = args.indexOf('--seconds');
const SECONDS = secondsArg >= 0 ? Number(args[secondsArg + 1]) : quick ? 2 : 10;
const CONNECTIONS = 50;
const USERS = quick ? 500 : 5000;
// --rounds N: run every scenario N times, interleaved (all scenarios, then all again…), and report each
// scenario's median run. The machine is shared and its speed drifts by tens of percent within minutes, so
// one run per scenario can flatter or punish whichever ran in a good or bad moment.
const roundsArg = args.indexOf('--rounds');
const ROUNDS = roundsArg >= 0 ? Math.max(1, Number(args[roundsArg + 1]) || 1) : quick ? 1 : 3;
const TOKEN = '7000001:AAHbenchTokenForMamoriBenchmarks_xyz';
const SECRET = 'bench-webhook-secret';
const LINE_SECRET = 'bench-line-channel-secret';
const root = fileURLToPath(new URL('../', import.meta.url));
// --profile NAME writes a CPU profile of that scenario's server to bench/profiles/ (open it in Chrome DevTools).
const profileArg = args.indexOf('--profile');
const PROFILE = profileArg >= 0 ? args[profileArg + 1] : undefined;
const ONLY = args.indexOf('--only') >= 0 ? args[args.indexOf('--only') + 1]!.split(',') : undefined;

interface Scenario {
  name: string;
  what: string;
  channel: 'telegram' | 'line';
  redis: boolean;
  start(port: number, env: Record<string, string>): ChildProcess;
}

const node = (script: string, port: number, env: Record<string, string>, profile = false) =>
  spawn(process.execPath, [...(profile ? ['--cpu-prof', '--cpu-prof-dir=bench/profiles'] : []), script, ...(script.endsWith('mamori.js') ? ['serve'] : [])], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', NODE_NO_WARNINGS: '1', ...env, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });

const mamoriEnv = (env: Record<string, string>) => ({
  TELEGRAM_BOT_TOKEN: TOKEN,
  TELEGRAM_WEBHOOK_SECRET: SECRET,
  TELEGRAM_API_ROOT: env.API_ROOT!,
  TELEGRAM_BOT_USERNAME: 'bench_bot',
  LINE_CHANNEL_SECRET: LINE_SECRET,
  LINE_CHANNEL_ACCESS_TOKEN: 'bench-line-token',
  LINE_API_BASE_URL: env.API_ROOT!,
  WEB_CHAT: 'false',
  LOG_LEVEL: 'warn',
});

const SCENARIOS: Scenario[] = [
  { name: 'ceiling', what: 'bare Fastify route, parse + 200', channel: 'telegram', redis: false, start: (p, e) => node('bench/servers/ceiling.ts', p, e) },
  {
    name: 'telegraf+redis',
    what: 'telegraf, session middleware on Redis, one sendMessage',
    channel: 'telegram',
    redis: true,
    start: (p, e) => node('bench/servers/telegraf-baseline.ts', p, { REDIS_URL: e.REDIS_URL!, TELEGRAM_BOT_TOKEN: TOKEN, TELEGRAM_WEBHOOK_SECRET: SECRET, TELEGRAM_API_ROOT: e.API_ROOT! }),
  },
  { name: 'mamori-memory', what: 'Mamori full path, in-memory store', channel: 'telegram', redis: false, start: (p, e) => node('bin/mamori.js', p, mamoriEnv(e), e.PROFILE === '1') },
  { name: 'mamori-redis', what: 'Mamori full path, Redis store', channel: 'telegram', redis: true, start: (p, e) => node('bin/mamori.js', p, { ...mamoriEnv(e), REDIS_URL: e.REDIS_URL! }, e.PROFILE === '1') },
  { name: 'mamori-line', what: 'Mamori LINE path, signed, Redis store', channel: 'line', redis: true, start: (p, e) => node('bin/mamori.js', p, { ...mamoriEnv(e), REDIS_URL: e.REDIS_URL! }, e.PROFILE === '1') },
];

/**
 * Realistic traffic: each user pastes a URL, presses a button, then types an answer, round-robin over USERS.
 * On Telegram a press uses a button of the last keyboard that user was answered with (read from the webhook
 * answer, where Mamori puts its reply), as a person would press the prompt they just got; the telegraf
 * baseline answers through the API instead, so its presses carry a made-up payload (its handler does not
 * read it). On LINE the reply goes through the reply API, out of the load generator's sight, so presses
 * carry a made-up payload too and Mamori answers them as expired buttons (with the menu).
 */
interface Traffic {
  next(): { body: string; headers: Record<string, string> };
  /** Reads a webhook answer for the keyboard it carries (autocannon's onResponse). */
  onResponse(status: number, body: string): void;
}

const CALLBACK_DATA = /"callback_data":"([^"\\]{1,64})"/;
const CHAT_ID = /"chat_id":(-?\d+)/;
const MESSAGE_ID = /"message_id":(\d+)/;

function makeTraffic(channel: 'telegram' | 'line'): Traffic {
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
    const user = 100_000 + (i % USERS);
    const round = Math.floor(i / USERS) % 3;
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

const requestsOf = (traffic: Traffic) => [
  {
    setupRequest: (req: autocannon.Request) => ({ ...req, ...traffic.next() }),
    onResponse: (status: number, body: string) => traffic.onResponse(status, body),
  },
];

async function waitReady(child: ChildProcess, port: number): Promise<void> {
  const lines = createInterface({ input: child.stdout! });
  await Promise.race([
    new Promise<void>((resolve) => lines.on('line', (l) => l.includes('ready') && resolve())),
    waitForHttp(`http://127.0.0.1:${port}/healthz`, 20_000).then(() => undefined),
  ]);
}

async function commandStats(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (!['info', 'config', 'ping', 'client', 'hello', 'select', 'script'].includes(m[1]!)) out[m[1]!] = Number(m[2]);
  return out;
}

/**
 * Round trips per update, measured in a separate short sample (MONITOR slows Redis down, so not during the
 * timed run): every command a client sends is one line; commands run inside a Lua script are marked `lua`.
 */
async function roundTripsPerUpdate(redisUrl: string, url: string, traffic: Traffic): Promise<number> {
  // A raw connection in MONITOR mode (ioredis' monitor() trips over RESP3 here): one line per command,
  // commands run inside a script carry "lua]" in their source field.
  const { hostname, port } = new URL(redisUrl);
  const socket = connect(Number(port), hostname);
  await new Promise<void>((r) => socket.once('connect', () => r()));
  let topLevel = 0;
  let buffered = '';
  socket.on('data', (d: Buffer) => {
    buffered += d.toString('utf8');
    const lines = buffered.split('\r\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) if (line.startsWith('+') && line !== '+OK' && !/\[\d+ lua\]/.test(line)) topLevel++;
  });
  socket.write('MONITOR\r\n');
  await new Promise((res) => setTimeout(res, 100));
  const r = await autocannon({ url, connections: 10, amount: 300, method: 'POST', requests: requestsOf(traffic) as never });
  await new Promise((res) => setTimeout(res, 300)); // let the last "sent" marks arrive
  socket.destroy();
  return Math.round((topLevel / Math.max(1, r.requests.total)) * 100) / 100;
}

/** CPU seconds a process has used so far (Linux /proc), or null where that cannot be read. */
function processCpuSeconds(pid: number | undefined): number | null {
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
/** USER_HZ: 100 on every Linux this runs on (getconf CLK_TCK). */
const CLOCK_TICKS = 100;

async function redisCpuSeconds(redis: Redis): Promise<number> {
  const info = await redis.info('cpu');
  const num = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, 'm').exec(info)?.[1] ?? 0);
  return num('used_cpu_sys') + num('used_cpu_user');
}

/** CPU time per update, by process, during the timed run: where the machine's two cores went. */
interface CpuPerUpdate {
  server: number | null;
  redis: number | null;
  fakeApi: number | null;
  loadGenerator: number;
}

interface Result {
  name: string;
  what: string;
  updates: number;
  updatesPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  errors: number;
  redisCommandsPerUpdate: number | null;
  /** Top-level Redis commands per update (MONITOR, commands inside scripts not counted): the round trips. */
  redisRoundTripsPerUpdate: number | null;
  redisCommands: Record<string, number> | null;
  /** Updates/s of every round, in order (the reported figure is their median). */
  roundsUpdatesPerSecond?: number[];
  /** Microseconds of CPU per update in each process during the timed run. */
  cpuMicrosPerUpdate: CpuPerUpdate;
  ratioToCeiling?: number;
  ratioToAlternative?: number;
}

async function main(): Promise<void> {
  console.log(`Mamori webhook benchmark: ${SECONDS} s per scenario, ${ROUNDS} interleaved round(s), ${CONNECTIONS} connections, ${USERS} users, Node ${process.version}\n`);
  const redisServer = await startRedisServer();
  const redis = new Redis(redisServer.url);
  const apiPort = await freePort();
  const api = spawn(process.execPath, ['bench/servers/fake-bot-api.ts'], { cwd: root, env: { PATH: process.env.PATH ?? '', PORT: String(apiPort) }, stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((r) => createInterface({ input: api.stdout! }).once('line', () => r()));
  const env = { REDIS_URL: redisServer.url, API_ROOT: `http://127.0.0.1:${apiPort}` };
  const runs: Result[][] = [];
  let memory: { medianBytes: number; sessions: number } | null = null;
  try {
    for (let round = 0; round < ROUNDS; round++) {
    const results: Result[] = [];
    runs.push(results);
    for (const s of SCENARIOS) {
      if (ONLY && !ONLY.includes(s.name) && s.name !== 'ceiling' && s.name !== 'telegraf+redis') continue;
      await redis.flushall();
      const port = await freePort();
      const child = s.start(port, { ...env, ...(PROFILE === s.name ? { PROFILE: '1' } : {}) });
      try {
        await waitReady(child, port);
        const traffic = makeTraffic(s.channel);
        const path = s.channel === 'telegram' ? '/webhooks/telegram' : '/webhooks/line';
        // A short warm-up (JIT, connections), then the measured run on fresh counters.
        await autocannon({ url: `http://127.0.0.1:${port}${path}`, connections: CONNECTIONS, duration: 1, method: 'POST', requests: requestsOf(traffic) as never });
        await redis.config('RESETSTAT');
        const cpuBefore = { server: processCpuSeconds(child.pid), redis: await redisCpuSeconds(redis), fakeApi: processCpuSeconds(api.pid), load: process.cpuUsage() };
        const r = await autocannon({
          url: `http://127.0.0.1:${port}${path}`,
          connections: CONNECTIONS,
          duration: SECONDS,
          method: 'POST',
          requests: requestsOf(traffic) as never,
        });
        const updates = r.requests.total;
        const perUpdate = (after: number | null, before: number | null) =>
          after === null || before === null || !updates ? null : Math.round(((after - before) * 1e6) / updates);
        const load = process.cpuUsage(cpuBefore.load);
        const cpu: CpuPerUpdate = {
          server: perUpdate(processCpuSeconds(child.pid), cpuBefore.server),
          redis: s.redis ? perUpdate(await redisCpuSeconds(redis), cpuBefore.redis) : null,
          fakeApi: perUpdate(processCpuSeconds(api.pid), cpuBefore.fakeApi),
          loadGenerator: Math.round((load.user + load.system) / Math.max(1, updates)),
        };
        const stats = s.redis ? await commandStats(redis) : null;
        // Counted once (MONITOR), in the first round: they do not depend on the machine's speed.
        const roundTrips = s.redis && round === 0 ? await roundTripsPerUpdate(redisServer.url, `http://127.0.0.1:${port}${path}`, traffic) : null;
        const commands = stats ? Object.values(stats).reduce((a, b) => a + b, 0) : null;
        results.push({
          name: s.name,
          what: s.what,
          updates,
          updatesPerSecond: Math.round(updates / SECONDS),
          p50Ms: r.latency.p50,
          p99Ms: r.latency.p99,
          errors: r.errors + r.timeouts + r.non2xx,
          redisCommandsPerUpdate: commands !== null && updates ? Math.round((commands / updates) * 100) / 100 : null,
          redisCommands: stats,
          redisRoundTripsPerUpdate: roundTrips,
          cpuMicrosPerUpdate: cpu,
        });
        if (s.name === 'mamori-redis' && round === ROUNDS - 1) {
          const store = new RedisSessionStore({ url: redisServer.url });
          const keys: string[] = [];
          let cursor = '0';
          do {
            const [c, batch] = await redis.scan(cursor, 'MATCH', 'mamori:{tg:*}:s', 'COUNT', 1000);
            cursor = c;
            for (const k of batch) keys.push(/\{([^}]+)\}/.exec(k)![1]!);
          } while (cursor !== '0' && keys.length < 2000);
          const m = await measureSessionMemory(store, keys.slice(0, 1000));
          memory = { medianBytes: m.median, sessions: keys.length };
          await store.close();
        }
      } finally {
        child.kill('SIGTERM');
        await new Promise((r) => child.once('exit', r));
      }
    }
    }
  } finally {
    api.kill('SIGTERM');
    redis.disconnect();
    await redisServer.stop();
  }

  // Each scenario's median run (by updates/s) stands for it; its latency and CPU figures come from that run.
  const results: Result[] = runs[0]!.map((first) => {
    const all = runs.map((rs) => rs.find((r) => r.name === first.name)!).sort((a, b) => a.updatesPerSecond - b.updatesPerSecond);
    const median = { ...all[Math.floor((all.length - 1) / 2)]! };
    median.redisRoundTripsPerUpdate = first.redisRoundTripsPerUpdate;
    median.roundsUpdatesPerSecond = runs.map((rs) => rs.find((r) => r.name === first.name)!.updatesPerSecond);
    median.errors = all.reduce((sum, r) => sum + r.errors, 0);
    return median;
  });
  const ceiling = results.find((r) => r.name === 'ceiling')!;
  const alternative = results.find((r) => r.name === 'telegraf+redis')!;
  // Ratios are taken within each round (the two scenarios ran minutes apart at most) and their median is
  // reported: steadier than a ratio of two medians that may come from different rounds.
  const ratioInRounds = (name: string, base: string) => {
    const ratios = runs.map((rs) => rs.find((r) => r.name === name)!.updatesPerSecond / rs.find((r) => r.name === base)!.updatesPerSecond).sort((a, b) => a - b);
    return Math.round(ratios[Math.floor((ratios.length - 1) / 2)]! * 100) / 100;
  };
  for (const r of results) {
    r.ratioToCeiling = ratioInRounds(r.name, ceiling.name);
    r.ratioToAlternative = ratioInRounds(r.name, alternative.name);
  }
  const table = [
    '| scenario | updates/s | p50 ms | p99 ms | errors | × ceiling | × telegraf | Redis round trips/update | Redis commands/update (incl. in scripts) |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...results.map(
      (r) =>
        `| ${r.name} | ${r.updatesPerSecond} | ${r.p50Ms} | ${r.p99Ms} | ${r.errors} | ${r.ratioToCeiling} | ${r.ratioToAlternative} | ${r.redisRoundTripsPerUpdate ?? '–'} | ${r.redisCommandsPerUpdate ?? '–'} |`,
    ),
  ].join('\n');
  console.log(table);
  console.log('\nCPU µs per update during the timed run (server / Redis / fake Bot API / load generator):');
  for (const r of results) {
    const c = r.cpuMicrosPerUpdate;
    console.log(`  ${r.name.padEnd(15)} ${[c.server, c.redis, c.fakeApi, c.loadGenerator].map((v) => String(v ?? '–').padStart(5)).join(' / ')}`);
  }
  for (const r of results) if (r.redisCommands) console.log(`${r.name} Redis commands: ${Object.entries(r.redisCommands).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (memory) console.log(`\nMedian Redis memory per user (MEMORY USAGE of all a user's keys, over ${Math.min(1000, memory.sessions)} users): ${memory.medianBytes} bytes`);
  const mamori = results.find((r) => r.name === 'mamori-redis');
  // The same ratio within each round (the two ran minutes apart at most): how much it swings.
  const roundRatios = mamori
    ? runs.map((rs) => Math.round((rs.find((r) => r.name === 'mamori-redis')!.updatesPerSecond / rs.find((r) => r.name === 'telegraf+redis')!.updatesPerSecond) * 100) / 100)
    : [];
  if (ROUNDS > 1) {
    console.log('\nUpdates/s per round (the table shows the median):');
    for (const r of results) console.log(`  ${r.name.padEnd(15)} ${r.roundsUpdatesPerSecond!.join(' / ')}`);
    if (mamori) console.log(`  mamori-redis × telegraf per round: ${roundRatios.join(' / ')}`);
  }
  if (mamori) console.log(
    `\nTargets: Mamori/Redis vs telegraf ${mamori.ratioToAlternative}x (goal ≥ 1.5), vs ceiling ${mamori.ratioToCeiling}x (goal ≥ 0.35), p99 ${mamori.p99Ms} vs ${alternative.p99Ms} ms, errors ${mamori.errors}`,
  );
  const out = { date: new Date().toISOString(), node: process.version, seconds: SECONDS, rounds: ROUNDS, connections: CONNECTIONS, users: USERS, quick, results, mamoriRedisRatioToTelegrafPerRound: roundRatios, sessionMemory: memory };
  writeFileSync(new URL('./results.json', import.meta.url), `${JSON.stringify(out, null, 2)}\n`);
  console.log('\nwritten: bench/results.json');
  if (args.includes('--readme')) {
    // --readme: put this run's table into README.md (between the bench markers).
    const file = new URL('../README.md', import.meta.url);
    const readme = readFileSync(file, 'utf8');
    const start = readme.indexOf('<!-- bench:start -->');
    const endMarker = '<!-- bench:end -->';
    const end = readme.indexOf(endMarker);
    if (start >= 0 && end > start) {
      const section = [
        '<!-- bench:start -->',
        `Latest run (\`npm run bench -- --readme\`, ${out.date.slice(0, 10)}, Node ${out.node}, ${SECONDS} s per scenario, ${ROUNDS} interleaved round(s) with each scenario's median run shown, ${CONNECTIONS} connections, ${USERS} users, all on one 2-core machine):`,
        '',
        table,
        '',
        `CPU µs per update (server / Redis / fake Bot API / load generator): ${results.map((r) => `${r.name} ${[r.cpuMicrosPerUpdate.server, r.cpuMicrosPerUpdate.redis, r.cpuMicrosPerUpdate.fakeApi, r.cpuMicrosPerUpdate.loadGenerator].map((v) => v ?? '–').join(' / ')}`).join('; ')}.`,
        '',
        ROUNDS > 1 ? `Mamori/Redis × telegraf in each round: ${roundRatios.join(', ')}.` : '',
        '',
        memory
          ? `Median Redis memory per user right after the run (\`MEMORY USAGE\` of all a user's keys: session, handled event ids and rate-limit counts): ${memory.medianBytes} bytes (budget: 512).`
          : '',
        mamori ? `Targets: Mamori/Redis ${mamori.ratioToAlternative}× telegraf (goal ≥ 1.5×), ${mamori.ratioToCeiling}× ceiling (goal ≥ 0.35×), p99 ${mamori.p99Ms} ms vs telegraf ${alternative.p99Ms} ms, ${mamori.errors} errors.` : '',
        endMarker,
      ].join('\n');
      writeFileSync(file, readme.slice(0, start) + section + readme.slice(end + endMarker.length));
      console.log('written: README.md benchmark section');
    }
  }
}

await main();
