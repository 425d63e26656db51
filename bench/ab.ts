// Side-by-side comparison of two builds of Mamori (npm run bench:ab -- --against DIR [--rounds N] [--slice S] [--warmup W]).
// Each build first gets W seconds of untimed load (20 by default; see warmUp in bench/load.ts), in steps that alternate
// between the builds.
//
// Runs Mamori's Telegram path on Redis from this checkout and from another one (DIR: a checkout with its own
// node_modules, e.g. `git worktree add ../before HEAD~1 && (cd ../before && npm ci)`), under the same load as
// `npm run bench` (bench/load.ts), in alternating slices of S seconds (rotated order), and prints updates/s,
// server CPU and Redis CPU per update for each (the builds share one Redis, so its CPU is counted over each build's
// own slices), the ratio of this build to the other, and its spread from slice to slice. `--same` compares this
// checkout with itself: the noise floor, which says how small a difference can be told apart on this machine.
// Not a test: it never fails on a figure, only on a broken setup.
import autocannon from 'autocannon';
import { Redis } from 'ioredis';
import type { ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { freePort } from '../tests/support/free-port.ts';
import { benchOptions } from './cli-options.ts';
import { startRedisServer } from '../tests/support/redis-server.ts';
import { CONNECTIONS, makeTraffic, mamoriEnv, processCpuSeconds, redisCpuSeconds, requestsOf, reportIfStranded, root, startFakeApi, startServer, waitReady, warmUp, warmUpTraffic, WARM_UP_STEP_SECONDS, type Traffic } from './load.ts';

const USAGE = 'usage: npm run bench:ab -- (--against DIR | --same) [--rounds N] [--slice S] [--users N] [--warmup W]';
const { options, fail, positive } = benchOptions('bench/ab.ts', USAGE, ['--same'], ['--against', '--rounds', '--slice', '--users', '--warmup']);
const ROUNDS = Math.round(positive('--rounds', 20));
const SLICE_SECONDS = positive('--slice', 1);
const USERS = Math.round(positive('--users', 5000));
// Seconds of untimed load each build gets after it starts (see warmUp in load.ts).
const WARMUP_SECONDS = positive('--warmup', 20);
const against = options.get('--against');
if ((against === undefined) === !options.has('--same')) fail('give either --against DIR or --same');
const otherRoot = typeof against === 'string' ? resolve(against) : root;
if (!existsSync(resolve(otherRoot, 'bin/mamori.js')) || !existsSync(resolve(otherRoot, 'node_modules'))) fail(`${otherRoot} is not a Mamori checkout with node_modules`);

interface Build {
  name: string;
  child: ChildProcess;
  url: string;
  traffic: Traffic;
  updates: number;
  seconds: number;
  cpu: number;
  /** Redis' CPU seconds during this build's slices (the builds share one Redis, one at a time). */
  redisCpu: number;
  errors: number;
  slices: number[];
}

async function main(): Promise<void> {
  const redisServer = await startRedisServer();
  const api = await startFakeApi();
  const redisAdmin = new Redis(redisServer.url);
  const builds: Build[] = [];
  const stranded = reportIfStranded(() => [api.child, ...builds.map((b) => b.child)]);
  try {
    // Each build gets a Redis database of its own, so neither meets the other's sessions.
    for (const [db, [name, dir]] of [
      ['this', root],
      [against === undefined ? 'this again' : 'other', otherRoot],
    ].entries()) {
      const port = await freePort();
      const env = { ...mamoriEnv({ API_ROOT: api.root }), REDIS_URL: `${redisServer.url}/${db}` };
      const child = startServer('bin/mamori.js', port, env, { cwd: dir });
      const build: Build = { name: name!, child, url: `http://127.0.0.1:${port}/webhooks/telegram`, traffic: makeTraffic('telegram', USERS), updates: 0, seconds: 0, cpu: 0, redisCpu: 0, errors: 0, slices: [] };
      builds.push(build);
      await waitReady(child, port);
    }
    // Warm-up in alternating steps, so that both builds end it together: warmed up one after the other, the first
    // sat idle while the second warmed up and measured 4 to 8% slower against it (0.93 and 0.92 with this checkout
    // first, 1.005 with it second, in session 11).
    const warmUps = builds.map(() => warmUpTraffic('telegram', USERS));
    for (let done = 0; done < WARMUP_SECONDS; done += WARM_UP_STEP_SECONDS) {
      for (const [i, b] of builds.entries()) await warmUp(b.url, 'telegram', USERS, Math.min(WARM_UP_STEP_SECONDS, WARMUP_SECONDS - done), warmUps[i]);
    }
    console.log(`A/B: ${builds[0]!.name} (${root}) vs ${builds[1]!.name} (${otherRoot}), ${ROUNDS} rounds of ${SLICE_SECONDS} s slices, ${USERS} users\n`);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < builds.length; k++) {
        const b = builds[(round + k) % builds.length]!;
        const cpuBefore = processCpuSeconds(b.child.pid) ?? 0;
        const redisBefore = await redisCpuSeconds(redisAdmin);
        const started = performance.now();
        const result = await autocannon({ url: b.url, connections: CONNECTIONS, duration: SLICE_SECONDS, method: 'POST', requests: requestsOf(b.traffic) as never });
        const seconds = (performance.now() - started) / 1000;
        // Let the slice's tail settle before the other build's slice starts (see bench/run.ts).
        await new Promise((r) => setTimeout(r, 200));
        b.cpu += (processCpuSeconds(b.child.pid) ?? 0) - cpuBefore;
        b.redisCpu += (await redisCpuSeconds(redisAdmin)) - redisBefore;
        b.updates += result.requests.total;
        b.seconds += seconds;
        b.errors += result.errors + result.timeouts + result.non2xx;
        b.slices.push(result.requests.total / seconds);
      }
    }
  } finally {
    await Promise.all(builds.map((b) => (b.child.kill('SIGTERM'), b.child.exitCode === null ? new Promise((r) => b.child.once('exit', r)) : undefined)));
    api.child.kill('SIGTERM');
    redisAdmin.disconnect();
    await redisServer.stop();
    stranded.done();
  }
  for (const b of builds) {
    console.log(`${b.name.padEnd(10)} ${String(Math.round(b.updates / b.seconds)).padStart(6)} updates/s  ${String(Math.round((b.cpu * 1e6) / Math.max(1, b.updates))).padStart(4)} µs server CPU/update  ${String(Math.round((b.redisCpu * 1e6) / Math.max(1, b.updates))).padStart(4)} µs Redis CPU/update  ${b.errors} errors`);
  }
  const [a, o] = builds as [Build, Build];
  const ratios = a.slices.map((s, i) => s / o.slices[i]!).sort((x, y) => x - y);
  const at = (p: number) => ratios[Math.min(ratios.length - 1, Math.floor(p * ratios.length))]!.toFixed(2);
  console.log(`\n${a.name} / ${o.name}: ${(a.updates / a.seconds / (o.updates / o.seconds)).toFixed(3)} in all; slice by slice median ${at(0.5)}, 10th to 90th percentile ${at(0.1)} to ${at(0.9)}`);
}

await main();
