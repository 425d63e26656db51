// A minimal stand-in for the Telegram Bot API and the LINE Messaging API on loopback, for the
// benchmark: answers every method with a plausible success and counts calls. Prints its port on stdout.
import { createServer } from 'node:http';

let calls = 0;
let messageId = 1;
const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => {
    calls++;
    if (req.url === '/__calls') {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ calls }));
      return;
    }
    if (req.url?.startsWith('/v2/bot/')) {
      // LINE: reply/push answer {} (with sentMessages on newer API versions).
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"sentMessages":[]}');
      return;
    }
    const method = /\/bot[^/]+\/(\w+)/.exec(req.url ?? '')?.[1] ?? '';
    const result =
      method === 'getMe'
        ? { id: 1, is_bot: true, first_name: 'Bench', username: 'bench_bot' }
        : method === 'sendMessage'
          ? { message_id: messageId++, date: Math.floor(Date.now() / 1000), chat: { id: 1, type: 'private' }, text: '' }
          : true;
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, result }));
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  process.stdout.write(`${JSON.stringify({ port: (server.address() as { port: number }).port })}\n`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
