// The ceiling: a bare Fastify route that parses the same Telegram update and answers 200.
import Fastify from 'fastify';

const app = Fastify({ logger: false });
app.post('/webhooks/telegram', async (req) => {
  const update = req.body as { update_id?: unknown };
  if (typeof update?.update_id !== 'number') return { ok: false };
  return {};
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => process.exit(0)));
