/**
 * Private Redis servers for tests: one standalone server or a three-master Redis Cluster on free loopback
 * ports, with no persistence, in temporary folders under os.tmpdir(). Tests never touch the shared Redis.
 *
 * Every redis-server is started behind a small `sh` watchdog that holds a pipe to this process: when the
 * pipe closes (stop(), normal exit, a crashed or killed test worker) the watchdog SIGKILLs its server, so
 * no server outlives the test run even when a test fails or the worker dies.
 *
 * Typical use:
 *
 * ```ts
 * const enabled = redisServerAvailable('session store tests'); // false (skip) without redis-server, throws under CI
 * describe.skipIf(!enabled)('…', () => {
 *   let redis: RedisServerHandle;
 *   beforeAll(async () => { redis = await startRedisServer(); });   // redis.url = redis://127.0.0.1:<port>
 *   afterAll(() => stopAllRedisServers());                          // runs even when a test failed
 *   it('survives an outage', async () => {
 *     await redis.kill();      // SIGKILL: connection refused from now on
 *     await redis.restart();   // same port, empty data
 *   });
 * });
 * const cluster = await startRedisCluster();                        // cluster.startupNodes: ['127.0.0.1:p1', …]
 * ```
 */
import { execFile, spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { rmSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/** Loopback only, always. */
const HOST = '127.0.0.1';

let availability: { ok: boolean; reason?: string } | undefined;

/**
 * Whether `redis-server` and `redis-cli` can be run here. When they cannot: with env `CI` set this throws
 * (CI must run the Redis tests), otherwise it prints why and returns false so the caller can skip.
 */
export function redisServerAvailable(what = 'Redis tests'): boolean {
  if (!availability) {
    const missing = ['redis-server', 'redis-cli'].filter((bin) => spawnSync(bin, ['--version'], { stdio: 'ignore' }).status !== 0);
    availability = missing.length ? { ok: false, reason: `${missing.join(' and ')} not found on PATH` } : { ok: true };
  }
  if (availability.ok) return true;
  if (process.env.CI) throw new Error(`${what}: ${availability.reason}; CI is set, so these tests must run (install redis-server)`);
  console.warn(`[skip] ${what}: ${availability.reason} (set CI=1 to make this a failure)`);
  return false;
}

/** A private redis-server on a loopback port. */
export interface RedisServerHandle {
  readonly host: string;
  readonly port: number;
  /** `redis://127.0.0.1:<port>` */
  readonly url: string;
  /** Its temporary working folder. */
  readonly dir: string;
  /** True while the server process is running. */
  readonly running: boolean;
  /** Kills the server at once (SIGKILL) to simulate an outage; the port and folder are kept. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP): connections stay open but nothing is answered, like a hung host. */
  pause(): void;
  /** Lets a paused server run again (SIGCONT). */
  resume(): void;
  /** Starts the server again on the same port (after kill()), waiting until it answers PING. */
  restart(): Promise<void>;
  /** Runs `redis-cli -h 127.0.0.1 -p <port> …args` and returns its trimmed output. */
  cli(...args: string[]): Promise<string>;
  /** Kills the server and removes its folder. Safe to call twice. */
  stop(): Promise<void>;
}

/** A three-master Redis Cluster on loopback ports (no replicas). */
export interface RedisClusterHandle {
  readonly nodes: readonly RedisServerHandle[];
  /** `127.0.0.1:<port>` of every node, for `new Cluster(...)` or REDIS_CLUSTER_NODES. */
  readonly startupNodes: string[];
  /** Runs redis-cli in cluster mode (`-c`) against the first node. */
  cli(...args: string[]): Promise<string>;
  /** Stops every node and removes their folders. */
  stop(): Promise<void>;
}

/** Options for startRedisServer. */
export interface StartRedisOptions {
  /** Extra `redis-server` arguments, e.g. `['--maxmemory', '10mb']`. */
  args?: string[];
  /** Run with `cluster-enabled yes` (used by startRedisCluster). */
  cluster?: boolean;
  /** Start with `--requirepass`; cli() then authenticates (through REDISCLI_AUTH, not the command line). */
  password?: string;
  /** How long to wait for PING to answer. Default 10 s. */
  startTimeoutMs?: number;
}

const live = new Set<RedisServerHandle>();

/** Stops every server this process started that is still running (for afterAll). */
export async function stopAllRedisServers(): Promise<void> {
  await Promise.all([...live].map((s) => s.stop()));
}

// Last resort when the test process exits without calling stop(): our ends of the watchdog pipes close on
// exit anyway, so the watchdogs kill their servers; the folders are removed here.
process.once('exit', () => {
  for (const s of live) {
    void s.stop().catch(() => {});
    rmSync(s.dir, { recursive: true, force: true });
  }
});

/**
 * The watchdog: starts redis-server, prints its pid, and SIGKILLs it as soon as its stdin (a pipe from this
 * process) reaches end-of-file. Unless the line `keep` came first (kill() before a restart), it then removes
 * the server's folder too, so a test process that dies hard leaves nothing behind. A background job's stdin
 * is /dev/null unless redirected, hence fd 3.
 */
const WATCHDOG = [
  'exec 3<&0',
  'redis-server "$@" </dev/null &',
  'pid=$!',
  'echo "watchdog-pid:$pid"',
  '( keep=; while read -r line <&3; do [ "$line" = keep ] && keep=1; done',
  '  kill -9 "$pid" 2>/dev/null; wait "$pid" 2>/dev/null',
  '  [ -n "$keep" ] || rm -rf "$MAMORI_REDIS_DIR" ) &',
  'wait "$pid"',
].join('\n');

function run(file: string, args: string[], timeoutMs = 15_000, password?: string): Promise<string> {
  const env = password === undefined ? process.env : { ...process.env, REDISCLI_AUTH: password };
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: timeoutMs, encoding: 'utf8', env }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${file} ${args.join(' ')} failed: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const srv = net.createServer();
    srv.once('error', () => resolve(false));
    srv.listen({ port, host: HOST, exclusive: true }, () => srv.close(() => resolve(true)));
  });
}

/** A free loopback port; with `withBus`, port + 10000 (the cluster bus port) is free too. */
async function freePort(withBus: boolean): Promise<number> {
  for (let i = 0; i < 200; i++) {
    const port = 20_000 + Math.floor(Math.random() * 25_000);
    if ((await portIsFree(port)) && (!withBus || (await portIsFree(port + 10_000)))) return port;
  }
  throw new Error('no free loopback port found');
}

class RedisServer implements RedisServerHandle {
  readonly host = HOST;
  readonly port: number;
  readonly dir: string;
  readonly #args: string[];
  readonly #password: string | undefined;
  readonly #startTimeoutMs: number;
  #child: ChildProcessWithoutNullStreams | undefined;
  #exited: Promise<void> = Promise.resolve();
  #output = '';
  #pid: number | undefined;
  #stopped = false;

  constructor(port: number, dir: string, args: string[], password: string | undefined, startTimeoutMs: number) {
    this.port = port;
    this.dir = dir;
    this.#args = password === undefined ? args : [...args, '--requirepass', password];
    this.#password = password;
    this.#startTimeoutMs = startTimeoutMs;
  }

  get url(): string {
    return `redis://${HOST}:${this.port}`;
  }

  get running(): boolean {
    return this.#child !== undefined;
  }

  async start(): Promise<void> {
    if (this.#child) return;
    this.#output = '';
    this.#pid = undefined;
    const child = spawn('sh', ['-c', WATCHDOG, 'redis-watchdog', ...this.#serverArgs()], {
      cwd: this.dir,
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, MAMORI_REDIS_DIR: this.dir },
    });
    this.#child = child;
    child.stdout.on('data', (d: Buffer) => {
      this.#output = (this.#output + d.toString()).slice(-4000);
      const m = /watchdog-pid:(\d+)/.exec(this.#output);
      if (m && this.#pid === undefined) this.#pid = Number(m[1]);
    });
    child.stderr.on('data', (d: Buffer) => (this.#output = (this.#output + d.toString()).slice(-4000)));
    child.stdin.on('error', () => {});
    this.#exited = new Promise((resolve) => {
      child.once('exit', () => {
        // Also ends the watchdog's helper when redis-server died by itself.
        child.stdin.end();
        if (this.#child === child) this.#child = undefined;
        resolve();
      });
    });
    // The watchdog must not keep the test process alive by itself.
    child.unref();
    const deadline = Date.now() + this.#startTimeoutMs;
    while (Date.now() < deadline) {
      if (!this.#child) throw new Error(`redis-server on port ${this.port} exited during start:\n${this.#output}`);
      if ((await this.#ping()) === 'PONG') return;
      await sleep(50);
    }
    await this.kill();
    throw new Error(`redis-server on port ${this.port} did not answer PING within ${this.#startTimeoutMs} ms:\n${this.#output}`);
  }

  #serverArgs(): string[] {
    return [
      '--port', String(this.port),
      '--bind', HOST,
      '--save', '',
      '--appendonly', 'no',
      '--dir', this.dir,
      '--daemonize', 'no',
      '--protected-mode', 'yes',
      '--loglevel', 'warning',
      ...this.#args,
    ];
  }

  #ping(): Promise<string> {
    return run('redis-cli', ['-h', HOST, '-p', String(this.port), 'ping'], 2000, this.#password).catch(() => '');
  }

  async kill(): Promise<void> {
    await this.#end(true);
  }

  async #end(keepDir: boolean): Promise<void> {
    const child = this.#child;
    if (!child) return;
    if (keepDir) child.stdin.write('keep\n');
    // A paused server is killed all the same (SIGKILL works on a stopped process).
    // Closing the pipe makes the watchdog SIGKILL redis-server; the watchdog exits once the server is gone.
    child.stdin.end();
    await this.#exited;
  }

  pause(): void {
    this.#signal('SIGSTOP');
  }

  resume(): void {
    this.#signal('SIGCONT');
  }

  #signal(signal: NodeJS.Signals): void {
    if (!this.#child || this.#pid === undefined) throw new Error(`redis-server on port ${this.port} is not running`);
    process.kill(this.#pid, signal);
  }

  async restart(): Promise<void> {
    if (this.#stopped) throw new Error('this Redis server was stopped; start a new one');
    await this.kill();
    await this.start();
  }

  cli(...args: string[]): Promise<string> {
    return run('redis-cli', ['-h', HOST, '-p', String(this.port), ...args], 15_000, this.#password);
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    live.delete(this);
    await this.#end(false);
    await rm(this.dir, { recursive: true, force: true });
  }
}

async function createServer(options: StartRedisOptions, port: number, dir: string): Promise<RedisServer> {
  const args = [...(options.args ?? [])];
  if (options.cluster) args.push('--cluster-enabled', 'yes', '--cluster-config-file', `nodes-${port}.conf`, '--cluster-node-timeout', '3000');
  const server = new RedisServer(port, dir, args, options.password, options.startTimeoutMs ?? 10_000);
  live.add(server);
  try {
    await server.start();
  } catch (err) {
    await server.stop();
    throw err;
  }
  return server;
}

/**
 * Starts a private redis-server (`--save "" --appendonly no`) on a free loopback port, in a new folder under
 * os.tmpdir(). Retries on another port if the chosen one was taken meanwhile.
 */
export async function startRedisServer(options: StartRedisOptions = {}): Promise<RedisServerHandle> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort(Boolean(options.cluster));
    const dir = await mkdtemp(path.join(os.tmpdir(), 'mamori-redis-'));
    try {
      return await createServer(options, port, dir);
    } catch (err) {
      lastError = err;
      // Only a server that exited at once (the port was taken meanwhile) is worth another port.
      if (!(err instanceof Error && err.message.includes('exited during start'))) break;
    }
  }
  throw lastError;
}

/**
 * Starts three redis-servers with `cluster-enabled yes`, joins them with
 * `redis-cli --cluster create … --cluster-replicas 0 --cluster-yes`, and waits until every node reports
 * `cluster_state:ok` and `redis-cli --cluster check` finds all slots covered and agreed on. Everything is
 * stopped again if any step fails.
 */
export async function startRedisCluster(options: { startTimeoutMs?: number } = {}): Promise<RedisClusterHandle> {
  const nodes: RedisServerHandle[] = [];
  const stop = async () => {
    await Promise.all(nodes.map((n) => n.stop()));
  };
  try {
    for (let i = 0; i < 3; i++) nodes.push(await startRedisServer({ cluster: true }));
    const startupNodes = nodes.map((n) => `${HOST}:${n.port}`);
    await run('redis-cli', ['--cluster', 'create', ...startupNodes, '--cluster-replicas', '0', '--cluster-yes'], 30_000);
    const deadline = Date.now() + (options.startTimeoutMs ?? 20_000);
    // cluster_state:ok on every node, and every node agreeing on who serves which slot (right after
    // `--cluster create` a node can still answer MOVED or CLUSTERDOWN for a moment).
    for (;;) {
      const infos = await Promise.all(nodes.map((n) => n.cli('cluster', 'info').catch(() => '')));
      const check = infos.every((info) => /cluster_state:ok/.test(info))
        ? await run('redis-cli', ['--cluster', 'check', startupNodes[0]!]).catch((e: Error) => e.message)
        : '';
      if (/All nodes agree about slots configuration/.test(check) && /All 16384 slots covered/.test(check)) break;
      if (Date.now() > deadline) throw new Error(`cluster did not become ready:\n${infos.join('\n---\n')}\n${check}`);
      await sleep(100);
    }
    return {
      nodes,
      startupNodes,
      cli: (...args: string[]) => run('redis-cli', ['-c', '-h', HOST, '-p', String(nodes[0]!.port), ...args]),
      stop,
    };
  } catch (err) {
    await stop();
    throw err;
  }
}
