// The usual alternative: what a developer would otherwise write. A plain telegraf bot behind Fastify,
// telegraf's session middleware on Redis (a small ioredis-backed store, as the telegraf docs suggest for
// custom stores), answering each update with one sendMessage to the (fake) Bot API.
import Fastify from 'fastify';
import { Redis } from 'ioredis';
import { Telegraf, session, type Context } from 'telegraf';

interface Session {
  count: number;
  last?: string;
}
interface BotContext extends Context {
  session: Session;
}

const redis = new Redis(process.env.REDIS_URL!);
const store = {
  async get(key: string) {
    const raw = await redis.get(`tgf:${key}`);
    return raw ? (JSON.parse(raw) as Session) : undefined;
  },
  async set(key: string, value: Session) {
    await redis.set(`tgf:${key}`, JSON.stringify(value), 'EX', 14 * 24 * 3600);
  },
  async delete(key: string) {
    await redis.del(`tgf:${key}`);
  },
};

const bot = new Telegraf<BotContext>(process.env.TELEGRAM_BOT_TOKEN!, { telegram: { apiRoot: process.env.TELEGRAM_API_ROOT!, webhookReply: false } });
bot.botInfo = { id: 1, is_bot: true, first_name: 'Bench', username: 'bench_bot', can_join_groups: true, can_read_all_group_messages: false, supports_inline_queries: false } as never;
bot.use(session({ store, defaultSession: () => ({ count: 0 }) }));
bot.on('callback_query', async (ctx) => {
  ctx.session.count++;
  await ctx.reply(`pressed ${ctx.session.count}`);
});
bot.on('text', async (ctx) => {
  ctx.session.count++;
  ctx.session.last = ctx.message.text.slice(0, 100);
  await ctx.reply(`got ${ctx.session.count}`, { reply_markup: { inline_keyboard: [[{ text: 'Menu', callback_data: 'menu' }]] } });
});

const app = Fastify({ logger: false });
app.post('/webhooks/telegram', async (req, reply) => {
  if (req.headers['x-telegram-bot-api-secret-token'] !== process.env.TELEGRAM_WEBHOOK_SECRET) return reply.code(401).send();
  await bot.handleUpdate(req.body as never);
  return {};
});
await app.listen({ port: Number(process.env.PORT), host: '127.0.0.1' });
process.stdout.write('ready\n');
process.on('SIGTERM', () => void app.close().then(() => redis.quit()).then(() => process.exit(0)));
