// The webhook benchmark (npm run bench [-- --quick] [-- --seconds N] [-- --slice S] [-- --warmup W]).
//
// Warms every server up with W seconds of untimed load, then runs, on loopback, in short interleaved slices with the same load generator (autocannon, 50 connections,
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
import type { ChildProcess } from 'node:child_process';
import { connect } from 'node:net';
import { readFileSync, writeFileSync } from 'node:fs';
import { Redis } from 'ioredis';
import { HANDLED_KEEP, HANDLED_SLACK } from '../src/engine/session-store.ts';
import { RedisSessionStore, decodeHandled, measureSessionMemory } from '../src/store/redis-session-store.ts';
import { freePort } from '../tests/support/free-port.ts';
import { startRedisServer } from '../tests/support/redis-server.ts';
import { CONNECTIONS, SECRET, TOKEN, makeTraffic, mamoriEnv, processCpuSeconds, redisCpuSeconds, requestsOf, reportIfStranded, startFakeApi, startServer, waitReady, warmUp, WARM_UP_STEP_SECONDS, type Traffic } from './load.ts';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
// Flags and the ones that take a value; anything else is refused rather than silently ignored.
const FLAGS = new Set(['--quick', '--readme']);
const WITH_VALUE = new Set(['--seconds', '--slice', '--warmup', '--profile', '--only']);
for (let i = 0; i < args.length; i++) {
  if (WITH_VALUE.has(args[i]!) && args[i + 1] !== undefined) i++;
  else if (!FLAGS.has(args[i]!)) {
    console.error(`bench/run.ts: unknown or incomplete argument ${args[i]} (use --quick, --seconds N, --slice S, --warmup W, --only a,b, --profile NAME, --readme)`);
    process.exit(2);
  }
}
const numberArg = (name: string, fallback: number) => {
  const i = args.indexOf(name);
  if (i < 0) return fallback;
  const n = Number(args[i + 1]);
  if (!(n > 0)) {
    console.error(`bench/run.ts: ${name} needs a positive number of seconds`);
    process.exit(2);
  }
  return n;
};
// --seconds N: timed seconds per scenario in all; --slice S: seconds per slice. Every scenario runs N/S
// slices, interleaved with the others' (see main), so that the machine's drift falls on all of them alike.
const SECONDS = numberArg('--seconds', quick ? 2 : 20);
const SLICE_SECONDS = numberArg('--slice', 1);
const SLICES = Math.max(1, Math.round(SECONDS / SLICE_SECONDS));
// --warmup W: seconds of untimed load each server gets right after it starts (see warmUp in load.ts).
const WARMUP_SECONDS = numberArg('--warmup', quick ? 1 : 20);
const USERS = quick ? 500 : 5000;
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

const node = (script: string, port: number, env: Record<string, string>, profile = false) => startServer(script, port, env, { profile });

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

// --only a,b: these scenarios (and always the ceiling and telegraf, which the ratios need); unknown names are refused.
const unknownOnly = ONLY?.filter((name) => !SCENARIOS.some((s) => s.name === name)) ?? [];
if (unknownOnly.length) {
  console.error(`bench/run.ts: --only names unknown scenarios: ${unknownOnly.join(', ')} (known: ${SCENARIOS.map((s) => s.name).join(', ')})`);
  process.exit(2);
}

async function commandStats(redis: Redis): Promise<Record<string, number>> {
  const info = await redis.info('commandstats');
  const out: Record<string, number> = {};
  for (const m of info.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) if (!['info', 'config', 'ping', 'client', 'hello', 'select', 'script'].includes(m[1]!.split('|')[0]!)) out[m[1]!] = Number(m[2]);
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

/** CPU time per update, by process, during the timed run: where the machine's two cores went. */
interface CpuPerUpdate {
  server: number | null;
  redis: number | null;
  fakeApi: number | null;
  loadGenerator: number;
  /** All four together: the machine's CPU per update, which its two cores bound (see the CPU line's note). */
  total: number;
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
  /** Updates/s of every slice, in order (the reported figure is the total over all of them). */
  slicesUpdatesPerSecond: number[];
  /** Microseconds of CPU per update in each process during the timed slices. */
  cpuMicrosPerUpdate: CpuPerUpdate;
  /** Updates/s during the untimed warm-up, step by step (see warmUp in load.ts). */
  warmUpUpdatesPerSecond: number[];
  ratioToCeiling?: number;
  ratioToAlternative?: number;
}

/** One scenario's server, kept running (and warm) for the whole benchmark, and what its slices added up to. */
interface Running {
  scenario: Scenario;
  child: ChildProcess;
  url: string;
  traffic: Traffic;
  updates: number;
  seconds: number;
  errors: number;
  /** Response times (ms) of every update in its timed slices. */
  latencies: number[];
  cpu: { server: number | null; redis: number; fakeApi: number | null; load: number };
  commands: Record<string, number>;
  /** Updates/s of each slice, in order. */
  slices: number[];
  /** Measured once after the slices (Redis scenarios only). */
  roundTrips: number | null;
  /** Updates/s of each step of the warm-up, in order. */
  warmUp: number[];
}

const percentile = (sorted: readonly number[], p: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]! : 0);
/** The middle value, or the mean of the two middle ones (as measureSessionMemory takes it). */
const median = (xs: readonly number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length === 0 ? 0 : s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
};
const round2 = (x: number) => Math.round(x * 100) / 100;
/** CPU µs per update of each process over a scenario's timed slices, and their sum. */
function cpuOf(r: Running): CpuPerUpdate {
  const perUpdate = (seconds: number | null) => (seconds === null || !r.updates ? null : Math.round((seconds * 1e6) / r.updates));
  const parts = { server: perUpdate(r.cpu.server), redis: r.scenario.redis ? perUpdate(r.cpu.redis) : null, fakeApi: perUpdate(r.cpu.fakeApi), loadGenerator: perUpdate(r.cpu.load) ?? 0 };
  return { ...parts, total: (parts.server ?? 0) + (parts.redis ?? 0) + (parts.fakeApi ?? 0) + parts.loadGenerator };
}

/** Pause after each slice, outside its timed seconds (see main). */
const SETTLE_MS = 200;

async function main(): Promise<void> {
  console.log(
    `Mamori webhook benchmark: ${SECONDS} s per scenario in ${SLICES} interleaved slices of ${SLICE_SECONDS} s, ${CONNECTIONS} connections, ${USERS} users, Node ${process.version}\n`,
  );
  const redisServer = await startRedisServer();
  const redis = new Redis(redisServer.url);
  const { child: api, root: apiRoot } = await startFakeApi();
  const env = { REDIS_URL: redisServer.url, API_ROOT: apiRoot };
  const running: Running[] = [];
  const stranded = reportIfStranded(() => [api, ...running.map((r) => r.child)]);
  let memory: { medianBytes: number; sessionKeyMedianBytes: number; medianHandledIds: number; sessions: number } | null = null;
  try {
    // Every server starts once and stays up (an idle server costs nothing); each gets WARMUP_SECONDS of load
    // from other users before any timed slice, and the warm-up's keys are dropped before the timed run.
    await redis.flushall();
    for (const s of SCENARIOS) {
      if (ONLY && !ONLY.includes(s.name) && s.name !== 'ceiling' && s.name !== 'telegraf+redis') continue;
      const port = await freePort();
      const child = s.start(port, { ...env, ...(PROFILE === s.name ? { PROFILE: '1' } : {}) });
      const path = s.channel === 'telegram' ? '/webhooks/telegram' : '/webhooks/line';
      const r: Running = {
        scenario: s,
        child,
        url: `http://127.0.0.1:${port}${path}`,
        traffic: makeTraffic(s.channel, USERS),
        updates: 0,
        seconds: 0,
        errors: 0,
        latencies: [],
        cpu: { server: 0, redis: 0, fakeApi: 0, load: 0 },
        commands: {},
        slices: [],
        roundTrips: null,
        warmUp: [],
      };
      running.push(r);
      await waitReady(child, port);
      r.warmUp = await warmUp(r.url, s.channel, USERS, WARMUP_SECONDS);
      console.log(`warm-up ${s.name}: ${r.warmUp.join(', ')} updates/s (every ${Math.min(WARM_UP_STEP_SECONDS, WARMUP_SECONDS)} s)`);
    }
    // The timed run starts on an empty Redis: the warm-up users' keys would otherwise count in its memory figures
    // (after a pause for the last "sent" marks of the warm-up).
    await new Promise((res) => setTimeout(res, SETTLE_MS));
    await redis.flushall();
    console.log('');

    // The timed slices: one of every scenario, then the next of every scenario (in a rotated order, so
    // that none always follows the same one), and so on. A drift of the machine's speed (tens of percent
    // within minutes here) then falls on all scenarios alike instead of on whichever ran at a bad moment.
    for (let slice = 0; slice < SLICES; slice++) {
      for (let k = 0; k < running.length; k++) {
        const r = running[(slice + k) % running.length]!;
        if (r.scenario.redis) await redis.config('RESETSTAT');
        const before = { server: processCpuSeconds(r.child.pid), redis: await redisCpuSeconds(redis), fakeApi: processCpuSeconds(api.pid), load: process.cpuUsage() };
        const started = performance.now();
        // Without a callback autocannon returns its instance, which is also a promise of the result.
        const run = autocannon({ url: r.url, connections: CONNECTIONS, duration: SLICE_SECONDS, method: 'POST', requests: requestsOf(r.traffic) as never }) as unknown as autocannon.Instance &
          PromiseLike<autocannon.Result>;
        const latencies = r.latencies;
        run.on('response', (_client: unknown, _status: number, _bytes: number, ms: number) => latencies.push(ms));
        const result = await run;
        const seconds = (performance.now() - started) / 1000;
        // Let the slice's tail settle (answers still in flight, "sent" marks batched for the next loop turn), so
        // that its CPU time and Redis commands count for this scenario and not for the next.
        await new Promise((res) => setTimeout(res, SETTLE_MS));
        const load = process.cpuUsage(before.load);
        const add = (now: number | null, then: number | null, to: number | null) => (now === null || then === null || to === null ? null : to + (now - then));
        r.cpu.server = add(processCpuSeconds(r.child.pid), before.server, r.cpu.server);
        r.cpu.redis += (await redisCpuSeconds(redis)) - before.redis;
        r.cpu.fakeApi = add(processCpuSeconds(api.pid), before.fakeApi, r.cpu.fakeApi);
        r.cpu.load += (load.user + load.system) / 1e6;
        r.updates += result.requests.total;
        r.seconds += seconds;
        r.errors += result.errors + result.timeouts + result.non2xx;
        r.slices.push(Math.round(result.requests.total / seconds));
        if (r.scenario.redis) for (const [name, calls] of Object.entries(await commandStats(redis))) r.commands[name] = (r.commands[name] ?? 0) + calls;
      }
    }

    // Outside the timed slices: round trips (MONITOR slows Redis down) and the memory a user takes.
    for (const r of running) {
      if (r.scenario.redis) r.roundTrips = await roundTripsPerUpdate(redisServer.url, r.url, r.traffic);
      if (r.scenario.name === 'mamori-redis') {
        const store = new RedisSessionStore({ url: redisServer.url });
        const keys: string[] = [];
        let cursor = '0';
        do {
          const [c, batch] = await redis.scan(cursor, 'MATCH', 'mamori:{tg:*}:s', 'COUNT', 1000);
          cursor = c;
          for (const k of batch) keys.push(/\{([^}]+)\}/.exec(k)![1]!);
        } while (cursor !== '0' && keys.length < 2000);
        const m = await measureSessionMemory(store, keys.slice(0, 1000));
        // The session itself (the state key) and the handled event ids kept for dedupe, which grow with the number
        // of updates each user sent during the run (up to HANDLED_KEEP + HANDLED_SLACK), so with the run's length and speed.
        const stateKeyBytes = m.users.map((u) => u.keys.find((k) => k.key.endsWith(':s'))?.bytes ?? 0);
        const handledIds: number[] = [];
        for (const u of m.users) handledIds.push(decodeHandled(await redis.getBuffer(`mamori:{${u.userKey}}:d`)).ids.length);
        memory = { medianBytes: m.median, sessionKeyMedianBytes: median(stateKeyBytes), medianHandledIds: median(handledIds), sessions: keys.length };
        await store.close();
      }
    }
  } finally {
    await Promise.all(
      running.map((r) => {
        r.child.kill('SIGTERM');
        return r.child.exitCode === null ? new Promise((res) => r.child.once('exit', res)) : undefined;
      }),
    );
    api.kill('SIGTERM');
    redis.disconnect();
    await redisServer.stop();
    stranded.done();
  }

  const results: Result[] = running.map((r) => {
    const sorted = r.latencies.sort((a, b) => a - b);
    const commandTotal = Object.values(r.commands).reduce((a, b) => a + b, 0);
    return {
      name: r.scenario.name,
      what: r.scenario.what,
      updates: r.updates,
      updatesPerSecond: Math.round(r.updates / r.seconds),
      p50Ms: Math.round(percentile(sorted, 50) * 10) / 10,
      p99Ms: Math.round(percentile(sorted, 99) * 10) / 10,
      errors: r.errors,
      redisCommandsPerUpdate: r.scenario.redis && r.updates ? round2(commandTotal / r.updates) : null,
      redisCommands: r.scenario.redis ? r.commands : null,
      redisRoundTripsPerUpdate: r.roundTrips,
      slicesUpdatesPerSecond: r.slices,
      cpuMicrosPerUpdate: cpuOf(r),
      warmUpUpdatesPerSecond: r.warmUp,
    };
  });
  const ceiling = results.find((r) => r.name === 'ceiling')!;
  const alternative = results.find((r) => r.name === 'telegraf+redis')!;
  // Ratios of the totals: every scenario ran the same number of interleaved slices.
  for (const r of results) {
    r.ratioToCeiling = round2(r.updatesPerSecond / ceiling.updatesPerSecond);
    r.ratioToAlternative = round2(r.updatesPerSecond / alternative.updatesPerSecond);
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
  console.log('\nCPU µs per update during the timed run (server / Redis / fake Bot API / load generator = all four):');
  for (const r of results) {
    const c = r.cpuMicrosPerUpdate;
    console.log(`  ${r.name.padEnd(15)} ${[c.server, c.redis, c.fakeApi, c.loadGenerator].map((v) => String(v ?? '–').padStart(5)).join(' / ')} = ${String(c.total).padStart(5)}`);
  }
  for (const r of results) if (r.redisCommands) console.log(`${r.name} Redis commands: ${Object.entries(r.redisCommands).map(([k, v]) => `${k}=${v}`).join(' ')}`);
  if (memory) {
    console.log(`\nMedian Redis memory per user (MEMORY USAGE of all a user's keys, over ${Math.min(1000, memory.sessions)} users): ${memory.medianBytes} bytes`);
    console.log(`  of which the session (state key): median ${memory.sessionKeyMedianBytes} bytes; handled event ids kept per user: median ${memory.medianHandledIds}`);
  }
  const mamori = results.find((r) => r.name === 'mamori-redis');
  // The same ratio within each cycle of slices (the two ran seconds apart): how much it swings.
  const mamoriSlices = mamori?.slicesUpdatesPerSecond ?? [];
  const sliceRatios = mamoriSlices.map((u, i) => u / (alternative.slicesUpdatesPerSecond[i] || 1)).sort((x, y) => x - y);
  const spread = sliceRatios.length
    ? { median: round2(median(sliceRatios)), low: round2(percentile(sliceRatios, 10)), high: round2(percentile(sliceRatios, 90)) }
    : null;
  if (spread && SLICES > 1) console.log(`\nMamori/Redis × telegraf slice by slice: median ${spread.median}, 10th to 90th percentile ${spread.low} to ${spread.high} (${SLICES} slices each)`);
  // The four processes share two cores that are nearly busy, so updates/s follows the CPU all of them spend per update.
  const cpuNote = mamori && mamori.cpuMicrosPerUpdate.total > 0
    ? `All four processes share the two cores, so throughput follows the CPU they spend per update in all: telegraf+redis ${alternative.cpuMicrosPerUpdate.total} µs, Mamori/Redis ${mamori.cpuMicrosPerUpdate.total} µs, ${round2(alternative.cpuMicrosPerUpdate.total / mamori.cpuMicrosPerUpdate.total)}× less (the ceiling: ${ceiling.cpuMicrosPerUpdate.total} µs).`
    : '';
  if (cpuNote) console.log(`\n${cpuNote}`);
  if (mamori) console.log(
    `\nTargets: Mamori/Redis vs telegraf ${mamori.ratioToAlternative}x (goal ≥ 1.5), vs ceiling ${mamori.ratioToCeiling}x (goal ≥ 0.35), p99 ${mamori.p99Ms} vs ${alternative.p99Ms} ms, errors ${mamori.errors}`,
  );
  const out = { date: new Date().toISOString(), node: process.version, seconds: SECONDS, sliceSeconds: SLICE_SECONDS, slices: SLICES, warmUpSeconds: WARMUP_SECONDS, connections: CONNECTIONS, users: USERS, quick, results, mamoriRedisRatioToTelegrafBySlice: spread, sessionMemory: memory };
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
        `Latest run (\`npm run bench -- --readme\`, ${out.date.slice(0, 10)}, Node ${out.node}, each server warmed up for ${WARMUP_SECONDS} s, then ${SECONDS} s per scenario in ${SLICES} slices of ${SLICE_SECONDS} s, interleaved with the other scenarios' slices, ${CONNECTIONS} connections, ${USERS} users, all on one 2-core machine):`,
        '',
        table,
        '',
        `CPU µs per update (server / Redis / fake Bot API / load generator = all four): ${results.map((r) => `${r.name} ${[r.cpuMicrosPerUpdate.server, r.cpuMicrosPerUpdate.redis, r.cpuMicrosPerUpdate.fakeApi, r.cpuMicrosPerUpdate.loadGenerator].map((v) => v ?? '–').join(' / ')} = ${r.cpuMicrosPerUpdate.total}`).join('; ')}. ${cpuNote}`,
        '',
        spread && SLICES > 1 ? `Mamori/Redis × telegraf slice by slice: median ${spread.median}, 10th to 90th percentile ${spread.low} to ${spread.high}.` : '',
        '',
        `Warm-up (untimed, other users), updates/s every ${Math.min(WARM_UP_STEP_SECONDS, WARMUP_SECONDS)} s: ${results.map((r) => `${r.name} ${r.warmUpUpdatesPerSecond.join(', ')}`).join('; ')}.`,
        '',
        memory
          ? `Median Redis memory per user right after the run (\`MEMORY USAGE\` of all a user's keys: session, handled event ids and rate-limit counts): ${memory.medianBytes} bytes (budget: 512); the session's own key: ${memory.sessionKeyMedianBytes} bytes; handled event ids kept per user: ${memory.medianHandledIds} (5 bytes each, the newest ${HANDLED_KEEP} to ${HANDLED_KEEP + HANDLED_SLACK} are kept, so this grows with the updates a user sent during the run).`
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
