// The engine's own CPU per update, without HTTP or Redis (npm run bench:engine [-- --against DIR] [-- --quick]).
//
// The webhook benchmark (bench/run.ts) measures the whole path on a machine where the server shares two cores with
// Redis, the fake API and the load generator, so a change of a few µs of JavaScript cannot be told from noise there.
// This one runs the same traffic (bench/load.ts: 5,000 users pasting a URL, pressing a button of their last answer,
// typing an answer) through what the server does per update besides I/O, in one process on the memory store:
// JSON.parse of the update, telegramInboundOf (event building and masking), Advisor.handle (link check, the step,
// encoding, the store), renderForTelegram and JSON.stringify of the webhook answer, and prints µs per update for each.
//
// With --against DIR (another checkout with node_modules, e.g. `git worktree add ../before HEAD~1`, older ones too:
// the traffic and this driver are this checkout's, the engine is DIR's) it runs this checkout and that one in
// alternating child processes, ROUNDS times each, and prints the medians and their ratio: what a change costs or
// saves on the engine, measured side by side in the same minutes. Not a test: it never fails on a figure.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { benchOptions } from './cli-options.ts';

const USAGE = 'usage: npm run bench:engine -- [--against DIR] [--rounds N] [--updates N] [--quick]';
const { options, fail, positive: number } = benchOptions('bench/engine.ts', USAGE, ['--quick'], ['--against', '--rounds', '--updates', '--child']);
const positive = (name: string, fallback: number) => number(name, fallback, true);
const quick = options.has('--quick');
const UPDATES = positive('--updates', quick ? 5_000 : 60_000);
const WARM_UPDATES = quick ? 3_000 : 30_000;
const ROUNDS = positive('--rounds', quick ? 1 : 5);
const STAGES = ['parse', 'inbound', 'handle', 'render', 'stringify'] as const;
type Figures = Record<(typeof STAGES)[number] | 'total', number>;

/**
 * Runs the traffic (always this checkout's bench/load.ts, so both builds of a comparison get the same) through the
 * engine of the checkout at `root`; µs per update, by stage.
 */
async function measure(root: string): Promise<Figures> {
  const from = (path: string) => import(pathToFileURL(resolve(root, path)).href);
  const { loadConfig } = await from('src/config.ts');
  const { createRuntime } = await from('src/runtime.ts');
  const { MemorySessionStore } = await from('src/store/memory-session-store.ts');
  const { telegramInboundOf } = await from('webhooks/telegram-inbound.ts');
  const { renderForTelegram } = await from('webhooks/render-for-telegram.ts');
  const { makeTraffic, mamoriEnv } = await import('./load.ts');
  // No link is followed (no network here); the benchmark's links are not short links anyway.
  const runtime = createRuntime(loadConfig({ ...mamoriEnv({ API_ROOT: 'http://127.0.0.1:9' }), EXPAND_LINKS: 'false' }), { store: new MemorySessionStore() });
  const traffic = makeTraffic('telegram', 5000);
  const bot = { id: 7000001, username: 'bench_bot' };
  const spent: Figures = { parse: 0, inbound: 0, handle: 0, render: 0, stringify: 0, total: 0 };
  let counted = 0;
  const one = async (timed: boolean) => {
    const { body } = traffic.next();
    const t0 = performance.now();
    const update = JSON.parse(body) as { update_id: number };
    const t1 = performance.now();
    const inbound = telegramInboundOf(update, bot, Date.now());
    const t2 = performance.now();
    if (inbound.kind !== 'event') return;
    const handled = await runtime.advisor.handle(inbound.event);
    const t3 = performance.now();
    if (handled.status !== 'reply') return;
    const messages = renderForTelegram(handled.replies);
    const t4 = performance.now();
    const answer = JSON.stringify({ method: 'sendMessage', chat_id: inbound.chatId, ...messages[messages.length - 1] });
    const t5 = performance.now();
    await handled.delivered();
    traffic.onResponse(200, answer);
    if (!timed) return;
    counted++;
    spent.parse += t1 - t0;
    spent.inbound += t2 - t1;
    spent.handle += t3 - t2;
    spent.render += t4 - t3;
    spent.stringify += t5 - t4;
  };
  // Turns of the event loop now and then, as a server has them (the memory store sweeps on a timer).
  const run = async (n: number, timed: boolean) => {
    for (let i = 0; i < n; i++) {
      await one(timed);
      if (i % 200 === 199) await new Promise((r) => setImmediate(r));
    }
  };
  await run(WARM_UPDATES, false);
  const started = performance.now();
  await run(UPDATES, true);
  spent.total = performance.now() - started;
  await runtime.close();
  const out = {} as Figures;
  for (const [k, v] of Object.entries(spent) as [keyof Figures, number][]) out[k] = Math.round(((v * 1000) / (k === 'total' ? UPDATES : Math.max(1, counted))) * 10) / 10;
  return out;
}

const line = (name: string, f: Figures) => `${name.padEnd(12)} ${String(f.total).padStart(6)} µs per update in all: ${STAGES.map((s) => `${s} ${f[s]}`).join(', ')}`;

/** Runs `measure` on the checkout at `dir` in a fresh process (so both builds start alike and JIT alike). */
function child(dir: string): Figures {
  const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', dir, '--updates', String(UPDATES), ...(quick ? ['--quick'] : [])], { cwd: dir, encoding: 'utf8', env: { ...process.env, NODE_NO_WARNINGS: '1' } });
  const last = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !last.startsWith('{')) throw new Error(`bench/engine.ts in ${dir} failed (exit ${r.status}):\n${r.stderr}${r.stdout}`);
  return JSON.parse(last) as Figures;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
};
const medianFigures = (runs: Figures[]): Figures => Object.fromEntries((['total', ...STAGES] as const).map((k) => [k, median(runs.map((r) => r[k]))])) as Figures;

const childRoot = options.get('--child');
if (typeof childRoot === 'string') {
  process.stdout.write(`${JSON.stringify(await measure(childRoot))}\n`);
} else {
  const here = fileURLToPath(new URL('../', import.meta.url));
  const against = options.get('--against');
  if (against === true) fail('--against needs a folder');
  const other = typeof against === 'string' ? resolve(against) : undefined;
  if (other && (!existsSync(resolve(other, 'src/runtime.ts')) || !existsSync(resolve(other, 'node_modules')))) fail(`${other} is not a Mamori checkout with node_modules`);
  console.log(`Engine CPU per update (no HTTP, no Redis; memory store), ${UPDATES} updates after ${WARM_UPDATES} untimed, ${ROUNDS} round(s)${other ? `, this checkout and ${other} alternately` : ''}, Node ${process.version}\n`);
  const mine: Figures[] = [];
  const theirs: Figures[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    // Alternate which goes first, so that neither always runs on a warmer or cooler machine.
    if (other && round % 2 === 1) theirs.push(child(other));
    mine.push(child(here));
    if (other && round % 2 === 0) theirs.push(child(other));
  }
  const a = medianFigures(mine);
  console.log(line('this', a));
  if (other) {
    const b = medianFigures(theirs);
    console.log(line('other', b));
    const ratios = mine.map((m, i) => theirs[i]!.total / m.total).sort((x, y) => x - y);
    console.log(`\nother / this (how many times faster this build is): ${(b.total / a.total).toFixed(3)} on the medians; round by round ${ratios.map((r) => r.toFixed(3)).join(', ')}`);
  }
}
