import { createInterface } from 'node:readline';
import { ConfigError, enabledChannels, loadConfig, type Config } from './config.ts';
import { flowToMermaid } from './engine/flow-mermaid.ts';
import { runAssess, runCheck, type CliIo } from './listing/cli-commands.ts';
import { createRuntime, loadContent } from './runtime.ts';
import { runTerminalChat } from './chat/terminal-chat.ts';
import { buildApp } from './server/build-app.ts';
import { createLogger } from './server/create-logger.ts';
import { setupLineRichMenu } from '../webhooks/line-rich-menu.ts';
import { setupTelegram } from '../webhooks/telegram-setup.ts';

const USAGE = `usage: mamori <command>

  serve                      run the server (web chat, and LINE/Telegram webhooks when configured)
  chat                       chat with the advisor in this terminal (one message per line when piped)
  flows [--mermaid]          check the guides; --mermaid prints each as a Mermaid diagram
  check [--no-expand] TEXT…  classify the links in TEXT as JSON (--lines: one JSON object per stdin line)
  assess 'JSON'              assess seller risk from signals, e.g. '{"price":1980,"typicalPrice":30000}'
  telegram:setup             set the Telegram webhook (PUBLIC_URL/webhooks/telegram) and the bot's command menu
  line:richmenu              create the LINE rich menu with the four guides and make it the default
  help                       this text`;

/** Standard streams as the listing CLI expects them. */
function processIo(): CliIo {
  return {
    stdout: (t: string) => void process.stdout.write(t.endsWith('\n') ? t : `${t}\n`),
    stderr: (t: string) => void process.stderr.write(t.endsWith('\n') ? t : `${t}\n`),
    stdinLines: () => createInterface({ input: process.stdin, crlfDelay: Infinity }),
    env: process.env,
  };
}

function readConfig(): Config | null {
  try {
    return loadConfig(process.env);
  } catch (err) {
    if (err instanceof ConfigError) {
      process.stderr.write(`mamori: ${err.message}\n`);
      return null;
    }
    throw err;
  }
}

/**
 * `mamori flows --mermaid | head` or `mamori check --lines < big.txt | head`: once the reader has gone, writing
 * fails with EPIPE. Like other command-line tools, stop there without a stack trace (the reader has all it wanted).
 */
function stopQuietlyWhenOutputCloses(): void {
  process.stdout.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Runs one `mamori` command; resolves to the exit code (serve resolves once listening and keeps running). */
export async function main(argv: string[]): Promise<number | undefined> {
  const [command, ...args] = argv;
  if (command !== 'serve') stopQuietlyWhenOutputCloses();
  try {
    switch (command) {
      case 'serve':
        return await serve();
      case 'chat': {
        const config = readConfig();
        if (!config) return 2;
        const runtime = createRuntime(config);
        try {
          await runTerminalChat({
            advisor: runtime.advisor,
            input: process.stdin,
            write: (t) => void process.stdout.write(t),
            interactive: Boolean(process.stdin.isTTY),
            languageCode: args.includes('--en') ? 'en' : undefined,
          });
        } finally {
          await runtime.close();
        }
        return 0;
      }
      case 'flows': {
        const unknown = args.filter((a) => a !== '--mermaid');
        if (unknown.length) {
          process.stderr.write(`mamori flows: unknown option ${unknown[0]}\n`);
          return 2;
        }
        const { flows, locales } = loadContent();
        if (args.includes('--mermaid')) {
          for (const flow of flows.ordered) process.stdout.write(`%% ${flow.id}\n${flowToMermaid(flow, locales.ja)}\n\n`);
        } else {
          process.stdout.write(`${flows.ordered.length} guides OK: ${flows.ordered.map((f) => f.id).join(', ')}\n`);
        }
        return 0;
      }
      case 'check':
        return await runCheck(args, processIo());
      case 'assess':
        return await runAssess(args, processIo());
      case 'telegram:setup': {
        const config = readConfig();
        if (!config) return 2;
        return await setupTelegram(config, loadContent().locales, processIo());
      }
      case 'line:richmenu': {
        const config = readConfig();
        if (!config) return 2;
        return await setupLineRichMenu(config, loadContent(), processIo());
      }
      case undefined:
      case 'help':
      case '--help':
      case '-h':
        process.stdout.write(`${USAGE}\n`);
        return command === undefined ? 2 : 0;
      default:
        process.stderr.write(`mamori: unknown command "${command}"\n${USAGE}\n`);
        return 2;
    }
  } catch (err) {
    // Broken guides or locales stop start-up with a message naming the flow and step, not a stack trace.
    process.stderr.write(`mamori: ${(err as Error).message}\n`);
    return 1;
  }
}

async function serve(): Promise<number | undefined> {
  const config = readConfig();
  if (!config) return 2;
  const logger = createLogger(config.LOG_LEVEL);
  const runtime = createRuntime(config);
  const app = await buildApp({ config, runtime, logger });
  await app.listen({ port: config.PORT, host: config.HOST });
  const channels = enabledChannels(config);
  logger.info(
    { channels: Object.entries(channels).filter(([, on]) => on).map(([name]) => name), store: runtime.storeKind },
    `Mamori is listening on http://${config.HOST === '0.0.0.0' ? 'localhost' : config.HOST}:${config.PORT}`,
  );
  let closing = false;
  const shutdown = (signal: string) => {
    if (closing) return;
    closing = true;
    logger.info({ signal }, 'shutting down: finishing in-flight requests');
    const timer = setTimeout(() => {
      logger.error('shutdown took too long; exiting');
      process.exit(1);
    }, config.SHUTDOWN_TIMEOUT_MS);
    timer.unref();
    app.close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'error while shutting down');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => shutdown('SIGTERM'));
  process.on('SIGINT', () => shutdown('SIGINT'));
  return undefined;
}
