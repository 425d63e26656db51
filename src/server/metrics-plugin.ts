import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { MamoriMetrics } from './metrics.ts';

const digest = (s: string) => createHash('sha256').update(s).digest();

/** `GET /metrics` in Prometheus text format; with a token, only for `Authorization: Bearer <token>`. */
export async function metricsPlugin(app: FastifyInstance, opts: { metrics: MamoriMetrics; token?: string }): Promise<void> {
  const expected = opts.token ? digest(`Bearer ${opts.token}`) : null;
  app.get('/metrics', async (req, reply) => {
    if (expected) {
      const given = req.headers.authorization;
      if (typeof given !== 'string' || !timingSafeEqual(digest(given), expected)) {
        return reply.code(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized', reason: 'metrics need a bearer token' });
      }
    }
    return reply.type(opts.metrics.registry.contentType).send(await opts.metrics.registry.metrics());
  });
}
